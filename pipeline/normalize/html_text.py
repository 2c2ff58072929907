"""HTML page -> text with one block per line and table cells separated by tabs.

Parsing is lxml's HTML parser (libxml2) with network access off and the default resource limits
kept (`huge_tree=False`): it never fetches a DTD or an external entity, never expands entities a
document declares itself (billion laughs stays the literal `&lol9;`), and gives up on nesting
deeper than 256 levels. The tree is walked by libxslt (a fixed stylesheet, no Python recursion),
and a page libxml2 gives up on (fatal error: too deep, ...) falls back to a linear
regex tag-stripper instead of losing its text.

Tables with merged cells (only on a page that has a rowspan or colspan at all: every other page takes
the walk unchanged) are laid out on a grid first (_expand_tables): a rowspan cell's text is repeated
in each row it spans, a colspan cell is followed by empty cells, and every row of the table gets as
many tab-separated cells, one row a line; a row of a single cell (a title spanning the table,
一、年检合格单位（12个）) stays a plain line. Spans are clamped and the work is bounded by a budget
proportional to the page; a table with a table inside, or with a cell too big for a data cell
(the page layout), is left as it is.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import re
from copy import deepcopy

from lxml import etree

from ..regions import REGIONS
from ..vocabulary import INSTITUTION_END_RE, ORGANISATION_SUFFIXES

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
# the fallback: linear regexes only (no nesting is ever followed). A tag ends at the next '<' or '>'
# and an unclosed comment, CDATA, DTD or script runs to the end, so no start scans the rest of the
# page again after another one failed (issue 12: 100 KB of unclosed tags took 22 s)
_DROP_RE = re.compile(
    r"<!--.*?(?:-->|$)|<!\[CDATA\[.*?(?:\]\]>|$)|<!DOCTYPE[^\[<>]*+(?:\[.*?(?:\]\s*+>|$)|>)|<\?.*?(?:\?>|$)"
    r"|<(script|style|noscript|template|iframe|object|svg|head)\b[^<>]*+>.*?(?:</\1\s*+>|$)",
    re.I | re.S,
)
_TITLE_OPEN_RE = re.compile(r"<title\b[^<>]*+>", re.I)
_TITLE_CLOSE_RE = re.compile(r"</title\s*+>", re.I)
_BLOCK_ALT = "|".join(sorted(_BLOCKS))
_BREAK_RE = re.compile(rf"</?(?:{_BLOCK_ALT})\b[^<>]*+>|<br\b[^<>]*+>", re.I)
_CELL_END_RE = re.compile(r"</t[dh]\s*>", re.I)
_TAG_RE = re.compile(r"<[^<>]*+>")
# merged cells (_expand_tables): the clamps on attacker-controlled spans; what a data cell may hold
# (a bigger cell is page layout: its table is left alone); what a layout may add: cells created, a
# few times the table's own cells, and those cells plus the text the copies repeat, half the page's
# size plus _GRID_BUDGET in all
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_BREAKS = _BLOCKS | _CELLS | {"br"}
_MAX_ROWSPAN = 1000
_MAX_COLSPAN = 100
_MAX_CELL_CHARS = 500
_MAX_CELL_NODES = 64
_MAX_CELL_BREAKS = 8
_GRID_BUDGET = 100_000
_GRID_TABLE_FACTOR = 8
_GRID_TABLE_BASE = 64
# an empty cell of a laid-out table: a noncharacter (no text has it) that survives the line strip,
# so a row keeps its leading and trailing empty cells; removed from the text afterwards
_EMPTY = "\ufdd0"
# a line break inside a data cell (<br>, or a block such as <p> in it): the cell's parts stay one
# cell, joined by 、 where a whole name ends before it (names listed in one cell: 济南市第一…所<br>
# 山东省…站), by nothing before a bracket (…鉴定所<br>（…承建）), else by a space (a wrapped name:
# 广州市轻工技师学院<br>职业技能鉴定站); a noncharacter, resolved per line (_join_cell_parts)
_CELL_BREAK = "\ufdd1"
_CELL_BLOCKS = frozenset({"p", "div", "li", "br"})
# the indent of a line of preformatted text (<pre>: columns aligned with spaces, an empty first cell
# as spaces) and its trailing tabs (empty last cells): a noncharacter beside them keeps them
# through the line strip; removed afterwards
_INDENT = "\ufdd2"
_PRE_INDENT_RE = re.compile(r"(?m)^(?=[ \u3000\t]++\S)")
_PRE_TRAILING_RE = re.compile(r"(?m)(?<=\S)(\t++)$")  # a row's empty last cells
_OPENING_BRACKETS = ("(", "（", "[", "【", "〔")
_PART_ENDS = ("、", ",", "，", ";", "；", ":", "：", "(", "（")
# a tag of over 2,000 characters (thousands of attributes, a data: URI) keeps only its name and spans:
# libxml2 checks each attribute against all before it (issue 12: 722 KB of attributes took 8.3 s)
_LONG_TAG_RE = re.compile(r"<([a-zA-Z][\w:-]*+)([^<>]{2000,}+)>")
_SPAN_ATTR_RE = re.compile(r"\b(rowspan|colspan)\s*+=\s*+[\"']?\s*+(\d{1,6})", re.I)
_SPAN_VALUE_RE = re.compile(r"\s*\+?(\d+)")
# a run of whitespace holding a tab or a line break (from the run's start only: linear)
_CELL_SPACE_RE = re.compile(r"(?<!\s)\s*?[\t\n\r\f\v]\s*+")
_EDGE_SPACE_RE = re.compile(r"^[^\S\t]+|[^\S\t]+$")


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
<xsl:template match="tr/text()[normalize-space()='']"/>
<xsl:template match="{"|".join(sorted(_DROP))}|comment()|processing-instruction()"/>
</xsl:stylesheet>"""
    )
)


def _walk(root: etree._Element) -> str:
    """Text of the tree: blocks on their own lines, cells tab-ended (see _TEXT_XSLT)."""
    return str(_TEXT_XSLT(root))


def _has_spans(data: str | bytes) -> bool:
    """Whether the page may have a merged cell: a cheap test on the markup before any tree work."""
    low = data.lower()
    if isinstance(low, bytes):
        return b"rowspan" in low or b"colspan" in low
    return "rowspan" in low or "colspan" in low


def _span(value: str | None, limit: int, zero: int) -> int:
    """A rowspan/colspan value as a browser reads it (leading digits: `3px` is 3), at most `limit`;
    `zero` for 0 (a rowspan of 0 spans the rest of its row group); 1 when absent or not a number."""
    m = _SPAN_VALUE_RE.match(value) if value else None
    if m is None:
        return 1
    digits = m.group(1).lstrip("0")
    if not digits:
        return zero
    return limit if len(digits) > 6 else min(int(digits), limit)


def _rowspan(cell: etree._Element, rows_left: int) -> int:
    limit = min(_MAX_ROWSPAN, rows_left)
    return max(1, _span(cell.get("rowspan"), limit, limit))


def _colspan(cell: etree._Element) -> int:
    return _span(cell.get("colspan"), _MAX_COLSPAN, 1)


def _cells(tr: etree._Element) -> list[etree._Element]:
    return [cell for cell in tr if cell.tag in _CELLS]


def _row_groups(table: etree._Element) -> list[list[etree._Element]]:
    """The table's own rows (not a nested table's), by row group: a rowspan ends with its group."""
    groups: list[list[etree._Element]] = []
    run: list[etree._Element] | None = None
    for child in table:
        if child.tag == "tr":
            if run is None:
                run = []
                groups.append(run)
            run.append(child)
        elif child.tag in _ROW_GROUPS:
            groups.append([tr for tr in child if tr.tag == "tr"])
            run = None
    return groups


def _cell_chars(cell: etree._Element) -> int | None:
    """The text length of a cell small enough to be a data cell, else None (it is page layout)."""
    chars, nodes, breaks = len(cell.text or ""), 1, 0
    if not len(cell):
        return chars if chars <= _MAX_CELL_CHARS else None
    for el in cell.iterdescendants():
        chars += len(el.text or "") + len(el.tail or "")
        nodes += 1
        breaks += el.tag in _BREAKS
        if chars > _MAX_CELL_CHARS or nodes > _MAX_CELL_NODES or breaks > _MAX_CELL_BREAKS:
            return None
    return chars if chars <= _MAX_CELL_CHARS else None


def _drop_keeping_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is None:
            parent.text = (parent.text or "") + el.tail
        else:
            prev.tail = (prev.tail or "") + el.tail
    parent.remove(el)


_MAX_LIST_PART = 100  # a list cell's item is a name, perhaps with its host and a remark
_LIST_PART = "\ufdd2"  # a break between the items of a list cell, while _split_list_rows reads them
_NUMBERED_PART_RE = re.compile(r"[(（]?\d{1,4}[.、.)）]")


def _cell_parts(cell: etree._Element) -> list[str]:
    """A cell's text split at its line breaks (<br>, <p>, <div>, <li>), blank parts dropped; in a
    numbered list, a part without a number continues the item before it."""
    _mark_breaks(cell, _LIST_PART)
    parts = [part.strip() for part in "".join(cell.itertext()).split(_LIST_PART)]
    out: list[str] = []
    for part in filter(None, parts):
        if out and _NUMBERED_PART_RE.match(out[0]) and not _NUMBERED_PART_RE.match(part):
            out[-1] += part  # a numbered item's name broken over two lines
        else:
            out.append(part)
    return out


def _split_list_rows(root: etree._Element) -> None:
    """A row whose cells each hold a list (one column per grade, every name of a grade in its one
    cell, a name per <br>) becomes one row per name: the table a text matrix is (columns of unequal
    length), and each cell small enough to be read as a data cell."""
    for table in root.iter("table"):
        if table.find(".//table") is not None:
            continue
        for tr in [tr for group in _row_groups(table) for tr in group]:
            cells = _cells(tr)
            if len(cells) < 2 or any(c.get("rowspan") or c.get("colspan") for c in cells):
                continue
            if sum(_has_break(c) for c in cells) < 2:
                continue
            columns = [_cell_parts(deepcopy(c)) for c in cells]
            if any(len(part) > _MAX_LIST_PART or "。" in part for parts in columns for part in parts):
                continue  # a paragraph in a cell: page layout (a menu beside the article), no list
            listed = [parts for parts in columns if len(parts) >= 2]
            numbered = any(_NUMBERED_PART_RE.match(p) for parts in listed for p in parts)
            if len(listed) >= 2 and (numbered or max(map(len, listed)) >= 3):
                _replace_with_rows(tr, cells[0].tag, columns)


def _has_break(cell: etree._Element) -> bool:
    return any(el.tag in _CELL_BLOCKS for el in cell.iterdescendants())


def _replace_with_rows(tr: etree._Element, tag: str, columns: list[list[str]]) -> None:
    parent = tr.getparent()
    at = parent.index(tr)
    for i, row in enumerate(itertools.zip_longest(*columns, fillvalue="")):
        new = etree.Element("tr")
        for text in row:
            etree.SubElement(new, tag).text = text
        new.tail = "\n"
        parent.insert(at + 1 + i, new)
    parent.remove(tr)


def _mark_data_tables(root: etree._Element) -> bool:
    """In each data table (no table inside, every cell small enough: _cell_chars), an empty cell
    holds _EMPTY (so a row keeps its leading and trailing empty cells) and a line break inside a cell
    becomes a _CELL_BREAK mark (so the cell stays on its row's line). Whether a break was marked."""
    marked = False
    for table in root.iter("table"):
        if table.find(".//table") is not None:
            continue  # page layout around a data table
        cells = [cell for tr in table.iter("tr") for cell in _cells(tr)]
        if any(_cell_chars(cell) is None for cell in cells):
            continue  # page layout: a cell holds the article
        for cell in cells:
            marked |= _mark_cell(cell)
    return marked


def _mark_cell(cell: etree._Element) -> bool:
    if not "".join(cell.itertext()).strip():  # (&nbsp; too)
        for child in list(cell):
            _drop_keeping_tail(child)
        cell.text = _EMPTY
        return False
    _collapse_newlines(cell)
    return _mark_breaks(cell, _CELL_BREAK)


_NEWLINES_RE = re.compile(r"\s*\n\s*")


def _collapse_newlines(cell: etree._Element) -> None:
    """A newline in a cell's source (…承建）<br />\n兴澄特钢…) is white space, as a browser shows it, not
    a line of the text: it would cut the row in two."""
    for el in cell.iter():
        if el.text and "\n" in el.text:
            el.text = _NEWLINES_RE.sub(" ", el.text)
        if el is not cell and el.tail and "\n" in el.tail:
            el.tail = _NEWLINES_RE.sub(" ", el.tail)


def _mark_breaks(cell: etree._Element, mark: str) -> bool:
    """Each line break inside `cell` (<br>, or a block such as <p> in it) becomes `mark`, the element
    an inline span (the walk keeps it on the row's line). Whether one was marked."""
    marked = False
    for el in cell.iterdescendants():
        if el.tag in _CELL_BLOCKS:
            el.tail = mark + (el.tail or "")
            if el.tag != "br":
                el.text = mark + (el.text or "")
            el.tag = "span"
            marked = True
    return marked


def _join_cell_parts(line: str) -> str:
    """A line with _CELL_BREAK marks: each cell's parts joined (see _CELL_BREAK)."""
    cells = []
    for cell in line.split("\t"):
        out = ""
        for part in (p.strip() for p in cell.split(_CELL_BREAK)):
            if part and out and not (part.startswith(_OPENING_BRACKETS) or out.endswith(_PART_ENDS)):
                out += "、" if _ends_a_name(out, part) else " "
            out += part
        cells.append(out)
    return "\t".join(cells)


def _ends_a_name(before: str, after: str) -> bool:
    """Whether a cell's line break comes after a whole name: an institution's, or an organisation's
    when a place opens the next line."""
    if before.endswith((")", "）")) or INSTITUTION_END_RE.search(before):
        return True
    return before.endswith(ORGANISATION_SUFFIXES) and REGIONS.starts_with_place(after)


def _cell_text(cell: etree._Element) -> str:
    """A cell's visible text on one line: blocks and line breaks in it become a space. Its content
    is about to be replaced by this text (_set_text), so it is marked up in place to get it."""
    if len(cell):
        for el in list(cell.iterdescendants()):  # a few elements (_cell_chars): no tag matcher
            if el.tag in _DROP:
                _drop_keeping_tail(el)
            elif el.tag in _BREAKS:
                el.text = "\n" + (el.text or "")
                el.tail = "\n" + (el.tail or "") if el.tag in _BLOCKS else el.tail
        text = etree.tostring(cell, method="text", encoding=str, with_tail=False)
    else:
        text = cell.text or ""
    return _CELL_SPACE_RE.sub(" ", text).strip()


# A grid slot: (cell, is_copy) for a cell (is_copy: a rowspan cell repeated in a later row), None
# for an empty position (the rest of a colspan, a gap). A grid row of None is a title row.
_Slot = tuple[etree._Element, bool] | None


def _take(carry: dict[int, list], col: int) -> _Slot:
    """The slot a rowspan carries into column `col` of this row."""
    entry = carry[col]
    entry[0] -= 1
    if entry[0] <= 0:
        del carry[col]
    return None if entry[1] is None else (entry[1], True)


def _place_row(cells: list[etree._Element], carry: dict[int, list], rows_left: int) -> list[_Slot]:
    """The slots of one row: its cells in the columns the rowspans above leave free (HTML's table
    model); `carry` maps a column to [rows it still spans, its cell or None] and is updated."""
    slots: list[_Slot] = []
    for cell in cells:
        while len(slots) in carry:
            slots.append(_take(carry, len(slots)))
        col, rowspan, colspan = len(slots), _rowspan(cell, rows_left), _colspan(cell)
        slots += [(cell, False)] + [None] * (colspan - 1)
        if rowspan > 1:
            carry[col] = [rowspan - 1, cell]
            carry.update({c: [rowspan - 1, None] for c in range(col + 1, col + colspan)})
    start = len(slots)
    for col in sorted(c for c in carry if c >= start):
        slots += [None] * (col - len(slots))
        slots.append(_take(carry, col))
    return slots


def _layout(rows: list[tuple[etree._Element, list]], limit: int) -> list[list[_Slot] | None] | None:
    """The grid of one row group, a row (tr, its cells) at a time (None for a title row: a single
    cell, nothing spanning into it), or None when it would create more than `limit` slots."""
    carry: dict[int, list] = {}
    grid: list[list[_Slot] | None] = []
    created = 0
    for index, (_, cells) in enumerate(rows):
        rows_left = len(rows) - index
        if len(cells) == 1 and not carry and _rowspan(cells[0], rows_left) == 1:
            grid.append(None)
            continue
        slots = _place_row(cells, carry, rows_left)
        created += len(slots) - len(cells)
        if created > limit:
            return None
        grid.append(slots)
    return grid


def _grid_cost(grids: list[list[list[_Slot] | None]], width: int, chars: dict) -> tuple[int, int]:
    """What laying out the table adds: the cells created (copies, empty cells, padding to `width`)
    and the length of the text the copies repeat."""
    created = repeated = 0
    for slots in (slots for grid in grids for slots in grid if slots):
        created += width - sum(1 for slot in slots if slot and not slot[1])
        repeated += sum(chars[slot[0]] for slot in slots if slot and slot[1])
    return created, repeated


def _has_merged_cell(cells: list[etree._Element]) -> bool:
    return any(_span(c.get("rowspan"), 2, 2) > 1 or _span(c.get("colspan"), 2, 1) > 1 for c in cells)


def _set_text(cell: etree._Element, text: str) -> None:
    """The cell holds `text` only (its tail, between it and the next cell, stays)."""
    if len(cell):
        for child in list(cell):
            cell.remove(child)
    if cell.text != text:
        cell.text = text


def _drop_blank_tails(tr: etree._Element) -> None:
    """The layout whitespace between a row's cells goes: it would put each cell on its own line."""
    if tr.text and not tr.text.strip():
        tr.text = None
    for child in tr:
        if child.tail and not child.tail.strip():
            child.tail = None


def _write_row(tr: etree._Element, slots: list[_Slot], width: int, texts: dict) -> None:
    """Rewrite a row as its grid row: every cell on one line, copies and empty cells created, padded
    to `width` cells. A row without any text stays as it is."""
    values = [texts[slot[0]] if slot else "" for slot in slots]
    if not any(values):
        return
    _drop_blank_tails(tr)
    pad = width - len(slots)
    prev = None
    for slot, value in zip(slots + [None] * pad, values + [""] * pad, strict=True):
        if slot is not None and not slot[1]:
            prev = slot[0]
            _set_text(prev, value or _EMPTY)
            continue
        new = tr.makeelement(slot[0].tag if slot else "td")
        new.text = value or _EMPTY
        if prev is None:
            tr.insert(0, new)
        else:
            prev.addnext(new)
        prev = new


def _write_title(tr: etree._Element, cell: etree._Element, texts: dict) -> None:
    """A title row (one cell): its text on one plain line."""
    if texts[cell]:
        _drop_blank_tails(tr)
        _set_text(cell, texts[cell])


def _expand_table(table: etree._Element, budget: int) -> int | None:
    """Lay out one table on its grid (see _write_row): the cost spent (cells created plus the text
    copied), or None when it is left alone: no merged cell, page layout (a cell too big), or spans
    that would create more than a few times its own cells, or cost more than `budget`."""
    groups = [[(tr, _cells(tr)) for tr in rows] for rows in _row_groups(table)]
    cells = [cell for rows in groups for _, row in rows for cell in row]
    if not _has_merged_cell(cells):
        return None
    chars = {cell: _cell_chars(cell) for cell in cells}
    if None in chars.values():
        return None
    limit = min(budget, _GRID_TABLE_FACTOR * len(cells) + _GRID_TABLE_BASE)
    grids = []
    for rows in groups:
        grid = _layout(rows, limit)
        if grid is None:
            return None
        grids.append(grid)
    width = max((len(slots) for grid in grids for slots in grid if slots), default=0)
    created, repeated = _grid_cost(grids, width, chars)
    if created > limit or created + repeated > budget:
        return None
    texts = {cell: _cell_text(cell) for cell in cells}
    for rows, grid in zip(groups, grids, strict=True):
        for (tr, row), slots in zip(rows, grid, strict=True):
            if slots is None:
                _write_title(tr, row[0], texts)
            else:
                _write_row(tr, slots, width, texts)
    return created + repeated


def _expand_tables(root: etree._Element, budget: int) -> bool:
    """Lay out each table with merged cells on its grid (see _expand_table), at most `budget` work
    in all; a table with a table inside is left alone (its inner tables are laid out on their own).
    Whether any table was laid out."""
    tables = list(root.iter("table"))
    outer = set()
    for table in tables:
        parent = next(table.iterancestors("table"), None)
        if parent is not None:
            outer.add(parent)
    changed = False
    for table in tables:
        spent = None if table in outer else _expand_table(table, budget)
        if spent is not None:
            budget -= spent
            changed = True
    return changed


def _short_tag(m: re.Match[str]) -> str:
    """A long tag (_LONG_TAG_RE) as its name and its first rowspan and colspan, the only attributes read."""
    spans: dict[str, str] = {}
    for a in _SPAN_ATTR_RE.finditer(m.group(2)):
        spans.setdefault(a.group(1).lower(), f' {a.group(1).lower()}="{a.group(2)}"')
    return f"<{m.group(1)}{''.join(spans.values())}>"


def _unmark(line: str) -> str:
    """A line of a data table without its empty-cell marks (its edge tabs stay)."""
    return _EDGE_SPACE_RE.sub("", line.replace(_EMPTY, ""))


_GRID_ITEMS = ("div", "li")
_MIN_GRID_ROWS = 3


def _mark_inline_cells(root: etree._Element) -> None:
    """Rows laid out without a table: sibling <div>s or <li>s (three or more) each made of inline
    parts (<span>序号</span><span>X鉴定所</span><span>合格</span>, or X学院<span>优秀</span>): each
    row's parts become tab-separated cells."""
    for parent in root.iter("div", "ul", "ol", "section", "td", "body"):
        rows = [child for child in parent if child.tag in _GRID_ITEMS]
        if len(rows) < _MIN_GRID_ROWS:
            continue
        parts = [_inline_parts(row) for row in rows]
        if sum(len(p) >= 2 for p in parts) < _MIN_GRID_ROWS:
            continue
        for row, cells in zip(rows, parts, strict=True):
            if len(cells) >= 2:
                for child in list(row):
                    row.remove(child)
                row.text = "\t".join(cells)


def _inline_parts(row: etree._Element) -> list[str]:
    """The texts of a row's own text and its inline children, in order ([] if it holds a block)."""
    if any(child.tag in _BLOCKS for child in row.iter() if child is not row):
        return []
    parts = [row.text or ""]
    for child in row:
        parts += ["".join(child.itertext()), child.tail or ""]
    return [p.strip() for p in parts if p.strip()]


def _mark_indents(root: etree._Element) -> bool:
    """Each line of preformatted text keeps its indent and its trailing tabs (_INDENT). Whether one
    was marked."""
    marked = False
    for pre in root.iter("pre"):
        for el in pre.iter():
            for attr in ("text", "tail") if el is not pre else ("text",):
                value = getattr(el, attr)
                if value and (_PRE_INDENT_RE.search(value) or "\t" in value):
                    value = _PRE_TRAILING_RE.sub(r"\1" + _INDENT, _PRE_INDENT_RE.sub(_INDENT, value))
                    setattr(el, attr, value)
                    marked = True
    return marked


def _title(root: etree._Element) -> str:
    node = root.find(".//title")
    return " ".join(s.strip() for s in node.itertext() if s.strip()) if node is not None else ""


def _strip_tags(markup: str) -> tuple[str, str]:
    """(title, text) by regex: for pages the parser gives up on. Linear; entities by html.unescape."""
    # the first <title> closed by the first </title> after it (if that one is unclosed, all are)
    m = _TITLE_OPEN_RE.search(markup)
    end = _TITLE_CLOSE_RE.search(markup, m.end()) if m else None
    inner = markup[m.end() : end.start()] if m and end else ""
    title = " ".join(html.unescape(_TAG_RE.sub(" ", inner)).split())
    body = _DROP_RE.sub(" ", markup)
    body = _CELL_END_RE.sub("\t", _BREAK_RE.sub("\n", body))
    return title, html.unescape(_TAG_RE.sub("", body))


def html_to_text(markup: str) -> str:
    """Visible text of a page: scripts, styles and comments dropped; <title> kept as the first line."""
    markup = _CONTROL_RE.sub(" ", _XML_DECL_RE.sub("", markup, count=1))
    markup = _LONG_TAG_RE.sub(_short_tag, markup)
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
    marked = indented = False
    if root is not None and not fatal:
        _split_list_rows(root)
        _mark_inline_cells(root)
        marked = _mark_data_tables(root)
        indented = _mark_indents(root)
        if _has_spans(data):
            _expand_tables(root, len(markup) // 2 + _GRID_BUDGET)
        title, body = _title(root), _walk(root)
    else:
        title, body = _strip_tags(markup)
    lines = [line.strip() for line in body.split("\n")]
    if marked:
        lines = [_join_cell_parts(line) if _CELL_BREAK in line else line for line in lines]
    lines = [_unmark(line) if _EMPTY in line else line for line in lines]
    if indented:
        lines = [line.replace(_INDENT, "") for line in lines]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return f"{title}\n{text}" if title and title not in text[:500] else text
