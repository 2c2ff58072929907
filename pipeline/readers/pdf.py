"""PDF with pypdfium2 (page count first, capped; text) and pdfplumber (tables as rows of cells, with
the text above, between and below them); a page where pdfplumber finds no table is pdfium's text."""

from __future__ import annotations

import io

import pdfplumber
import pypdfium2

from .model import Part, Reading, cell_text, row_line
from .safety import PDF_MAX_PAGES, Rejected


def _page_count(data: bytes) -> int:
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise Rejected(
            f"damaged or encrypted PDF ({exc}); open it and save or print it to a new PDF"
        ) from exc
    try:
        return len(pdf)
    finally:
        pdf.close()


def _text_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _plumber_lines(page: pdfplumber.page.Page) -> list[str] | None:
    """The page as lines with its tables as rows; None when pdfplumber finds no table on it."""
    tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    if not tables:
        return None
    lines: list[str] = []
    top = 0.0
    for table in tables:
        _, t_top, _, t_bottom = table.bbox
        if t_top > top:
            lines += _text_lines(page.crop((0, top, page.width, t_top)).extract_text())
        lines += [row_line([cell_text(c) for c in row]) for row in table.extract()]
        top = max(top, t_bottom)
    if top < page.height:
        lines += _text_lines(page.crop((0, top, page.width, page.height)).extract_text())
    return lines


def _pdfium_lines(data: bytes, index: int) -> list[str]:
    pdf = pypdfium2.PdfDocument(data)
    try:
        page = pdf[index]
        return _text_lines(page.get_textpage().get_text_bounded())
    finally:
        pdf.close()


def read_pdf(data: bytes) -> Reading:
    pages = _page_count(data)
    if pages > PDF_MAX_PAGES:
        raise Rejected(
            f"PDF of {pages:,} pages (limit {PDF_MAX_PAGES}); not read: split out the pages holding the list"
        )
    parts = []
    with pdfplumber.open(io.BytesIO(data)) as doc:
        for index, page in enumerate(doc.pages):
            lines = _plumber_lines(page)
            page.close()  # its parsed objects go: memory stays one page deep
            if lines is None:
                lines = _pdfium_lines(data, index)
            parts.append(Part(f"第{index + 1}页", [line for line in lines if line.strip()]))
    if not any(p.lines for p in parts):
        raise Rejected("PDF without a text layer (a scan?); OCR it or save the list as text")
    return Reading("pdf", parts, units=pages)
