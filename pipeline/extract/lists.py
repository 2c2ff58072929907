"""Institutions listed by name with a grade: under grade headings, in table rows, and inline in prose."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from ..numerals import cn_number, digit_counts
from ..regions import REGIONS
from ..vocabulary import (
    GRADE_LABEL_RE,
    GRADE_LABELS,
    HOST_WORDS_RE,
    INSTITUTION_SUFFIXES,
    NOT_A_GRADE_AFTER,
    SANCTION_GRADES,
)
from .document import Document
from .model import InstitutionItem

NUMBERING_RE = re.compile(
    r"^\s*(?:[(（]?\s*[一二三四五六七八九十]{1,3}\s*[)）、.]|[(（]\s*\d{1,3}\s*[)）]|\d{1,3}\s*[.、．)）](?!\d)"
    r"|[①-⑳㉑-㉟㊱-㊿]|第[一二三四五六七八九十]+(?:[类批部分][:：、]?|[:：、]|\s|$))\s*"
)
_COUNT_TAIL_RE = re.compile(r"[(（:：]?\s*(?:共|计)?\s*(\d{1,4})\s*(?:个|所|家|站|单位)\s*[)）]?\s*$")
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
_ROW_NUMBER_LINE_RE = re.compile(r"\n[^\S\n]*\d{1,4}[^\S\n]*$", re.MULTILINE)
# a table row whose cells lost their separators: …职业技能鉴定总站良好 (a name, then its grade)
_NAME_THEN_GRADE_RE = re.compile(
    r"(?P<name>.+(?:鉴定所|鉴定站|鉴定总站|鉴定分站|鉴定中心|指导中心)(?:\((?:站|所)\))?)"
    r"(?P<label>" + GRADE_LABEL_RE.pattern + r")\s*$"
)
_LABELS = tuple(GRADE_LABELS)


def _name_then_grade(text: str) -> re.Match[str] | None:
    """_NAME_THEN_GRADE_RE matched at the start of `text`, once it ends with a grade word (cheap)."""
    return _NAME_THEN_GRADE_RE.match(text) if text.rstrip().endswith(_LABELS) else None


_GLUED_NUMBER_RE = re.compile(r"\d{1,3}(?=[\u4e00-\u9fff])(?![厂号])")  # not 805厂
_ITEM_SPLIT_RE = re.compile(r"[、;；,，\t]")
# the closing bracket may be lost when a line is cut: '…鉴定所(福州化工高级技工学校承建'
_PAREN_TAIL_RE = re.compile(r"^(?P<name>.+?)\s*[(（](?P<inner>[^()（）]{1,40})(?:[)）]|$)\s*$")
_HOST_RE = re.compile(rf"^(?P<host>.+?){HOST_WORDS_RE}$|^{HOST_WORDS_RE}(?:单位)?\s*[:：为]\s*(?P<host2>.+)$")
_NOTE_RE = re.compile(r"申请|主动|更名|合并|原|已|暂停|注销|撤销|整改|不合格|停止|过期|划转")
_ORDINAL_RE = re.compile(
    r"第([一二三四五六七八九十百零〇两\d]+)(?=国家职业技能鉴定所|职业技能鉴定所|鉴定所|鉴定站)"
)
_NAME_STOP_CHARS = frozenset("的对和及与将在")  # _INLINE_NAME_RE's stops that occur inside place names
_INLINE_NAME_RE = re.compile(
    r"(?:^|(?<=[、,，;；:：的对和及与将在如即为])|(?<=其中)|(?<=检中)|(?<=估中)|(?<=查中))"
    r"(?P<name>[^、,，;；:：。的对和及与将在\s\d]{2,40}?"
    r"(?:鉴定所|鉴定站|鉴定总站|鉴定分站|鉴定指导中心|鉴定中心|评价机构|考试站|考核站)(?:\((?:站|所)\))?)"
)
_GENERIC_NAME_RE = re.compile(
    r"^(?:其中|包括|如|即|全省|全市|全国|各|部分|个别|少数|该|这些|所有|有关|相关|省属|市属|本|上述|以上|其他|一些|现有|已有|新(?:批准|设立|增|建|成立|申报|备案|评估)|各类)"
    r"|^(?:国家)?职业技能(?:鉴定)?|^省?(?:职业技能)?鉴定|^另?[一二三四五六七八九十百两\d]+[个家所]"
    # only a grade and a kind: 优秀鉴定所 (in '…被评为优秀鉴定所'), not 合格评估鉴定所
    r"|^(?:并?被)?(?:评为)?(?:年检)?(?:优秀|合格|先进|不合格|达标|良好)(?:的)?(?:国家)?(?:职业技能)?"
    r"(?:鉴定所|鉴定站|鉴定机构|单位)(?:\((?:站|所)\))?$"
)
_LEAD_WORDS_RE = re.compile(r"^(?:其中|包括|例如|如|即)")
_NAMED_OF_N_RE = re.compile(
    r"(?P<name>[^、,，;；:：。的对和及与将在\s]{2,40}?)等\s*(?P<n>\d{1,4})\s*(?:个|所|家|站)"
)
# 'A、B、C被取消职业技能鉴定资格': the sanction itself says these are appraisal institutions, so the
# names need no 鉴定所/站 suffix (they are often the host organisations' names).
_APPRAISAL_SANCTION_RE = re.compile(
    r"(?P<names>[^,，;；:：。]{2,300}?)(?:被|予以|已被)?(?P<label>(?:取消|吊销|撤销)(?:其)?(?:职业技能)?鉴定(?:资格|资质|许可证?))"
)
_ENUM_SPLIT_RE = re.compile(r"[、,，]")
_SEMICOLON_RE = re.compile(r"[;；]")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_PAGE_NUMBER_RE = re.compile(
    r"[-－—–]+\s*\d{1,3}\s*[-－—–]+|第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d{1,3}\s*页)?"
)
# a clause that rules on what the one before described: 'A存在严重违规问题；经研究，决定予以撤销'
_RULING_RE = re.compile(r"决定|予以|责令|责成|给予|对其")
_NO_HOST_RE = re.compile(r"[/／\\—－\-–_]+|无|暂无|空")  # a host cell that says there is none
_PROMOTING_RE = re.compile(r"评为|评定为|定为|确定为|列为")
_SEPARATORS_RE = re.compile(r"[、,，和及与\s]*")  # between two names of one enumeration
_ABOUT_OTHERS_RE = re.compile(r"的|者|逾期|到期|期间|其他|其余|另|未参")
_GRADING_VERB_RE = re.compile(r"被|予以|评为|评定为|定为|确定为|列为|要求|责令|给予|作出|为")
_HEADING_STOP_RE = re.compile(r"[。,，;；]")
_LIST_WORD_RE = re.compile(r"名单|名录")
_TRAILING_PAREN_RE = re.compile(r"\([^)]*\)$")
_NOT_IN_NAME_RE = re.compile(r"[。:：]|\d{3,}")
_NOT_A_SANCTIONED_NAME_RE = re.compile(r"\d|的|将|应|须|对|如|若|其|被|凡")
_CONDITIONAL_RE = re.compile(r"如|若|将|仍")
_VERDICTS = frozenset({"不予通过", "限期整改", "暂缓通过"})  # a clause of its own is a verdict
_CLAUSE_END_RE = re.compile(r"[;；。]")
# an enumeration of names starts after a clause boundary, or after 对/将/经研究 …
_ENUM_BOUNDARY_RE = re.compile(r"[;；。,，:：]")
_ENUM_LEAD_RE = re.compile(r"^(?:对|将|经研究|其中|包括|即)")
# only the kind of institution (and the inspection) stands between 'X等N家' and its grade:
# '等3家鉴定站暂缓通过年检', '等2家鉴定站年检不合格'
_KIND_ONLY_RE = re.compile(
    r"^(?:(?:国家)?(?:职业技能)?(?:鉴定(?:所|站|机构|中心)|机构|单位|评价机构)(?:\((?:站|所)\))?)?"
    r"(?:年检|年审|年度检查|检查评估|评估)?$"
)
# an inline name ends with one of these (the suffixes _INLINE_NAME_RE knows): a cheap guard
_INLINE_SUFFIX_RE = re.compile(
    r"鉴定所|鉴定站|鉴定总站|鉴定分站|鉴定指导中心|鉴定中心|评价机构|考试站|考核站"
)
# what parse_heading's guard looks for: lines without it are no heading
_HEADING_HINT_RE = re.compile(GRADE_LABEL_RE.pattern + "|名单|名录")
# a table's header row: a 序号 or …名称 cell; and its host column, if it has one (承建单位, 依托单位)
_TABLE_HEADER_RE = re.compile(r"(?:^|\t)\s*(?:序号|[^\t]{0,8}名称[^\t]{0,4})\s*(?:\t|$)")
_HOST_HEADER_RE = re.compile(rf"[^\t]{{0,4}}{HOST_WORDS_RE}[^\t]{{0,4}}单位[^\t]{{0,4}}")
# characters a list number (NUMBERING_RE) can start with, besides spaces and digits
_NUMBERING_FIRST = frozenset("(（一二三四五六七八九十第").union(
    *(map(chr, range(ord(a), ord(b) + 1)) for a, b in ("①⑳", "㉑㉟", "㊱㊿"))
)


@dataclass(frozen=True)
class Heading:
    grade: str | None
    label: str | None
    count: int | None
    text: str
    labels: tuple[str, ...] = ()


def grade_labels(text: str) -> list[re.Match[str]]:
    """Grade words in `text` that really grade (not 整改措施, 合格证 …)."""
    return [m for m in GRADE_LABEL_RE.finditer(text) if not NOT_A_GRADE_AFTER.match(text[m.end() :])]


def strip_numbering(text: str) -> str:
    first = text[:1]
    if first and not (first in _NUMBERING_FIRST or first.isspace() or first.isdigit()):
        return text.strip()  # cannot start with a list number: skip the regex
    return NUMBERING_RE.sub("", text, count=1).strip()


@lru_cache(maxsize=8192)
def parse_heading(line: str) -> Heading | None:
    """A grade heading: `二、合格…鉴定所名单(53所)`, `一、年检优秀单位：11所`, `这些鉴定机构被撤销`.

    A heading carries a count, ends with a heading word (名单, 单位, 如下, a colon) or ends with its
    grade words; a line that is an institution's name (ends with 鉴定站 …) without a count is an item.
    """
    if not GRADE_LABEL_RE.search(line) and "名单" not in line and "名录" not in line:
        return None  # a heading names a grade (or is a 名单 with a count): cheap guard
    text = strip_numbering(line)
    if not text or len(text) > 50 or _HEADING_STOP_RE.search(text):
        return None
    if "\t" in text and any(looks_like_name(split_parenthetical(c)[0]) for c in text.split("\t")):
        return None  # a table row naming an institution (its grade column is not a heading)
    glued = _name_then_grade(text)
    parsed = _name_cell(glued.group("name")) if glued else None
    if parsed and (line.lstrip()[:1].isdigit() or REGIONS.starts_with_place(parsed[0])):
        return None  # an item with its grade glued on: 14白银市…鉴定总站良好, 1、靖远县…鉴定站合格
    count_m = _COUNT_TAIL_RE.search(text)
    core = (text[: count_m.start()] if count_m else text).strip()
    if not core:
        return None
    labels = grade_labels(core)
    heading_word = bool(_HEADING_WORD_RE.search(core))
    if not count_m:
        tail = core[labels[-1].start() :] if labels else ""
        grade_of_kind = bool(tail) and bool(
            _GRADE_OF_KIND_RE.search(tail) or _ACTIVITY_GRADE_KIND_RE.match(core)
        )
        ends_with_label = bool(tail) and bool(_LABEL_AT_END_RE.search(tail))
        if not (heading_word or ends_with_label or grade_of_kind) or (
            looks_like_name(core) and not heading_word and not grade_of_kind
        ):
            return None
    if not labels:
        if count_m and _LIST_WORD_RE.search(core):
            return Heading(None, None, int(count_m.group(1)), text)
        return None
    grades = {GRADE_LABELS[m.group()] for m in labels}
    count = int(count_m.group(1)) if count_m else None
    label_words = tuple(m.group() for m in labels)
    if len(grades) > 1:
        return Heading(None, None, count, text, label_words)
    return Heading(grades.pop(), labels[0].group(), count, text, label_words)


MAX_ORDINAL = 9999  # institution_number is int32; no list numbers its stations past this


def ordinal(name: str) -> int | None:
    """The number in an institution's name: 第六国家职业技能鉴定所 -> 6."""
    m = _ORDINAL_RE.search(name) if "第" in name else None
    if not m:
        return None
    number = cn_number(m.group(1))
    return number if number is not None and number <= MAX_ORDINAL else None  # 第一二三四五… is no ordinal


@lru_cache(maxsize=16384)
def split_parenthetical(piece: str) -> tuple[str, str | None, str | None]:
    """'X鉴定所(Y承建)' -> (X鉴定所, Y, None); '…(主动申请撤销)' -> note; '…中心(站)' stays in the name."""
    m = _PAREN_TAIL_RE.match(piece) if "(" in piece or "（" in piece else None
    if not m:
        return piece, None, None
    name, inner = m.group("name").strip(), m.group("inner").strip()
    if host := _HOST_RE.match(inner):
        return name, (host.group("host") or host.group("host2")).strip(), None
    if len(inner) <= 2 and not _NOTE_RE.search(inner):
        return piece.replace(" ", ""), None, None  # part of the name: 指导中心(站), 育婴员(师)
    return name, None, inner


@lru_cache(maxsize=16384)
def looks_like_name(name: str) -> bool:
    """An institution's name: ends with an institution suffix (maybe before a parenthetical)."""
    if not 4 <= len(name) <= 60:
        return False
    if not name.endswith(INSTITUTION_SUFFIXES) and not (
        name.endswith(")") and _TRAILING_PAREN_RE.sub("", name).endswith(INSTITUTION_SUFFIXES)
    ):
        return False
    return not (_GENERIC_NAME_RE.match(name) and not REGIONS.starts_with_place(name)) and not (
        _NOT_IN_NAME_RE.search(name)
    )


@lru_cache(maxsize=16384)
def _name_cell(cell: str) -> tuple[str, str | None, str | None, int | None] | None:
    """(name, host, note, ordinal) when a list cell (spaces removed) names an institution, else None."""
    name, host, note = split_parenthetical(cell)
    return (name, host, note, ordinal(name)) if looks_like_name(name) else None


@lru_cache(maxsize=4096)
def _cell_labels(cell: str) -> tuple[str, ...]:
    """The grade words of a short list cell (`grade_labels`, as strings)."""
    return tuple(m.group() for m in grade_labels(cell))


def parse_item_line(
    line: str,
    grade: str | None,
    label: str | None,
    number: int,
    host_column: tuple[int, int] | None = None,
) -> list[InstitutionItem] | None:
    """Items on one list line (one, or several separated by 、；，or table cells); None if not a list line.
    The last item may end with 。. `host_column` is (index, cells) of the host column (承建单位) in the
    table's header: that cell of a row is its host, even when it reads like a name (省培训技术指导中心)."""
    table = "\t" in line
    host_text = _host_cell(line, host_column) if table and host_column else None
    cells = []
    for raw in _ITEM_SPLIT_RE.split(line.rstrip().removesuffix("。")):
        # strip_numbering and the bare-number test, inlined: this runs for every cell of every row
        first = raw[:1]
        if first in _NUMBERING_FIRST or first.isspace() or first.isdigit():
            if raw.isdecimal() and len(raw) <= 4:
                continue  # a row number (strip_numbering leaves bare digits as they are)
            cell = NUMBERING_RE.sub("", raw, count=1).strip()
            if (glued := _GLUED_NUMBER_RE.match(cell)) and REGIONS.starts_with_place(cell[glued.end() :]):
                cell = cell[glued.end() :]  # a row or page number that lost its separator: 7福建省…
        else:
            cell = raw.strip()
        if cell and not (cell.isdecimal() and len(cell) <= 4):
            cells.append(cell)
    if not cells:
        return None
    row_grade, row_label = grade, label
    names: list[tuple[str, str | None, str | None, int | None]] = []
    hosts: list[str] = []
    for cell in cells:
        labels = _cell_labels(cell) if len(cell) <= 6 else ()
        if cell in GRADE_LABELS or len(labels) == 1:  # a grade cell (a long label is matched whole)
            row_grade, row_label = GRADE_LABELS[cell if cell in GRADE_LABELS else labels[0]], cell
            continue
        if cell == host_text:
            if not _NO_HOST_RE.fullmatch(cell):
                hosts.append(cell)
            continue
        parsed = _name_cell(cell.replace(" ", ""))
        if parsed is None and (glued := _name_then_grade(cell)):
            # a row that lost its tabs: its row number is glued on too (20靖远…鉴定站良好)
            name = glued.group("name").replace(" ", "")
            parsed = _name_cell(name[lead.end() :] if (lead := _GLUED_NUMBER_RE.match(name)) else name)
            if parsed is not None:
                row_grade, row_label = GRADE_LABELS[glued.group("label")], glued.group("label")
        known = host_column is not None  # the table's header was read
        if parsed is not None and not (known and host_column[0] >= 0 and host_text is None and names):
            names.append(parsed)  # (a row narrower than its header: a second name is the host)
        elif known and host_column[0] < 0 and table and names:
            continue  # a column the header does not call the host (整改意见, 存在问题)
        elif table and names and len(cells) <= 5:
            if not _NO_HOST_RE.fullmatch(cell):
                hosts.append(cell)  # a table's host column
        else:
            return None
    if not names or row_grade is None:
        return None
    source = "table" if table else "list"
    row_label = row_label or ""
    only_host = hosts[0] if hosts and len(names) == 1 else None
    return [
        InstitutionItem(
            name, row_grade, row_label, number, only_host if host is None else host, note, ordinal_, source
        )
        for name, host, note, ordinal_ in names
    ]


@dataclass
class ListResult:
    items: list[InstitutionItem]
    stated: list[tuple[str, int, str]]  # (grade, count, evidence)
    warnings: list[str]


def _is_grade_cell(text: str) -> bool:
    return len(text) <= 8 and len(_cell_labels(text)) == 1  # one label: one grade


def join_vertical_rows(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Table rows whose cells landed on separate lines (a pretty-printed or Word HTML table):
    `7` / `X鉴定所` / `/` / `合格` becomes one tab-separated row on the name's line."""
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        number, line = lines[i]
        if _BARE_NUMBER_RE.match(line.strip()):
            cells: list[tuple[int, str]] = []
            j = i + 1
            while j < len(lines) and j <= i + 4 and not _BARE_NUMBER_RE.match(lines[j][1].strip()):
                cells.append((lines[j][0], lines[j][1].strip()))
                if _is_grade_cell(cells[-1][1]):
                    break
                j += 1
            names = [n for n, c in cells if looks_like_name(split_parenthetical(c)[0])]
            if cells and names and _is_grade_cell(cells[-1][1]):
                row = [c for _, c in cells if c and c not in ("/", "—", "-", "无")]
                out.append((names[0], "\t".join([line.strip(), *row])))
                i = j + 1
                continue
        out.append((number, line))
        i += 1
    return out


def find_listed(doc: Document) -> ListResult:
    """Walk the lines: a grade heading opens a list, item lines fill it, anything else closes it."""
    items: list[InstitutionItem] = []
    stated: list[tuple[str, int, str]] = []
    warnings: list[str] = []
    current: Heading | None = None
    current_items = 0
    lines = doc.nonblank()
    if _ROW_NUMBER_LINE_RE.search("\n" + doc.text):
        lines = join_vertical_rows(lines)  # some line holds only a number: maybe a vertical table

    def close() -> None:
        if current is None:
            return
        if current.grade and current_items == 0 and current.count:
            warnings.append(
                f"list cut off or missing: heading '{current.text}' states {current.count} but names none"
            )
        elif current.grade and current.count and current_items and current_items < current.count and is_last:
            warnings.append(f"list cut off: '{current.text}' states {current.count}, {current_items} listed")

    hinted = doc.lines_matching(_HEADING_HINT_RE)
    is_last = False
    host_column: tuple[int, int] | None = None  # the host column of the table being read
    for index, (number, line) in enumerate(lines):
        if _PAGE_NUMBER_RE.fullmatch(line.strip()):
            continue  # a page number between list lines: -2-, —2—, 第2页
        header = "\t" in line and ("序号" in line or "名称" in line) and _TABLE_HEADER_RE.search(line)
        if header:
            host_column = _host_column(line)  # (the row may state the grade: 年检优秀单位名称)
            if current is not None and current.grade and parse_heading(line) is None:
                continue  # the header of the table a heading opens (or repeated on a new page)
        # a row joined from several lines has a tab (and its grade cell): only those and hinted lines
        # can be headings
        heading = parse_heading(line) if number in hinted or "\t" in line else None
        if heading is not None:
            is_last = False
            host_column = None if "\t" not in line else host_column
            close()
            current, current_items = heading, 0
            if heading.grade and heading.count is not None:
                stated.append((heading.grade, heading.count, heading.text))
            if heading.grade is None and len(set(heading.labels)) > 1 and index == len(lines) - 1:
                warnings.append(f"list cut off: heading '{heading.text}' ends the text")
            elif heading.grade is None and heading.count and not heading.labels:
                warnings.append(f"unknown grade heading: '{heading.text}'")
            continue
        if current is None:
            # outside a graded list only table rows carry their grade (or a row that lost its tabs)
            row = (
                parse_item_line(line, None, None, number, host_column)
                if "\t" in line or _name_then_grade(line)
                else None
            )
            if row:
                items += row
            elif not header and "\t" not in line and _CJK_RE.search(line):
                host_column = None  # prose (not a page number such as —2—): the table has ended
            continue
        row = parse_item_line(line, current.grade, current.label, number, host_column)
        if row is None:
            if not header and "\t" not in line and _CJK_RE.search(line):
                host_column = None
            is_last = False
            close()
            current = None
            continue
        if current.grade is None:
            continue  # items under a heading we cannot grade are not guessed (warned above)
        items += row
        current_items += len(row)
        is_last = index == len(lines) - 1
    is_last = True
    close()
    return ListResult(items, stated, warnings)


def _host_column(header: str) -> tuple[int, int]:
    """(index, number of cells) of the host column (承建单位, 依托单位) in a table's header row; index
    -1 when the header has none (then no other column is read as the host: 整改意见, 存在问题)."""
    cells = header.split("\t")
    for index, cell in enumerate(cells):
        if _HOST_HEADER_RE.fullmatch(cell.strip()):
            return index, len(cells)
    return -1, len(cells)


def _host_cell(row: str, host_column: tuple[int, int]) -> str | None:
    """A table row's cell in the host column, unless the row has fewer cells than the header."""
    cells = row.split("\t")
    index, width = host_column
    # (a row wider than its header has notes at the end)
    return cells[index].strip() if index >= 0 and len(cells) >= width else None


def _sanctioned_names(text: str, line: int) -> list[InstitutionItem]:
    """Names enumerated right before an appraisal-specific sanction (…被取消职业技能鉴定资格)."""
    items: list[InstitutionItem] = []
    if "鉴定资" not in text and "鉴定许可" not in text:
        return items  # cheap guard: the pattern below backtracks over long sentences
    for m in _APPRAISAL_SANCTION_RE.finditer(text):
        parts = [p.strip() for p in _ENUM_SPLIT_RE.split(m.group("names"))]
        if len(parts) < 2 and not looks_like_name(parts[0]):
            continue  # one unnamed subject ('3个鉴定所(站)被取消…'): a count, not a name
        if any(
            not 2 <= len(p) <= 40 or _NOT_A_SANCTIONED_NAME_RE.search(p) or p in GRADE_LABELS for p in parts
        ):
            continue
        for part in parts:
            name, host, note = split_parenthetical(part)
            items.append(
                InstitutionItem(name, "revoked", m.group("label"), line, host, note, ordinal(name), "inline")
            )
    return items


def _enumerated_before(text: str, end: int) -> list[str]:
    """The names enumerated before the one at `end` ('A、B、C等3家…' -> A, B when C starts at `end`)."""
    if not text[:end].endswith("、"):
        return []
    segment = _ENUM_BOUNDARY_RE.split(text[: end - 1])[-1]
    return [_ENUM_LEAD_RE.sub("", p) for p in segment.split("、") if p]


def find_inline(doc: Document) -> ListResult:
    """Names graded in prose: 'A、B、C被要求限期整改', 'X等10家单位被评为优秀' (X listed, 10 stated)."""
    items: list[InstitutionItem] = []
    stated: list[tuple[str, int, str]] = []
    for sentence in doc.sentences:
        text = sentence.text
        if len(text) < 8:
            continue
        graded = GRADE_LABEL_RE.search(text) is not None  # cheap guard: most rules need a grade word
        if not graded and "鉴定资" not in text and "鉴定许可" not in text:
            continue  # neither a grade word nor an appraisal sanction (_sanctioned_names): nothing to find
        if parse_heading(text) is not None:
            continue
        if ";" not in text and "；" not in text:
            items += _graded_in_clause(text, text, sentence.line, stated)
            continue
        # each ；-clause is graded on its own: 'A等3个…为优秀；B被评为基本合格；对C予以撤销'; names
        # without a grade go on to the next clause when they are only names ('A；B；C被评为优秀'), or
        # when it rules on them and names none ('A存在严重违规问题；经研究，予以撤销')
        pending = ""
        for clause in _SEMICOLON_RE.split(text):
            if pending and (
                _only_names(pending) or (_RULING_RE.search(clause) and not _inline_names(clause))
            ):
                clause = pending + "；" + clause
            found = _graded_in_clause(clause, text, sentence.line, stated)
            items += found
            pending = clause if not found and _inline_names(clause) else ""
    return ListResult(items, stated, [])


def _only_names(text: str) -> bool:
    """Whether `text` holds nothing but institution names (and separators, 对, 其中 …)."""
    rest = _INLINE_NAME_RE.sub("", text)
    return len(_ENUM_SPLIT_RE.sub("", _LEAD_WORDS_RE.sub("", _ENUM_LEAD_RE.sub("", rest.strip())))) <= 1


def _inline_names(text: str) -> list[re.Match[str]]:
    """_INLINE_NAME_RE's matches in `text` that are institution names."""
    if not _INLINE_SUFFIX_RE.search(text):
        return []
    return [
        m for m in _INLINE_NAME_RE.finditer(text) if looks_like_name(_LEAD_WORDS_RE.sub("", m.group("name")))
    ]


def _graded_in_clause(
    text: str, sentence: str, line: int, stated: list[tuple[str, int, str]]
) -> list[InstitutionItem]:
    """find_inline's rules on one clause of a sentence; counts go to `stated` with the sentence."""
    items: list[InstitutionItem] = []
    graded = GRADE_LABEL_RE.search(text) is not None
    if not graded and "鉴定资" not in text and "鉴定许可" not in text:
        return items
    if "等" in text:
        text = digit_counts(text)  # X等三家 -> X等3家
    named_of_n = "等" in text and _NAMED_OF_N_RE.search(text) is not None
    for m in _NAMED_OF_N_RE.finditer(text) if named_of_n and graded else ():
        # the grade is in the same clause: '…等3家鉴定站暂缓通过年检;对…予以撤销' is conditional
        after = _CLAUSE_END_RE.split(text[m.end() :], maxsplit=1)[0]
        labels = [
            lab
            for lab in grade_labels(after)
            if _GRADING_VERB_RE.search(after[: lab.start()] or "为")
            or _KIND_ONLY_RE.match(after[: lab.start()])
        ]
        if not labels:
            continue
        label = labels[0]
        grade = GRADE_LABELS[label.group()]
        stated.append((grade, int(m.group("n")), sentence))
        cut = _with_place_before(text, m.start("name"), 0)  # 呼和 of 呼和浩特
        start = m.start("name") - len(cut)
        for piece in [*_enumerated_before(text, start), cut + m.group("name")]:
            name = _LEAD_WORDS_RE.sub("", strip_numbering(piece))
            name, host, note = split_parenthetical(name)
            if looks_like_name(name):
                items.append(
                    InstitutionItem(name, grade, label.group(), line, host, note, ordinal(name), "named_of_n")
                )
    if named_of_n:
        return items
    sanctioned = _sanctioned_names(text, line)
    if sanctioned:
        return sanctioned
    if not graded:
        return items
    matches = _inline_names(text)  # (none without an institution suffix: its own cheap guard)
    if not matches:
        return items
    previous_end = 0
    for m, label in zip(matches, _labels_per_name(text, matches), strict=True):
        whole = _with_place_before(text, m.start("name"), previous_end) + m.group("name")
        previous_end = m.end()
        if label is None:
            continue
        name, host, note = split_parenthetical(_LEAD_WORDS_RE.sub("", strip_numbering(whole)))
        items.append(
            InstitutionItem(
                name,
                GRADE_LABELS[label.group()],
                label.group(),
                line,
                host,
                note,
                ordinal(name),
                "inline",
            )
        )
    return items


def _labels_per_name(text: str, matches: list[re.Match[str]]) -> list[re.Match[str] | None]:
    """The grade word of each name in a clause: the one after the last name grades them all
    ('A、B被评为优秀'), unless a name before it has its own ('经检查，A合格，B不合格'); then each name
    takes the first grade after it, and a name followed by only a separator the next one's."""
    last = _grade_of_names(text[matches[-1].end() :])
    between = [text[a.end() : b.start()] for a, b in pairwise(matches)]
    own = [None if _SEPARATORS_RE.fullmatch(gap) else _grade_of_names(gap) for gap in between]
    if not any(own):
        return [last] * len(matches)
    labels: list[re.Match[str] | None] = []
    pending = 0
    for label in own:
        pending += 1
        if label is not None:
            labels += [label] * pending
            pending = 0
    return labels + [last] * (pending + 1)


def _grade_of_names(after: str) -> re.Match[str] | None:
    """The grade word, in the text after the last name, that grades the names. The first one counts
    when a grading verb comes before it (被评为, 予以 …); when only the inspection and the kind do
    (…鉴定站年检不合格), or nothing does and it is a verdict by itself (对…暂缓通过, …鉴定所优秀。,
    but not …中心通过检查); or when it opens a clause as a verdict or a sanction (…存在问题，不予通过年检);
    never after a condition (如, 若, 将, 仍). A later word replaces it only as a sanction or a
    promotion in a clause of its own ('年检不合格，予以撤销' is revoked, '年检合格，并被评为优秀'
    excellent), not as a rule about others ('…被评为合格，对不合格的予以撤销' stays pass)."""
    chosen: re.Match[str] | None = None
    for lab in grade_labels(after):
        between = after[: lab.start()]
        if _CONDITIONAL_RE.search(between):
            continue
        grade = GRADE_LABELS[lab.group()]
        if chosen is None:
            if (
                _GRADING_VERB_RE.search(between)
                or (_KIND_ONLY_RE.match(between) and (between or _verdict_itself(after, lab, grade)))
                or (between.endswith((",", "，")) and (lab.group() in _VERDICTS or grade in SANCTION_GRADES))
            ):
                chosen = lab
            continue
        own = _ENUM_SPLIT_RE.split(between)[-1]  # the word's own clause
        if _ABOUT_OTHERS_RE.search(between, chosen.end()):
            break  # 逾期未整改的，予以撤销; 其他…一律暂停; 另有2个…被撤销: not these names
        if "的" not in own and (grade in SANCTION_GRADES or _PROMOTING_RE.search(own)):
            return lab
    return chosen


def _verdict_itself(text: str, label: re.Match[str], grade: str) -> bool:
    """A grade word right after a name that is a verdict on it: a long one (暂缓通过, 不予通过), one
    that ends its clause (…鉴定所优秀。), or a sanction that is not the name's own act
    (…鉴定所暂停鉴定业务, not …中心撤销了2家)."""
    following = text[label.end() : label.end() + 1]
    if len(label.group()) >= 3 or following in ("", "。", "，", ",", "；", ";"):
        return True
    return grade in SANCTION_GRADES and following not in ("了", "对")


def _with_place_before(text: str, start: int, floor: int) -> str:
    """The start of a place name that _INLINE_NAME_RE cut off at one of its stop characters:
    '呼和' before '浩特市…鉴定站' (呼和浩特), '和' before '平区…' (和平区); else ''."""
    if start == 0 or text[start - 1] not in _NAME_STOP_CHARS:
        return ""
    head = _ENUM_BOUNDARY_RE.split(text[floor:start])[-1]
    for k in range(len(head)):
        m = REGIONS.match_place(head[k:] + text[start : start + 8])
        if m is not None and len(m) > len(head) - k:  # the place runs on into the name
            return head[k:]
    return ""
