"""Institutions listed under grade headings and in tables: a state machine over classified lines.

The hierarchy it reads: grade heading -> items; grade heading -> group sub-headings (a city, a kind
of institution) -> items; group heading -> grade sub-headings -> items; a table (its header gives
the column roles) inside or outside a graded list; a matrix with one column per grade or city.
A list ends at the next heading of its level, at prose, or at the end of the text. Anything shaped
like an item, row or heading that yields no institution is an issue on the notice, never dropped
silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..issues import Issue
from ..numerals import digit_counts
from ..vocabulary import (
    FAILED_OUTCOMES,
    GRADE_LABEL_RE,
    GRADE_LABELS,
    HOST_WORDS_RE,
    PASSED_OUTCOMES,
    PROPOSAL_WORDS,
    SANCTION_GRADES,
    SUBTOTAL_ROW_WORDS,
    SUM_ROW_WORDS,
)
from .document import Document
from .items import (
    CLAUSE_MARK_RE,
    before_condition,
    cell_labels,
    final_label,
    item_text,
    name_parts,
    outcome_labels,
    split_glued_names,
    verdict_labels,
)
from .lines import (
    Heading,
    Kind,
    Line,
    classify_lines,
    group_name,
    other_kind_lines,
    own_grade_item,
    parse_heading,
    prose_lines,
)
from .model import Found, InstitutionItem
from .scores import Band, banded, score_bands
from .tables import Header, Row, read_row

# what a sub-heading holds and a list line does not: section numbering, a grade word, a count
_HEADING_LIKE_RE = re.compile(
    r"^\s*[(（]?[一二三四五六七八九十]{1,3}[)）、.．]|"
    + GRADE_LABEL_RE.pattern
    + r"|(?<!\d)\d++\s*+[个家所站]|名单|如下"
)

_CELL_NAMES_RE = re.compile(r"[、;；]")  # names sharing one matrix cell
_TOTAL_ROW_WORDS = frozenset(
    (*SUM_ROW_WORDS, *SUBTOTAL_ROW_WORDS, *(f"{w[0]} {w[1:]}" for w in SUM_ROW_WORDS))  # (合 计)
)
# a line that grades the names above it as a block: 以上4家年检合格, 上述单位…
_BLOCK_OUTCOME_RE = re.compile(r"^\s*(?:以上|上述)(?:所列)?\s*(?:(?P<n>\d{1,4})\s*[家个所站])?")


@dataclass
class _State:
    """Where the reader stands: the open grade list, the sub-heading group, the table's header."""

    heading: Heading | None = None
    items: int = 0  # items read under `heading`
    group: str | None = None
    group_outer: bool = False  # group headings stand above the grade headings (city -> grades)
    header: Header | None = None
    previous: tuple[str, ...] = ()  # the table's last full row: merged cells fill down from it
    # names read outside any list, waiting for a line that grades them as a block (以上4家年检合格),
    # with the issue each raises if none does
    pending: list[tuple[InstitutionItem, Issue | None]] = field(default_factory=list)
    matrix_totals: set[str] = field(default_factory=set)  # a matrix's 合计 rows (their stated counts)
    remarked: bool = False  # a paragraph stood between the open heading and its first item
    # the outcome a row wrote in its last cell: the rows below that leave it blank share it (a table
    # whose 年检结论 is written once per block)
    block_outcome: tuple[str, str | None] | None = None
    outcome_column: int | None = None  # without a header: the cell the block's outcome stood in
    found: Found = field(default_factory=Found)
    doc: Document | None = None
    score_bands: tuple[Band, ...] | None = None  # the notice's bands, read when a row has a score

    def bands(self) -> tuple[Band, ...]:
        """The score bands the notice defines (a table of scores), read once, on the first score."""
        if self.score_bands is None:
            self.score_bands = score_bands(self.doc, prose_lines(self.doc)) if self.doc else ()
        return self.score_bands


def find_listed(doc: Document) -> Found:
    """Walk the classified lines: headings open lists, items and rows fill them, prose ends them."""
    lines = classify_lines(doc)
    state = _State(doc=doc)
    other = other_kind_lines(doc)
    for index, line in enumerate(lines):
        if line.number in other:
            _close(state)  # a section about another kind of institution (技工院校): not ours
            state.header = None
            continue
        following = lines[index + 1].kind if index + 1 < len(lines) else None
        if _leads_list(state, line, following) or _host_of_last(state, line):
            continue
        if _inside_list(state, line, following):
            state.found.issues.append(
                Issue("item_not_read", f"list line '{line.text}' read as no item", line.number)
            )
            continue
        _STEP[line.kind](state, line, index == len(lines) - 1)
    _close(state, at_end=True)
    _flush(state)
    _column_outcomes(doc, state)
    return state.found


# '表中“不合格”一栏所列5个鉴定所(站),…决定撤销其职业技能鉴定资格': one outcome for a whole column
_COLUMN_REFERENCE_RE = re.compile(
    r"[“\"'‘]?(?P<word>" + GRADE_LABEL_RE.pattern + r")[”\"'’]?\s*(?:一栏|栏目|栏|一列|列)"
)


def _column_outcomes(doc: Document, state: _State) -> None:
    """Rule table_column_outcome: a sentence that gives the final outcome of everything a matrix
    lists in one grade column: those names, and that column's 合计 count, take it."""
    if not any(item.source == "table_matrix" for item in state.found.items):
        return
    for sentence in doc.sentences_matching(_COLUMN_REFERENCE_RE):
        m = _COLUMN_REFERENCE_RE.search(sentence.text)
        rest = sentence.text[m.end() :]  # type: ignore[union-attr]
        labels = outcome_labels(rest)
        if not labels:
            continue
        word, final = m.group("word"), final_label(labels)  # type: ignore[union-attr]
        grade, was = GRADE_LABELS[final], GRADE_LABELS[word]
        state.found.items = [
            replace(i, grade=grade, grade_label=final, source="table_column_outcome")
            if i.source == "table_matrix" and i.grade_label == word
            else i
            for i in state.found.items
        ]
        state.found.stated = [
            (grade, n, text) if g == was and text in state.matrix_totals else (g, n, text)
            for g, n, text in state.found.stated
        ]


def _grade_block(state: _State, line: Line) -> None:
    """Rule list_block_outcome: 'A / B / C' read outside any list, then '以上3家年检合格。' (or 上述
    单位…): the line grades the names right above it, as many as it counts."""
    m = _BLOCK_OUTCOME_RE.match(digit_counts(line.text)) if len(line.text) <= 80 else None
    labels = _block_labels(line.text) if m else ()
    if labels:
        label = final_label(labels)
        count = int(m.group("n")) if m and m.group("n") else len(state.pending)
        block = state.pending[-count:] if count <= len(state.pending) else []
        grade = GRADE_LABELS[label]
        for item, _issue in block:
            _add(state, replace(item, grade=grade, grade_label=label, source="list_block_outcome"))
        if block:
            del state.pending[-count:]
    _flush(state)


def _sanction_on_list(state: _State, line: Line, heading: Heading) -> None:
    """Rule list_closing_sanction: a failed grade's list, then '以上鉴定所(站)自本通报下发之日起撤销
    鉴定资格': the sanction is the final outcome of the items under the heading, and of its count."""
    labels = _block_labels(line.text) if len(line.text) <= 120 else ()
    final = final_label(labels) if labels else None
    grade = GRADE_LABELS[final] if final else None
    if grade not in SANCTION_GRADES or heading.grade in PASSED_OUTCOMES or heading.grade == grade:
        return
    found = state.found
    start = len(found.items) - state.items
    found.items[start:] = [
        replace(i, grade=grade, grade_label=final, source="list_closing_sanction")
        if i.grade == heading.grade
        else i
        for i in found.items[start:]
    ]
    found.stated = [
        (grade, n, text) if (g, text) == (heading.grade, heading.text) else (g, n, text)
        for g, n, text in found.stated
    ]


def _block_labels(text: str) -> tuple[str, ...]:
    """The outcome a block line gives the names above it: none when its opening clause picks some
    of them by grade (以上限期整改的鉴定站，须…), none from a clause on a condition (复查仍不合格的，
    将撤销)."""
    opening = CLAUSE_MARK_RE.split(text, maxsplit=1)[0]
    if any(opening.startswith("的", m.end()) for m in GRADE_LABEL_RE.finditer(opening)):
        return ()
    return outcome_labels(before_condition(text))


def _flush(state: _State) -> None:
    """Names left ungraded by a block line: their issues stand (prose rules may still grade items)."""
    state.found.issues += [issue for _item, issue in state.pending if issue is not None]
    state.pending.clear()


def _inside_list(state: _State, line: Line, following: Kind | None) -> bool:
    """A short line without a sentence in it, between lines of an open list, is a line of that list
    no rule read (an issue), not the prose that ends it."""
    return (
        line.kind is Kind.PROSE
        and state.heading is not None
        and following in (Kind.ITEM, Kind.GROUP, Kind.ROW)
        and len(line.text) <= 100
        and "。" not in line.text
        and not _HEADING_LIKE_RE.search(line.text)  # an unread sub-heading does end the list
    )


def _host_of_last(state: _State, line: Line) -> bool:
    """A line that only names a host (承建单位：Y), right after an item without one: that item's host."""
    items = state.found.items
    if line.kind is not Kind.PROSE or not items or items[-1].host or items[-1].line != line.number - 1:
        return False
    if (m := _HOST_LINE_RE.fullmatch(line.text)) is None:
        return False
    items[-1] = replace(items[-1], host=m.group("host").strip())
    return True


_HOST_LINE_RE = re.compile(r"\s*(?:" + HOST_WORDS_RE + r")单位\s*[:：]\s*(?P<host>[^:：。；;,，]{2,40})")


def _leads_list(state: _State, line: Line, following: Kind | None) -> bool:
    """A sentence ending with a colon between a heading and its first item (以下鉴定机构须在…前完成
    整改，…补办年检手续：) introduces the heading's list: it neither ends the list nor grades it."""
    return (
        line.kind is Kind.PROSE
        and state.heading is not None
        and state.items == 0
        and following in (Kind.ITEM, Kind.ROW)
        and line.text.endswith((":", "："))
        and "。" not in line.text
    )


def _close(state: _State, at_end: bool = False) -> None:
    """End the open list; a list that names fewer than its heading states is cut off or missing."""
    heading, found = state.heading, state.found
    if heading is not None and heading.grade and heading.count:
        if state.items == 0:
            found.issues.append(
                Issue(
                    "list_cut_off",
                    f"list cut off or missing: heading '{heading.text}' states {heading.count} "
                    "but names none",
                )
            )
        elif state.items < heading.count and at_end:
            found.issues.append(
                Issue(
                    "list_cut_off",
                    f"list cut off: '{heading.text}' states {heading.count}, {state.items} listed",
                )
            )
    state.heading, state.items, state.remarked = None, 0, False


def _on_heading(state: _State, line: Line, is_last: bool) -> None:
    heading = line.heading
    assert heading is not None
    _close(state)
    _flush(state)
    state.heading = heading
    placed = _heading_group(heading.text)
    if placed or not state.group_outer:
        state.group = placed
    if "\t" not in line.text:
        state.header = None
    # (合格(含优秀)单位(20家): a count of two grades, no grade's)
    if (
        heading.grade
        and heading.count is not None
        and not (state.group_outer or placed or heading.includes_other)
    ):
        state.found.stated.append((heading.grade, heading.count, heading.text))
    if heading.grade is None and len(set(heading.labels)) > 1 and is_last:
        state.found.issues.append(
            Issue("list_cut_off", f"list cut off: heading '{heading.text}' ends the text", line.number)
        )
    elif heading.grade is None and heading.count and not heading.labels:
        state.found.issues.append(
            Issue("unknown_heading", f"unknown grade heading: '{heading.text}'", line.number)
        )
    if line.pieces:
        _on_item(state, line, is_last)


_PLACE_MARK_RE = re.compile(r"^[【\[〔](?P<place>[^】\]〕]{2,12})[】\]〕]")


def _heading_group(text: str) -> str | None:
    """The place a grade heading opens with in brackets (【昆山市】年检优秀(2家)): its list is that
    place's, its count a subtotal."""
    m = _PLACE_MARK_RE.match(text)
    return group_name(m.group()) if m else None


def _on_group(state: _State, line: Line, _is_last: bool) -> None:
    _flush(state)
    if state.heading is None:
        state.group_outer = True  # a group before any grade: grades are its sub-headings
    elif state.group_outer:
        _close(state)  # the next city: its grade sub-headings follow
    state.group = line.group
    if line.pieces:
        _on_item(state, line, _is_last)


def _on_header(state: _State, line: Line, _is_last: bool) -> None:
    header = line.header
    assert header is not None
    if header.label and (state.heading is None or state.heading.grade != GRADE_LABELS[header.label]):
        _close(state)  # a header that states a grade opens its list: 年检优秀单位名称
        state.heading = Heading(GRADE_LABELS[header.label], header.label, None, line.text)
    state.header, state.previous, state.block_outcome, state.outcome_column = header, (), None, None
    for cell, word in zip(line.text.split("\t"), header.grades, strict=False):
        if word and (counted := parse_heading(cell)) and counted.count is not None:
            state.found.stated.append((GRADE_LABELS[word], counted.count, cell))  # 优秀(8个)


def _on_prose(state: _State, line: Line, _is_last: bool) -> None:
    """Prose ends the open list; but one paragraph right under a grade heading, before its first
    item, is a remark on them ((三)暂缓通过的鉴定站(4个) / 须在三个月内完成整改… / 1、X站…)."""
    heading = state.heading
    if heading is not None and heading.grade and not (state.items or state.remarked or state.pending):
        state.remarked = True
        return
    if state.pending:
        _grade_block(state, line)
    elif heading is not None and state.items and _BLOCK_OUTCOME_RE.match(line.text):
        _sanction_on_list(state, line, heading)
    _close(state)
    state.header, state.group, state.group_outer, state.block_outcome = None, None, False, None
    state.outcome_column = None


def _on_furniture(_state: _State, _line: Line, _is_last: bool) -> None:
    """Page numbers and bracketed notes between list lines are skipped."""


def _on_row(state: _State, line: Line, _is_last: bool) -> None:
    header = state.header
    if header is not None and header.is_matrix:
        _matrix_row(state, line, header)
        return
    rows, state.previous = read_row(line.pieces, header, state.previous)
    blank_tail = _outcome_cell_blank(line.pieces, header, state.outcome_column)
    for row in rows:
        if row.grade is None and blank_tail and state.block_outcome is not None:
            row = replace(row, grade=state.block_outcome[0], label=state.block_outcome[1])
        elif not blank_tail:
            state.block_outcome = (row.grade, row.label) if row.grade else None
            state.outcome_column = _graded_cell(line.pieces) if row.grade else None
        _add_row(state, row, line.number)


def _outcome_cell_blank(cells: tuple[str, ...], header: Header | None, column: int | None) -> bool:
    """Whether a row leaves its outcome blank: the header's outcome column, else the cell the
    block's outcome stood in (序号 | 结论 | 名称 …, with no header), else its last cell."""
    if header is not None and "outcome" in header.roles and len(cells) == header.width:
        return not cells[header.roles.index("outcome")]
    if header is None and column is not None and column < len(cells) - 1:
        return not cells[column]
    return len(cells) > 2 and not cells[-1]


def _graded_cell(cells: tuple[str, ...]) -> int | None:
    """The index of the last cell holding a grade word."""
    graded = [i for i, cell in enumerate(cells) if cell and cell_labels(cell)]
    return graded[-1] if graded else None


def _add_row(state: _State, row: Row, line: int) -> None:
    grade, label, source = row.grade, row.label, "table"
    if grade is None and state.heading is not None and state.heading.grade:
        grade, label = state.heading.grade, state.heading.label
    if grade is None and row.score is not None and (label := banded(row.score, state.bands())):
        grade, source = GRADE_LABELS[label], "table_score"  # rule table_score: the notice's bands
    if grade is None:
        code = "unknown_outcome" if row.unknown_outcome else "row_without_outcome"
        outcome = f"outcome {row.unknown_outcome!r}" if row.unknown_outcome else "no outcome"
        issue = Issue(code, f"table row '{row.name}' has {outcome}", line)
        if row.unknown_outcome or state.heading is not None:
            state.found.issues.append(issue)
        else:  # a line after the rows may grade them as a block
            state.pending.append((_item(row, "", "", line, "table"), issue))
        return
    _add(state, _item(row, grade, label or "", line, source))


def _matrix_row(state: _State, line: Line, header: Header) -> None:
    """One row of a matrix: each cell is a name, graded (or grouped) by its column; a 合计 row states
    each grade column's count."""
    if line.pieces and line.pieces[0] in _TOTAL_ROW_WORDS:
        _matrix_totals(state, line, header)
        return
    row_word = _row_grade_word(line, header)  # a matrix of cities whose rows are grades
    remark = _matrix_remark(line, header)
    for index, cell in enumerate(line.pieces[: header.width]):
        word = header.grades[index] if header.grades else row_word
        grade = GRADE_LABELS[word] if word else (state.heading.grade if state.heading else None)
        label = word or (state.heading.label if state.heading else "") or ""
        if remark and grade in FAILED_OUTCOMES and header.roles[index] == "name":
            label, grade = remark, GRADE_LABELS[remark]
        pieces = [n for p in _CELL_NAMES_RE.split(cell) for n in split_glued_names(item_text(p))]
        for piece in pieces if cell and grade and header.roles[index] != "remark" else ():
            if parts := name_parts(piece, by_position=True):  # (a cell may hold several)
                _add(state, _listed(parts, grade, label, line.number, "table_matrix"))


def _matrix_remark(line: Line, header: Header) -> str | None:
    """The failed outcome a grade matrix row's remark gives (不合格 | 备注: 撤销鉴定资格): the final
    outcome of the names in the row's failed columns."""
    if "remark" not in header.roles or len(line.pieces) <= header.roles.index("remark"):
        return None
    labels = verdict_labels(line.pieces[header.roles.index("remark")])
    label = final_label(labels) if labels else None
    return label if label and GRADE_LABELS[label] in FAILED_OUTCOMES else None


def _row_grade_word(line: Line, header: Header) -> str | None:
    """The grade word a row of a matrix of cities opens with (优秀 | A、B | C …), else None."""
    if header.grades or not line.pieces:
        return None
    labels = cell_labels(line.pieces[0])
    return labels[0] if len(labels) == 1 and len(line.pieces[0]) <= 10 else None


def _matrix_totals(state: _State, line: Line, header: Header) -> None:
    """A 合计 row: each grade column's count, and the count column's total (参检数)."""
    for column, cell in enumerate(line.pieces[: header.width]):
        word = header.grades[column] if header.grades else None
        count = _COUNT_CELL_RE.fullmatch(cell)  # 6, 6个, 6家
        if count and header.roles[column] == "count":
            state.found.totals.append((int(count.group(1)), line.text))
        elif word and count:
            state.found.stated.append((GRADE_LABELS[word], int(count.group(1)), line.text))
    state.matrix_totals.add(line.text)


_COUNT_CELL_RE = re.compile(r"(\d{1,5})\s*[个家所站]?")


def _on_item(state: _State, line: Line, _is_last: bool) -> None:
    heading = state.heading
    if not line.pieces and heading is not None:
        state.found.issues.append(
            Issue("item_not_read", f"list line '{line.text}' names no institution", line.number)
        )
    for piece in line.pieces:
        own = own_grade_item(piece)
        if own is not None and _milder_than_sanction(own[1], heading):
            own = None  # (撤销备案: X(限期整改逾期未完成整改): the reason, the heading's sanction stands)
        if own is not None:
            name, label = own
            if parts := name_parts(name, by_position=True):
                _add(state, _listed(parts, GRADE_LABELS[label], label, line.number, "list_own_grade"))
            continue
        if heading is None:
            if parts := name_parts(piece, by_position=True):  # a line after may grade it as a block
                state.pending.append((_listed(parts, "", "", line.number, "list"), None))
            continue  # (else prose rules may grade it)
        if heading.grade is None:
            state.found.issues.append(
                Issue(
                    "item_not_read",
                    f"item '{piece}' under heading '{heading.text}' has no single grade",
                    line.number,
                )
            )
            continue
        if parts := name_parts(piece, by_position=True):
            _add(state, _listed(parts, heading.grade, heading.label or "", line.number, "list"))


def _milder_than_sanction(label: str, heading: Heading | None) -> bool:
    """Whether an item's own grade word is milder than the sanction its heading gives (a reason)."""
    return (
        heading is not None
        and heading.grade in SANCTION_GRADES
        and GRADE_LABELS[label] not in SANCTION_GRADES
    )


def _item(row: Row, grade: str, label: str, line: int, source: str) -> InstitutionItem:
    return InstitutionItem(row.name, grade, label, line, row.host, row.note, row.number, source)


def _listed(
    parts: tuple[str, str | None, str | None, int | None], grade: str, label: str, line: int, source: str
) -> InstitutionItem:
    """An institution read from a list piece or matrix cell (items.name_parts' (name, host, note, number))."""
    name, host, note, number = parts
    return InstitutionItem(name, grade, label, line, host, note, number, source)


def _add(state: _State, item: InstitutionItem) -> None:
    state.found.items.append(_with_noted_sanction(item))
    if state.heading is not None:
        state.items += 1


def _with_noted_sanction(item: InstitutionItem) -> InstitutionItem:
    """An item whose bracketed note gives it a sanction (X有限公司(连续两年评估为C等次,终止其评价机构
    备案) under C等次): the sanction is its final outcome, as a remark's is a row's."""
    if not item.note or item.grade in SANCTION_GRADES:
        return item
    labels = outcome_labels(before_condition(item.note))
    final = final_label(labels) if labels else None
    if final is None or GRADE_LABELS[final] not in SANCTION_GRADES:
        return item
    if item.note[: item.note.find(final)].endswith(PROPOSAL_WORDS):
        return item  # (超范围开展认定，拟撤销备案: a sanction proposed, not the outcome)
    return replace(item, grade=GRADE_LABELS[final], grade_label=final)


_STEP = {
    Kind.HEADING: _on_heading,
    Kind.GROUP: _on_group,
    Kind.HEADER: _on_header,
    Kind.ROW: _on_row,
    Kind.ITEM: _on_item,
    Kind.PROSE: _on_prose,
    Kind.FURNITURE: _on_furniture,
}
