"""Appraisal volumes: persons appraised (参加鉴定) and certified (取得证书), for the region or its cities."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from operator import attrgetter

from ..numerals import cn_number
from ..regions import REGIONS, Region
from ..vocabulary import APPRAISED_VERBS, SUM_ROW_WORDS, VOLUME_COLUMNS, WHOLE_REGION_WORDS, words_re
from .document import Document, Sentence, table_cells
from .items import looks_like_name, split_parenthetical, strip_numbering
from .metadata import YEAR_RE
from .model import VolumeFigure

_CN = "一二三四五六七八九十百千万两〇零"
PERSONS_RE = re.compile(
    # linear: possessive runs, no start inside a run of digits, numerals or spaces (issue 12: 20 KB
    # of digits took 50 s). Thousands may be grouped (12,345人次). A figure in Chinese numerals
    # (三万二千余人) is read by cn_number; one counted in certificates (证书4716本, 28.1万份) is a
    # certified figure only.
    r"(?:(?P<pre>超过|突破|逾|约|近|大约|将近|达到|达|共|为)|(?<!\s))\s*+"
    rf"(?:(?<!\d)(?<!\d,)(?P<num>\d{{1,3}}+(?:,\d{{3}})++(?!\d)|\d++(?:\.\d++)?+)\s*+(?P<wan>万)?"
    rf"|(?<![{_CN}])(?P<cn>[{_CN}]++))\s*+"
    r"(?P<post>余|多)?\s*+(?P<unit>人次|人|本|份|张)(?![民员均社才口数力])(?P<after>以上)?"
)
_APPRAISED_AFTER_RE = re.compile(
    r"^[^,，;；。]{0,6}?" + words_re(APPRAISED_VERBS).pattern + r"?[^,，;；。]{0,6}?(?:鉴定|认定|技能评价)"
)
_CERTIFIED_AFTER_RE = re.compile(r"^[^,，;；。]{0,4}?(?:获得|取得|领取|获取|获)[^,，;；。]{0,14}?证")
_CERTIFIED_BEFORE_RE = re.compile(
    r"(?:获得|取得|获取|发放|颁发|核发)[^,，;；。]{0,10}证书[^,，;；。]{0,8}$|获证|取证|发证|核发证书"
)
_APPRAISED_BEFORE_RE = re.compile(r"鉴定|认定|技能评价")
_SUBGROUP_RE = re.compile(r"农民工|下岗|失业人员|学生|残疾|贫困|退役|农村劳动力|青年|妇女|高级工|技师|高技能")
_STAFF_RE = re.compile(r"考评员|督导员|管理人员|工作人员|专家|质量督导|考务")
_CLAUSE_END_RE = re.compile(r"[,，;；。]")
# a planned figure (计划鉴定5万人次), a threshold (鉴定人数不足50人) or a capacity (年鉴定能力超过5万人次)
# is no volume
_NOT_A_VOLUME_RE = re.compile(
    r"计划|预计|力争|目标|争取|(?:不足|不到|少于|低于|未达到|未满|不超过|能力(?:超过|达到|达|为|约|近|逾)?)\s*$"
)
# one institution as a subject: 该站, 我院, or a name ending as an institution's (not 各鉴定站,
# 参检鉴定站, 多数鉴定站, 部分/个别鉴定站, 参加年检的鉴定站, nor the issuing 集团公司 itself)
_OWNER_RE = re.compile(
    r"(?:该|我|本)(?:所|站|校|院|中心|公司|机构|单位)(?!\d)"
    # (机械工业职业技能鉴定站: the industry's; 省属鉴定所: the province's)
    r"|(?<![各全有的检数分别业统属])(?<!业职业技能)(?<!统职业技能)"
    r"(?:鉴定所|鉴定站|学校|学院|技校|(?<!集团)公司|第\d{1,4}站)(?![\d(（])"
)
# 全省 and the noun it ends in, one phrase (全省交通行业职业技能鉴定站共鉴定…: all of them)
_PHRASE_GAP = 12
_ALL_INSTITUTIONS_RE = re.compile(r"全(?:省|市|区|州|盟|县|国|行业|路|系统)|各(?:地|市|鉴定|评价)|[省市区县]")
# what every PERSONS_RE match contains (a digit, then 人 with only 万/余/多 and spaces between): a cheap guard
_PERSONS_HINT_RE = re.compile(rf"[\d{_CN}]\s*(?:[余多]\s*)?[人本份张]")
_PERSON_RE = re.compile("[人本份张]")
_CERTIFICATE_UNITS = ("本", "份", "张")
# 全市 opening the figure's clause, maybe after a date: '，1至11月全市共有…'
_WHOLE_REGION_RE = re.compile(r"\s*+[\d年月日至到\-－~]*+[^\d，,]{0,4}?(?<!安)全(?:省|市|区|州|盟|县)")


# More people than China has is a typo or junk, not an appraisal volume (and would overflow int64).
MAX_PERSONS = 1_500_000_000


def _persons(m: re.Match[str]) -> int:
    if m.group("cn"):
        return cn_number(m.group("cn")) or 0
    value = float(m.group("num").replace(",", "")) * (10_000 if m.group("wan") else 1)
    return round(value)


def _qualifier(m: re.Match[str]) -> str:
    if m.group("pre") in ("超过", "突破", "逾") or m.group("after"):
        return "at_least"
    if m.group("pre") in ("约", "近", "大约", "将近") or m.group("post"):
        return "approx"
    return "exact"


Place = tuple[int, str, set[str]]  # REGIONS.find's: (offset, name as written, candidate codes)


def _places_before(text: str, end: int, places: list[Place]) -> list[Place]:
    """`REGIONS.find(text[:end])`, given `places = REGIONS.find(text)`: the same names up to `end`
    (the search reads left to right), unless one runs across `end`."""
    if any(start < end < start + len(name) for start, name, _ in places):
        return REGIONS.find(text[:end])
    return [place for place in places if place[0] + len(place[1]) <= end]


def _cities(places: list[Place], notice_region: Region | None) -> list[Region]:
    """Cities/counties among `places` (`REGIONS.find`'s) that lie inside the notice's province."""
    if not notice_region or notice_region.level == "national":
        return []
    out: list[Region] = []
    for _, name, _ in places:
        region = REGIONS.resolve(name, notice_region.province_code)
        if (
            region
            and region.level != "province"
            and region.province_code == notice_region.province_code
            and region.code != notice_region.code
            and region not in out
        ):
            out.append(region)
    # a city written with its county (阳江市阳东县鉴定3,210人次) gives the figure to the county
    return [r for r in out if not any(_inside(o, r) for o in out)]


def _inside(inner: Region, outer: Region) -> bool:
    return outer.level == "prefecture" and inner.level == "county" and inner.code[:4] == outer.code[:4]


def _figure_metric(
    m: re.Match[str], before: str, clause_before: str, after: str, inherited: str | None
) -> str | None:
    """What the persons figure `m` counts: 'certified', 'appraised', or 'other' (a subgroup's); None
    when it is no appraisal volume (no keyword near it, staff, a plan or a threshold, an implausible
    number). `inherited` is the metric of the figure a clause opening with 其中 breaks down."""
    if _NOT_A_VOLUME_RE.search(clause_before):
        return None
    metric = _keyword_metric(m, before, clause_before, after)
    if metric is None and inherited and _continues_previous(clause_before.strip()):
        metric = inherited
    least = 10 if m.group("cn") else 1  # 一人多岗 is no figure
    if metric is None or _STAFF_RE.search(clause_before[-8:]) or not least <= _persons(m) <= MAX_PERSONS:
        return None
    keyword = max(before.rfind("鉴定"), 0)
    subgroup = _SUBGROUP_RE.search(before[keyword:]) or _SUBGROUP_RE.search(clause_before)
    subgroup = subgroup or (metric == inherited and _is_breakdown(clause_before.strip()))
    if subgroup or _SUBGROUP_RE.search(_CLAUSE_END_RE.split(after[:30], maxsplit=1)[0]):
        return "other"
    return metric


def _is_breakdown(clause: str) -> bool:
    """A 其中 clause that names no place (其中新型职业农民鉴定超过8万人): part of the figure before,
    by kind of person or trade, no region's volume; 其中A市… is that city's, 其中2018年… that year's."""
    return clause.startswith("其中") and not YEAR_RE.search(clause) and not REGIONS.find(clause)


def _continues_previous(clause: str) -> bool:
    """A clause that carries on the previous figure's count: its breakdown (其中…) or another place's
    figure in a run of them (济南、青岛两市鉴定人数均超过10万人次，烟台市近8万人次)."""
    clause = clause.lstrip("、")
    return clause.startswith("其中") or (len(clause) <= 12 and REGIONS.starts_with_place(clause))


def _keyword_metric(m: re.Match[str], before: str, clause_before: str, after: str) -> str | None:
    """The metric the words around `m` name: certificates before it or obtained after it, an
    appraisal before it or taken part in after it."""
    if _CERTIFIED_BEFORE_RE.search(clause_before):
        return "certified"
    if m.group("unit") in _CERTIFICATE_UNITS:
        return None  # 本/份/张 count certificates, said before the figure
    if _CERTIFIED_AFTER_RE.search(after):
        return "certified"
    if _APPRAISED_AFTER_RE.search(after) or _APPRAISED_BEFORE_RE.search(before + clause_before):
        return "appraised"
    return None


def _year_before(text: str, end: int, evaluation_year: int | None) -> int | None:
    """The last year written in `text` before `end`, else the notice's evaluation year."""
    years = YEAR_RE.findall(text[:end])
    return int(years[-1]) if years else evaluation_year


def _figure_cities(
    places_before: list[Place],
    segment_start: int,
    clause_before: str,
    carried: list[Region],
    notice_region: Region | None,
) -> list[Region]:
    """The cities a figure is for: those named since `segment_start` (the previous figure's end), else,
    unless the clause opens with 全市 (the whole region's), the previous figure's (`carried`)."""
    since = [p for p in places_before if p[0] >= segment_start]
    whole = _WHOLE_REGION_RE.match(clause_before)  # '，全市共取得证书…': the region's
    return _cities(since, notice_region) or ([] if whole else carried)


def _sentence_figures(
    sentence: Sentence, notice_region: Region | None, evaluation_year: int | None
) -> Iterator[VolumeFigure]:
    """The volume figures of one sentence, in order, one for each region a figure is given to."""
    text = sentence.text
    local = notice_region is not None and notice_region.level != "national"  # cities are looked for
    places: list[Place] | None = None  # REGIONS.find(text), once a sentence
    # a figure's places are those named since the sentence's previous figure, else that figure's:
    # 'A区鉴定36119人；B市、C县均超过20000人' gives 20000 to B and C, not to A
    segment_start, carried = 0, []
    owners = _Owners(text)
    previous_end, previous_metric = 0, None
    for m in PERSONS_RE.finditer(text):
        # the words that say what a figure counts lie after the previous figure, in its clause
        before = text[max(0, m.start() - 30, previous_end) : m.start()]
        clause_before = _CLAUSE_END_RE.split(text[max(0, m.start() - 80, previous_end) : m.start()])[-1]
        metric = _figure_metric(m, before, clause_before, text[m.end() :], previous_metric)
        previous_end, previous_metric = m.end(), metric
        if metric is None or owners.owns(m.start()):
            continue
        year = _year_before(text, m.start(), evaluation_year)
        cities: list[Region] = []
        if local:
            if places is None:
                places = REGIONS.find(text)
            places_before = _places_before(text, m.start(), places)
            cities = _figure_cities(places_before, segment_start, clause_before, carried, notice_region)
            segment_start, carried = m.end(), cities
        for region in cities or [notice_region]:
            yield VolumeFigure(region, year, metric, _persons(m), _qualifier(m), text.strip(), sentence.line)


def _about_one_institution(doc: Document, line: int) -> bool:
    """Whether the line is a numbered paragraph titled by one institution's name (1.X鉴定所(Y承建)。
    …全年鉴定2130人…): what it counts is that institution's."""
    text = doc.lines[line - 1].lstrip()
    body = strip_numbering(text)
    title, stop, _ = body.partition("。")
    if not stop or body == text or "、" in title:
        return False
    return looks_like_name(split_parenthetical(title)[0])


class _Owners:
    """Where a sentence names one institution as the subject of what follows (该站共完成…, 我院…,
    X鉴定所全年鉴定…) and where it names a whole region or all institutions (全省, 各鉴定站): a
    figure after the first and before the next is one institution's, no region's volume."""

    def __init__(self, text: str) -> None:
        owners = list(_OWNER_RE.finditer(text))
        wholes = list(_ALL_INSTITUTIONS_RE.finditer(text)) if owners else []
        self._whole = [m.end() for m in wholes]
        # (全省, 各鉴定站, 省直: not the 市 of a name)
        self._opens = [m.end() for m in wholes if m.group()[0] in "全各" or text.startswith("直", m.end())]
        self._owned = [m.end() for m in owners if not self._of_whole(text, m.start())]

    def _of_whole(self, text: str, start: int) -> bool:
        """Whether the owner noun at `start` ends a phrase a whole-region word opens (全省…鉴定站)."""
        whole = bisect.bisect_right(self._opens, start)
        if not whole:
            return False
        gap = text[self._opens[whole - 1] : start]
        return len(gap) <= _PHRASE_GAP and not _CLAUSE_END_RE.search(gap)

    def owns(self, offset: int) -> bool:
        owner = bisect.bisect_right(self._owned, offset)
        if not owner:
            return False
        whole = bisect.bisect_right(self._whole, offset)
        return not whole or self._whole[whole - 1] < self._owned[owner - 1]


def _add_new_figure(figures: list[VolumeFigure], seen: set[tuple], figure: VolumeFigure) -> None:
    """Append `figure` unless one for the same region, metric and persons is already in `figures`
    (whose keys are `seen`: a set, as a notice may state thousands of figures)."""
    key = (figure.region, figure.metric, figure.persons)
    if key not in seen:
        seen.add(key)
        figures.append(figure)


_VOLUME_HEADER_RE = re.compile("|".join(re.escape(w) for _, words in VOLUME_COLUMNS for w in words))
_CELL_PERSONS_RE = re.compile(r"\d{1,3}(?:,\d{3})++|\d++")


def _volume_columns(cells: list[str]) -> dict[int, str]:
    """A volume table's header: {column counted from the right: metric}; {} for any other line."""
    columns = {}
    for at, cell in enumerate(cells):  # left to right
        metric = next((metric for metric, words in VOLUME_COLUMNS if any(w in cell for w in words)), None)
        if metric:
            columns[len(cells) - 1 - at] = metric
    return columns


def _row_region(cell: str, notice_region: Region) -> Region | None:
    """The region of a volume table's row: a place inside the notice's, or the whole of it (合计)."""
    cell = "".join(cell.split())
    if cell.startswith((*SUM_ROW_WORDS, *WHOLE_REGION_WORDS)):
        return notice_region  # (a 小计 row is no place and no region)
    region = REGIONS.resolve(cell, notice_region.province_code)
    inside = region is not None and region.province_code == notice_region.province_code
    return region if inside and REGIONS.match_place(cell) == cell else None


def _table_figures(
    doc: Document, notice_region: Region | None, evaluation_year: int | None
) -> Iterator[VolumeFigure]:
    """The figures of tables of volumes by place (地区 | 鉴定人次 | 取证人数, a 鉴定人次 column beside
    grade counts): the header's columns are matched to each row's from the right (a centred header
    may split 地区 into two cells), the row's first cell is its place."""
    if notice_region is None or notice_region.level == "national":
        return
    if "\t" not in doc.text and "|" not in doc.text:
        return
    columns: dict[int, str] = {}
    for number, line in enumerate(doc.lines, 1):
        cells = table_cells(line)
        if cells and _VOLUME_HEADER_RE.search(line) and not any(c.strip().isdecimal() for c in cells):
            columns = _volume_columns(cells)  # (a row's remark, 已发证书继续有效, is no header)
        elif not cells:
            columns = {} if line.strip() else columns  # a table ends at its first line without cells
        elif columns and (region := _row_region(cells[0], notice_region)):
            for index, metric in columns.items():
                cell = cells[-1 - index].strip() if index < len(cells) else ""
                persons = int(cell.replace(",", "")) if _CELL_PERSONS_RE.fullmatch(cell) else 0
                if 0 < persons <= MAX_PERSONS:
                    yield VolumeFigure(region, evaluation_year, metric, persons, "exact", line, number)


def find_volumes(
    doc: Document, notice_region: Region | None, evaluation_year: int | None
) -> list[VolumeFigure]:
    """Persons appraised/certified, for the notice's region or the cities named with each figure,
    in prose and in tables of volumes by place, in text order, without repeats (same region, metric
    and persons)."""
    found: list[VolumeFigure] = []
    if _VOLUME_HEADER_RE.search(doc.text):
        found.extend(_table_figures(doc, notice_region, evaluation_year))
    for sentence in doc.sentences_matching(_PERSON_RE):
        # (every figure is N人, N人次 or N本 (份, 张); in a paragraph about one institution, its own)
        if _PERSONS_HINT_RE.search(sentence.text) and not _about_one_institution(doc, sentence.line):
            found.extend(_sentence_figures(sentence, notice_region, evaluation_year))
    figures: list[VolumeFigure] = []
    seen: set[tuple] = set()
    for figure in sorted(found, key=attrgetter("line")) if len(found) > 1 else found:
        _add_new_figure(figures, seen, figure)
    return figures
