"""Appraisal volumes: persons appraised (参加鉴定) and certified (取得证书), for the region or its cities."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..regions import REGIONS, Region
from ..vocabulary import APPRAISED_VERBS, words_re
from .document import Document, Sentence
from .metadata import YEAR_RE
from .model import VolumeFigure

PERSONS_RE = re.compile(
    # linear: possessive runs, no start inside a run of digits or spaces (issue 12: 20 KB of digits took 50 s)
    r"(?:(?P<pre>超过|突破|逾|约|近|大约|将近|达到|达|共|为)|(?<!\s))\s*+(?<!\d)(?P<num>\d++(?:\.\d++)?+)\s*+(?P<wan>万)?\s*+"
    r"(?P<post>余|多)?\s*+(?:人次|人)(?![民员均社才口数力])(?P<after>以上)?"
)
_APPRAISED_AFTER_RE = re.compile(
    r"^[^,，;；。]{0,6}?" + words_re(APPRAISED_VERBS).pattern + r"?[^,，;；。]{0,6}?鉴定"
)
_CERTIFIED_AFTER_RE = re.compile(r"^[^,，;；。]{0,4}?(?:获得|取得|领取|获取|获)[^,，;；。]{0,14}?证")
_CERTIFIED_BEFORE_RE = re.compile(
    r"(?:获得|取得|获取|发放|颁发|核发)[^,，;；。]{0,10}证书[^,，;；。]{0,8}$|获证|取证"
)
_APPRAISED_BEFORE_RE = re.compile(r"鉴定")
_SUBGROUP_RE = re.compile(r"农民工|下岗|失业人员|学生|残疾|贫困|退役|农村劳动力|青年|妇女")
_STAFF_RE = re.compile(r"考评员|督导员|管理人员|工作人员|专家|质量督导|考务")
_CLAUSE_END_RE = re.compile(r"[,，;；。]")
# what every PERSONS_RE match contains (a digit, then 人 with only 万/余/多 and spaces between): a cheap guard
_PERSONS_HINT_RE = re.compile(r"\d\s*(?:万\s*)?(?:[余多]\s*)?人")
_PERSON_RE = re.compile("人")
# 全市 opening the figure's clause, maybe after a date: '，1至11月全市共有…'
_WHOLE_REGION_RE = re.compile(r"\s*+[\d年月日至到\-－~]*+[^\d，,]{0,4}?(?<!安)全(?:省|市|区|州|盟|县)")


# More people than China has is a typo or junk, not an appraisal volume (and would overflow int64).
MAX_PERSONS = 1_500_000_000


def _persons(m: re.Match[str]) -> int:
    value = float(m.group("num")) * (10_000 if m.group("wan") else 1)
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
    return out


def _figure_metric(m: re.Match[str], before: str, clause_before: str, after: str) -> str | None:
    """What the persons figure `m` counts: 'certified', 'appraised', or 'other' (a subgroup's); None
    when it is no appraisal volume (no keyword near it, staff, an implausible number)."""
    if _CERTIFIED_AFTER_RE.search(after) or _CERTIFIED_BEFORE_RE.search(clause_before):
        metric = "certified"
    elif _APPRAISED_AFTER_RE.search(after) or _APPRAISED_BEFORE_RE.search(before):
        metric = "appraised"
    else:
        return None
    if _STAFF_RE.search(clause_before[-8:]) or not 0 < _persons(m) <= MAX_PERSONS:
        return None
    keyword = max(before.rfind("鉴定"), 0)
    if _SUBGROUP_RE.search(before[keyword:]) or _SUBGROUP_RE.match(after):
        return "other"
    return metric


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
    for m in PERSONS_RE.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()]
        clause_before = _CLAUSE_END_RE.split(before)[-1]
        metric = _figure_metric(m, before, clause_before, text[m.end() :])
        if metric is None:
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


def _add_new_figure(figures: list[VolumeFigure], seen: set[tuple], figure: VolumeFigure) -> None:
    """Append `figure` unless one for the same region, metric and persons is already in `figures`
    (whose keys are `seen`: a set, as a notice may state thousands of figures)."""
    key = (figure.region, figure.metric, figure.persons)
    if key not in seen:
        seen.add(key)
        figures.append(figure)


def find_volumes(
    doc: Document, notice_region: Region | None, evaluation_year: int | None
) -> list[VolumeFigure]:
    """Persons appraised/certified, for the notice's region or the cities named with each figure,
    in text order, without repeats (same region, metric and persons)."""
    figures: list[VolumeFigure] = []
    seen: set[tuple] = set()
    for sentence in doc.sentences_matching(_PERSON_RE):
        if not _PERSONS_HINT_RE.search(sentence.text):
            continue  # every figure is N人 or N人次
        for figure in _sentence_figures(sentence, notice_region, evaluation_year):
            _add_new_figure(figures, seen, figure)
    return figures
