"""Spreadsheets (.xlsx, .xls, .et) with python-calamine: every sheet, one row per line, merged ranges
filled down (a 市（州） written once for a block of rows), whole numbers as integers. In a workbook of
several sheets, a sheet's own name (合格单位, 撤销名单) is the first line of its rows."""

from __future__ import annotations

import io
import re

import python_calamine

from .model import Part, Reading, cell_text, row_line
from .safety import Rejected, check_zip

MAX_ROWS = 100_000  # per sheet; a list longer than this is not a notice's attachment
# a name a spreadsheet program gives a sheet by itself (Sheet1, 工作表1): no heading
_DEFAULT_NAME_RE = re.compile(r"(?i)^(?:sheet|工作表|表)\s*\d{0,3}$")


def _fill_merged(grid: list[list[str]], ranges: list) -> None:
    """Each merged range's value copied down its rows; across columns only its first cell keeps it."""
    for (r0, c0), (r1, _c1) in ranges or []:
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        for r in range(r0 + 1, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            if c0 < len(row) and not row[c0]:
                row[c0] = value


def _sheet_lines(sheet: python_calamine.CalamineSheet) -> list[str]:
    if sheet.total_height > MAX_ROWS:
        raise Rejected(f"sheet {sheet.name!r} has {sheet.total_height:,} rows (limit {MAX_ROWS:,}); not read")
    grid = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
    _fill_merged(grid, sheet.merged_cell_ranges)
    return [line for line in (row_line(row) for row in grid) if line.strip()]


def read_spreadsheet(data: bytes, fmt: str) -> Reading:
    """Every non-empty sheet as a part labelled with its name."""
    if fmt == "xlsx":
        check_zip(data)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        raise Rejected("the workbook is password-protected; save a copy without the password") from exc
    except python_calamine.CalamineError as exc:
        raise Rejected(f"damaged spreadsheet ({exc}); open it and save it again") from exc
    parts = []
    for name in workbook.sheet_names:
        lines = _sheet_lines(workbook.get_sheet_by_name(name))
        if lines:
            parts.append(Part(name, lines))
    if len(parts) > 1:  # sheets named 合格 / 不合格: the name is the heading of its rows
        for part in parts:
            if part.label and not _DEFAULT_NAME_RE.match(part.label.strip()):
                part.lines.insert(0, part.label.strip())
    return Reading(fmt, parts, units=len(workbook.sheet_names))
