"""Office and PDF files made by the tests, in every format the readers take, hostile ones too.

Spreadsheets, .docx and PDF come from openpyxl, xlwt, python-docx and reportlab (dev dependencies);
Word 97 (.doc / .wps) and other OLE files from `ole_file`, a minimal compound-file writer (no
library writes new OLE files), holding a FIB, a piece table and the text.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

_END, _FREE, _FATSECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _dir_entry(name: str, kind: int, child: int, left: int, right: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return struct.pack(
        "<64sHBBIII16sIQQII",
        encoded.ljust(64, b"\0"),
        len(encoded),
        kind,
        1,
        left,
        right,
        child,
        b"\0" * 16,
        0,
        0,
        0,
        start,
        size,
    )[:128].ljust(128, b"\0")


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file holding `streams` (each padded with zeros to 4,096 bytes or more, so
    that none lives in the mini stream)."""
    names = list(streams)
    datas = [streams[n].ljust(4096, b"\0") for n in names]
    datas = [d + b"\0" * (-len(d) % 512) for d in datas]
    fat = [_FATSECT, _END]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for data in datas:
        starts.append(len(fat))
        count = len(data) // 512
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [_END]
    assert len(fat) <= 128
    fat += [_FREE] * (128 - len(fat))
    entries = [_dir_entry("Root Entry", 5, 1, _NOSTREAM, _NOSTREAM, _END, 0)]
    for i, name in enumerate(names):  # a chain of right siblings (olefile does not check the order)
        right = i + 2 if i + 1 < len(names) else _NOSTREAM
        entries.append(_dir_entry(name, 2, _NOSTREAM, _NOSTREAM, right, starts[i], len(datas[i])))
    while len(entries) % 4:
        entries.append(_dir_entry("", 0, _NOSTREAM, _NOSTREAM, _NOSTREAM, 0, 0))
    assert len(entries) == 4
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        4096,
        _END,
        0,
        _END,
        0,
    ) + struct.pack("<109I", 0, *([_FREE] * 108))
    return header + struct.pack("<128I", *fat) + b"".join(entries) + b"".join(datas)


def word97(text: str, ascii_head: str = "") -> bytes:
    """A Word 97 document whose main text is `ascii_head` (an 8-bit piece) then `text` (a UTF-16
    piece); paragraphs end with \\r, table cells with \\x07 (rows with one more \\x07)."""
    head = ascii_head.encode("cp1252")
    body = text.encode("utf-16-le")
    text_at = 0x800
    word = bytearray(text_at + len(head) + len(body))
    struct.pack_into("<HH", word, 0, 0xA5EC, 0x00C1)
    struct.pack_into("<H", word, 0x0A, 0x0200)  # fWhichTblStm: the table stream is 1Table
    n_chars = len(ascii_head) + len(text)
    struct.pack_into("<I", word, 0x4C, n_chars)
    word[text_at : text_at + len(head)] = head
    word[text_at + len(head) :] = body
    pieces = [(0, len(ascii_head), ((text_at * 2) | 0x40000000))] if ascii_head else []
    pieces.append((len(ascii_head), n_chars, text_at + len(head)))
    cps = [p[0] for p in pieces] + [n_chars]
    plc = struct.pack(f"<{len(cps)}I", *cps) + b"".join(struct.pack("<HIH", 0, p[2], 0) for p in pieces)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", word, 0x1A2, 0, len(clx))
    return ole_file({"WordDocument": bytes(word), "1Table": clx})


def word97_rows(lines: list[str | list[str]]) -> str:
    """Word 97 main text for paragraphs (str) and table rows (list of cells)."""
    out = []
    for line in lines:
        out.append("".join(c + "\x07" for c in line) + "\x07" if isinstance(line, list) else line + "\r")
    return "".join(out)


def xlsx(rows: list[list], merges: tuple[str, ...] = (), title: str = "Sheet1") -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls(rows: list[list], merges: tuple[tuple[int, int, int, int], ...] = (), title: str = "Sheet1") -> bytes:
    """An Excel 97 workbook; merges as (first_row, last_row, first_col, last_col), 0-based."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(title)
    merged = {(r0, c0): m for m in merges for r0, c0 in [(m[0], m[2])]}
    covered = {(r, c) for m in merges for r in range(m[0], m[1] + 1) for c in range(m[2], m[3] + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in merged:
                r0, r1, c0, c1 = merged[(r, c)]
                sheet.write_merge(r0, r1, c0, c1, value)
            elif (r, c) not in covered and value is not None:
                sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx(paragraphs: list[str], rows: list[list[str]], vmerge: tuple[int, int, int] | None = None) -> bytes:
    """A .docx with paragraphs then one table; vmerge=(column, first_row, last_row) merges a column."""
    import docx as python_docx

    document = python_docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    if vmerge:
        col, first, last = vmerge
        keep = table.cell(first, col).text
        table.cell(first, col).merge(table.cell(last, col))
        table.cell(first, col).text = keep
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf(paragraphs: list[str], rows: list[list[str]]) -> bytes:
    """A PDF with paragraphs and a ruled table, in reportlab's built-in Chinese font (no font file)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10)
    table = Table(rows)
    table.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("GRID", (0, 0), (-1, -1), 0.5, "black")])
    )
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, invariant=1).build(
        [*(Paragraph(p, style) for p in paragraphs), table]
    )
    return out.getvalue()


def _pdf_objects(objects: list[bytes]) -> bytes:
    """A PDF from its objects (1-based), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_many_pages(pages: int = 100_000) -> bytes:
    """A PDF whose page tree holds `pages` leaves (every leaf the same empty page object)."""
    kids = b" ".join([b"3 0 R"] * pages)
    return _pdf_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def pdf_bomb(inflated_mb: int = 1024) -> bytes:
    """A one-page PDF whose content stream inflates to `inflated_mb` MiB (compressed ~1,000:1)."""
    compressor = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = b"".join(compressor.compress(chunk) for _ in range(inflated_mb)) + compressor.flush()
    return _pdf_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
        ]
    )


def zip_bomb(inflated_mb: int = 200) -> bytes:
    """An .xlsx-shaped zip whose sheet inflates to `inflated_mb` MiB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1 << 20)
            for _ in range(inflated_mb):
                fh.write(block)
    return out.getvalue()


def recompressed(data: bytes, method: int = zipfile.ZIP_BZIP2) -> bytes:
    """The same zip (an .xlsx) with every member compressed by `method` (bzip2 by default)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", method) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
    return out.getvalue()
