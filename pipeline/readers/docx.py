"""Word documents (.docx) from word/document.xml with zipfile and lxml: paragraphs as lines, tables as
rows of tab-separated cells with vertically merged cells (vMerge) filled down and a cell spanning
columns (gridSpan) kept in its first column."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from .model import Part, Reading, row_line
from .safety import check_zip, parse_xml, read_member

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph(p: etree._Element) -> str:
    """A paragraph's text: runs joined, tabs as spaces, a break (w:br, w:cr) as a newline."""
    out = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if el.tag == f"{_W}t":
            out.append(el.text or "")
        else:
            out.append(" " if el.tag == f"{_W}tab" else "\n")
    return "\n".join(" ".join(line.split()) for line in "".join(out).split("\n"))


def _cell_text(tc: etree._Element) -> str:
    return " ".join(" ".join(t.split()) for t in (_paragraph(p) for p in tc.iter(f"{_W}p")) if t)


def _prop(tc: etree._Element, name: str) -> etree._Element | None:
    pr = tc.find(f"{_W}tcPr")
    return None if pr is None else pr.find(f"{_W}{name}")


def _span(tc: etree._Element) -> int:
    span = _prop(tc, "gridSpan")
    try:
        return max(1, min(int(span.get(f"{_W}val", "1")), 64)) if span is not None else 1
    except ValueError:
        return 1


def _table_lines(tbl: etree._Element) -> list[str]:
    """Rows of a table; a vMerge continuation cell takes the text of the cell above it."""
    above: dict[int, str] = {}
    lines = []
    for tr in tbl.findall(f"{_W}tr"):
        cells: list[str] = []
        for tc in tr.findall(f"{_W}tc"):
            col, span = len(cells), _span(tc)
            merge = _prop(tc, "vMerge")
            continued = merge is not None and merge.get(f"{_W}val", "continue") != "restart"
            text = above.get(col, "") if continued else _cell_text(tc)
            above[col] = text
            cells += [text] + [""] * (span - 1)
        line = row_line(cells)
        if line.strip():
            lines.append(line)
    return lines


def _block_lines(parent: etree._Element) -> list[str]:
    """Paragraphs and tables of the body in document order (content controls opened)."""
    lines: list[str] = []
    for child in parent:
        if child.tag == f"{_W}p":
            lines += _paragraph(child).split("\n")
        elif child.tag == f"{_W}tbl":
            lines += _table_lines(child)
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            lines += _block_lines(child)
    return lines


def read_docx(data: bytes) -> Reading:
    check_zip(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = parse_xml(read_member(archive, "word/document.xml"))
    body = root.find(f"{_W}body")
    lines = _block_lines(body) if body is not None else []
    return Reading("docx", [Part(None, lines)])
