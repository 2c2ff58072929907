"""The document model: every line classified once, before any list or table is read.

`classify_lines(doc)` gives each non-blank line a `Kind`: a grade heading (its grade, count and
words), a group sub-heading (a city, a kind of institution), a table header (its column roles, see
tables.py), a table row, a list item, page furniture (a page number, a note in brackets) or prose.
The list reader (lists.py) is a state machine over these lines; it never re-reads their text.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from ..numerals import digit_counts
from ..regions import REGIONS
from ..vocabulary import (
    ABOUT_OTHERS_RE,
    ACTIVITY_WORDS,
    CONDITION_CLAUSE_RE,
    GRADE_LABEL_RE,
    GRADE_LABELS,
    GROUP_KIND_WORDS,
    INSTITUTION_NOUN_RE,
    INSTITUTION_SUFFIXES,
    LISTED_KIND_WORDS,
    MACRO_REGIONS,
    ORGANISATION_SUFFIXES,
    OTHER_KIND_WORDS,
    PROPOSAL_WORDS,
    RATING_TIERS,
    REQUEST_WORDS,
    RULING_WORDS,
    SANCTION_GRADES,
    SECTORS,
    SPLIT_SANCTION_RE,
    SUM_ROW_WORDS,
    WRAPPED_TAIL_OPENINGS,
    words_re,
)
from .document import PAGE_NUMBER_RE, Document, table_cells
from .items import (
    DASH_RE,
    HOST_CLAUSE,
    NO_VALUE_RE,
    and_split,
    cell_labels,
    dash_remark_as_note,
    enumeration_end,
    fills_name_position,
    final_label,
    grade_labels,
    is_department,
    item_text,
    looks_like_name,
    name_parts,
    opens_bracket,
    outcome_labels,
    reads_as_clause,
    split_outside_brackets,
    split_parenthetical,
    strip_numbering,
    tier_rating,
    without_place_column,
)
from .metadata import is_date_line
from .tables import CLAUSE_MARK_RE, Header, column_role, read_header

# a heading's count at its end: (53所), ：11所, (8家,限期整改) — a short remark may follow the count
_COUNT_TAIL_RE = re.compile(
    r"(?:[(（:：]|(?<!\s))\s*+(?:共|计)?\s*+(?<!\d)(\d{1,7})\s*+(?:个|所|家|站|单位)\s*+(?:[,，、][^()（）,，]{1,12})?[)）]?\s*+$"
)
_HEADING_WORD_RE = re.compile(r"(?:名单|名录|单位|如下|结果|等次|[:：])\s*$")
# the grade words end the heading: 这些鉴定机构被撤销, 限期整改的鉴定站, 年检优秀单位
_LABEL_AT_END_RE = re.compile(r"^[\u4e00-\u9fffA-Z]{1,6}(?:的|单位|机构|鉴定所|鉴定站|鉴定机构)?\s*$")
# '通过年检的鉴定所', '被撤销的鉴定机构', '年检合格的职业技能鉴定所(站)名单': a grade phrase + 的 + a kind
_GRADE_OF_KIND_RE = re.compile(
    r"的[\u4e00-\u9fff]{0,8}?(?:鉴定所|鉴定站|鉴定机构|机构|单位|评价机构|鉴定中心)(?:\((?:站|所)\))?(?:名单|名录)?$"
)
# a heading that is only an activity, a grade and a kind: '评估达标鉴定所', '年检合格单位'
_ACTIVITY_GRADE_KIND_RE = re.compile(
    r"^(?:年检|年度检查|检查评估|质量评估|评估|检查|年审|考核|督导)?(?P<label>"
    + GRADE_LABEL_RE.pattern
    + r")(?:的)?(?:国家)?(?:职业技能)?(?:鉴定所|鉴定站|鉴定机构|机构|单位|评价机构)"
    + r"(?:\((?:站|所)\))?(?:名单|名录)?$"
)
_BARE_NUMBER_RE = re.compile(r"^\d{1,4}$")
# a line that is only a row number (_BARE_NUMBER_RE once stripped), searched for in "\n" + the text
# (a pattern that starts with a plain character is scanned for several times faster than one with ^)
# a line holding only a row number, or only a name column's header: maybe a vertical table
_ROW_NUMBER_LINE_RE = re.compile(r"\n[^\S\n]*(?:\d{1,4}|序号|[^\s\d]{0,8}名称)[^\S\n]*$", re.MULTILINE)
# a table row whose cells lost their separators: …职业技能鉴定总站良好 (a name, then its grade)
_NAME_THEN_GRADE_RE = re.compile(
    r"(?P<name>.+(?:鉴定所|鉴定站|鉴定总站|鉴定分站|鉴定中心|指导中心)(?:\((?:站|所)\))?)"
    r"(?P<label>" + GRADE_LABEL_RE.pattern + r")\s*$"
)
_GLUED_NUMBER_RE = re.compile(r"\d{1,3}(?=[\u4e00-\u9fff])(?![厂号])")  # not 805厂
_HEADING_STOP_RE = re.compile(r"[。,，;；]")
_SENTENCE_END_RE = re.compile(r"[。;；]")
_LIST_WORD_RE = re.compile(r"名单|名录")


@dataclass(frozen=True)
class Heading:
    grade: str | None
    label: str | None
    count: int | None
    text: str
    labels: tuple[str, ...] = ()
    includes_other: bool = False  # its count covers another grade too (合格(含优秀)单位(20家))


_LABELS = tuple(GRADE_LABELS)


def _name_then_grade(text: str) -> re.Match[str] | None:
    """_NAME_THEN_GRADE_RE matched at the start of `text`, once it ends with a grade word (cheap)."""
    return _NAME_THEN_GRADE_RE.match(text) if text.rstrip().endswith(_LABELS) else None


# what parse_heading's guard looks for: lines without it are no heading
_HEADING_HINT_RE = re.compile(GRADE_LABEL_RE.pattern + "|名单|名录")
_ITEM_SEPARATORS = "、;；,，"
_ITEM_SPLIT_RE = re.compile(f"[{_ITEM_SEPARATORS}]")
# a group sub-heading: a city or a kind of institution, perhaps numbered, bracketed, with a count
_GROUP_DECOR_RE = re.compile(r"^[【\[〔<《]|[】\]〕>》]$|[:：]$|[:：]\s*(?:无|暂无)$")  # (区直单位:无: none)
_GROUP_COUNT_RE = re.compile(
    r"(?<!\s)\s*+[(（]?\s*+(?:共|计)?\s*+\d{1,5}\s*+(?:个|所|家|站|单位)\s*+[)）]?\s*+[:：]?$"
)
# a group's own breakdown after its name: 省直单位(共9个,其中合格8个、基本合格1个), a subtotal
_GROUP_BREAKDOWN_RE = re.compile(
    r"(?<!\s)\s*+[(（](?:共|计)\s*+\d{1,5}\s*+(?:个|所|家|站)[^()（）]{0,40}[)）]\s*+[:：]?$"
)
_KIND_ASIDE_RE = re.compile(r"(?<=.)[(（](?:" + words_re(LISTED_KIND_WORDS).pattern + r")[)）]$")
# a kind, or kinds joined (省直及中央驻豫单位: 驻 and a province's short name is a kind too)
# (综合类, 行业类: a class of institutions is a kind too)
_GROUP_KIND = (
    "(?:" + words_re(GROUP_KIND_WORDS).pattern + r"|(?:中央)?驻[\u4e00-\u9fff](?:省)?|[\u4e00-\u9fff]{1,4}类)"
)
_GROUP_KIND_RE = re.compile(
    f"^{_GROUP_KIND}(?:[及和与、]{_GROUP_KIND})*"
    + r"(?:类|单位|机构|部分|鉴定所|鉴定站|鉴定机构|评价机构)?(?:名单)?$"
)
# a class of institutions named in full (院校职业技能鉴定所, 综合类职业技能鉴定所(中心)): a sub-heading
# only with its count (院校职业技能鉴定所(11个)), else it could be a name
_KIND_CLASS_RE = re.compile(
    f"^{_GROUP_KIND}(?:[及和与、]{_GROUP_KIND})*"
    + r"职业技能鉴定(?:所|站|机构)(?:[(（](?:中心|站|所)[)）])?$"
)
_PLACE_TAIL_RE = re.compile(
    r"^(?:市|州|县|区|盟|地区|省|自治州|新区)?(?:本级|直属|所属)?(?:鉴定机构|单位|机构)?$"
)
# a line that is only a bracketed note: (排名不分先后), （按行政区划排序）
_NOTE_LINE_RE = re.compile(r"^[(（][^()（）]{1,30}[)）]$")
# an item with its own grade: 'A：合格', 'A——限期整改', 'A（合格）', 'A 合格', 'A（拟予以撤销）'
_OWN_GRADE_RE = re.compile(
    # (a colon inside the name's brackets is the host's label: X站(承建单位:Y)——合格)
    r"^(?P<name>(?:[^:：()（）]|[(（](?:[^()（）]|[(（][^()（）]{1,12}[)）]){1,40}[)）]){4,60}?)"
    r"\s*(?:[:：]|[-—－–]{1,3}|[(（])\s*(?:"
    + words_re((*PROPOSAL_WORDS, *RULING_WORDS, *REQUEST_WORDS)).pattern
    + r"){0,2}(?P<label>"
    + GRADE_LABEL_RE.pattern
    + r")[^:：()（）]{0,12}[)）]?(?:\s*[(（][^()（）]{1,30}[)）])?$"  # a remark may follow: (限期整改三个月)
)
# a line numbered as list items are (1. ① (1)), not as sections (一、), with no clause in it
_UNREAD_ITEM_RE = re.compile(r"^(?:\d{1,5}\s*[.、．)）]|[(（]\d{1,5}[)）]|[①-⑳㉑-㉟㊱-㊿])\s*\S.{0,70}$")
_OTHER_KIND_RE = words_re(OTHER_KIND_WORDS)
_ACTIVITY_RE = words_re((*ACTIVITY_WORDS, "结果", "情况", "办学"))
_APPRAISAL_WORD_RE = re.compile(INSTITUTION_NOUN_RE.pattern + "|鉴定|评价")
_TITLE_PART_RE = re.compile(r"[:：]")
_SECTION_START_RE = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|第[一二三四五六七八九十]{1,3}(?:部分|章|节)|附件\s*\d*\s*$|附件\s*\d)"
)
_PART_TITLE_RE = re.compile(r"^第[一二三四五六七八九十]{1,3}(?:部分|章|节)")
_SECTION_WORD_RE = re.compile(r"(?:情况|结果|名单|一览表|名录)$")
_REMARK_TAIL_RE = re.compile(r"[(（][^()（）]{1,10}[)）]$")
_FIRST_CLAUSE_RE = re.compile(r"^([^,，。;；]{4,40})[,，]")
# (a grade in brackets at the end, perhaps with its period: (限期整改), (限期整改6个月))
_GRADE_PAREN_TAIL_RE = re.compile(r"[(（](?:" + GRADE_LABEL_RE.pattern + r")[^()（）]{0,8}[)）]$")
_LABEL_TAIL_RE = re.compile("(?:" + GRADE_LABEL_RE.pattern + ")[^、;；,，]{0,14}$")
_LEAD_CLAUSE_RE = re.compile(r"[,，;；]")
_LEAD_COUNT_RE = re.compile(r"(?<![\d.])(\d{1,5})\s*(?:个|家|所|站)")
_SEGMENT_RE = re.compile(r"[;；]")
_BORDER_RE = re.compile(r"[-+=|:\s]{3,}+")  # a text table's border: +-----+-----+, ========
_RULE_ROW_RE = re.compile(r"\|?(?:\s*+:?-{3,}+:?\s*+\|)++\s*+:?-*+:?\s*+\|?")  # a pipe table's |---|---|


class Kind(enum.Enum):
    FURNITURE = "furniture"
    HEADING = "heading"
    GROUP = "group"
    HEADER = "header"
    ROW = "row"
    ITEM = "item"
    PROSE = "prose"


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based line of the normalized text
    text: str
    kind: Kind
    heading: Heading | None = None  # HEADING
    header: Header | None = None  # HEADER
    group: str | None = None  # GROUP: the city or kind
    pieces: tuple[str, ...] = ()  # ITEM: the item texts; HEADING: items on the heading's own line


def _names_a_body(cells: list[str]) -> bool:
    """A row that starts with its row number, or has a cell naming an organisation."""
    return cells[0].strip().isdecimal() or any(
        fills_name_position(split_parenthetical(c.strip())[0]) for c in cells
    )


def _counted_short(text: str) -> bool:
    """A short heading with a count may hold a comma: 三、年检不合格,限期整改(7个)."""
    return len(text) <= 30 and not _SENTENCE_END_RE.search(text) and bool(_COUNT_TAIL_RE.search(text))


@lru_cache(maxsize=8192)
def parse_heading(line: str) -> Heading | None:
    """A grade heading: `二、合格…鉴定所名单(53所)`, `一、年检优秀单位：11所`, `这些鉴定机构被撤销`.

    A heading carries a count, ends with a heading word (名单, 单位, 如下, a colon) or ends with its
    grade words; a line that is an institution's name (ends with 鉴定站 …) without a count is an item.
    """
    if not GRADE_LABEL_RE.search(line) and "名单" not in line and "名录" not in line:
        return None  # a heading names a grade (or is a 名单 with a count): cheap guard
    if line.startswith("【") and line.endswith("】"):
        line = line[1:-1]  # a section mark around it (【优秀名单】, a WeChat article's)
    text = digit_counts(strip_numbering(line))  # 五星级(六家) -> 五星级(6家)
    if not _may_be_heading(line, text):
        return None
    count_m = _COUNT_TAIL_RE.search(text)
    core = (text[: count_m.start()] if count_m else text).strip()
    if not core:
        return None
    labels = grade_labels(core)
    bare = _without_tail_bracket(core)
    if not count_m and not _ends_as_heading(bare, grade_labels(bare) if bare != core else labels):
        return None
    count = int(count_m.group(1)) if count_m else None
    if not labels:
        return Heading(None, None, count, text) if count_m and _LIST_WORD_RE.search(core) else None
    label_words = tuple(m.group() for m in labels)
    grades = {GRADE_LABELS[w] for w in label_words}
    sanctions = [w for w in label_words if GRADE_LABELS[w] in SANCTION_GRADES]
    if len(grades) == 2 and len(sanctions) == 1 and label_words[-1] == sanctions[0]:
        # '不合格、撤销备案的…': the final sanction after its reason (as for counts)
        return Heading(GRADE_LABELS[sanctions[0]], sanctions[0], count, text, label_words)
    if len(grades) > 1:
        # 合格(含优秀)单位: the first grade's list, the other within it (its items say so)
        included = _INCLUDED_RE.search(core)
        first = next((m for m in labels if included and m.start() < included.start()), None)
        if first is None:
            return Heading(None, None, count, text, label_words)
        label = first.group()
        return Heading(GRADE_LABELS[label], label, count, text, label_words, includes_other=True)
    return Heading(grades.pop(), labels[0].group(), count, text, label_words)


def _without_tail_bracket(core: str) -> str:
    """A heading without the bracket that ends it: its grade (年检不合格单位(限期整改)), which is part
    of it, or a note with no grade (…鉴定站(按区域排列))."""
    bare = _GRADE_PAREN_TAIL_RE.sub("", core)
    if bare == core and core.endswith((")", "）")) and (note := _REMARK_TAIL_RE.search(core)):
        return core[: note.start()] if not grade_labels(note.group()) else core
    return bare


# a grade included in the heading's own (合格(含优秀)单位, 合格及以上): its items carry it themselves
_INCLUDED_RE = re.compile(r"[(（]\s*含")


def _may_be_heading(line: str, text: str) -> bool:
    """Not a sentence, not a table row naming an institution, not an item with its grade glued on."""
    if not text or len(text) > 50 or (_HEADING_STOP_RE.search(text) and not _counted_short(text)):
        return False
    if "\t" in text and _names_a_body(text.split("\t")):
        return False  # a table row naming an institution (its grade column is not a heading)
    dash = DASH_RE.search(text)
    if dash and name_parts(text[: dash.start()]):
        return False  # an item and a remark after a dash (X——依托单位申请撤销)
    glued = _name_then_grade(text)
    parsed = name_parts(glued.group("name")) if glued else None
    # an item with its grade glued on: 14白银市…鉴定总站良好, 1、靖远县…鉴定站合格
    return not (parsed and (line.lstrip()[:1].isdigit() or REGIONS.starts_with_place(parsed[0])))


def _ends_as_heading(core: str, labels: list[re.Match[str]]) -> bool:
    """A heading without a count ends with a heading word, its grade words, or a grade and a kind."""
    heading_word = bool(_HEADING_WORD_RE.search(core))
    tail = core[labels[-1].start() :] if labels else ""
    grade_of_kind = bool(tail) and bool(_GRADE_OF_KIND_RE.search(tail) or _ACTIVITY_GRADE_KIND_RE.match(core))
    ends_with_label = bool(tail) and bool(_LABEL_AT_END_RE.search(tail))
    if not (heading_word or ends_with_label or grade_of_kind):
        return False
    return not (looks_like_name(core) and not heading_word and not grade_of_kind)


@lru_cache(maxsize=16384)
def group_name(text: str) -> str | None:
    """The city or kind a sub-heading names (兰州市：, 【长沙市】, （一）省直单位), else None."""
    if len(text) > 32:
        return None  # cheap guard: a sub-heading is short (its count and numbering included)
    text = digit_counts(text)  # (济南市(二个): its count in Chinese numerals)
    core = _GROUP_COUNT_RE.sub("", _GROUP_BREAKDOWN_RE.sub("", strip_numbering(text)))
    core = _GROUP_DECOR_RE.sub("", _GROUP_DECOR_RE.sub("", core)).strip()
    core = _KIND_ASIDE_RE.sub("", core)  # 企业(用人单位): the kind, glossed
    if not 2 <= len(core) <= 16 or GRADE_LABEL_RE.search(core):
        return None
    if _GROUP_KIND_RE.match(core) or (_KIND_CLASS_RE.match(core) and _GROUP_COUNT_RE.search(text)):
        return core
    place = REGIONS.match_place(core)
    if (place and _PLACE_TAIL_RE.match(core[len(place) :])) or _TOWNSHIP_RE.fullmatch(core):
        return core
    if "、" in core and all(REGIONS.match_place(p) == p for p in core.split("、")):
        return core  # 鹤岗市、双鸭山市、七台河市: places grouped under one sub-heading
    if core != text.strip() and _COUNT_IN_BRACKETS_RE.search(text) and _is_group_organisation(core):
        return core  # 北京铁路局(3个): an organisation the institutions below belong to, with their count
    if _SECTOR_GROUP_RE.fullmatch(core) or _MACRO_REGION_RE.fullmatch(core):
        return core  # 电力行业, 煤炭系统: an industry the stations below belong to; 华北区域
    return None


# a township or street office below the county (莞城街道, 厚街镇, 大朗镇): a place too, though no
# division code names it
_TOWNSHIP_RE = re.compile(r"[\u4e00-\u9fff]{2,6}(?:镇|乡|街道)")
_SECTOR_GROUP_RE = re.compile("(?:" + words_re(SECTORS).pattern + ")(?:行业|系统)")
_MACRO = words_re(MACRO_REGIONS).pattern
_MACRO_REGION_RE = re.compile(f"{_MACRO}(?:、{_MACRO})*(?:区域|地区|片区|大区)?")


_COUNT_IN_BRACKETS_RE = re.compile(r"[(（]\s*(?:共\s*)?\d{1,4}\s*[个家所站]\s*[)）]\s*[:：]?$")


def _is_group_organisation(core: str) -> bool:
    """An organisation's name (铁路局, 集团公司), not an institution's (…鉴定站) nor a sentence."""
    return (
        core.endswith(ORGANISATION_SUFFIXES)
        and not core.endswith(INSTITUTION_SUFFIXES)
        and not (CLAUSE_MARK_RE.search(core))
    )


_BARE_TIER_RE = re.compile(r"[(（]([" + RATING_TIERS + r"])[)）]$")


@lru_cache(maxsize=16384)
def own_grade_item(piece: str) -> tuple[str, str] | None:
    """(name, label) of an item that carries its own grade: 'A：合格', 'A——限期整改', 'A（合格）', or
    a tier of the notice's rating in brackets ('A（B）' is the rating B级)."""
    if piece.endswith((")", "）")) and (tier := _BARE_TIER_RE.search(piece)):
        piece = f"{piece[: tier.start()]}({tier_rating(tier.group(1))})"
    m = _OWN_GRADE_RE.match(piece) if GRADE_LABEL_RE.search(piece) else None
    labels = cell_labels(piece[m.start("label") :]) if m else ()
    if not labels:
        return _grade_after_host(piece)
    name = m.group("name").strip()  # type: ignore[union-attr]
    return (name, final_label(labels)) if fills_name_position(split_parenthetical(name)[0]) else None


@lru_cache(maxsize=16384)
def _grade_after_host(piece: str) -> tuple[str, str] | None:
    """'X鉴定所(依托Y,优秀)': the host, then the item's own grade in the same bracket."""
    if not piece.endswith((")", "）")) or not GRADE_LABEL_RE.search(piece):
        return None
    name, host, note = split_parenthetical(piece)
    if not (host and note and cell_labels(note) == (note,)):
        return None
    kept = piece[: piece.rfind(note)].rstrip(",，、;；") + piece[-1]
    return (kept, note) if fills_name_position(name) else None


def item_pieces(text: str) -> tuple[str, ...] | None:
    """The items of a list line (several may share it, separated by 、；，), or None when a piece
    is not an item: an organisation's name, perhaps with a host or a note, or one with its grade."""
    body = without_place_column(strip_numbering(text).removesuffix("。"))
    body = _without_cut_bracket(_numbered_run(_LENTICULAR_TAIL_RE.sub(r"(\1)", body)))
    if "。" in body or not _may_end_an_item(body):
        return None  # cheap guard: a sentence, or a line whose last piece is no name
    pieces = []
    bracketed = "(" in body or "（" in body  # (a note in brackets may hold a comma)
    raws = (
        split_outside_brackets(body, _ITEM_SPLIT_RE, _ITEM_SEPARATORS)
        if bracketed
        else _ITEM_SPLIT_RE.split(body)
    )
    for part in (part for raw in raws for part in and_split(raw)):
        piece = item_text(part)
        if not piece or (piece.isdecimal() and len(piece) <= 5):
            continue
        if not (name_parts(piece, by_position=True) or own_grade_item(piece)):
            piece = dash_remark_as_note(piece)
            if piece is None:
                return None
        pieces.append(piece)
    return tuple(pieces) or None


# an item's outcome in lenticular brackets after its name (X所(Y)【合格】): read as a bracket
_LENTICULAR_TAIL_RE = re.compile(r"【([^【】()（）]{1,40})】$")


def _without_cut_bracket(body: str) -> str:
    """A line cut off inside its last item's bracket (…第十二站(兰: a truncated copy): the bracket's
    unclosed start dropped, so the name before it stands."""
    if not opens_bracket(body):
        return body
    at = max(body.rfind("("), body.rfind("（"))
    return body[:at] if opens_bracket(body[at:]) and not opens_bracket(body[:at]) else body


# the next number of a run of items on one line, after a gap: 'X所 2.Y站 3.Z所'
_RUN_NUMBER_RE = re.compile(r"\s+(\d{1,3})[.．、](?!\d)")


def _numbered_run(body: str) -> str:
    """Items numbered on one line with a gap before each number ('A 2.B 3.C', the first number
    already stripped): the numbers, when they run on from 2, become separators."""
    if " " not in body and "\u3000" not in body:
        return body
    numbers = [int(m.group(1)) for m in _RUN_NUMBER_RE.finditer(body)]
    if not numbers or numbers != list(range(2, len(numbers) + 2)):
        return body
    return _RUN_NUMBER_RE.sub("、", body)


def _may_end_an_item(body: str) -> bool:
    """Whether the last piece of a line can be an item: it ends with a bracket, a digit, an
    organisation noun or a grade word (the full test is name_parts / own_grade_item)."""
    tail = body.rstrip("、;；,， ")
    return (
        tail.endswith((")", "）", *ORGANISATION_SUFFIXES))
        or tail[-1:].isdigit()
        or bool(_LABEL_TAIL_RE.search(tail))
    )


def _own_graded_items(number: int, text: str) -> Line | None:
    pieces = item_pieces(text)
    if pieces and all(own_grade_item(p) for p in pieces):
        return Line(number, text, Kind.ITEM, pieces=pieces)
    return None


def _at_first_colon(text: str) -> tuple[str, str]:
    """(the text before its first colon, the text after it; empty without a colon) — full-width
    first, as the lines use it."""
    head, _, tail = text.partition("：") if "：" in text else text.partition(":")
    return head, tail


def _group_with_items(number: int, text: str) -> Line | None:
    """'呼和浩特市(3个):A、B、C', '芙蓉区:A、B' — a group sub-heading and its items on one line."""
    head, tail = _at_first_colon(text)
    group = group_name(head) if tail.strip() else None
    pieces = item_pieces(tail) if group else None
    return Line(number, text, Kind.GROUP, group=group, pieces=pieces) if pieces else None


def _labelled_items(number: int, text: str) -> Line | None:
    """Items after a label and a colon: a name column's title ('鉴定机构名称(承建单位):X(Y);Z(W)'), or
    the host that runs them ('芜湖职业技术学院:X鉴定所、Y鉴定站', each hosted by it)."""
    head, tail = _at_first_colon(text)
    if not tail.strip() or not 4 <= len(head) <= 40:
        return None
    pieces = item_pieces(tail)
    if not pieces:
        return None
    if column_role(head) == "name":
        return Line(number, text, Kind.ITEM, pieces=pieces)
    if looks_like_name(head) or not fills_name_position(head):
        return None  # (an institution before its colon: X鉴定所:合格, the item rules' to read)
    if not all(looks_like_name(split_parenthetical(p)[0]) for p in pieces):
        return None
    hosted = tuple(_with_host(p, head) for p in pieces)
    return Line(number, text, Kind.ITEM, pieces=hosted)


def _with_host(piece: str, host: str) -> str:
    """'X鉴定所(note)' run by `host`: 'X鉴定所(host承建)(note)', as a list writes its host."""
    at = next((i for i, c in enumerate(piece) if c in "(（"), len(piece))
    return f"{piece[:at]}({host}承建){piece[at:]}"


# 以下 as 'the following' (以下52个鉴定所), not as 'below' a figure (60分以下, 60分(含)以下)
_FOLLOWING_RE = re.compile(r"(?<![\d分])(?<!含\))(?<!含）)以下")


def _lead_heading(number: int, text: str) -> Line | None:
    """A sentence that opens a list: '一、经年检,以下52个鉴定所(站)年检结论为合格:', '对…以下4家评价
    组织,暂停其…3个月,暂停期满…复核合格后方可恢复:' — the grade of the first clause, from the one
    that announces the list (以下, a count) on, that names one; a single count in it is the list's."""
    if not text.endswith((":", "：")) or len(text) > 120:
        return None
    clauses = _LEAD_CLAUSE_RE.split(text.rstrip(":："))
    start = next(
        (i for i, c in enumerate(clauses) if _FOLLOWING_RE.search(c) or _LEAD_COUNT_RE.search(c)),
        len(clauses) - 1,
    )
    named = {GRADE_LABELS[m.group()] for clause in clauses[start:] for m in grade_labels(clause)}
    if len(named) > 1 and sum(bool(_LEAD_COUNT_RE.search(c)) for c in clauses[start:]) > 2:
        return None  # a summary of several grades' counts (优秀6家,合格21家…如下:), not one grade's list
    for at, clause in enumerate(clauses[start:], start):
        labels = grade_labels(clause)
        if len({GRADE_LABELS[m.group()] for m in labels}) == 1:
            counts = _LEAD_COUNT_RE.findall(text)
            count = int(counts[0]) if len(counts) == 1 else None
            words = _with_final_sanction(tuple(m.group() for m in labels), clauses[at + 1 :])
            return Line(
                number,
                text,
                Kind.HEADING,
                heading=Heading(GRADE_LABELS[words[0]], words[0], count, text, words),
            )
        if labels:
            return None
    return None


def _with_final_sanction(words: tuple[str, ...], later: list[str]) -> tuple[str, ...]:
    """A lead's grade words, the sanction a later clause rules on the same list first (以下单位未通过
    评估,撤销其…备案: revoked); not a rule about others (逾期未整改的,予以撤销)."""
    if GRADE_LABELS[words[0]] in SANCTION_GRADES:
        return words
    for clause in later:
        if CONDITION_CLAUSE_RE.search(clause):
            break  # (…责令限期整改,逾期未完成整改的,暂停其认定工作: what happens later, on a condition)
        sanctions = [m.group() for m in grade_labels(clause) if GRADE_LABELS[m.group()] in SANCTION_GRADES]
        if sanctions and not ABOUT_OTHERS_RE.search(clause):
            return (sanctions[-1], *words)
    return words


def _last_sentence_lead(number: int, text: str) -> Line | None:
    """A paragraph whose last sentence opens the list below it: '…进行了年度检查。经…综合评议,拟评定
    以下9个鉴定所(站)为2008年度年检优秀单位(承建单位列于名称之后):'."""
    if not text.endswith((":", "：")):
        return None
    last = text.rsplit("。", 1)[-1]
    lead = _lead_heading(number, last)
    return Line(number, text, Kind.HEADING, heading=lead.heading) if lead else None


def _paragraph_heading(number: int, text: str) -> Line | None:
    """A paragraph that opens the list below it, by its last sentence (a long one) or by its title
    (a sentence of its own)."""
    lead = _last_sentence_lead(number, text) if len(text) > 60 else None
    return lead or (_titled_heading(number, text) if "。" in text[:-1] else None)


def _titled_heading(number: int, text: str) -> Line | None:
    """'(一)优秀等次(9家)。对评估结果为优秀等次的…予以通报表扬…' — a numbered paragraph titled with a
    grade and its count, the list below it; a sanction the paragraph then rules on the same list is
    its final grade ('(四)不合格等次(4家)。对…取消其…备案' is revoked)."""
    body = strip_numbering(text)
    title, stop, rest = body.partition("。")
    heading = parse_heading(title) if stop and body != text and len(title) <= 24 else None
    if heading is None or heading.grade is None or heading.count is None:
        return None
    words = _with_final_sanction(heading.labels, _LEAD_CLAUSE_RE.split(rest))
    grade = GRADE_LABELS[words[0]]
    return Line(number, text, Kind.HEADING, heading=Heading(grade, words[0], heading.count, title, words))


def _heading_with_items(number: int, text: str) -> Line | None:
    """'合格单位（3个）：A、B、C' — a heading and its items on one line."""
    head, tail = _at_first_colon(text)
    if not tail.strip():
        return None
    heading = parse_heading(head.rsplit("。", 1)[-1] + "：")  # (三、处理意见。督导结果为…:A、B)
    if heading is None or not heading.grade:
        return None
    pieces = item_pieces(tail)
    if not pieces and "、" in tail and (end := enumeration_end(tail)):
        pieces = item_pieces(tail[:end])  # 'A、B、C,由…约谈其负责人': a remark on them all
    if not pieces and NO_VALUE_RE.fullmatch(tail.strip().removesuffix("。")):
        return Line(number, text, Kind.HEADING, heading=heading)  # '合格：无' — a grade none has
    return Line(number, text, Kind.HEADING, heading=heading, pieces=pieces) if pieces else None


def classify(number: int, text: str, hinted: bool = True) -> Line:
    """The kind of one line, from its own text (`hinted`: it holds a grade word or 名单): the first of
    _LINE_RULES that reads it, else prose."""
    stripped = text.strip()
    if _is_furniture(stripped):
        return Line(number, stripped, Kind.FURNITURE)
    if stripped and (cells := table_cells(text)):
        return _classify_cells(number, "\t".join(cells))  # edge tabs are empty cells
    if hinted and (own := _outcome_after_colon(number, stripped)):
        return own
    if hinted and (lead := _paragraph_heading(number, stripped)):
        return lead
    reasoned = (
        _item_with_reason(number, stripped)
        or _titled_item(number, stripped)
        or _item_with_found_clause(number, stripped)
        or _items_before_remark(number, stripped)
    )
    if reasoned or _is_plain_prose(stripped):
        return reasoned or Line(number, stripped, Kind.PROSE)
    for needs_hint, rule in _LINE_RULES:
        if (hinted or not needs_hint) and (line := rule(number, stripped)):
            return line
    return Line(number, stripped, Kind.PROSE)


_TAIL_COUNT_RE = re.compile(r"\d\s*[家个所站](?!月|工作日)")  # (not 6个月: a period)


_OUTCOME_FIELD_RE = re.compile(r"(?<=[\u4e00-\u9fff)])(?:年检|督导|评估|检查|评定)(?:结论|结果|等次)$")
_OWN_OUTCOME_CHARS = 30  # an unnumbered item's outcome after its colon: a clause or two, no paragraph


def _whole_name(text: str) -> bool:
    """A name that stands alone (an institution's, or a body's ending as organisations do)."""
    return looks_like_name(text) or (text.endswith(ORGANISATION_SUFFIXES) and not text.startswith("各"))


def _outcome_after_colon(number: int, text: str) -> Line | None:
    """'(5)X鉴定所——Y:年检基本合格,限一个月内补齐…': an item, its name before the first colon and its
    final outcome among the clauses after it (…不合格,取消其职业技能鉴定资格 is revoked); unnumbered,
    only a whole name before a short outcome."""
    body = strip_numbering(text)
    if not (":" in body or "：" in body):
        return None
    at, _ = _break_outside_brackets(body, dash=False)  # (not the host's colon: (依托单位:X))
    head, tail = (body[:at], body[at + 1 :]) if at > 0 else ("", "")
    if _TAIL_COUNT_RE.search(tail):
        return None  # '…：合格45个，…': counts, a summary line
    labels = outcome_labels(tail)
    head = _OUTCOME_FIELD_RE.sub("", head)  # (X鉴定所(依托Y)年检结论:合格: the field's title, glued on)
    if not labels or not 4 <= len(head) <= 60 or len({GRADE_LABELS[w] for w in labels}) > 2:
        return None  # (…:90分以上为优秀,75分至89分为合格,…撤销鉴定资格: a scale, no one's outcome)
    name = split_parenthetical(head)[0]
    if body == text:  # unnumbered: a whole name, then a short outcome (X有限公司：基本合格，限期整改)
        if len(tail) > _OWN_OUTCOME_CHARS or _SENTENCE_END_RE.search(tail) or not _whole_name(name):
            return None
    elif not fills_name_position(name):
        return None
    return Line(number, text, Kind.ITEM, pieces=(f"{head}：{final_label(labels)}",))


def _item_with_reason(number: int, text: str) -> Line | None:
    """'1.【通辽市】X鉴定所(承建单位:Y):鉴定档案不全,考评人员配备不足。', '(1)Y(X鉴定第035站)——鉴定场地
    不符合要求': an item, its name before the first colon or dash and what was found after it,
    stating no outcome (the list's grade is its heading's)."""
    if not (":" in text or "：" in text or "——" in text):
        return None  # (cheap: most lines hold neither)
    body = strip_numbering(text)
    at, width = _break_outside_brackets(body)
    head, tail = body[:at], body[at + width :]
    if at <= 0 or not tail or outcome_labels(tail) or grade_labels(head) or group_name(head):
        return None
    names = any(looks_like_name(piece.strip("。")) for piece in _ITEM_SPLIT_RE.split(tail))
    if names or tail.rstrip("。").endswith(ORGANISATION_SUFFIXES):
        return None  # X鉴定所——Y公司: the host after the dash; X公司：A鉴定站、B鉴定站: a group
    name = item_text(head)
    # (numbered, whatever fills the name position; unnumbered, an institution's name only)
    named = (fills_name_position if body != text else looks_like_name)(split_parenthetical(name)[0])
    return Line(number, text, Kind.ITEM, pieces=(name,)) if named else None


def _item_with_found_clause(number: int, text: str) -> Line | None:
    """'①X鉴定站(依托Y),鉴定场地不能满足实操考核要求;': a numbered item, an institution's whole name
    and, after a comma, what was found, stating no outcome (its heading grades it)."""
    if "," not in text and "，" not in text:
        return None  # (cheap: no clause after the name)
    body = strip_numbering(text)
    if body == text:
        return None  # (unnumbered)
    at = enumeration_end(body)
    if at is None or body[at] not in ",，" or outcome_labels(body[at + 1 :]) or grade_labels(body[:at]):
        return None
    name = item_text(body[:at])
    named = looks_like_name(split_parenthetical(name)[0])
    if named and (host := _HOST_AFTER_RE.match(body, at + 1)):
        name += f"({host.group().strip()})"  # (X站,依托单位:Y。主要问题:…: split_parenthetical reads Y)
    return Line(number, text, Kind.ITEM, pieces=(name,)) if named else None


_HOST_AFTER_RE = re.compile(HOST_CLAUSE)


# the subject of a paragraph's second sentence that is the institution its first one named
_SELF_SUBJECT_RE = re.compile(r"(?:该|此)(?:站|所|中心|机构|单位|公司|学校|学院|校|组织)")


def _titled_item(number: int, text: str) -> Line | None:
    """'X鉴定第18站(设在Y)。该站2007年未按规定…，暂停其鉴定业务一年。': a paragraph titled with an
    institution's name alone, its next sentence about it (该站, 该机构), or numbered ('二、X所(承建单位:
    Y)。承建单位已于2011年停产…'): an item, graded by its heading."""
    if "。" not in text:
        return None  # (cheap: most lines are no such paragraph)
    body = strip_numbering(text)
    head, _, tail = body.partition("。")
    # (its next sentence about it, 该站…; numbered, whatever follows a title that is only a name)
    if not tail or not 4 <= len(head) <= 60 or (body == text and not _SELF_SUBJECT_RE.match(tail)):
        return None
    name = item_text(head)
    bare = split_parenthetical(name)[0]
    # (numbered, whatever fills the name position: 1.X科技有限公司。主要问题:…; else an institution's)
    named = fills_name_position(bare) and not reads_as_clause(bare) if body != text else looks_like_name(bare)
    return Line(number, text, Kind.ITEM, pieces=(name,)) if named else None


def _break_outside_brackets(text: str, dash: bool = True) -> tuple[int, int]:
    """(offset, width) of the first colon (or, with `dash`, ——) not inside brackets ((承建单位：Y) is
    the host's), else (-1, 0)."""
    depth = 0
    for at, char in enumerate(text):
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth = max(0, depth - 1)
        elif depth == 0 and (char in ":：" or (dash and text.startswith("——", at))):
            return at, 1 if char in ":：" else 2
    return -1, 0


def _group_line(number: int, text: str) -> Line | None:
    group = group_name(text)
    return Line(number, text, Kind.GROUP, group=group) if group else None


def _item_line(number: int, text: str) -> Line | None:
    pieces = item_pieces(text)
    return Line(number, text, Kind.ITEM, pieces=pieces) if pieces else None


def _items_before_remark(number: int, text: str) -> Line | None:
    """Several items, then a sentence on them in the same line ('X站(Y公司);Z站(W公司)。暂缓通过的
    鉴定站应于…完成整改'): the items of the first sentence (the remark is prose's to read)."""
    head, stop, rest = text.partition("。")
    if not (stop and rest.strip()) or not ("、" in head or ";" in head or "；" in head):
        return None
    if "等" in head or GRADE_LABEL_RE.search(head):
        return None  # (A、B等获评优秀鉴定站。: a sentence about them, prose's to read)
    pieces = item_pieces(head)
    return Line(number, text, Kind.ITEM, pieces=pieces) if pieces and len(pieces) >= 2 else None


def _glued_row_line(number: int, text: str) -> Line | None:
    glued = _glued_row(text)
    return Line(number, text, Kind.ROW, pieces=glued) if glued else None


def _unread_item_line(number: int, text: str) -> Line | None:
    """Numbered like an item, but no name we can read: an issue inside a list, not its end."""
    if _UNREAD_ITEM_RE.match(text) and not CLAUSE_MARK_RE.search(text.removesuffix("。")):
        return Line(number, text, Kind.ITEM)
    return None


def _is_plain_prose(text: str) -> bool:
    """A cheap test before the line rules: a long line with a sentence end inside it, or with commas
    and no list separator, is prose (no heading, group, item or row is written so)."""
    if len(text) <= 60:
        return False
    inner = text[:-1]
    return "。" in inner or ("，" in inner and "、" not in inner and "；" not in inner and ";" not in inner)


def _is_furniture(text: str) -> bool:
    """A page number, a bracketed note line, or a pipe table's |---|---| rule."""
    return bool(
        PAGE_NUMBER_RE.fullmatch(text)
        or _NOTE_LINE_RE.match(text)
        or _RULE_ROW_RE.fullmatch(text)
        or (_BORDER_RE.fullmatch(text) and ("-" in text or "=" in text))
    )


def _classify_cells(number: int, text: str) -> Line:
    """A line of tab-separated cells: a table header, a heading (a title row), or a row. A cell that
    is only a bracket ((依托单位:…), a host or a note set apart by spaces) joins the cell before it."""
    split = tuple(c.strip() for c in text.split("\t"))
    cells = _with_bracket_cells(split)
    if cells != split and len(cells) == 1:
        return classify(number, cells[0])  # 'X站 (依托单位:Y)': one item
    if header := read_header(tuple(c for c in cells if c) if not cells[0] or not cells[-1] else cells):
        return Line(number, text, Kind.HEADER, header=header)
    if heading := parse_heading(text):
        return Line(number, text, Kind.HEADING, heading=heading)
    if len(cells) == 2 and (grouped := _labelled_run(number, text, cells)):
        return grouped
    return Line(number, text, Kind.ROW, pieces=cells)


def _labelled_run(number: int, text: str, cells: tuple[str, ...]) -> Line | None:
    """A short label, a gap, then several items ('(一)院校类  A(X承建);B;C'): a group sub-heading
    and its items on one line, as with a colon."""
    label = cells[0]
    if not 2 <= len(label) <= 12 or looks_like_name(label) or cell_labels(label) or label.isdecimal():
        return None
    pieces = item_pieces(cells[1])
    if not pieces or len(pieces) < 2:
        return None
    return Line(number, text, Kind.GROUP, group=strip_numbering(label), pieces=pieces)


def _with_bracket_cells(cells: tuple[str, ...]) -> tuple[str, ...]:
    if not any(c[:1] in "(（" for c in cells[1:]):
        return cells
    out: list[str] = []
    for cell in cells:
        if out and out[-1] and cell[:1] in "(（" and cell.endswith((")", "）")):
            out[-1] += cell
        else:
            out.append(cell)
    return tuple(out)


def _classify_heading(number: int, text: str) -> Line | None:
    if heading := parse_heading(text):
        return Line(number, text, Kind.HEADING, heading=heading)
    # '(二)责令整改的评价机构(5家),整改期1个月:' — a counted heading and a remark after it
    first = _FIRST_CLAUSE_RE.match(text)
    heading = parse_heading(first.group(1)) if first and _COUNT_TAIL_RE.search(first.group(1)) else None
    if heading:
        return Line(number, text, Kind.HEADING, heading=heading)
    return _heading_with_items(number, text) or _lead_heading(number, text)


def _segments(number: int, text: str) -> list[Line] | None:
    """'优秀:A、B;合格:C、D', '双清区:A;武冈市:B' — several headings or groups with their items on one
    line, one Line each."""
    if "\t" in text:
        return _numbered_cells(number, text)
    if text.count("：") + text.count(":") < 2:
        return None  # (each segment has its colon)
    if grouped := _heading_with_groups(number, text):
        return grouped
    if not _SEGMENT_RE.search(text):
        return None
    parts = [p.strip() for p in _SEGMENT_RE.split(text.strip().removesuffix("。")) if p.strip()]
    lines = [_heading_with_items(number, part) or _group_with_items(number, part) for part in parts]
    return lines if len(lines) >= 2 and all(lines) else None  # type: ignore[return-value]


def _heading_with_groups(number: int, text: str) -> list[Line] | None:
    """'(一)年检优秀的鉴定所(站)(15个):区直单位:A、B;南宁市:C、D' — a grade heading (a remark may
    follow its count: (10个),整改期限三个月:) and, after its colon, groups with their items: the
    heading, then one Line per group."""
    head, tail = _at_first_colon(text)
    if not tail.strip():
        return None
    heading = _classify_heading(number, strip_numbering(head))
    if heading is None or heading.kind is not Kind.HEADING or heading.pieces:
        return None
    parts = [p.strip() for p in _SEGMENT_RE.split(tail.strip().removesuffix("。")) if p.strip()]
    groups = [_group_with_items(number, part) for part in parts]
    if not all(groups):
        return None
    return [Line(number, head, Kind.HEADING, heading=heading.heading), *groups]  # type: ignore[list-item]


_CELL_NUMBER_RE = re.compile(r"(\d{1,4})[.、．]")


def _numbered_cells(number: int, text: str) -> list[Line] | None:
    """'1.X站(Y公司)    2.Z站(W学院)' — a list set in columns, two or more numbered items on a line
    (a gap between them): each item a line of its own, when the numbers run on."""
    cells = [c.strip() for c in text.split("\t") if c.strip()]
    numbers = [m.group(1) for c in cells if (m := _CELL_NUMBER_RE.match(c))]
    if len(cells) < 2 or len(numbers) != len(cells):
        return None
    values = [int(n) for n in numbers]
    if any(b != a + 1 for a, b in pairwise(values)):
        return None
    lines = [classify(number, cell, True) for cell in cells]
    return lines if all(line.kind is Kind.ITEM for line in lines) else None


def _glued_row(text: str) -> tuple[str, ...] | None:
    """A table row that lost its tabs: '14白银市…鉴定总站良好' -> ('白银市…鉴定总站', '良好')."""
    glued = _name_then_grade(text)
    if glued is None:
        return None
    name = glued.group("name").replace(" ", "")
    name = name[lead.end() :] if (lead := _GLUED_NUMBER_RE.match(name)) else strip_numbering(name)
    return (name, glued.group("label")) if looks_like_name(split_parenthetical(name)[0]) else None


def classify_lines(doc: Document) -> list[Line]:
    """Every non-blank line of `doc`, classified once (vertical tables joined into rows first); the
    result is kept on the document, so every reader shares it."""
    cached = doc.__dict__.get("_classified")
    if cached is not None:
        return cached
    lines = doc.unwrapped()
    if _ROW_NUMBER_LINE_RE.search("\n" + doc.text):
        lines = join_vertical_rows(lines)  # some line holds only a number: maybe a vertical table
    if _LABELLED_NAME_RE.search(doc.text):
        lines = join_labelled_records(lines)  # 机构名称：X / 督导结论：合格 …: a table as records
    hinted = doc.lines_matching(_HEADING_HINT_RE) | doc.lines_matching(SPLIT_SANCTION_RE)
    classified: list[Line] = []
    for number, text in lines:
        is_hinted = number in hinted or "\t" in text
        classified += _segments(number, text) or [classify(number, text, is_hinted)]
    classified = _with_open_brackets(_with_wrapped_items(_with_wrapped_cells(classified)))
    classified = _with_signature(_with_wrapped_unnumbered(classified))
    classified = _with_answered_leads(_with_announced_lists(_with_counted_paragraphs(classified)))
    classified = _with_transposed_tables(classified)
    classified = _with_sibling_groups(_with_sibling_groups(classified))  # (a title: after its sibling)
    doc.__dict__["_classified"] = classified
    return classified


_SECTION_NUMBER_RE = re.compile(r"^[一二三四五六七八九十]{1,3}、")


def _with_sibling_groups(lines: list[Line]) -> list[Line]:
    """A line numbered 二、 between group sub-headings numbered 一、 and 三、 is one of them, though it
    reads as an item (一、市直单位 / 二、县(市、区)鉴定所 / 三、职业院校鉴定站): sections numbered
    alike are siblings. An ungraded item, or a short title that a list follows, beside such a group
    (the other neighbour a group or a section title) is read so."""
    sections = [i for i, line in enumerate(lines) if _SECTION_NUMBER_RE.match(line.text)]
    out = list(lines)
    for k, at in enumerate(sections):
        before = sections[k - 1] if k else None
        after = sections[k + 1] if k + 1 < len(sections) else None
        line = lines[at]
        opens = at + 1 < len(lines) and lines[at + 1].kind in (Kind.HEADING, Kind.ITEM, Kind.ROW)
        title = line.kind is Kind.PROSE and opens and len(line.text) <= 24 and "。" not in line.text
        if not (line.kind is Kind.ITEM or title) or grade_labels(line.text):
            continue
        neighbours = [lines[i] for i in (before, after) if i is not None]
        kinds = {n.kind for n in neighbours}
        if Kind.GROUP in kinds and kinds <= {Kind.GROUP, Kind.PROSE}:  # (一、 may read as a title)
            out[at] = Line(line.number, line.text, Kind.GROUP, group=strip_numbering(line.text))
    return out


_FRAGMENT_CHARS = 8  # a cell's wrapped tail is short: 所, 任公司, 职工培训中心
_CONTINUED_CHARS = 24  # under a numbered row, a line without a number may carry longer tails


def _with_wrapped_cells(lines: list[Line]) -> list[Line]:
    """A table copied from PDF or Word wraps a long cell onto the next line, where it stands alone
    ('所', '任公司', or '所\t任公司' when two cells wrap): each fragment joins the cell of the row above
    that it completes (the cell then ends as an institution's or organisation's name does, and did
    not before); the fragment line is then furniture."""
    out = list(lines)
    at = 0  # the row the next lines may continue (a cell may wrap over several lines)
    for index in range(1, len(lines)):
        row, line = out[at], lines[index]
        # (a header's second line may stand a blank line below it: an HTML table's rows)
        adjacent = line.number == lines[index - 1].number + 1
        if row.kind not in (Kind.ROW, Kind.HEADER) or not (adjacent or row.kind is Kind.HEADER):
            at = index
            continue
        cells = row.pieces if row.kind is Kind.ROW else tuple(c.strip() for c in row.text.split("\t"))
        fragments = _fragments(line, _continues(cells, line))
        # (a header's second line may be one alone; a header whose words wrap reads as a row until
        # joined: 序号 | … | 年检 | 复核 over 结论 | 结论)
        header = Kind.HEADER in (row.kind, line.kind) or column_role(cells[0]) == "number"
        joined = _subcolumns(cells, line) if row.kind is Kind.HEADER and _next_to(row, line) else None
        if not (adjacent or joined):
            at = index  # (a header's sub-columns may stand a blank line below it: an HTML table)
            continue
        joined = joined or (_joined_in_place(cells, line, header) if fragments else None)
        if fragments and joined is None:
            joined = _joined_cells(cells, fragments, header)
        if joined is None and _between_numbered_rows(cells, lines, index):
            out[index] = Line(line.number, line.text, Kind.FURNITURE)  # the tail of a cell no name
            continue
        if joined is None:
            at = index
            continue
        out[at] = _classify_cells(row.number, "\t".join(joined))
        out[index] = Line(line.number, line.text, Kind.FURNITURE)
    return out


def _between_numbered_rows(cells: tuple[str, ...], lines: list[Line], index: int) -> bool:
    """Whether the one-piece line at `index` stands between the numbered row `cells` and the next
    numbered row: a wrapped tail that completes no name (…未分开 / 组织, a problem or remark cell's),
    which must not end the table."""
    after = lines[index + 1] if index + 1 < len(lines) else None
    return (
        bool(cells)
        and cells[0].isdecimal()
        and lines[index].kind is Kind.PROSE
        and len(lines[index].text) <= _CONTINUED_CHARS
        and not _SENTENCE_END_RE.search(lines[index].text)  # (以上单位要认真总结经验。 ends it)
        and after is not None
        and after.kind is Kind.ROW
        and bool(after.pieces)
        and after.pieces[0].isdecimal()
    )


def _with_wrapped_items(lines: list[Line]) -> list[Line]:
    """A numbered list item wrapped onto the next line (2.中国一拖集团有限公司职业技 / 能鉴定站,
    text copied from PDF): the short unnumbered line that completes its last name joins it."""
    out = list(lines)
    for index in range(1, len(lines)):
        item, line = out[index - 1], lines[index]
        if (
            item.kind is not Kind.ITEM
            or line.kind not in (Kind.ITEM, Kind.PROSE)
            or not _next_to(item, line)
            or len(line.text) > _FRAGMENT_CHARS
            or strip_numbering(line.text) != line.text
            or strip_numbering(item.text) == item.text
        ):
            continue
        last = item.pieces[-1] if item.pieces else item.text
        if _completes(last, line.text, header=False):
            out[index - 1] = classify(item.number, item.text + line.text)
            out[index] = Line(line.number, line.text, Kind.FURNITURE)
    return out


_BRACKET_TAIL_CHARS = 30  # a host's wrapped tail: 市职业技能培训中心承建)


def _with_open_brackets(lines: list[Line]) -> list[Line]:
    """A numbered item that ends inside a bracket (1.X鉴定所(淄博 / 市职业技能培训中心承建), PDF text
    wrapped narrower than its prose, maybe across a page break): the next unnumbered line that is
    no furniture joins it when it closes the bracket and ends no sentence."""
    out = list(lines)
    for index, item in enumerate(lines):
        if item.kind is not Kind.ITEM or not opens_bracket(item.text):
            continue
        # (the next line that is no furniture, at most two lines of page furniture between)
        at = next(
            (k for k in range(index + 1, min(index + 4, len(lines))) if lines[k].kind is not Kind.FURNITURE),
            None,
        )
        if at is None:
            continue
        tail = lines[at].text
        if (
            len(tail) > _BRACKET_TAIL_CHARS
            or strip_numbering(tail) != tail
            or _SENTENCE_END_RE.search(tail)
            or opens_bracket(item.text + tail)
        ):
            continue
        out[index] = classify(item.number, item.text + tail)
        out[at] = Line(lines[at].number, tail, Kind.FURNITURE)
    return out


def _next_to(above: Line, below: Line) -> bool:
    """Whether `below` follows `above` as the next line of its text: at most one blank line apart
    (pages that set every line apart, Word exports' paragraphs)."""
    return 0 < below.number - above.number <= 2


_WRAPPED_ITEM_CHARS = 80  # an item wrapped over two lines is one name with its host, no paragraph


def _with_wrapped_unnumbered(lines: list[Line]) -> list[Line]:
    """An unnumbered list's item wrapped onto the next line (…职业技能鉴 / 定站(X承建), PDF text):
    two lines after an item, neither an item nor a sentence alone, that make one together."""
    out = list(lines)
    for index in range(1, len(lines) - 1):
        above, first, second = out[index - 1], lines[index], lines[index + 1]
        if (
            above.kind is not Kind.ITEM
            or first.kind is not Kind.PROSE
            or second.kind is not Kind.PROSE
            or not _next_to(first, second)
            or _SENTENCE_END_RE.search(first.text + second.text)
            or len(first.text + second.text) > _WRAPPED_ITEM_CHARS
        ):
            continue
        joined = classify(first.number, first.text + second.text)
        if joined.kind is Kind.ITEM:
            out[index], out[index + 1] = joined, Line(second.number, second.text, Kind.FURNITURE)
    return out


def _with_transposed_tables(lines: list[Line]) -> list[Line]:
    """A table laid out on its side (机构名称 | A | B / 承建单位 | X | Y / 处理结果 | 撤销… | 暂停…: one
    institution per column, the column titles down the first cells): read as a header and one row
    per institution, each on the line of the names."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        if lines[index].kind not in (Kind.ROW, Kind.HEADER):
            out.append(lines[index])  # (cheap: most lines are no table row)
            index += 1
            continue
        run, on_its_side = _transposed_run(lines, index)
        if not on_its_side:
            out += lines[index : index + max(run, 1)]  # (a run read once: linear in the lines)
            index += max(run, 1)
            continue
        block = [_line_cells(line) for line in lines[index : index + run]]
        titles = tuple(cells[0] for cells in block)
        at = lines[index + [column_role(t) for t in titles].index("name")].number
        out.append(Line(lines[index].number, "\t".join(titles), Kind.HEADER, header=read_header(titles)))
        for column in range(1, len(block[0])):
            cells = tuple(cells[column] for cells in block)
            out.append(Line(at, "\t".join(cells), Kind.ROW, pieces=cells))
        index += run
    return out


def _line_cells(line: Line) -> tuple[str, ...]:
    return line.pieces if line.kind is Kind.ROW else tuple(c.strip() for c in line.text.split("\t"))


def _transposed_run(lines: list[Line], start: int) -> tuple[int, bool]:
    """(how many lines from `start` are rows of one width whose first cells are distinct column
    titles, none of the others' cells a title; whether they make a table on its side: two or more,
    one of them the name's, 机构名称)."""
    width, roles, titles = 0, [], set()
    for line in lines[start:]:
        if line.kind not in (Kind.ROW, Kind.HEADER):
            break
        cells = _line_cells(line)
        role = column_role(cells[0]) if cells else None
        if role is None or len(cells) < 2 or (width and len(cells) != width) or cells[0] in titles:
            break  # (a first cell repeated is a merged cell's value: 社会机构, 社会机构 …)
        titles.add(cells[0])
        if any(column_role(c) in ("name", "outcome") for c in cells[1:]):
            break  # a header of its own (序号 | 名称 | 结论), not a title and its values
        width = len(cells)
        roles.append(role)
    return len(roles), "name" in roles and len(roles) >= 2


_ENUM_RE = re.compile("、")


def _with_counted_paragraphs(lines: list[Line]) -> list[Line]:
    """Under a heading that counts its institutions, a paragraph that opens with as many names as it
    counts ('督导结论为“限期整改”的评价机构(4家)' / 'A、B(由X承办)、C、D，在…存在问题，限期整改。'): those
    names are the heading's items, whatever they are called (companies, schools)."""
    out = list(lines)
    for index in range(1, len(lines)):
        heading, paragraph = lines[index - 1], lines[index]
        if heading.kind is not Kind.HEADING or paragraph.kind is not Kind.PROSE or not heading.heading:
            continue
        end = enumeration_end(paragraph.text)
        count = heading.heading.count
        if not count or end is None:
            continue
        pieces = [item_text(p) for p in split_outside_brackets(paragraph.text[:end], _ENUM_RE, "、")]
        # (a piece with a dash carries a remark the item rules read: left to them)
        named = all(name_parts(p, by_position=True) and not DASH_RE.search(p) for p in pieces)
        if len(pieces) == count and named:
            out[index] = Line(paragraph.number, paragraph.text, Kind.ITEM, pieces=tuple(pieces))
    return out


def _with_announced_lists(lines: list[Line]) -> list[Line]:
    """A paragraph that announces the table or list right below it (一、…终止以下8家评价机构的…备案，
    相关机构不得…。 over a header without an outcome column) heads it as a lead ending in a colon
    would: the grade its sentence with 以下 names."""
    out = list(lines)
    for index in range(len(lines) - 1):
        line, below = lines[index], lines[index + 1]
        if line.kind is not Kind.PROSE or not _FOLLOWING_RE.search(line.text) or not _is_announced(below):
            continue
        sentence = next(s for s in line.text.split("。") if _FOLLOWING_RE.search(s))
        lead = _lead_heading(line.number, sentence + ":")
        if lead is not None:
            out[index] = Line(line.number, line.text, Kind.HEADING, heading=lead.heading)
    return out


def _is_announced(line: Line) -> bool:
    """A table header without an outcome column or grades of its own, or an item without a grade."""
    if line.kind is Kind.HEADER and line.header is not None:
        header = line.header
        return "outcome" not in header.roles and not header.is_matrix and header.label is None
    return line.kind is Kind.ITEM and not any(own_grade_item(p) for p in line.pieces)


def _with_answered_leads(lines: list[Line]) -> list[Line]:
    """In an interview, an answer that opens a list without naming its grade takes the question's:
    '问:哪些鉴定站被评为优秀?' / '答:这8个鉴定站分别是:' heads a list of the 优秀."""
    out = list(lines)
    for index in range(1, len(lines)):
        question, answer = lines[index - 1], lines[index]
        if not (
            answer.kind is Kind.PROSE
            and answer.text.endswith((":", "："))
            and question.kind is Kind.PROSE
            and question.text.endswith(("?", "？"))
            and not grade_labels(answer.text)
        ):
            continue
        words = tuple(m.group() for m in grade_labels(question.text))
        if len({GRADE_LABELS[w] for w in words}) == 1:
            counts = _LEAD_COUNT_RE.findall(answer.text)
            count = int(counts[0]) if len(counts) == 1 else None
            heading = Heading(GRADE_LABELS[words[0]], words[0], count, answer.text, words)
            out[index] = Line(answer.number, answer.text, Kind.HEADING, heading=heading)
    return out


def _continues(cells: tuple[str, ...], line: Line) -> bool:
    """Whether a line continues a numbered row: under a row that opens with its number, a tab line
    whose first cell is empty (a table whose cells wrap and whose rows only a number opens)."""
    return bool(cells) and cells[0].isdecimal() and line.text.startswith("\t")


def _fragments(line: Line, continues: bool = False) -> tuple[str, ...] | None:
    """The short pieces of a line that may be the wrapped tails of cells, else None (longer ones
    under a numbered row it continues)."""
    if line.kind in (Kind.ROW, Kind.HEADER):
        pieces = tuple(p for p in (c.strip() for c in line.text.split("\t")) if p)
    elif line.kind in (Kind.PROSE, Kind.ITEM, Kind.GROUP):  # (鉴定站 alone reads as a group)
        pieces = (line.text,)
    else:
        return None
    limit = _CONTINUED_CHARS if continues else _FRAGMENT_CHARS
    short = all(len(p) <= limit and not p[:1].isdigit() for p in pieces)
    return pieces if short and not any(CLAUSE_MARK_RE.search(p) for p in pieces) else None


def _subcolumns(cells: tuple[str, ...], line: Line) -> tuple[str, ...] | None:
    """A header over two lines whose group cell spans sub-columns (年检结论 over 合格 | 基本合格 |
    不合格, the cells after it empty): the second line's words in their columns, the sub-column's
    word over the group's. None unless a word lands under an empty cell of the first line."""
    below = [c.strip() for c in line.text.split("\t")]
    if len(below) > len(cells):  # (the last cell spans the rest: its empty cells were not copied)
        cells = cells + ("",) * (len(below) - len(cells))
    if len(below) != len(cells) or not any(b and not c for b, c in zip(below, cells, strict=True)):
        return None
    for i, word in enumerate(below):
        if word and cells[i] and not (i + 1 < len(cells) and not cells[i + 1]):
            return None  # a word under a filled cell that spans nothing: no sub-column
    return tuple(word or cell for word, cell in zip(below, cells, strict=True))


def _joined_in_place(cells: tuple[str, ...], line: Line, header: bool) -> tuple[str, ...] | None:
    """`cells` with the fragment line's cells joined to the cells in their own columns (a text table
    whose columns were kept: text_tables), when each completes the one above it."""
    below = [c.strip() for c in line.text.split("\t")]
    if len(below) < 2 or len(below) > len(cells):
        return None
    # under a numbered row, a line without a number continues it (a table whose cells wrap and whose
    # rows only a number opens): each piece joins its column, whether or not it completes a name
    continues = _continues(cells, line)
    joined = list(cells)
    for i, fragment in enumerate(below):
        if fragment and not (continues or _completes(joined[i], fragment, header)):
            return None
        if fragment and continues and _ended_name(joined[i], fragment):
            return None  # (a whole name below which a tail stands: a copy that kept no columns)
        joined[i] += fragment
    return tuple(joined)


def _joined_cells(cells: tuple[str, ...], fragments: tuple[str, ...], header: bool) -> tuple[str, ...] | None:
    """`cells` with each fragment joined to the first cell, left to right, that it completes; None
    when one completes none."""
    joined = list(cells)
    start = 0
    for fragment in fragments:
        # (a cell it makes a name that was none first: 河南省邮电规划设计院有限 + 公司, not …鉴定所 + 公司)
        columns = range(start, len(joined))
        # (a department's whole name, 河北省教育厅, takes no tail: the next cell's wrapped name does)
        open_cells = [i for i in columns if not is_department(joined[i])]
        at = next((i for i in open_cells if _completes(joined[i], fragment, header, strict=True)), None)
        if at is None:
            at = next((i for i in columns if _completes(joined[i], fragment, header)), None)
        if at is None and 0 < start < len(joined) and joined[start]:
            # (after a completed cell, the next one's wrapped tail: a remark; not a grade alone)
            at = next((i for i in columns if joined[i] and not _whole_cell(joined[i])), start)
        if at is None:
            return None
        joined[at] += fragment
        start = at + 1
    return tuple(joined)


def _ended_name(cell: str, fragment: str) -> bool:
    """Whether `cell` is a whole institution's name that `fragment` cannot go on (…鉴定所 + 学院)."""
    return cell.endswith(INSTITUTION_SUFFIXES) and not fragment.startswith(WRAPPED_TAIL_OPENINGS)


def _whole_cell(cell: str) -> bool:
    """A cell no wrapped tail goes on: a grade word alone (基本合格), a number."""
    return cell.isdigit() or (len(cell) <= 6 and cell_labels(cell) == (cell,))


def _completes(cell: str, fragment: str, header: bool, strict: bool = False) -> bool:
    """Whether `fragment` completes `cell`: into a name (…有限 + 公司), a grade word (限期 + 整改)
    or a header word (督导 + 结果) it was not before; unless `strict`, a name that was one already
    may go on with a name's tail (…研究院 + 有限公司)."""
    if not cell or cell.isdigit() or (len(cell) < 2 and not header) or REGIONS.resolve(cell):
        return False  # (a place alone is a region cell: 十堰市 + 所 completes no name)
    whole = cell + fragment
    ends = ORGANISATION_SUFFIXES  # (institutions' suffixes included)
    if (
        len(cell) > 2
        and whole.endswith(ends)
        and (not cell.endswith(ends) or (not strict and fragment.startswith(WRAPPED_TAIL_OPENINGS)))
    ):
        return True
    if any(m.start() < len(cell) < m.end() for m in grade_labels(whole)):
        return True  # (a grade word across the join)
    if len(cell) > 2 and is_department(whole) and not (is_department(cell) or cell.endswith(ends)):
        return True  # (a supervising department's name: 河北省交通运 + 输厅)
    if not header or (role := column_role(whole)) is None:
        return False
    return column_role(cell) in (None, "other", role)  # 年检 / 结论, 序 / 号: a header word across lines


_SIGNATURE_LINES = 2  # the issuer's name may take two lines above the date


def _with_signature(lines: list[Line]) -> list[Line]:
    """The signature block: the organisation lines (no sentence, no numbering) right above a line
    holding only a date, each a blank line apart at most, are furniture, never the next item of a
    list (…鉴定所 / 湖南省职业技能鉴定中心 / 二〇一二年三月十二日)."""
    out = list(lines)
    for index, line in enumerate(lines):
        if line.kind is not Kind.PROSE or len(line.text) > 20 or not is_date_line(line.text):
            continue
        below = line
        for above in range(index - 1, max(index - 1 - _SIGNATURE_LINES, -1), -1):
            prev = lines[above]
            if below.number - prev.number > 2 or not _is_signatory(prev):
                break
            out[above] = Line(prev.number, prev.text, Kind.FURNITURE)
            below = prev
    return out


def _is_signatory(line: Line) -> bool:
    text = line.text
    return (
        line.kind in (Kind.ITEM, Kind.PROSE, Kind.GROUP)
        and len(text) <= 40
        and strip_numbering(text) == text
        and not CLAUSE_MARK_RE.search(text)
        and text.endswith(ORGANISATION_SUFFIXES)
    )


def prose_lines(doc: Document) -> frozenset[int]:
    """The lines that are prose or a heading, or numbered like an item but read as none (④其余58个…
    合格): where counts are stated (not rows, items or groups, whose numbers are row numbers,
    station numbers or a group's subtotal)."""
    cached = doc.__dict__.get("_prose_lines")
    if cached is None:
        stating = {
            line.number
            for line in classify_lines(doc)
            if line.kind in _STATING_KINDS
            or (line.kind is Kind.ITEM and not line.pieces)
            or _stating_sum(line)
        }
        continued = doc.continued_lines()  # (the lines of a wrapped paragraph, joined into its first)
        cached = frozenset(stating.union(n for n, joined in continued.items() if joined in stating))
        doc.__dict__["_prose_lines"] = cached
    return cached


_STATING_KINDS = frozenset({Kind.PROSE, Kind.HEADING})
# a cell that states counts in words: 共28家:优秀6家,合格17家,…
_COUNTS_CELL_RE = re.compile(r"\d\s*[家个所站][^\t]*[,，、;；:：]|[,，、;；:：][^\t]*\d\s*[家个所站]")


def _stating_sum(line: Line) -> bool:
    """A table's sum row whose cell states the counts in words (合计 | 共28家:优秀6家,合格17家,…)."""
    return (
        line.kind is Kind.ROW
        and bool(line.pieces)
        and line.pieces[0].startswith(SUM_ROW_WORDS)
        and any(_COUNTS_CELL_RE.search(cell) for cell in line.pieces[1:])
    )


def other_kind_lines(doc: Document) -> frozenset[int]:
    """Lines in a section about another kind of institution (一、民办职业培训学校年检情况, 附件2
    技工院校办学评估结果): from a section title or heading that names one, with no appraisal noun,
    to the next section title, or the next heading that names an appraisal institution."""
    cached = doc.__dict__.get("_other_kind")
    if cached is not None:
        return cached
    out: set[int] = set()
    other = False
    for line in classify_lines(doc):
        part = _PART_TITLE_RE.match(line.text) is not None  # 第二部分 民办职业培训学校 (read as a name)
        if line.kind is Kind.HEADING or part or _is_title_line(line):
            title = _TITLE_PART_RE.split(_CAPTION_RE.sub("", line.text), maxsplit=1)[0]  # not its items
            title = title.split("。", 1)[0]  # (a paragraph's title sentence)
            names_other = (
                bool(_OTHER_KIND_RE.search(title))
                # (定点培训机构名录 in a side menu is no section; 二、民办职业培训学校 is one)
                and (part or bool(_ACTIVITY_RE.search(title) or _SECTION_NUMBER_RE.match(title)))
                and not _APPRAISAL_WORD_RE.search(title)
            )
            # a section title sets the scope; a grade heading only when it names a kind
            if line.kind is not Kind.HEADING or names_other or _APPRAISAL_WORD_RE.search(title):
                other = names_other
        if other or (line.kind is Kind.PROSE and _OTHER_TOPIC_RE.match(line.text)):
            out.add(line.number)
    doc.__dict__["_other_kind"] = found = frozenset(out)
    return found


# a paragraph that opens on another kind's results (民办职业培训学校方面，全县16所参加年检…)
_OTHER_TOPIC_RE = re.compile(
    "^[^,，。]{0,12}?(?:" + words_re(OTHER_KIND_WORDS).pattern + ")[^,，。]{0,6}?方面[,，]"
)


def _names_a_kind(title: str) -> bool:
    """Whether a numbered section's title is only a kind of institution's name (二、民办职业培训学校,
    三、职业技能鉴定所), read as an item or a group; not a body's (一、成都市锦程职业培训学校)."""
    if len(title) > 16 or REGIONS.starts_with_place(title):
        return False
    kind = _OTHER_KIND_RE.search(title) or _APPRAISAL_WORD_RE.search(title)
    return kind is not None and len(title) - len(kind.group()) <= 4


def _is_title_line(line: Line) -> bool:
    """A section title, also one whose words a wide gap split into two cells (第二部分  民办…结果) or
    that reads as an item, or a numbered paragraph's title sentence (一、技工院校督导评估结果。…)."""
    if line.kind is Kind.ROW and len(line.pieces) <= 2:
        return _is_section_title(line.text.replace("\t", ""))
    if line.kind in (Kind.ITEM, Kind.GROUP) and _SECTION_NUMBER_RE.match(line.text):
        return _names_a_kind(strip_numbering(line.text))
    if line.kind is not Kind.PROSE:
        return False
    if _is_section_title(line.text):
        return True
    title = line.text.split("。", 1)[0]
    return title != line.text and bool(_SECTION_START_RE.match(title)) and _is_section_title(title)


# a table's caption number (表一:, 附表2：): a section title follows it
_CAPTION_RE = re.compile(r"^(?:附)?表\s*[一二三四五六七八九十\d]{1,3}\s*[:：]?\s*")


def _is_section_title(text: str) -> bool:
    """A short line that opens a section: 一、…情况, 附件2, 2021年度…结果, 表一:…结果 (no clause in
    it)."""
    text = _CAPTION_RE.sub("", text) if text.startswith(("表", "附表")) else text
    if len(text) > 40 or CLAUSE_MARK_RE.search(text.removesuffix("。")):
        return False
    bare = _REMARK_TAIL_RE.sub("", text)  # …年检结果(部分), …名单(第一批)
    return bool(_SECTION_START_RE.match(text) or _SECTION_WORD_RE.search(bare))


def _is_grade_cell(text: str) -> bool:
    return len(text) <= 8 and len(cell_labels(text)) == 1  # one label: one grade


def join_vertical_rows(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Table rows whose cells landed on separate lines (a pretty-printed or Word HTML table, a PDF):
    `7` / `X鉴定所` / `/` / `合格` becomes one tab-separated row on the name's line. A header spread
    over lines (序号 / 机构名称 / 承建单位 / 年检结论) becomes one line too, and gives the row width."""
    out: list[tuple[int, str]] = []
    width: int | None = None
    i = 0
    while i < len(lines):
        number, line = lines[i]
        header_end = _vertical_header_end(lines, i)
        if header_end:
            header = tuple(text.strip() for _, text in lines[i:header_end])
            out.append((number, "\t".join(header)))
            width, i = header_end - i, header_end
            if not _BARE_NUMBER_RE.match(lines[i][1].strip() if i < len(lines) else "1"):
                rows, i = _unnumbered_rows(lines, i, header)  # rows without a number: W lines each
                out += rows
            continue
        if _BARE_NUMBER_RE.match(line.strip()):
            row, i = _vertical_row(lines, i, width)
            if row is not None:
                out.append(row)
                continue
        width = _header_width(line, width)
        out.append((number, line))
        i += 1
    return out


# (a record's name line, or its outcome line: 拟定结论：合格 under a numbered name)
_LABELLED_NAME_RE = re.compile(r"[\u4e00-\u9fff]{0,6}(?:名称|结论|结果)[:：]")
_LABELLED_RE = re.compile(r"^\s*([\u4e00-\u9fff()（）]{2,10})[:：]\s*(.*?)\s*$")


def join_labelled_records(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A table written as records, one 'title：value' line per cell (机构名称：X / 依托单位：Y /
    督导结论：合格 / 处理意见：无): each record becomes a header line of its titles and a row of its
    values, on the name's line; other lines stay as they are."""
    lines = [cell for line in lines for cell in _labelled_cells(line)]
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        record = _record_at(lines, i)
        if not record:
            out.append(lines[i])
            i += 1
            continue
        number = lines[i][0]
        out += [(number, "\t".join(k for k, _ in record)), (number, "\t".join(v for _, v in record))]
        i += len(record)
    return out


def _titled_record(text: str) -> bool:
    """A line (numbered or not) that is only an institution's name: the title of the record below."""
    return looks_like_name(split_parenthetical(strip_numbering(text))[0])


def _labelled_cells(line: tuple[int, str]) -> list[tuple[int, str]]:
    """A record written on one line between bars (④机构名称：X｜主要问题：…｜处理意见：责令整改): each
    'title：value' cell as a line of its own; else the line."""
    number, text = line
    cells = [strip_numbering(c) for c in table_cells(text)] if "|" in text else []
    if len(cells) >= 2 and all(_LABELLED_RE.match(c) for c in cells):
        return [(number, cell) for cell in cells]
    return [line]


def _record_at(lines: list[tuple[int, str]], start: int) -> list[tuple[str, str]]:
    """The 'title：value' lines of the record that opens at `start` with its name, when one of them
    is an outcome or a remark; else []."""
    record: list[tuple[str, str]] = []
    roles: set[str] = set()
    for _, text in lines[start : start + 12]:
        m = _LABELLED_RE.match(text)
        if m is None and not record and _titled_record(text):
            record.append(("名称", strip_numbering(text)))  # (3．X鉴定所 / 承建单位：Y / 拟定结论：合格)
            roles.add("name")
            continue
        role = column_role(m.group(1)) if m else None
        if role is None or (record and role == "name") or (not record and role != "name"):
            break
        record.append((m.group(1), m.group(2)))  # type: ignore[union-attr]
        roles.add(role)
    return record if len(record) >= 2 and roles & {"outcome", "remark"} else []


def _unnumbered_rows(
    lines: list[tuple[int, str]], start: int, header: tuple[str, ...]
) -> tuple[list[tuple[int, str]], int]:
    """Rows of a vertical table whose rows carry no number: each the next len(header) lines, while
    the cell under the name column fills the name position (毕节市 / X鉴定站 / 主管部门 / 合格 / 无)."""
    roles = read_header(header)
    at = roles.roles.index("name") if roles and "name" in roles.roles else None
    width, rows, i = len(header), [], start
    while at is not None and i + width <= len(lines):
        cells = [text.strip() for _, text in lines[i : i + width]]
        if any("\t" in c or _SENTENCE_END_RE.search(c) for c in cells):
            break
        if not fills_name_position(split_parenthetical(cells[at])[0]):
            break
        rows.append((lines[i + at][0], "\t".join(cells)))
        i += width
    return rows, i


def _header_width(line: str, width: int | None) -> int | None:
    """The row width a tab-separated header line gives the vertical rows after it."""
    if "\t" not in line:
        return width
    cells = tuple(c.strip() for c in line.split("\t"))
    return len(cells) if read_header(cells) else width


def _vertical_header_end(lines: list[tuple[int, str]], start: int) -> int | None:
    """The end of a header spread one cell per line from `start` (3 to 12 cells), else None."""
    end = start
    while end < len(lines) and end - start < 12 and "\t" not in lines[end][1]:
        cell = lines[end][1].strip()
        if column_role(cell) is None and not _is_grade_cell(cell):  # (a grade: a matrix's column)
            break
        if strip_numbering(cell) != cell:  # a numbered heading (三、年检结果, (一)优秀等次) is no cell
            break
        end += 1
    cells = tuple(text.strip() for _, text in lines[start:end])
    return end if end - start >= 3 and read_header(cells) is not None else None


def _vertical_row(
    lines: list[tuple[int, str]], start: int, width: int | None
) -> tuple[tuple[int, str] | None, int]:
    """(the row that starts with the bare number at `start`, the index after it)."""
    cells, j = _vertical_cells(lines, start, width, start + (width - 1 if width else 4))
    if width and len(cells) == width - 1 and j < len(lines) and not _next_row_number(lines, start, j):
        # more lines than cells before the next row's number: a cell wrapped onto a line of its own
        wider, end = _vertical_cells(lines, start, width, start + width - 1 + _WRAPPED_CELLS)
        if end < len(lines) and (_next_row_number(lines, start, end) or _ends_a_page(lines[end][1])):
            cells, j = _with_wrapped_names(wider, width - 1), end
    cells = _with_kind_tails(cells)
    names = [n for n, c in cells if fills_name_position(split_parenthetical(c)[0])]
    complete = (width and len(cells) == width - 1) or (cells and _is_grade_cell(cells[-1][1]))
    short = not complete and bool(width) and len(cells) >= 2 and _next_row_number(lines, start, j)
    if not (names and (complete or short)):
        return None, start
    row = [c for _, c in cells]  # (a short row's cells are placed by their content: tables.read_row)
    return (names[0], "\t".join([lines[start][1].strip(), *row])), j


_WRAPPED_CELLS = 4  # a vertical row's lines beyond its cells (a long name, a long last remark)
# an institution's kind alone (职业技能鉴定站, 技能鉴定所): never a cell of its own, a name's wrapped tail
_KIND_TAIL_RE = re.compile(r"(?:职业)?(?:技能)?鉴定(?:所|站|中心)(?:\(站\))?")


def _with_kind_tails(cells: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A vertical row's cells with each bare kind tail joined to the name it completes (中车株洲电力
    机车有限公司 / 职业技能鉴定站), however many cells the row has (its last may be empty)."""
    out: list[tuple[int, str]] = []
    for number, cell in cells:
        if out and _KIND_TAIL_RE.fullmatch(cell) and _completes(out[-1][1], cell, header=False):
            out[-1] = (out[-1][0], out[-1][1] + cell)
        else:
            out.append((number, cell))
    return out


def _ends_a_page(text: str) -> bool:
    """A line that ends a page of a table copied from a PDF: its number (— 3 —), or the header
    repeated (序号)."""
    return bool(PAGE_NUMBER_RE.match(text.strip())) or column_role(text.strip()) == "number"


def _vertical_cells(
    lines: list[tuple[int, str]], start: int, width: int | None, limit: int
) -> tuple[list[tuple[int, str]], int]:
    """The cell lines after the row number at `start`, up to `limit` or the next row; the index after."""
    cells: list[tuple[int, str]] = []
    j = start + 1
    while j < len(lines) and j <= limit and not _opens_next_row(lines, start, j, width):
        cells.append((lines[j][0], lines[j][1].strip()))
        j += 1
        if width is None and _is_grade_cell(cells[-1][1]):
            break
    return cells, j


def _with_wrapped_names(cells: list[tuple[int, str]], want: int) -> list[tuple[int, str]]:
    """A vertical row's cells with each wrapped tail joined to the cell it completes (合肥市…培训 /
    学校), while there are more than `want`."""
    cells = list(cells)
    k = 0
    while len(cells) > want and k + 1 < len(cells):
        (number, cell), (_, tail) = cells[k], cells[k + 1]
        if _completes(cell, tail, header=False):
            cells[k : k + 2] = [(number, cell + tail)]
        else:
            k += 1
    return cells


def _opens_next_row(lines: list[tuple[int, str]], start: int, j: int, width: int | None) -> bool:
    """Whether line `j` opens the row after the one from `start`: a bare number, and with the
    header's width known the next row's number (another number is a cell: a score, 92)."""
    if width:
        return _next_row_number(lines, start, j)
    return bool(_BARE_NUMBER_RE.match(lines[j][1].strip()))


def _next_row_number(lines: list[tuple[int, str]], start: int, j: int) -> bool:
    """Whether the row from `start` ends at the next row's number (its last cells merged into the
    row above, so never written)."""
    if j >= len(lines) or not _BARE_NUMBER_RE.match(lines[j][1].strip()):
        return False
    return int(lines[j][1].strip()) == int(lines[start][1].strip()) + 1


# The line rules, in order: (needs a grade word or 名单 in the line, rule). An item carrying its own
# grade ('X鉴定站——优秀') is read before a heading would take it.
_LINE_RULES: tuple[tuple[bool, Callable[[int, str], Line | None]], ...] = (
    (True, _own_graded_items),
    (False, _group_line),
    (True, _classify_heading),
    (False, _item_line),
    (False, _group_with_items),
    (False, _labelled_items),
    (True, _glued_row_line),
    (False, _unread_item_line),
)
