"""Which jurisdiction's institutions a notice evaluates, and the industry sector if it has one."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from itertools import pairwise

from ..regions import NATIONAL, REGIONS, Region
from ..vocabulary import CITY_ABBREVIATIONS, NATIONAL_ISSUER_RE, PROVINCE_ABBREVIATIONS, SECTORS
from .document import Document

# (各设区市…局, 各州、市…局: a province addressing its cities)
_PROVINCE_SCOPE_RE = re.compile(
    r"我省|全省|本省|省人社厅|省厅|省人力资源和社会保障厅|省劳动|各(?:设区|地级)?市|各州、市|各市\((?:州|地)\)"
    r"|自治区(?:人社厅|人力资源|劳动)"  # (an autonomous region's department; 全区 may be a district's)
)
# (各市…局 addresses a province's cities: no city scope)
_CITY_SCOPE_RE = re.compile(
    r"我市|全市|本市|(?<!各)(?:市人社局|市局|市人力资源和社会保障局)|我州|全州|我盟|全盟"
)
# an industry's own stations: 粮食行业…鉴定站, 机械工业…鉴定站, 行业特有工种, 农业特有工种职业技能鉴定站
_WHOLE_SYSTEM_RE = re.compile(r"全(?:行业|系统)[^,，。]{0,12}鉴定")
_SECTOR_SCOPE_RE = re.compile(
    r"(\S{2,6}?)(?:行业|工业|系统)(?:特有工种)?[^,，。]{0,12}鉴定(?:站|所|机构|指导中心)|特有工种"
)


def _first_region(text: str | None, city_scope: bool = False) -> Region | None:
    """The first division named in `text`. With `city_scope` (the text speaks of 全市, 市人社局), a
    bare name that is a province's short form and a city's (吉林) is the city."""
    if not text:
        return None
    places = REGIONS.find(text)
    for index, (_, name, _) in enumerate(places):
        region = REGIONS.resolve(name)
        if region and city_scope and region.level == "province" and name != region.name:
            city = REGIONS.resolve(name + "市")
            region = city if city and city.province_code == region.code else region
        if region:
            return _innermost(region, places[index:])
    return None


def _innermost(region: Region, places: list[tuple[int, str, set[str]]]) -> Region:
    """The last of a chain of divisions each written right after the one it lies in (佛山市顺德区,
    湖北省武汉市): the issuer or title names the innermost one's office."""
    for (start, name, _), (next_start, next_name, _) in pairwise(places):
        if next_start != start + len(name):
            break
        inner = REGIONS.resolve(next_name, region.province_code)
        prefix = {"province": 2, "prefecture": 4}.get(region.level)
        if inner is None or prefix is None or inner.code[:prefix] != region.code[:prefix] or inner == region:
            break
        region = inner
    return region


def _sector_word(text: str) -> str | None:
    for word, sector in SECTORS.items():
        if word in text:
            return sector
    return None


def find_sector(title: str | None, issuer: str | None) -> str | None:
    """The industry system, when the notice is about one industry's own stations: the title or
    issuer says so (…行业…鉴定站, 特有工种), or a national industry body (国家粮食局, 中国…协会)
    issued it."""
    for text in (title, issuer):
        if text and _SECTOR_SCOPE_RE.search(text) and (sector := _sector_word(text)):
            return sector
    for text in (issuer, title.split("关于")[0] if title else None):
        if text and (m := NATIONAL_ISSUER_RE.search(text)) and (sector := _sector_word(m.group())):
            return sector
    return None


def lead_sector(doc: Document) -> str | None:
    """The industry a text without a region is about, from its first sentences: an industry's own
    stations (电力行业…鉴定站), or a whole system (全路, 全行业…) with the industry named."""
    for sentence in doc.sentences[:8]:
        text = sentence.text
        if (_SECTOR_SCOPE_RE.search(text) or _WHOLE_SYSTEM_RE.search(text)) and (
            sector := _sector_word(text)
        ):
            return sector
        if "全路" in text and "鉴定" in text:
            return _sector_word("铁路")
    return None


def _from_doc_number(doc_number: str | None, city_scope: bool) -> Region | None:
    """The region a doc number's abbreviation names (川人社办 -> 四川省); none for an industry's own
    series (石化人〔2024〕41号 is no 石家庄's). A character both a province's and a city's (宁, 青,
    苏: 宁夏 or 南京) is the city's when the lead speaks of a city (全市, 市人社局)."""
    if not doc_number or doc_number.startswith(tuple(word for word in SECTORS if len(word) > 1)):
        return None
    if place := REGIONS.match_place(doc_number):
        return REGIONS.resolve(place)  # a place's name, not an abbreviation: 黔东南人社通, 延边人社发
    first = doc_number[:1]
    if city_scope and first in CITY_ABBREVIATIONS:
        return REGIONS.resolve(CITY_ABBREVIATIONS[first])
    for abbr in (doc_number[:2], first):
        if abbr in PROVINCE_ABBREVIATIONS:
            return REGIONS.resolve(PROVINCE_ABBREVIATIONS[abbr])
    if first in CITY_ABBREVIATIONS:
        return REGIONS.resolve(CITY_ABBREVIATIONS[first])
    return None


def _vote(doc: Document, level: str, within: str | None = None) -> Region | None:
    """The province (or city) most named in the text: institution names carry their place."""
    votes: Counter[str] = Counter()
    for _, _name, codes in REGIONS.find(doc.body):
        for code in codes:
            if within and code[:2] != within[:2]:
                continue
            key = code[:2] + "0000" if level == "province" else code[:4] + "00"
            if REGIONS.is_valid(key):
                votes[key] += 1 / len(codes)
    if not votes:
        return None
    best, _ = max(votes.items(), key=lambda kv: (kv[1], kv[0]))
    return REGIONS.by_code(best)


def _national_issuer_source(title: str | None, issuer: str | None) -> str | None:
    """'issuer' or 'title', whichever (issuer first) names a national body before its 关于; else None."""
    for source, text in (("issuer", issuer), ("title", title)):
        if text and NATIONAL_ISSUER_RE.search(text.split("关于")[0]):
            return source
    return None


def _lead_has_city_scope(doc: Document) -> bool:
    """The opening sentences speak of a city (全市, 市人社局) and not of a province (全省, 各市)."""
    lead = "\n".join(s.text for s in doc.sentences[:8])
    return bool(_CITY_SCOPE_RE.search(lead)) and not _PROVINCE_SCOPE_RE.search(lead)


def _named_region(title: str | None, issuer: str | None, city_scope: bool) -> tuple[Region, str] | None:
    """(region, source) for the first division named by the issuer, the title's head, or the title."""
    for source, text in (
        ("issuer", issuer),
        ("title", title.split("关于")[0] if title else None),
        ("title", title),
    ):
        region = _first_region(text, city_scope)
        if region:
            return region, source
    return None


def _is_national_series(doc_number: str | None, sector: str | None) -> bool:
    """A national body's series (国粮办人); 国办发/国发, mostly cited, count only for a sector notice."""
    national_series = doc_number and doc_number.startswith("国")
    return bool(national_series and (sector or not doc_number.startswith(("国办", "国发"))))


def _plain_votes(doc: Document, keep: Callable[[str], bool]) -> Counter[str]:
    """How often the text names each division it names unambiguously (one code) that `keep` keeps."""
    votes: Counter[str] = Counter()
    for _, _name, codes in REGIONS.find(doc.body):
        code = next(iter(codes)) if len(codes) == 1 else None
        if code and keep(code):
            votes[code] += 1
    return votes


def _county_city(doc: Document, prefecture: Region) -> Region | None:
    """In a text about one city (我市, 市人社局), the county-level city of `prefecture` named most
    (昆山市 in Suzhou's), when it is named at least twice and more often than the prefecture itself:
    the city speaking is that one."""
    votes = _plain_votes(doc, lambda code: code[:4] == prefecture.code[:4])
    own = votes.pop(prefecture.code, 0)
    cities = [(n, code) for code, n in votes.items() if REGIONS.by_code(code).name.endswith("市")]
    if not cities:
        return None
    n, code = max(cities)
    return REGIONS.by_code(code) if n >= 2 and n > own else None


# a district's or county's own bureau (区人社局, 县人力资源和社会保障局; not 自治区人社厅)
# (我区 is also an autonomous region's own word: not a district's)
_DISTRICT_SCOPE_RE = re.compile(r"(?<![自治])(?:区|县)(?:人社局|人力资源(?:和)?社会保障局)|我县")


def _district(doc: Document) -> Region | None:
    """In a text whose lead speaks of a district's or county's own bureau, the county-level division
    named most, when named at least twice (佛山市顺德区人民政府网站 … 区人社局 … 全区)."""
    lead = "\n".join(s.text for s in doc.sentences[:8])
    if not _DISTRICT_SCOPE_RE.search(lead) or _PROVINCE_SCOPE_RE.search(lead):
        return None
    votes = _plain_votes(doc, lambda code: not code.endswith("00"))
    if not votes:
        return None
    code, n = max(votes.items(), key=lambda kv: (kv[1], kv[0]))
    return REGIONS.by_code(code) if n >= 2 else None


def _voted_region(doc: Document, city_scope: bool) -> Region | None:
    """The city most named (when the lead is city-scoped), else the province most named when the body
    speaks of a province."""
    if district := _district(doc):
        return district
    if city_scope:
        region = _vote(doc, "prefecture")
        if region:
            return _county_city(doc, region) or region
    if _PROVINCE_SCOPE_RE.search(doc.body):
        region = _vote(doc, "province")
        if region:
            return region
    return None


def find_region(
    doc: Document, title: str | None, issuer: str | None, doc_number: str | None, sector: str | None
) -> tuple[Region | None, str]:
    """(region, how it was found). Issuer, then title, then the doc-number abbreviation, then the text."""
    source = _national_issuer_source(title, issuer)
    if source:
        return NATIONAL, source
    city_scope = _lead_has_city_scope(doc)
    named = _named_region(title, issuer, city_scope)
    if named:
        return named
    region = _from_doc_number(doc_number, city_scope)
    if region:
        return region, "doc_number"
    if _is_national_series(doc_number, sector):
        return NATIONAL, "doc_number"
    region = _voted_region(doc, city_scope)
    if region:
        return region, "text"
    if sector:
        return NATIONAL, "sector"
    return None, "unresolved"
