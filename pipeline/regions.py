"""China's administrative divisions (GB/T 2260, with their history, from the `gb2260` package).

`REGIONS.find(text)` finds every division named in a text (full names, and short forms of
provinces and prefectures such as 甘肃 or 福州); `REGIONS.by_code(code)` gives a `Region`. A name
that changed (襄樊 -> 襄阳) resolves to its code, reported under the code's current name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

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
}  # groupings, not places
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
_ETHNIC_RE = re.compile(r"^(.{2,3}?)(?:[\u4e00-\u9fff]{1,6}族)+自治[州县]$")


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


class RegionIndex:
    """Name -> code index over every GB/T 2260 revision the package ships."""

    def __init__(self) -> None:
        latest: dict[int, str] = {}
        revisions = sorted(
            _GB2260.items(), key=lambda kv: (kv[0] or 9999) if (kv[0] or 0) < 10000 else kv[0] // 100
        )
        for _, store in revisions:
            latest.update(store)
        self._names: dict[str, str] = {}
        for code, name in latest.items():
            self._names[f"{code:06d}"] = name
        by_name: dict[str, set[str]] = defaultdict(set)
        short: dict[str, set[str]] = defaultdict(set)
        for _, store in revisions:
            for code, name in store.items():
                if name in _SKIP_NAMES:
                    continue
                code_s = f"{code:06d}"
                by_name[name].add(code_s)
                level = _level(code_s)
                if level != "county":
                    for form in _short_forms(name, level):
                        short[form].add(code_s)
        self._by_name = dict(by_name)
        # A short form never shadows a full name (吉林 is the province's short form and a city's too).
        self._by_short = {k: v for k, v in short.items() if k not in by_name}
        self._regions: dict[str, Region] = {}
        # Every name, longest first at each position, as a trie-shaped regex (one branch per first
        # character instead of thousands of alternatives tried at every offset). Compiled here, at
        # import, so that no extraction pays for it.
        self._pattern = re.compile(_trie_pattern(set(self._by_name) | set(self._by_short)))

    def by_code(self, code: str) -> Region:
        region = self._regions.get(code)
        if region is None:
            if code == NATIONAL_CODE:
                return NATIONAL
            name = self._names[code]
            province = code[:2] + "0000"
            region = Region(code, name, _level(code), province, self._names.get(province, ""))
            self._regions[code] = region  # regions are immutable: one instance per code
        return region

    def is_valid(self, code: str) -> bool:
        return code == NATIONAL_CODE or code in self._names

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
        # prefer the higher level (a province over a same-named city), then the lowest code
        best = min(codes, key=lambda c: ({"province": 0, "prefecture": 1, "county": 2}[_level(c)], c))
        if len(codes) > 1 and _level(best) == "county" and not province_code:
            return None  # an ambiguous county name without a province to place it is not a guess we make
        return self.by_code(best)


REGIONS = RegionIndex()
