"""Tables: a header's column roles, and a row read by them (or by its content when no header fits).

Roles come from the header's words (vocabulary.COLUMN_ROLES): row number, region or city, name,
host (承建单位: the only column a host is read from when the header is known), supervising department
and institution type (never a host), outcome, remark (where it holds a sanction, the final outcome
wins: 不合格 + 撤销鉴定资格 is revoked). A header whose cells are grade words (优秀 / 合格 / 不合格) or
places makes a matrix: each cell is a name, graded or grouped by its column.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from ..regions import REGIONS
from ..vocabulary import (
    COLUMN_ROLES,
    GRADE_LABELS,
    INSTITUTION_TYPES,
    ORDERED_RECTIFY_RE,
    OWN_LEVEL_GROUPS,
    PASSED_OUTCOMES,
    SANCTION_GRADES,
    TICK_MARKS,
    UNGRADED_OUTCOMES,
)
from .items import (
    DASH_RE,
    NO_VALUE_RE,
    cell_labels,
    dash_remark_as_note,
    fills_name_position,
    final_label,
    is_department,
    item_text,
    labelled_host,
    looks_like_name,
    name_parts,
    split_parenthetical,
    tier_rating,
    verdict_labels,
)
from .scores import score_of

_BRACKETED_TAIL_RE = re.compile(r"\([^()]*\)$")
_TYPES = frozenset(INSTITUTION_TYPES)
_UNGRADED = frozenset(UNGRADED_OUTCOMES)


@dataclass(frozen=True, slots=True)
class Header:
    # one per column: number, region, name, host, supervisor, type, outcome, remark, person, other
    roles: tuple[str, ...]
    grades: tuple[str | None, ...] = ()  # a grade matrix: the grade word of each column
    groups: tuple[str | None, ...] = ()  # a matrix of cities: the place of each column
    label: str | None = None  # a grade the header itself states (年检优秀单位名称)

    @property
    def width(self) -> int:
        return len(self.roles)

    @property
    def is_matrix(self) -> bool:
        return bool(self.grades or self.groups)

    def half(self) -> Header | None:
        """The header of one part of a table laid out side by side (序号 | 名称 | 结果 | 序号 | 名称 |
        结果: two institutions a row), else None."""
        n = len(self.roles)
        for k in range(2, n // 2 + 1):
            if n % k == 0 and "name" in self.roles[:k] and self.roles == self.roles[:k] * (n // k):
                return Header(self.roles[:k], label=self.label)
        return None


@dataclass(frozen=True, slots=True)
class Row:
    """What one table row says about one institution."""

    name: str
    host: str | None
    note: str | None
    number: int | None
    grade: str | None
    label: str | None
    unknown_outcome: str | None = None  # an outcome word no rule grades (待定)
    score: float | None = None  # a score column's figure (graded by the notice's bands)


# a clause's punctuation: a cell or line holding one is a sentence, no title or name
CLAUSE_MARK_RE = re.compile(r"[,，。;；:：]")


@lru_cache(maxsize=4096)
def column_role(cell: str) -> str | None:
    """The role of a header cell: the role word that ends it (机构名称 -> name), else the first
    role word in it (COLUMN_ROLES' order), else None."""
    text = cell.replace(" ", "")
    if not 1 <= len(text) <= 14 or looks_like_name(text) or CLAUSE_MARK_RE.search(text):
        return None  # (经评估,以下单位为合格等次: is a sentence, no column title)
    bare = _BRACKETED_TAIL_RE.sub("", text)  # 备案职业(工种) ends with 职业, 市(州) with 市(州)
    for role, words in COLUMN_ROLES:
        if text.endswith(words) or bare.endswith(words):
            return role
    for role, words in COLUMN_ROLES:
        if any(w in text for w in words):
            return role
    return None


def _matrix(cells: tuple[str, ...]) -> Header | None:
    """A header whose cells are grade words (a grade matrix) or places (a matrix of cities)."""
    grades = tuple(labels[0] if len(labels := cell_labels(c)) == 1 and len(c) <= 10 else None for c in cells)
    if _is_matrix_header(grades, cells, 2):
        return Header(_matrix_roles(grades, cells), grades=grades)
    places = tuple(
        c if c and len(c) <= 8 and (c in OWN_LEVEL_GROUPS or REGIONS.resolve(c)) else None for c in cells
    )
    if _is_matrix_header(places, cells, 3):
        return Header(_matrix_roles(places, cells), groups=places)
    return None


def _is_matrix_header(columns: tuple[str | None, ...], cells: tuple[str, ...], at_least: int) -> bool:
    """At least `at_least` columns are a grade or place, and every other one is a row number or a
    count (小计), but for one column beside grade columns that labels the rows (县市区, 单位); grade
    columns may have a remark column beside them (备注: the outcome of the row's failed names)."""
    if sum(c is not None for c in columns) < at_least:
        return False
    roles = [column_role(cell) for value, cell in zip(columns, cells, strict=True) if not value]
    if len([r for r in roles if r not in ("number", "count")]) == 1:
        return True  # 单位 | 优秀 | 合格 …, 等次 | 哈尔滨市 | …: one column labels the rows
    others = ("number", "count", "figure") + (("region", "remark") if at_least == 2 else ())
    return all(role in others for role in roles)


def _matrix_roles(columns: tuple[str | None, ...], cells: tuple[str, ...]) -> tuple[str, ...]:
    """A matrix's columns: names under each grade or place, else a row number or label, the count
    of the row (参检数: in a 合计 row, the total) or a remark."""
    return tuple(
        "name" if value else (role if (role := column_role(cell)) in ("count", "remark") else "number")
        for value, cell in zip(columns, cells, strict=True)
    )


@lru_cache(maxsize=4096)
def read_header(cells: tuple[str, ...]) -> Header | None:
    """The header of a table, when the cells are column titles (序号 / 机构名称 / 承建单位 / 年检结论)."""
    if len(cells) < 2 or any(c.isdecimal() for c in cells):
        return None
    if matrix := _matrix(cells):
        return matrix
    roles = _with_tick_columns(tuple(column_role(c) or "" for c in cells), cells)
    known = [r for r in roles if r]
    if "person" in known and len(known) >= 2:
        return Header(tuple(r or "other" for r in roles))  # a table of people (姓名 | 所在鉴定所 | …)
    if "name" not in known or len(known) < 2 or len(known) < len([c for c in cells if c]) - 1:
        return None
    labels = {w for c, r in zip(cells, roles, strict=True) if r == "name" for w in cell_labels(c)}
    label = labels.pop() if len(labels) == 1 and "outcome" not in roles else None
    return Header(tuple(r or "other" for r in roles), label=label)


def _with_tick_columns(roles: tuple[str, ...], cells: tuple[str, ...]) -> tuple[str, ...]:
    """A table with a name column and a column per grade (序号 | 名称 | 优秀 | 合格 | 不合格) marks
    each row's grade with a tick: those columns' role is tick:<grade word>."""
    words = [_tick_word(c) if not r else None for r, c in zip(roles, cells, strict=True)]
    if "name" not in roles or sum(w is not None for w in words) < 2:
        return roles
    return tuple(f"{TICK_ROLE}{w}" if w else r for r, w in zip(roles, words, strict=True))


TICK_ROLE = "tick:"


def _tick_word(cell: str) -> str | None:
    """The grade word a column title names: 优秀, 不合格, or a bare tier (A: the rating A级)."""
    if rating := tier_rating(cell):
        return rating
    return labels[0] if len(cell) <= 6 and len(labels := cell_labels(cell)) == 1 else None


def _grade_of(cell: str) -> tuple[str | None, str | None]:
    """(grade, label) of an outcome or remark cell: its final grade word (items.final_label)."""
    cell = tier_rating(cell) or cell  # a bare tier in an outcome column (评估等级: A) is the rating A级
    labels = verdict_labels(cell) if cell and len(cell) <= 40 else ()
    if not labels:
        return None, None
    label = final_label(labels)
    return GRADE_LABELS[label], cell if len(cell) <= 12 else label


def _final(
    outcome: tuple[str | None, str | None], remark: tuple[str | None, str | None]
) -> tuple[str | None, str | None]:
    """The final outcome: a remark's sanction (撤销鉴定资格), a remark that alone grades, or a remark
    ordering rectification beside a pass (合格 | 限期整改(考评人员配置不足); not 自行整改) wins."""
    if remark[0] and (outcome[0] is None or remark[0] in SANCTION_GRADES):
        return remark
    if outcome[0] in PASSED_OUTCOMES and remark[1] and ORDERED_RECTIFY_RE.search(remark[1]):
        return remark
    return outcome


def read_row(
    cells: tuple[str, ...], header: Header | None, previous: tuple[str, ...] = ()
) -> tuple[list[Row], tuple[str, ...]]:
    """(the institutions a row names, with host and outcome; the row at the header's width, for the
    next row to fill down from). Read by the header's roles when the row has the header's width; a
    narrower row either lost its trailing empty cells, or its leading cells were merged cells (a
    grade or city written once for a block of rows), filled down from `previous`; else by content."""
    if header is not None and "person" in header.roles:
        return [], ()  # a table of people (姓名 | 工作单位 | 考核结果): no institution is graded
    if header is None or header.is_matrix:
        return _by_content(cells, header), ()
    if part := header.half():
        return _side_by_side(cells, part), ()
    width = header.width
    for candidate in _aligned(cells, header.roles, previous):
        if len(candidate) == width or _fits(candidate, header.roles):
            row = _by_roles(candidate, header.roles[: len(candidate)])
            if row:  # (the row above, for the next to fill down from: its lost trailing cells empty)
                return [row], candidate + ("",) * (width - len(candidate))
    return _by_content(cells, header), ()


def _side_by_side(cells: tuple[str, ...], part: Header) -> list[Row]:
    """The institutions of a row of a table laid out side by side, each part read by `part`."""
    rows: list[Row] = []
    for start in range(0, len(cells), part.width):
        chunk = cells[start : start + part.width]
        if any(chunk):
            rows += read_row(chunk, part)[0]
    return rows


def _aligned(
    cells: tuple[str, ...], roles: tuple[str, ...], previous: tuple[str, ...]
) -> list[tuple[str, ...]]:
    """The ways a row can stand under a header with `roles`: as it is; a row that stops before the
    outcome column, its last cells merged into the row above (a grade written once for a block),
    filled from `previous`; or its first cells so merged (a city), filled likewise."""
    width = len(roles)
    if len(cells) >= width:
        return [cells[:width]] if len(cells) == width else []
    full = len(previous) == width
    merged_tail = full and "outcome" in roles[len(cells) :] and _fits(cells, roles[: len(cells)])
    tail = [cells + previous[len(cells) :]] if merged_tail else []
    head = [previous[: width - len(cells)] + cells] if full else []
    return [*tail, *_merged_outcome(cells, roles, previous), cells, *head]


def _merged_outcome(cells: tuple[str, ...], roles: tuple[str, ...], previous: tuple[str, ...]) -> list:
    """A row without its outcome cell, merged into the row above from the middle of the table
    (序号 | 名称 | 等次 | 职业 | 备注 with 等次 written once per block): the row with the outcome
    of the row above put back in its column."""
    at = roles.index("outcome") if "outcome" in roles else None
    if not at or len(previous) != len(roles) or not at < len(cells) or cell_labels(item_text(cells[at])):
        return []  # (an outcome in the first column, merged, is filled down with the leading cells)
    if not _fits(cells[:at], roles[:at]):
        return []
    return [(*cells[:at], previous[at], *cells[at:])]


def _fits(cells: tuple[str, ...], roles: tuple[str, ...]) -> bool:
    """Whether each cell reads as what its column holds (a narrower row read by position)."""
    for role, cell in zip(roles, cells, strict=False):
        text = item_text(cell)
        graded = bool(cell_labels(text)) and len(text) <= 12
        if role == "outcome" and not (graded or text in _UNGRADED):
            return False
        empty = role != "name" and bool(NO_VALUE_RE.fullmatch(text))
        if role in ("host", "supervisor", "name") and (graded or not fills_name_position(text)) and not empty:
            return False
        if role == "number" and not text.isdecimal():
            return False
    return True


def _by_roles(cells: tuple[str, ...], roles: tuple[str, ...]) -> Row | None:
    cell = dict.fromkeys(("name", "host", "outcome", "remark", "score"), "")
    for role, text in zip(roles, cells, strict=True):
        if role.startswith(TICK_ROLE) and text.strip() in TICK_MARKS:
            role, text = "outcome", role.removeprefix(TICK_ROLE)  # the ticked grade column's word
        # (of two outcome columns, the one that grades: 等次 beside 得分; of two that grade, the
        # later: 复核结论 after 年检结论 is the final outcome)
        if role in cell and (not cell[role] or (role == "outcome" and _grades_over(cell[role], text))):
            cell[role] = text
    parts = name_parts(item_text(cell["name"]), by_position=True)
    if parts is None:
        return None
    name, host, note, number = parts
    own_host = cell["host"] if cell["host"] and not NO_VALUE_RE.fullmatch(cell["host"]) else None
    grade, label = _final(_grade_of(cell["outcome"]), _grade_of(cell["remark"]))
    unknown = cell["outcome"] if grade is None and cell["outcome"] in _UNGRADED else None
    return Row(name, own_host or host, note, number, grade, label, unknown, score_of(cell["score"]))


def _grades_over(earlier: str, later: str) -> bool:
    """Whether a later outcome cell replaces an earlier one: it grades, or the earlier does not."""
    return not cell_labels(earlier) or bool(cell_labels(later))


@dataclass
class _Cells:
    """_by_content's reading of a row so far: each name with the outcome that follows it."""

    names: list[tuple[str, str | None, str | None, int | None]]
    outcomes: list[tuple[str | None, str | None]]  # one per name
    hosts: list[str]
    unknown: str | None = None

    def grade(self, graded: tuple[str | None, str | None]) -> None:
        """A grade cell after a name: it grades the names before it that have none (two institutions
        per row: 1 | A | 优秀 | 17 | B | 合格); after a graded name, a later sanction is its final
        outcome. (A grade before any name is _by_content's `lead`.)"""
        pending = [i for i, o in enumerate(self.outcomes) if o[0] is None]
        for i in pending or [len(self.outcomes) - 1]:
            self.outcomes[i] = _final(self.outcomes[i], graded) if self.outcomes[i][0] else graded

    def host_first(self) -> None:
        """'阜新矿业(集团)有限责任公司 | 煤炭行业…鉴定第15站': an organisation, then the one institution
        it hosts, is that institution with its host."""
        if len(self.names) != 2 or self.hosts or self.outcomes[0][0]:
            return
        (host, _, _, _), (name, own_host, note, number) = self.names
        if looks_like_name(name) and not looks_like_name(host) and own_host is None:
            self.names = [(name, host, note, number)]
            self.outcomes = self.outcomes[1:]


def _by_content(cells: tuple[str, ...], header: Header | None) -> list[Row]:
    """A row without a header that fits: name-like cells are names (a second institution's name
    too, unless the header has a host column), a grade cell the outcome of the names before it (a
    later sanction wins), another organisation's name the host (unless a header without a host
    column was read)."""
    if header is None and (grid := _name_grid(cells)):
        return grid
    read, lead = _read_cells(cells, header)
    if header is None:
        read.host_first()
    only_host = read.hosts[0] if len(read.names) == 1 and read.hosts else None
    # (one name and a last cell that is a figure up to 100: its score, graded by the notice's bands)
    score = score_of(cells[-1]) if len(read.names) == 1 and len(cells) > 2 else None
    score = score if score is not None and score <= 100 else None
    rows = []
    for (name, host, note, number), outcome in zip(read.names, read.outcomes, strict=True):
        grade, label = _final(outcome, lead) if outcome[0] else lead  # (a sanction before the name too)
        unknown = read.unknown if grade is None else None
        rows.append(Row(name, host or only_host, note, number, grade, label, unknown, score))
    return rows


# a name that says it is an appraisal institution (not a company's 教育培训评价中心, a host)
_APPRAISAL_NAME_RE = re.compile(r"鉴定|认定|评价机构|评价组织|考核站|考试站")


def _second_name(text: str) -> bool:
    """Whether a name-like cell after a name, in a row without a header, is a second institution
    (A鉴定所 | B鉴定站) and not the first one's host (…认定第20站 | 广东电网…教育培训评价中心)."""
    return looks_like_name(text) and _APPRAISAL_NAME_RE.search(text) is not None


def _sanction_cell(text: str) -> bool:
    return any(GRADE_LABELS[label] in SANCTION_GRADES for label in verdict_labels(text))


def _read_cells(
    cells: tuple[str, ...], header: Header | None
) -> tuple[_Cells, tuple[str | None, str | None]]:
    """_by_content's pass over the cells: the names, their outcomes and hosts, and the outcome
    written before any name (`lead`)."""
    host_column = header is not None and "host" in header.roles
    read = _Cells([], [], [])
    lead: tuple[str | None, str | None] = (None, None)
    for raw in cells:
        text = _cell_text(raw)
        if not text or text.isdecimal() or NO_VALUE_RE.fullmatch(text):
            continue
        # (a short cell, one that opens with an outcome, or a remark with a sanction after a name:
        # 经承建单位申请,予以注销)
        outcome = len(text) <= 12 or _opens_with_outcome(text) or (read.names and _sanction_cell(text))
        graded = _grade_of(text) if outcome else (None, None)
        if graded[0] and not read.names:
            lead = _final(lead, graded) if lead[0] else graded
        elif graded[0]:
            read.grade(graded)
        elif text in _UNGRADED:
            read.unknown = text
        elif (not read.names or (header is None and _second_name(text))) and _is_name_cell(text):
            read.names.append(name_parts(text, by_position=True))  # type: ignore[arg-type]
            read.outcomes.append((None, None))
        elif read.names and (header is None or host_column) and (labelled := labelled_host(text)):
            read.hosts.append(labelled)  # (1.X所 | 依托单位:Y)
        elif read.names and text not in _TYPES and (header is None or host_column) and _may_be_host(text):
            read.hosts.append(text)
    return read, lead


def _cell_text(raw: str) -> str:
    """A cell as item_text reads it; a name with what was found after a dash (X鉴定所(承建单位:Y)——档案
    管理不规范) as the name with the finding as its note."""
    text = item_text(raw)
    if DASH_RE.search(text) and not _is_name_cell(text) and (noted := dash_remark_as_note(text)):
        return noted if _is_name_cell(noted) else text
    return text


def _opens_with_outcome(cell: str) -> bool:
    """A longer cell that opens with its outcome (撤销备案，移出评价机构目录; 暂停…工作3个月), not a
    problem described (…整改不到位) that a header would have named."""
    labels = cell_labels(cell) if len(cell) <= 40 else ()
    return bool(labels) and cell.startswith(labels[0])


_GRID_CELLS = 3


def _name_grid(cells: tuple[str, ...]) -> list[Row]:
    """A headerless row of three or more names and nothing else (names set out in a grid under a
    grade heading): each is an institution, none another's host."""
    texts = [t for t in (item_text(c) for c in cells) if t and not NO_VALUE_RE.fullmatch(t)]
    if len(texts) < _GRID_CELLS or any(_grade_of(t)[0] or not _is_name_cell(t) for t in texts):
        return []
    parts = [name_parts(t, by_position=True) for t in texts]
    return [Row(*p, None, None) for p in parts if p]


def _is_name_cell(text: str) -> bool:
    """A name cell, its bracket aside (X鉴定所(依托单位:Y学院): the colon is the host's)."""
    return fills_name_position(text) or fills_name_position(split_parenthetical(text)[0])


def _may_be_host(text: str) -> bool:
    """An organisation's name that is not a place (a city column is no host) nor a government
    department (a supervisor column)."""
    return fills_name_position(text) and not REGIONS.resolve(text) and not is_department(text)


# a line of three or more short comma-separated cells, no sentence (a CSV row)
_COMMA_ROW_RE = re.compile(r"^(?:[^,，。\n]{0,24}[,，]){2,}[^,，。\n]{0,40}$", re.MULTILINE)


def comma_tables_as_tabs(text: str) -> str:
    """A table pasted as comma-separated lines (序号,名称,承建单位,年检结论,备注 then rows with as many
    cells, the last maybe empty) rewritten tab-separated, line for line, as every reader expects a
    table; other text unchanged."""
    if not _COMMA_ROW_RE.search(text):
        return text  # (cheap: most texts hold no such line)
    lines = text.split("\n")
    width = 0  # the open table's width, 0 outside one
    for index, line in enumerate(lines):
        cells = _comma_cells(line) if "," in line or "，" in line else []
        if not (width and len(cells) == width):
            width = len(cells) if _is_comma_header(line, cells) else 0
        if width:
            lines[index] = "\t".join(cells)
    return "\n".join(lines)


def _is_comma_header(line: str, cells: list[str]) -> bool:
    """Whether a comma-separated line is a table's header: three or more column titles, each with a
    role (a sentence's clauses have none: 经综合评定,38家评价机构中,…), one of them a name's or an
    outcome's (站号,依托单位,评估结论: the name column is then found from the rows' content)."""
    titles = [c for c in cells if c]  # (empty trailing columns: 序号,名称,承建单位,年检结论,,)
    if len(titles) < 3 or not _COMMA_ROW_RE.match(line.strip()):
        return False
    roles = [column_role(c) for c in titles]
    return None not in roles and bool({"name", "outcome"} & set(roles))


def _comma_cells(line: str) -> list[str]:
    """A comma-separated line's cells: CSV (a quoted cell may hold a comma), or split at full-width
    commas."""
    line = line.strip()
    raw = next(csv.reader([line])) if "," in line else line.split("，")
    return [cell.strip() for cell in raw]
