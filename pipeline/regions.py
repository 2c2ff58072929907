"""China's administrative divisions (GB/T 2260), current to 2024, with their history back to 2002.

The `gb2260` package gives the tables of 2002-2014; data/gb2260_changes.csv (its source and date in
data/README.md) brings them to the Ministry of Civil Affairs' 2024 table: what each (code, name) of
2002-2023 that is not today's became. `REGIONS.find(text)` finds every division named in a text
(full names, and short forms of provinces and prefectures such as 甘肃 or 福州); `REGIONS.by_code(code)`
gives a `Region`. A place renamed or re-levelled since (襄樊市 -> 襄阳市; 林芝地区 542600 -> 林芝市
540400; 宁乡县 430124 -> 宁乡市 430182) resolves, by its old name or its old code, to today's code and
name, so that one region has one row across the years. A division split without a main successor
(邯郸县 2016, between 邯山区 and 丛台区) stays under its last code and name.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from gb2260.data import data as _GB2260

NATIONAL_CODE = "100000"
_SKIP_NAMES = {
    "市辖区",
    "县",
    "市",
    "区",
    "省直辖县级行政区划",
    "自治区直辖县级行政区划",
    "省直辖行政单位",
    "省直辖县级行政单位",
    "自治区直辖县级行政单位",
}  # groupings, not places
CHANGES_PATH = Path(__file__).parent / "data" / "gb2260_changes.csv"
_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "自治州",
    "地区",
    "省",
    "市",
    "盟",
)
# the peoples an autonomous prefecture or county is named for (黔东南苗族侗族自治州: 苗, 侗): the
# place's own name is what stands before them (黔东南, not 黔东 + 南苗族)
ETHNIC_GROUPS: tuple[str, ...] = (
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "各",
)
_PEOPLES = "|".join(sorted(ETHNIC_GROUPS, key=len, reverse=True))
_ETHNIC_RE = re.compile(rf"^(.{{2,7}}?)(?:(?:{_PEOPLES})族?)+自治[州县]$")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str  # province / prefecture / county / national
    province_code: str
    province_name: str


NATIONAL = Region(NATIONAL_CODE, "全国", "national", NATIONAL_CODE, "全国")


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def _short_forms(name: str, level: str) -> list[str]:
    """Customary short forms: 甘肃省 -> 甘肃, 福州市 -> 福州, 甘南藏族自治州 -> 甘南 / 甘南州."""
    forms: list[str] = []
    m = _ETHNIC_RE.match(name)
    if m:
        forms += [m.group(1), m.group(1) + "州"]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.append(name[: -len(suffix)])
            break
    if level == "province" and name.startswith("内蒙古"):
        forms.append("内蒙古")
    return [f for f in forms if len(f) >= 2]


def _trie_pattern(words: set[str]) -> str:
    """A regex matching exactly `words`, the longest word at a position first (greedy trie)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here: the longer words are optional (greedy: tried first)
            return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
        return body

    return build(trie)


class Change(NamedTuple):
    """A row of data/gb2260_changes.csv: the division `old_code` `old_name` is today `new_code`
    `new_name` (new ones empty: split without a main successor; old ones empty: created since)."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str
    year: int


def load_changes(path: Path = CHANGES_PATH) -> list[Change]:
    """The rows, oldest change first."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = [
            Change(r["old_code"], r["old_name"], r["new_code"], r["new_name"], int(r["year"]))
            for r in csv.DictReader(f)
        ]
    return sorted(rows, key=lambda c: c.year)


def _parent(code: str) -> str:
    return code[:2] + "0000" if code.endswith("00") else code[:4] + "00"


def _current_table(changes: list[Change]) -> dict[str, str]:
    """code -> name today: gb2260's last table with the changes since applied."""
    names = {f"{code:06d}": name for code, name in _GB2260[None].items()}
    gone = {c.old_code for c in changes if c.old_code}
    names = {code: name for code, name in names.items() if code not in gone}
    names.update({c.new_code: c.new_name for c in changes if c.new_code})
    # a grouping (市辖区, 省直辖县级行政区划) goes with the division it grouped for
    return {code: name for code, name in names.items() if name not in _SKIP_NAMES or _parent(code) in names}


def _gb2260_pairs() -> list[tuple[str, str]]:
    """Every (code, name) of gb2260's tables (2002-2014)."""
    return sorted({(f"{code:06d}", name) for table in _GB2260.values() for code, name in table.items()})


class RegionIndex:
    """Name -> code index over every GB/T 2260 table of 2002-2024, each name to today's code."""

    def __init__(self, changes: list[Change] | None = None) -> None:
        changes = load_changes() if changes is None else changes
        self._names = _current_table(changes)  # today's divisions (and their groupings)
        last = {c.old_code: c for c in changes if c.old_code and c.old_code not in self._names}
        self._current_of = {code: c.new_code for code, c in last.items() if c.new_code}  # old -> today's
        self._historical = {code: c.old_name for code, c in last.items() if not c.new_code}  # split
        self._now = {(c.old_code, c.old_name): c.new_code for c in changes if c.old_code}
        by_name: dict[str, set[str]] = defaultdict(set)
        short: dict[str, set[str]] = defaultdict(set)
        pairs = [*_gb2260_pairs(), *((c.old_code, c.old_name) for c in changes), *self._names.items()]
        for code, name in pairs:
            if code and name not in _SKIP_NAMES and (now := self._today(code, name)):
                by_name[name].add(now)
                level = _level(code)
                if level != "county":
                    for form in _short_forms(name, level):
                        short[form].add(now)
        self._by_name = dict(by_name)
        # A short form never shadows a full name (吉林 is the province's short form and a city's too).
        self._by_short = {k: v for k, v in short.items() if k not in by_name}
        self._regions: dict[str, Region] = {}
        # Every name, longest first at each position, as a trie-shaped regex (one branch per first
        # character instead of thousands of alternatives tried at every offset). Compiled here, at
        # import, so that no extraction pays for it.
        self._pattern = re.compile(_trie_pattern(set(self._by_name) | set(self._by_short)))

    def _today(self, code: str, name: str) -> str | None:
        """The code that the division `code` `name` (of any table since 2002) has today; None if it
        was split without a main successor and its code is another division's now."""
        now = self._now.get((code, name), code)
        if not now:
            return code if code in self._historical else None
        now = self._current_of.get(now, now)
        if now not in self._names and now not in self._historical:
            self._historical[now] = name  # in no table since: kept as it was
        return now

    def by_code(self, code: str) -> Region:
        """The region of a code, today's or an old one (542600 林芝地区 gives 540400 林芝市)."""
        if code == NATIONAL_CODE:
            return NATIONAL
        now = self._current_of.get(code, code)
        region = self._regions.get(now)
        if region is None:
            name = self._names[now] if now in self._names else self._historical[now]
            province = now[:2] + "0000"
            region = Region(now, name, _level(now), province, self._names.get(province, ""))
            self._regions[now] = region  # regions are immutable: one instance per code
        return region

    def is_valid(self, code: str) -> bool:
        """A code of today's table, or an old one that by_code maps to today's (or keeps, if split)."""
        return (
            code == NATIONAL_CODE
            or code in self._names
            or code in self._current_of
            or code in self._historical
        )

    def codes_for(self, name: str) -> set[str]:
        return self._by_name.get(name) or self._by_short.get(name) or set()

    def find(self, text: str) -> list[tuple[int, str, set[str]]]:
        """Every division named in `text`: (offset, the name as written, candidate codes)."""
        return [(m.start(), m.group(), self.codes_for(m.group())) for m in self._pattern.finditer(text)]

    def match_place(self, text: str) -> str | None:
        """The division's name (or short form) that `text` begins with, the longest; else None."""
        m = self._pattern.match(text)
        return m.group() if m else None

    def starts_with_place(self, text: str) -> bool:
        """Whether `text` begins with a division's name (新城区…, 本溪…: a place, not a generic word)."""
        place = self.match_place(text)
        return place is not None and len(place) >= 2

    def resolve(self, name: str, province_code: str | None = None) -> Region | None:
        """One region for a name; `province_code` breaks ties between same-named divisions."""
        codes = self.codes_for(name)
        if province_code and province_code != NATIONAL_CODE:
            inside = {c for c in codes if c[:2] == province_code[:2]}
            codes = inside or codes
        if not codes:
            return None
        # prefer a division of today over one split since, the higher level (a province over a
        # same-named city), then the lowest code
        rank = {"province": 0, "prefecture": 1, "county": 2}
        best = min(codes, key=lambda c: (c in self._historical, rank[_level(c)], c))
        if len(codes) > 1 and _level(best) == "county" and not province_code:
            return None  # an ambiguous county name without a province to place it is not a guess we make
        return self.by_code(best)


REGIONS = RegionIndex()
