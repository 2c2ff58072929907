"""What a file is, decided from its bytes (never from its extension): the one home of format sniffing.

Government sites save HTML and RTF under .doc, Excel under .et, Word under .wps: the extension only
decides which file of a folder is the page. `sniff` looks at the first bytes only (cheap, safe in
the build process); `detect_format` also lists a zip's members or an OLE file's streams, and runs
in the reader's child process for containers.
"""

from __future__ import annotations

import io
import re
import zipfile

# (magic, format) by the first bytes
_MAGIC = (
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty zip archive
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"{\\rtf", "rtf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf", "7z"),
)
# what a person calls each format, for reasons ("a PDF saved as .txt")
DESCRIPTIONS = {
    "pdf": "a PDF",
    "zip": "a zip archive",
    "ole": "an OLE compound file (old Office)",
    "rtf": "an RTF document",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "gif": "a GIF image",
    "gzip": "a gzip archive",
    "rar": "a rar archive",
    "7z": "a 7z archive",
    "docx": "a Word document (.docx)",
    "xlsx": "an Excel workbook (.xlsx)",
    "ofd": "an OFD document",
    "doc": "a Word 97-2003 document",
    "xls": "an Excel 97-2003 workbook",
    "mhtml": "a web archive (MHTML)",
    "html": "an HTML page",
    "text": "text",
    "binary": "binary content",
}
# formats the readers turn into text in a child process
CONTAINERS = frozenset({"pdf", "zip", "ole", "rtf"})
_MIME_RE = re.compile(rb"(?im)^(?:mime-version:|content-type:\s*multipart/related)")
_HTML_RE = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|div|p|table|meta)\b", re.I)


def sniff(data: bytes) -> str:
    """The format family from the first bytes: pdf, zip, ole, rtf, an image or archive name,
    mhtml, html, or text (which also covers binary: the text decoder decides)."""
    head = data[:4096]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if _MIME_RE.search(head[:2048]) and b"boundary" in head.lower():
        return "mhtml"
    if _HTML_RE.search(head[:2048]):
        return "html"
    return "text"


def zip_format(names: list[str]) -> str:
    """docx / xlsx / ofd / zip by the members a zip archive holds."""
    members = set(names)
    if "word/document.xml" in members:
        return "docx"
    if "xl/workbook.xml" in members:
        return "xlsx"
    if "OFD.xml" in members:
        return "ofd"
    return "zip"


def ole_format(streams: list[list[str]]) -> str:
    """doc / xls / ole by the streams an OLE compound file holds (WPS saves the same streams)."""
    names = {"/".join(s) for s in streams}
    if "WordDocument" in names:
        return "doc"
    if "Workbook" in names or "Book" in names:
        return "xls"
    return "ole"


def detect_format(data: bytes) -> str:
    """The precise format: a zip's members or an OLE file's streams decide docx/xlsx/ofd/doc/xls."""
    family = sniff(data)
    if family == "zip":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return zip_format(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "zip"
    if family == "ole":
        import olefile

        try:
            with olefile.OleFileIO(data) as ole:
                return ole_format(ole.listdir(streams=True, storages=False))
        except Exception:  # olefile raises many kinds on a damaged file
            return "ole"
    return family
