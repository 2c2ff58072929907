"""HTML page -> text with one block per line and table cells separated by tabs.

Parsing is lxml's HTML parser (libxml2) with network access off and the default resource limits
kept (`huge_tree=False`): it never fetches a DTD or an external entity, never expands entities a
document declares itself (billion laughs stays the literal `&lol9;`), and gives up on nesting
deeper than 256 levels. The tree is walked by libxslt (a fixed stylesheet, no Python recursion),
and a page libxml2 gives up on (fatal error: too deep, ...) falls back to a linear
regex tag-stripper instead of losing its text.
"""

from __future__ import annotations

import contextlib
import html
import re

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


def _parser(encoding: str | None = None) -> etree.HTMLParser:
    """A fresh parser (they are not thread-safe): no network, no huge trees, comments and PIs dropped.
    A plain etree parser: lxml.html's would look up a Python element class for every element."""
    return etree.HTMLParser(
        encoding=encoding,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        default_doctype=False,
        collect_ids=False,
    )


# Text of the tree in document order, blocks on their own lines, cells tab-ended, dropped elements
# (and comments, PIs) skipped but their tails kept: an XSLT stylesheet, so that libxslt does the walk.
# Only the page's element is walked: what libxml2 puts after </html> (a second root) is not the page
_TEXT_XSLT = etree.XSLT(
    etree.XML(
        f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/"><xsl:apply-templates select="*[1]"/></xsl:template>
<xsl:template match="{"|".join(sorted(_BLOCKS))}">
  <xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text>
</xsl:template>
<xsl:template match="{"|".join(sorted(_CELLS))}">
  <xsl:apply-templates/><xsl:text>&#9;</xsl:text>
</xsl:template>
<xsl:template match="br"><xsl:text>&#10;</xsl:text><xsl:apply-templates/></xsl:template>
<xsl:template match="{"|".join(sorted(_DROP))}|comment()|processing-instruction()"/>
</xsl:stylesheet>"""
    )
)


def _walk(root: etree._Element) -> str:
    """Text of the tree: blocks on their own lines, cells tab-ended (see _TEXT_XSLT)."""
    return str(_TEXT_XSLT(root))


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
    # libxml2 parses UTF-8 bytes faster than a str (handed over as UTF-16 or UCS-4); a str that still
    # opens with an XML declaration stays a str, as lxml rejects an encoding declared in one
    data: str | bytes = markup
    if not markup.startswith("<?xml"):
        with contextlib.suppress(UnicodeEncodeError):  # lone surrogates: stay a str
            data = markup.encode("utf-8")
    parser = _parser("utf-8" if isinstance(data, bytes) else None)
    try:
        root = etree.fromstring(data, parser)
        if root is None:
            raise etree.ParserError("Document is empty")
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
