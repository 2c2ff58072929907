"""HTML page -> text with one block per line and table cells separated by tabs.

Parsing is lxml's HTML parser (libxml2) with network access off and the default resource limits
kept (`huge_tree=False`): it never fetches a DTD or an external entity, never expands entities a
document declares itself (billion laughs stays the literal `&lol9;`), and gives up on nesting
deeper than 256 levels. The tree is walked with an explicit stack, so deep nesting cannot raise
RecursionError, and a page libxml2 gives up on (fatal error: too deep, ...) falls back to a linear
regex tag-stripper instead of losing its text.
"""

from __future__ import annotations

import html
import re

import lxml.html
from lxml import etree

_BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "title",
        "caption",
    }
)
_DROP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "head"})
_CELLS = frozenset({"td", "th"})
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# the fallback: linear regexes only (no nesting is ever followed)
_DROP_RE = re.compile(
    r"<!--.*?(?:-->|$)|<!\[CDATA\[.*?(?:\]\]>|$)|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>|<\?.*?(?:\?>|$)"
    r"|<(script|style|noscript|template|iframe|object|svg|head)\b[^>]*>.*?(?:</\1\s*>|$)",
    re.I | re.S,
)
_TITLE_RE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_BLOCK_ALT = "|".join(sorted(_BLOCKS))
_BREAK_RE = re.compile(rf"</?(?:{_BLOCK_ALT})\b[^>]*>|<br\b[^>]*>", re.I)
_CELL_END_RE = re.compile(r"</t[dh]\s*>", re.I)
_TAG_RE = re.compile(r"<[^>]*>")


def _parser() -> lxml.html.HTMLParser:
    """A fresh parser (they are not thread-safe): no network, no huge trees, comments and PIs dropped."""
    return lxml.html.HTMLParser(
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        default_doctype=False,
        collect_ids=False,
    )


def _walk(root: etree._Element) -> str:
    """Text of the tree in document order, iteratively: blocks on their own lines, cells tab-ended."""
    out: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if closing:
            if tag in _BLOCKS:
                out.append("\n")
            elif tag in _CELLS:
                out.append("\t")
            if el.tail:
                out.append(el.tail)
            continue
        if tag is None or tag in _DROP:  # comment, PI, entity node, or a dropped element
            if el.tail:
                out.append(el.tail)
            continue
        if tag == "br" or tag in _BLOCKS:
            out.append("\n")
        if el.text:
            out.append(el.text)
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    return "".join(out)


def _title(root: etree._Element) -> str:
    node = root.find(".//title")
    return " ".join(s.strip() for s in node.itertext() if s.strip()) if node is not None else ""


def _strip_tags(markup: str) -> tuple[str, str]:
    """(title, text) by regex: for pages the parser gives up on. Linear; entities by html.unescape."""
    m = _TITLE_RE.search(markup)
    title = " ".join(html.unescape(_TAG_RE.sub(" ", m.group(1))).split()) if m else ""
    body = _DROP_RE.sub(" ", markup)
    body = _CELL_END_RE.sub("\t", _BREAK_RE.sub("\n", body))
    return title, html.unescape(_TAG_RE.sub("", body))


def html_to_text(markup: str) -> str:
    """Visible text of a page: scripts, styles and comments dropped; <title> kept as the first line."""
    markup = _CONTROL_RE.sub(" ", _XML_DECL_RE.sub("", markup, count=1))
    parser = _parser()
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
        fatal = any(e.level_name == "FATAL" for e in parser.error_log)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):  # e.g. "Document is empty"
        root, fatal = None, True
    if root is not None and not fatal:
        title, body = _title(root), _walk(root)
    else:
        title, body = _strip_tags(markup)
    lines = [line.strip() for line in body.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return f"{title}\n{text}" if title and title not in text[:500] else text
