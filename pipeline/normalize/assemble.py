"""A notice as it is published: a loose file, or a folder holding its page and attachments, read
into one text for the normalize step.

The text is the page, then for each attachment a line `附件N：<title>` and its content (table rows
as tab-separated cells, one row per line). Attachments are ordered and titled by notice.json, else
by the page's links to them (the link's target file name or its text, matched against the saved
names), then unlinked files by name (each an issue). Every file gets a read record (format, status,
reason, pages or sheets) and every stretch of lines its source (file, sheet or page).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..ingest import (
    ATTACHMENT_SUFFIXES,
    RawFile,
    decode_bytes,
    folder_digest,
    folder_members,
    read_bytes,
)
from ..issues import Issue
from ..readers import Part, Reading
from ..readers.detect import CONTAINERS, DESCRIPTIONS, sniff
from ..readers.isolate import read_isolated
from . import html_text

SIDECAR_MAX_BYTES = 1 << 20
# 附件1：, 附件：, 附件一、 … before an attachment's title in a link or a page line
_ATTACHMENT_LEAD_RE = re.compile(r"^\s*附\s*件\s*[0-9一二三四五六七八九十]{0,3}\s*[:：、.．]?\s*")
_NUMBER_LEAD_RE = re.compile(r"^\s*[0-9]{1,2}\s*[.．、]\s*")
# what a download link says instead of the attachment's title (then the text around it titles it)
_GENERIC_LINK_TEXTS = frozenset(
    {"下载", "点击下载", "下载附件", "附件下载", "点击查看", "查看", "附件", "点此下载"}
)


@dataclass
class FileRead:
    """What became of one raw file of a notice (a raw_files row, before the curated columns)."""

    file: str  # name inside the notice folder; "" for a loose file
    role: str
    format: str | None = None
    status: str = "read"  # read / rejected / skipped
    reason: str | None = None
    units: int | None = None

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, sort_keys=True)


@dataclass
class NoticeText:
    text: str | None = None
    is_html: bool = False
    encoding: str | None = None
    reject_reason: str | None = None
    line_sources: list[str] = field(default_factory=list)  # "line\tfile\tpart" where a stretch begins
    reads: list[FileRead] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    source_url: str | None = None


@dataclass
class _Content:
    """A file read into parts of lines (or refused), with the markup of a page."""

    format: str
    parts: list[Part]
    units: int | None = None
    reason: str | None = None
    markup: str | None = None
    encoding: str | None = None


def _html_parts(markup: str) -> list[Part]:
    return [Part(None, html_text.html_to_text(markup).split("\n"))]


def _from_reading(reading: Reading) -> _Content:
    if reading.reject_reason:
        return _Content(reading.format, [], reading.units, reading.reject_reason)
    if reading.html is not None:
        return _Content(reading.format, _html_parts(reading.html), reading.units, markup=reading.html)
    return _Content(reading.format, reading.parts, reading.units)


def read_content(data: bytes, suffix: str) -> _Content:
    """Any file's content, its format decided from the bytes: Office and PDF files in a child
    process, a web archive or page or text here."""
    family = sniff(data)
    if family in CONTAINERS:
        return _from_reading(read_isolated(data))
    if family == "mhtml":
        from ..readers import read_in_process

        return _from_reading(read_in_process(data))
    if family in ("text", "html"):
        decoded = decode_bytes(data, suffix)
        if decoded.reject_reason:
            return _Content("binary", [], reason=decoded.reject_reason, encoding=decoded.encoding)
        text = (decoded.text or "").replace("\r\n", "\n").replace("\r", "\n")
        if decoded.is_html:
            return _Content("html", _html_parts(text), markup=text, encoding=decoded.encoding)
        return _Content("text", [Part(None, text.split("\n"))], encoding=decoded.encoding)
    from ..readers import read_in_process

    reading = read_in_process(data)  # rtf, images, archives: refused with their reason
    if reading.reject_reason is None or family in ("png", "jpeg", "gif"):
        reading.reject_reason = (
            f"{DESCRIPTIONS[family]}: no text to read (no OCR); save the list as .xlsx or text"
        )
    return _from_reading(reading)


def read_loose(path: Path, sha256: str) -> NoticeText:
    """A loose file: text and HTML as before; an attachment saved on its own read by its reader."""
    raw = RawFile(path.name, path, 0, sha256)
    data, problem = read_bytes(raw)
    if data is None:
        return NoticeText(reject_reason=problem, reads=[FileRead("", "page", None, "rejected", problem)])
    if sniff(data) in ("text", "html"):  # the path every text and HTML notice took before
        decoded = decode_bytes(data, path.suffix)
        fmt = "binary" if decoded.reject_reason else ("html" if decoded.is_html else "text")
        status = "rejected" if decoded.reject_reason else "read"
        read = FileRead("", "page", fmt, status, decoded.reject_reason)
        return NoticeText(
            decoded.text, decoded.is_html, decoded.encoding, decoded.reject_reason, reads=[read]
        )
    content = read_content(data, path.suffix)
    role = "page" if content.format in ("mhtml", "html", "text") else "attachment"
    read = FileRead(
        "", role, content.format, "rejected" if content.reason else "read", content.reason, content.units
    )
    if content.reason:
        return NoticeText(reject_reason=content.reason, reads=[read])
    lines, sources = _lay_out([("", content.parts)])
    return NoticeText("\n".join(lines), False, content.encoding, line_sources=sources, reads=[read])


def _lay_out(files: list[tuple[str, list[Part]]], start: int = 1) -> tuple[list[str], list[str]]:
    """Lines of several files' parts, and where each part begins ("line\\tfile\\tpart")."""
    lines: list[str] = []
    sources: list[str] = []
    for name, parts in files:
        for part in parts:
            sources.append(f"{start + len(lines)}\t{name}\t{part.label or ''}")
            lines += [line.replace("\r", " ") for line in part.lines]
    return lines, sources


@dataclass
class _Link:
    target: str  # the link's file name (URL-decoded), lower case
    text: str  # the link's text, 附件N： removed


def page_links(markup: str | None) -> list[_Link]:
    """The page's links, in page order, that point at a file or whose text names an attachment."""
    if not markup:
        return []
    try:
        root = etree.fromstring(markup.encode("utf-8", "replace"), html_text._parser("utf-8"))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return []
    links = []
    for a in [] if root is None else root.iter("a"):
        target = _target(a.get("href") or "")
        text = link_title(a)
        if (
            PurePosixPath(target).suffix in ATTACHMENT_SUFFIXES
            or PurePosixPath(text).suffix.lower() in ATTACHMENT_SUFFIXES
        ):
            links.append(_Link(target, text))
    return links


def _target(href: str) -> str:
    """The file name a link points at (URL-decoded, lower case); "" for javascript: and the like."""
    try:
        url = urlsplit(href.strip())
    except ValueError:
        return ""
    if url.scheme.lower() not in ("", "http", "https", "ftp", "file"):
        return ""
    return unquote(PurePosixPath(url.path).name).strip().lower()


def link_title(a: etree._Element) -> str:
    """A link's title: its text, or, when that only says 下载 / 附件1, the text around it (附件1：
    2013年度…名单 <a>下载</a>)."""
    own = "".join(a.itertext())
    text = _title_text(own)
    if text in _GENERIC_LINK_TEXTS or len(text) < 2:
        parent = a.getparent()
        around = "".join(parent.itertext()).replace(own, " ", 1) if parent is not None else ""
        text = _title_text(around) if len(around) <= 200 else text
    return text


def _title_text(text: str) -> str:
    """A link's or a sidecar's title: spaces evened, a lead 附件1： and a 1. numbering removed."""
    text = " ".join(text.split())
    return _NUMBER_LEAD_RE.sub("", _ATTACHMENT_LEAD_RE.sub("", text))


def _strip_suffix(name: str) -> str:
    path = PurePosixPath(name)
    return path.stem if path.suffix.lower() in ATTACHMENT_SUFFIXES else name


def _matches(link: _Link, name: str) -> bool:
    """A saved file is the link's target when its name is the target's, or its stem is the link's
    text (a browser saves under the link's text; CMS names only make sense through it)."""
    lower, stem = name.lower(), _strip_suffix(name)
    text = _strip_suffix(link.text)
    return lower == link.target or (bool(text) and (stem == text or (len(stem) >= 4 and stem in text)))


def order_attachments(
    names: list[str], links: list[_Link], sidecar: list[dict]
) -> tuple[list[tuple[str, str, bool]], list[str]]:
    """([(name, title, linked)] in reading order, [missing attachments]): notice.json's order and
    titles first, then the page's links, then unlinked files by name."""
    ordered: list[tuple[str, str, bool]] = []
    missing: list[str] = []
    left = sorted(names)
    for entry in sidecar:
        name, title = str(entry.get("file") or ""), _title_text(str(entry.get("title") or ""))
        if name in left:
            left.remove(name)
            ordered.append((name, title or _strip_suffix(name), True))
        else:
            missing.append(title or name or str(entry.get("url") or "?"))
    for link in links:
        found = next((n for n in left if _matches(link, n)), None)
        done = any(_matches(link, n) for n, _, _ in ordered)
        if found is not None:
            left.remove(found)
            ordered.append((found, _strip_suffix(link.text) or _strip_suffix(found), True))
        elif not done:
            missing.append(link.text or link.target)
    ordered += [(n, _strip_suffix(n), False) for n in left]
    return ordered, missing


def _sidecar(members: list[RawFile], notice: NoticeText) -> list[dict]:
    """notice.json's attachments (and its url into the notice); a broken sidecar is an issue."""
    raw = next((m for m in members if m.role == "sidecar"), None)
    if raw is None:
        return []
    read = FileRead(raw.source_path, "sidecar", "json")
    notice.reads.append(read)
    data, problem = read_bytes(raw) if not raw.reject_reason else (None, raw.reject_reason)
    try:
        if data is None or len(data) > SIDECAR_MAX_BYTES:
            raise ValueError(problem or "over 1 MiB")
        meta = json.loads(data.decode("utf-8-sig"))
        if not isinstance(meta, dict):
            raise ValueError("not a JSON object")
    except (ValueError, UnicodeDecodeError) as exc:
        read.status, read.reason = "rejected", f"notice.json not readable ({exc}); fix or delete it"
        notice.issues.append(Issue("sidecar_unreadable", read.reason))
        return []
    url = meta.get("url")
    notice.source_url = url if isinstance(url, str) and url else None
    attachments = meta.get("attachments")
    return [a for a in attachments if isinstance(a, dict)] if isinstance(attachments, list) else []


def _member_content(raw: RawFile) -> _Content:
    data, problem = read_bytes(raw)
    if data is None:
        return _Content("?", [], reason=problem)
    return read_content(data, raw.path.suffix)


def read_folder(folder: Path, sha256: str) -> NoticeText:
    """A notice folder: its page, then each attachment under a `附件N：<title>` line."""
    members = folder_members(folder)
    notice = NoticeText()
    if folder_digest(members) != sha256:
        notice.reject_reason = (
            "file changed while the build was reading it (in the notice folder); it is picked up next run"
        )
        return notice
    for m in members:
        if m.reject_reason:
            notice.reads.append(
                FileRead(
                    m.source_path,
                    m.role,
                    None,
                    "skipped" if m.role == "resources" else "rejected",
                    m.reject_reason,
                )
            )
    usable = [m for m in members if not m.reject_reason]
    sidecar = _sidecar(usable, notice)
    page = next((m for m in usable if m.role == "page"), None)
    files: list[tuple[str, list[Part]]] = []
    markup = None
    if page is not None:
        content = _member_content(page)
        markup, notice.encoding = content.markup, content.encoding
        _record(notice, page, content)
        files.append((page.source_path, content.parts))
    attachments = [m for m in usable if m.role == "attachment"]
    ordered, missing = order_attachments([m.source_path for m in attachments], page_links(markup), sidecar)
    by_name = {m.source_path: m for m in attachments}
    for number, (name, title, linked) in enumerate(ordered, 1):
        if not linked:
            notice.issues.append(
                Issue(
                    "attachment_unlinked",
                    f"{name}: a file the page does not link; read after the linked ones",
                )
            )
        content = _member_content(by_name[name])
        _record(notice, by_name[name], content)
        if not content.reason:
            files.append((name, [Part(None, [f"附件{number}：{title}"]), *content.parts]))
    notice.issues += [
        Issue("attachment_missing", f"attachment missing: {m} (linked, not saved in the folder)")
        for m in missing
    ]
    lines, notice.line_sources = _lay_out(files)
    if not any(line.strip() for line in lines):
        notice.reject_reason = _folder_reason(notice)
    notice.text = "\n".join(lines)
    return notice


def _record(notice: NoticeText, raw: RawFile, content: _Content) -> None:
    status = "rejected" if content.reason else "read"
    notice.reads.append(
        FileRead(raw.source_path, raw.role, content.format, status, content.reason, content.units)
    )
    if content.reason and raw.role == "attachment":
        notice.issues.append(Issue("attachment_rejected", f"{raw.source_path}: {content.reason}"))
    if content.reason and raw.role == "page":
        notice.issues.append(Issue("attachment_rejected", f"page {raw.source_path}: {content.reason}"))


def _folder_reason(notice: NoticeText) -> str:
    reasons = [f"{r.file}: {r.reason}" for r in notice.reads if r.reason and r.role != "sidecar"]
    return "no text in any file of the folder" + (f" ({'; '.join(reasons)})" if reasons else "")


def read_notice(path: Path, sha256: str) -> NoticeText:
    """A notice folder (a directory) or a loose file."""
    from ..ingest import fs_path

    return read_folder(path, sha256) if fs_path(path).is_dir() else read_loose(path, sha256)
