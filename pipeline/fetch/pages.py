"""What the fetcher reads in a page: its text (HTTP charset, then <meta>, then detection), title,
attachment links, a list page's notice links and its next page."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from .. import ingest
from ..normalize import html_text
from ..normalize.assemble import link_title
from ..vocabulary import ATTACHMENT_LINK_WORDS, NEXT_PAGE_WORDS
from .client import scheme_problem

# bounded quantifiers over the first 4 KiB: linear in the page
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]{0,400}?charset\s{0,5}=\s{0,5}["']?\s{0,5}([A-Za-z0-9_.:-]{1,40})""", re.I
)
_HEADER_CHARSET_RE = re.compile(r"""charset\s{0,5}=\s{0,5}["']?([A-Za-z0-9_.:-]{1,40})""", re.I)
# labels that name a subset of GB18030 (a page labelled gb2312 holds GBK characters)
_GB = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "csgb2312", "euc-cn", "gb18030"}


@dataclass(frozen=True)
class PageText:
    text: str
    encoding: str
    source: str  # http / meta / detected / utf-8 (a declared legacy charset the bytes contradict)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _GB:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_page(data: bytes, content_type: str | None) -> PageText:
    """A page's text: the HTTP header's charset, then the page's <meta> charset, each only when the
    bytes decode under it (a declared legacy charset loses to bytes that are valid UTF-8 with
    non-ASCII characters: GBK text is almost never valid UTF-8, while UTF-8 often decodes as GBK);
    else the project's own detection (ingest.decode_bytes)."""
    header = _HEADER_CHARSET_RE.search(content_type or "")
    meta = _META_CHARSET_RE.search(data[:4096])
    declared = (
        ("http", _codec(header.group(1) if header else None)),
        ("meta", _codec(meta.group(1).decode("ascii") if meta else None)),
    )
    for source, encoding in declared:
        text = _strict(data, encoding) if encoding else None
        if text is None:
            continue
        if encoding != "utf-8" and not data.isascii() and (utf8 := _strict(data, "utf-8")) is not None:
            return PageText(utf8, "utf-8", "utf-8")
        return PageText(text, encoding, source)
    decoded = ingest.decode_bytes(data, ".html")
    if decoded.text is None:
        return PageText(data.decode("utf-8", "replace"), "utf-8 (undecodable)", "detected")
    return PageText(decoded.text, decoded.encoding or "utf-8", "detected")


@dataclass(frozen=True)
class Link:
    url: str  # absolute, http or https, no fragment
    text: str  # the link's title (its text, or the text around a bare 下载)
    raw_text: str  # the link's own text


def _root(text: str) -> etree._Element | None:
    try:
        return etree.fromstring(text.encode("utf-8", "replace"), html_text._parser("utf-8"))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def page_title(text: str) -> str | None:
    root = _root(text)
    title = root.find(".//title") if root is not None else None
    value = " ".join("".join(title.itertext()).split()) if title is not None else ""
    return value or None


def page_links(text: str, base_url: str) -> list[Link]:
    """Every <a href> of the page, in page order, resolved against <base href> or the page's URL;
    http and https only, one per URL."""
    root = _root(text)
    if root is None:
        return []
    base = root.find(".//base")
    if base is not None and base.get("href") and not scheme_problem(urljoin(base_url, base.get("href"))):
        base_url = urljoin(base_url, base.get("href"))
    links, seen = [], set()
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        try:
            url = urljoin(base_url, href).split("#", 1)[0]
        except ValueError:
            continue
        if scheme_problem(url) or url in seen:
            continue
        seen.add(url)
        own = " ".join("".join(a.itertext()).split()) or (a.get("title") or "").strip()
        links.append(Link(url, link_title(a) or own, own))
    return links


def _names_a_file(url: str) -> bool:
    parts = urlsplit(url)
    names = [parts.path, *(p.split("=", 1)[-1] for p in parts.query.split("&"))]
    return any(PurePosixPath(unquote(n)).suffix.lower() in ingest.ATTACHMENT_SUFFIXES for n in names)


def attachment_links(links: list[Link]) -> list[Link]:
    """The links to attachments: an office, PDF or OFD file by the URL's name (or a query value), or
    a link text that begins with 附件 or ends in such an extension."""
    out = []
    for link in links:
        text = link.raw_text.strip()
        by_text = text.startswith(ATTACHMENT_LINK_WORDS) or PurePosixPath(text).suffix.lower() in (
            ingest.ATTACHMENT_SUFFIXES
        )
        if _names_a_file(link.url) or by_text:
            out.append(link)
    return out


def listing_links(links: list[Link], matches: Callable[[str], bool]) -> list[Link]:
    """A list page's links to notices: those whose text (or title) the listing's filter matches."""
    return [link for link in links if link.raw_text and matches(link.raw_text)]


def next_page(links: list[Link], words: tuple[str, ...] = NEXT_PAGE_WORDS) -> str | None:
    """The URL of the link whose whole text is one of `words` (下一页), else None."""
    wanted = {w.lower() for w in words}
    for link in links:
        if link.raw_text.strip().lower() in wanted:
            return link.url
    return None
