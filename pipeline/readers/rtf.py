"""RTF documents (many a .doc on government sites is RTF) with striprtf: paragraphs as lines, table
rows (striprtf ends each cell with '|') as tab-separated cells. The code page comes from \\ansicpg."""

from __future__ import annotations

import re

from striprtf.striprtf import rtf_to_text

from .model import Part, Reading, row_line

_CODEPAGE_RE = re.compile(rb"\\ansicpg(\d{3,5})")
_CODEPAGES = {936: "gbk", 950: "big5", 65001: "utf-8"}


def _encoding(data: bytes) -> str:
    m = _CODEPAGE_RE.search(data[:4096])
    page = int(m.group(1)) if m else 936  # a Chinese site's RTF without one is GBK
    encoding = _CODEPAGES.get(page, f"cp{page}")
    try:
        "".encode(encoding)
    except LookupError:
        return "gbk"
    return encoding


def _line(line: str) -> str:
    if line.endswith("|"):  # a table row: each cell ended by '|'
        return row_line([cell.strip() for cell in line[:-1].split("|")])
    return line.strip()


def read_rtf(data: bytes) -> Reading:
    text = rtf_to_text(data.decode("latin-1"), encoding=_encoding(data), errors="replace")
    return Reading("rtf", [Part(None, [_line(line) for line in text.splitlines()])])
