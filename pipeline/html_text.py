"""HTML page -> text with one block per line and table cells separated by tabs."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment

_BLOCKS = {
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
_DROP = ["script", "style", "noscript", "template", "iframe", "object", "svg", "head"]
_TAG_RE = re.compile(r"<[^>]*>")


def html_to_text(markup: str) -> str:
    """Visible text of a page: scripts, styles and comments dropped; <title> kept as the first line."""
    try:
        soup = BeautifulSoup(markup, "lxml")
        title = soup.title.get_text(" ", strip=True) if soup.title else ""
        for tag in soup(_DROP):
            tag.decompose()
        for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
            comment.extract()
        for br in soup.find_all("br"):
            br.replace_with("\n")
        for cell in soup.find_all(["td", "th"]):
            cell.insert_after("\t")
        for block in soup.find_all(_BLOCKS):
            block.insert_before("\n")
            block.insert_after("\n")
        body = soup.get_text("")
    except RecursionError:  # absurdly deep nesting: fall back to dropping tags
        title, body = "", _TAG_RE.sub(" ", markup)
    lines = [line.strip() for line in body.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return f"{title}\n{text}" if title and title not in text[:500] else text
