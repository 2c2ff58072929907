"""Safe names: a stable notice id per URL, and attachment file names that are never a server's path."""

from __future__ import annotations

import email.message
import email.utils
import hashlib
import mimetypes
import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit, urlunsplit

from ..ingest import ATTACHMENT_SUFFIXES, CJK_RE, PAGE_SUFFIXES, SIDECAR_NAME

PAGE_NAME = "page.html"
RESERVED = frozenset({PAGE_NAME, SIDECAR_NAME})
MAX_NAME_CHARS = 100
_UNSAFE_RE = re.compile(r'[<>:"|?*\\/]')
_HOST_RE = re.compile(r"[^a-z0-9.-]")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """The URL a notice id is made from: scheme and host in lower case, default port and fragment
    dropped, an empty path as '/'."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host if parts.port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{parts.port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def notice_id(url: str) -> str:
    """The raw folder of a fetched notice: `<host>-<12 hex of the URL's SHA-256>`, stable per URL."""
    canonical = canonical_url(url)
    parts = urlsplit(canonical)
    host = _HOST_RE.sub("-", (parts.hostname or "unknown").lower())[:60].strip(".-") or "unknown"
    port = f"-{parts.port}" if parts.port else ""
    return f"{host}{port}-{hashlib.sha256(canonical.encode('utf-8')).hexdigest()[:12]}"


def disposition_name(value: str | None) -> str | None:
    """The file name a Content-Disposition header gives: `filename*` (RFC 5987/2231, UTF-8 or another
    charset) before `filename`; a plain name percent-encoded or sent as raw GBK bytes is decoded."""
    if not value:
        return None
    message = email.message.Message()
    message["content-disposition"] = value
    plain, extended = None, None
    for key, raw in message.get_params(header="content-disposition") or []:
        if key.lower() != "filename":
            continue
        if isinstance(raw, tuple):
            extended = email.utils.collapse_rfc2231_value(raw)
        else:
            plain = _plain_name(raw)
    return extended or plain


def _plain_name(raw: str) -> str:
    """A plain filename parameter: %XX decoded (as UTF-8, else GB18030); header bytes that httpx
    decoded as Latin-1 but are GB18030 or UTF-8 re-read as such."""
    if re.search(r"%[0-9A-Fa-f]{2}", raw):
        for encoding in ("utf-8", "gb18030"):
            try:
                return unquote(raw, encoding=encoding, errors="strict")
            except UnicodeDecodeError:
                continue
    try:
        data = raw.encode("latin-1")
    except UnicodeEncodeError:
        return raw
    if data.isascii():
        return raw
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if CJK_RE.search(text):
            return text
    return raw


def url_name(url: str) -> str | None:
    """The last segment of a URL's path or a query value (download.jsp?file=名单.xls) that names an
    office, PDF or OFD file, percent-decoded (UTF-8, else GB18030); else the path's last segment."""
    parts = urlsplit(url)
    candidates = [parts.path.rsplit("/", 1)[-1]]
    candidates += [p.split("=", 1)[1] for p in parts.query.split("&") if "=" in p]
    for candidate in candidates:
        name = _plain_name(candidate) if candidate else ""
        if PurePosixPath(name).suffix.lower() in ATTACHMENT_SUFFIXES:
            return name
    return _plain_name(candidates[0]) or None


def safe_name(name: str | None) -> str | None:
    """A file name safe to write into a notice folder: the last path segment only (no '/', '\\' or
    '..'), no control or format characters, no leading dot, reserved characters replaced, at most
    MAX_NAME_CHARS characters (the suffix kept); None when nothing is left."""
    if not name:
        return None
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    name = _UNSAFE_RE.sub("_", name).strip().lstrip(".").rstrip(". ")
    if not name:
        return None
    path = PurePosixPath(name)
    suffix = path.suffix if len(path.suffix) <= 10 else ""
    stem = name[: len(name) - len(suffix)] if suffix else name
    return stem[: MAX_NAME_CHARS - len(suffix)] + suffix


def attachment_name(
    disposition: str | None, final_url: str, content_type: str | None, number: int, taken: set[str]
) -> str:
    """The name an attachment is saved under: the server's Content-Disposition name, else the URL's
    last segment, else 附件N with the content type's extension; made safe, never the page's or the
    sidecar's name, never a page suffix (the folder holds one page), unique in `taken`."""
    name = safe_name(disposition_name(disposition)) or safe_name(url_name(final_url))
    if not name:
        kind = (content_type or "").split(";")[0].strip().lower()
        name = f"附件{number}{mimetypes.guess_extension(kind) or '.bin'}"
    if PurePosixPath(name).suffix.lower() in PAGE_SUFFIXES or name.lower() in RESERVED:
        name += ".bin"
    path = PurePosixPath(name)
    unique, n = name, 1
    while unique.lower() in {t.lower() for t in taken}:
        n += 1
        unique = f"{path.stem}-{n}{path.suffix}"
    return unique
