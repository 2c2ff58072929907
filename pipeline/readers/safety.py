"""Limits that keep a hostile attachment from exhausting the build: the zip directory is checked
before anything is inflated, XML is parsed with entities, DTDs and network off, PDF pages are capped.
(Each reader also runs in a child process under a memory limit and a timeout: `isolate.py`.)"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

ZIP_MAX_ENTRIES = 1_000
ZIP_MAX_MEMBER = 50 * 1024 * 1024
ZIP_MAX_TOTAL = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100  # for members over ZIP_RATIO_FROM inflated bytes
ZIP_RATIO_FROM = 1024 * 1024
PDF_MAX_PAGES = 200
_ALLOWED_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}


class Rejected(Exception):
    """A file the readers refuse, with the reason a person reads."""


def check_zip(data: bytes) -> None:
    """Raise Rejected when the zip's directory promises more than the limits allow (nothing inflated)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise Rejected(f"damaged zip container ({exc}); open it and save it again") from exc
    if len(infos) > ZIP_MAX_ENTRIES:
        raise Rejected(f"zip container with {len(infos)} entries (limit {ZIP_MAX_ENTRIES}); not read")
    total = 0
    for info in infos:
        if info.compress_type not in _ALLOWED_METHODS:
            raise Rejected(
                f"zip member {info.filename!r} uses compression method {info.compress_type} "
                "(only stored and deflate are read); open the file and save it again"
            )
        if info.file_size > ZIP_MAX_MEMBER:
            raise Rejected(
                f"zip member {info.filename!r} inflates to {info.file_size:,} bytes "
                f"(limit {ZIP_MAX_MEMBER:,}); not read (a zip bomb?)"
            )
        if info.file_size > ZIP_RATIO_FROM and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise Rejected(
                f"zip member {info.filename!r} inflates {info.file_size // max(info.compress_size, 1):,}:1 "
                f"(limit {ZIP_MAX_RATIO}:1); not read (a zip bomb?)"
            )
        total += info.file_size
    if total > ZIP_MAX_TOTAL:
        raise Rejected(
            f"zip container inflates to {total:,} bytes in all (limit {ZIP_MAX_TOTAL:,}); not read"
        )


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """One member, read at most to its declared size plus one byte (a lying directory is refused)."""
    info = archive.getinfo(name)
    with archive.open(info) as fh:
        data = fh.read(min(info.file_size, ZIP_MAX_MEMBER) + 1)
    if len(data) > info.file_size:
        raise Rejected(f"zip member {name!r} is larger than its directory says; not read")
    return data


def xml_parser() -> etree.XMLParser:
    """An XML parser that expands no entity, loads no DTD, touches no network and keeps libxml2's
    default size limits."""
    return etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, dtd_validation=False
    )


def parse_xml(data: bytes) -> etree._Element:
    """Parse an Office XML part; a part declaring a DTD (never needed by Office) is refused."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise Rejected("an XML part declares a DTD or entities (Office files never do); not read")
    try:
        return etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        raise Rejected(f"damaged XML inside the file ({exc}); open it and save it again") from exc
