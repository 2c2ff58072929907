"""Space-aligned text tables (copied from PDF or Word, or typed with spaces) -> tab-separated rows
whose cells keep their column.

A table laid out with spaces loses its columns once each line is stripped: a row whose first cells
are empty, or the tail of a long cell wrapped onto the next line ('公司' under the name column),
would shift left. Here a block of lines that share column starts (measured in display columns: a
Chinese character or an ideographic space is two wide) is rewritten with one tab between cells and
an empty cell wherever a column is empty, so a wrapped tail stands in its own column and the
extractor can join it to the cell above (extract/lines.py). Lines outside such blocks are untouched.
Every step is a linear scan of the line.
"""

from __future__ import annotations

import re

_MIN_GAP = 2  # display columns of white space between two cells
_MIN_ROWS = 3  # lines with two cells or more that make a block
_TOLERANCE = 2  # a cell may start this many columns off its column's start
_MAX_LINE = 400  # longer lines are prose, never a table row
_MAX_CELL = 60  # a longer run of text is prose
_MAX_FRAGMENT = 20  # a wrapped cell's tail on a line of its own


# the characters two display columns wide (east Asian wide and full-width forms), as one class:
# the width of a run of text is its length plus the count of these (one C-level scan)
_WIDE_RE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3040-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)
_GAP_RE = re.compile("[ \u3000\xa0]+")


def _width(text: str) -> int:
    return len(text) + len(_WIDE_RE.findall(text))


def segments(line: str) -> list[tuple[int, str]]:
    """(display column, text) of each run of text in `line` separated by at least _MIN_GAP columns
    of white space; a single space stays inside its cell."""
    out: list[tuple[int, str]] = []
    col, start, pos = 0, None, 0
    cell_start = 0
    for gap in _GAP_RE.finditer(line):
        text = line[pos : gap.start()]
        if text and start is None:
            start, cell_start = col, pos
        col += _width(text)
        wide = _width(gap.group())
        if start is not None and wide >= _MIN_GAP:
            out.append((start, line[cell_start : gap.start()]))
            start = None
        col += wide
        pos = gap.end()
    if pos < len(line):
        if start is None:
            start, cell_start = col, pos
        out.append((start, line[cell_start:]))
    elif start is not None:
        out.append((start, line[cell_start:].rstrip(" \u3000\xa0")))
    return out


# a word set out letter by letter, alone between gaps (地  区, 鉴 定 站 名 称 over a column)
_LETTER_SPACED_RE = re.compile(
    r"(?<![^\s])[\u4e00-\u9fff](?:(?:[ \xa0]{1,3}|\u3000)[\u4e00-\u9fff])+(?![^\s])"  # (名&nbsp;&nbsp;称)
)
_SENTENCE_MARK_RE = re.compile(r"[。，,；;：:！？]")
_SINGLE_GAP_RE = re.compile("[ \u3000\xa0]+")  # a gap of any width between two words or cells


def _letters_joined_in(line: str) -> str:
    return _LETTER_SPACED_RE.sub(_letters_joined, line)


def _is_header_like(line: str) -> bool:
    """A line that may head a table: no sentence in it (记者 陈 鸣 in a paragraph is a name)."""
    return len(line) <= _MAX_LINE and not _SENTENCE_MARK_RE.search(line)


def _letters_joined(m: re.Match[str]) -> str:
    """The word's letters together and the gaps after them, so the columns keep their place."""
    word = m.group()
    letters = _SINGLE_GAP_RE.sub("", word)
    return letters + " " * (_width(word) - _width(letters))


def align_tables(text: str) -> str:
    """`text` with each space-aligned table block rewritten as tab-separated cells in columns."""
    if "  " not in text and "\u3000" not in text and "\xa0\xa0" not in text:
        return text  # no run of white space two columns wide: no table to align
    lines = text.split("\n")
    if _LETTER_SPACED_RE.search(text):
        lines = [_letters_joined_in(line) if _is_header_like(line) else line for line in lines]
    laid = [_laid(line) for line in lines]
    out = list(lines)
    start = 0
    while start < len(lines):
        end = _block_end(laid, start)
        rows = sum(len(s) >= 2 for s in laid[start:end])
        headed = len(laid[start]) >= 3  # a header of three columns or more, then cells under it
        if end - start >= _MIN_ROWS and (rows >= _MIN_ROWS or headed):
            columns = _columns(laid[start:end])
            if len(columns) >= 2 and all(
                _fits(row, columns) or _centred(row, columns) for row in laid[start:end]
            ):
                for i in range(start, end):
                    out[i] = (
                        "\t".join(t for _, t in laid[i])
                        if _centred(laid[i], columns)
                        else _as_row(laid[i], columns)
                    )
            start = end
        else:
            start += 1
    return "\n".join(out)


def _laid(line: str) -> list[tuple[int, str]]:
    """segments(line), without the scan for a line that has no gap two columns wide."""
    if "\t" in line or len(line) > _MAX_LINE:
        return []
    if "  " in line or "\u3000" in line:
        return segments(line)
    text = line.strip(" \xa0")
    return [(line.index(text[0]), text)] if text else []


def _block_end(laid: list[list[tuple[int, str]]], start: int) -> int:
    """The end of the run of lines from `start` that are rows (two cells or more) or single cells
    under them (see _in_block)."""
    if len(laid[start]) < 2 or any(len(text) > _MAX_CELL for _, text in laid[start]):
        return start + 1
    starts = {col for col, _ in laid[start]}
    end = start + 1
    while end < len(laid) and _in_block(laid[end], len(laid[end - 1]), starts, len(laid[start])):
        if len(laid[end]) >= 2:
            starts.update(col for col, _ in laid[end])
        end += 1
    return end


def _in_block(cells: list[tuple[int, str]], above: int, starts: set[int], width: int) -> bool:
    """A row (two short cells or more), or one cell: a wrapped cell's short tail, a cell without a
    sentence where the rows above start one, or a first-column one under a row (of `above` cells)
    already narrower than the first (`width`: the columns of a grade matrix running out); an
    indented paragraph, a centred signature or a heading after a full row is no part of a table."""
    if not cells or any(len(text) > _MAX_CELL for _, text in cells):
        return False
    if len(cells) >= 2:
        return True
    col, text = cells[0]
    if col <= min(starts) + _TOLERANCE:
        return 0 < above < width and not _SENTENCE_MARK_RE.search(text)
    return len(text) <= _MAX_FRAGMENT or (_near(col, starts) and not _SENTENCE_MARK_RE.search(text))


def _near(col: int, starts: set[int]) -> bool:
    return any(abs(col - start) <= _TOLERANCE for start in starts)


def _columns(block: list[list[tuple[int, str]]]) -> list[int]:
    """The column starts of a block: the cell starts that at least two rows share (within
    _TOLERANCE; a header's own when it is the only row), left to right."""
    rows = [row for row in block if len(row) >= 2]
    starts = sorted(col for row in rows for col, _ in row)
    columns: list[list[int]] = []
    for col in starts:
        if columns and col - columns[-1][-1] <= _TOLERANCE:
            columns[-1].append(col)
        else:
            columns.append([col])
    support = 2 if len(rows) >= 2 else 1  # (a header alone gives the columns of the cells under it)
    return [group[0] for group in columns if len(group) >= support]


def _fits(cells: list[tuple[int, str]], columns: list[int]) -> bool:
    """Whether each cell starts at a column of its own (within _TOLERANCE): a list laid out with
    double spaces ('1.A  2.B  3.C'), whose cells start anywhere, is no table."""
    used = [min(range(len(columns)), key=lambda i: abs(columns[i] - col)) for col, _ in cells]
    near = all(abs(columns[i] - col) <= _TOLERANCE for i, (col, _) in zip(used, cells, strict=True))
    return near and len(set(used)) == len(used)


def _centred(cells: list[tuple[int, str]], columns: list[int]) -> bool:
    """A header centred over its columns: a cell for every column, each starting after the one
    before, but not where the rows' cells start (序号  市(州)  鉴定机构名称 … over wider cells)."""
    return len(cells) == len(columns) >= 3 and not _fits(cells, columns)


def _as_row(cells: list[tuple[int, str]], columns: list[int]) -> str:
    """One line's cells placed in their columns: the column whose start is the last at or before
    the cell's start (with _TOLERANCE); cells that land in one column are joined by a space."""
    placed = [""] * len(columns)
    for col, text in cells:
        index = max((i for i, start in enumerate(columns) if start <= col + _TOLERANCE), default=0)
        placed[index] = f"{placed[index]} {text}".strip()
    while placed and not placed[0] and not placed[-1]:
        placed.pop()  # a wrapped tail ends at its cell; a row keeps its empty last cells
    return "\t".join(placed)


# A table typed with single spaces: a header opening with 序号 and its short column words, then
# rows opening with their number. Only a row with as many words as the header has cells is
# rewritten (a cell may hold a comma, but no space); a line of several wrapped tails between the
# rows continues the row above (a leading tab: its number cell empty); a single wrapped tail, blank
# lines and page numbers are left as they are, anything else ends the table.
_SPACED_HEADER_RE = re.compile(r"^[ \u3000]*序号(?:[ \u3000][^ \u3000,，。;；:：]{1,12}){2,11}[ \u3000]*$")
_NUMBERED_ROW_RE = re.compile(r"^[ \u3000]*\d{1,4}[ \u3000]")
_MAX_TAIL = 16  # a wrapped cell's tail between two rows
_CLAUSE_RE = re.compile(r"[,，。;；:：]")


def single_spaced_tables(text: str) -> str:
    """`text` with the rows of each single-spaced table (under a 序号 header) tab-separated."""
    if "序号" not in text:
        return text
    lines = text.split("\n")
    columns = 0  # the open table's cell count, 0 outside a table
    for index, line in enumerate(lines):
        stripped = line.strip(" \u3000")
        if _SPACED_HEADER_RE.match(line):
            lines[index] = _SINGLE_GAP_RE.sub("\t", stripped)
            columns = lines[index].count("\t") + 1
        elif columns and _NUMBERED_ROW_RE.match(line):
            cells = _SINGLE_GAP_RE.split(stripped)
            if len(cells) == columns:
                lines[index] = "\t".join(cells)
        elif columns and _are_tails(tails := _SINGLE_GAP_RE.split(stripped), columns):
            # the wrapped tails of several cells (责任公司职业技能鉴定站 有限责任公司), under the row's
            # number: the cells after it, left to right
            lines[index] = "\t" + "\t".join(tails)
        elif columns and len(stripped) > _MAX_TAIL and "\t" not in line:
            columns = 0
    return "\n".join(lines)


def _are_tails(parts: list[str], columns: int) -> bool:
    return 2 <= len(parts) < columns and all(len(p) <= _MAX_TAIL and not _CLAUSE_RE.search(p) for p in parts)
