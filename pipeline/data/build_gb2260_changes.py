"""Rebuild gb2260_changes.csv (see README.md beside this file). Not imported by the pipeline.

    python pipeline/data/build_gb2260_changes.py AREACODES_DIR > pipeline/data/gb2260_changes.csv

AREACODES_DIR is a checkout of the public areacodes data set (CC0; its result.csv and data/2024.txt,
the Ministry of Civil Affairs' 县级以上行政区划代码 tables 1981-2024 with old -> new code links). Every
(code, name) that gb2260 (2002-2014) or an MCA table of 2002-2024 lists and that is not today's gets
one row: the code and name it is now, or none when it was split without a main successor. The script
checks that gb2260's last table with these rows applied is exactly the MCA 2024 table.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

from gb2260.data import data as GB2260

LAST_YEAR = 2024
FIRST_YEAR = 2002
GROUPINGS = {"市辖区", "县", "市", "区", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位",
             "省直辖县级行政单位", "自治区直辖县级行政单位"}  # fmt: skip
# Splits whose State Council approval names a main successor (the rest of the old area went to a
# neighbour), and one prefecture split three ways whose name went on as its seat's: code -> code.
MAIN_SUCCESSOR = {
    "330104": "330102",  # 江干区 2021: 原上城区、江干区(不含下沙、白杨街道) -> 新的上城区
    "440506": "440512",  # 达濠区 2003: 撤销达濠区、河浦区, 设立濠江区
    "522201": "520602",  # 铜仁市(县级) 2011: 以原县级铜仁市(不含茶店镇等)为碧江区
    "140202": "140213",  # 大同城区 2018: 原城区12个街道(另2个划入云冈区)为平城区
    "341400": "340181",  # 巢湖市(地级) 2011: 撤销, 居巢区改为县级巢湖市, 各县划归合肥、芜湖、马鞍山
    "440508": "440511",  # 金园区 2003: 撤销金园区、升平区, 设立金平区
    "450411": "450405",  # 梧州市郊区 2003: 撤销市郊区, 设立长洲区
    "610321": "610304",  # 宝鸡县 2003: 撤销宝鸡县, 设立陈仓区
    "450106": "450107",  # 永新区 2004: 撤销永新区, 设立西乡塘区
    "330621": "330603",  # 绍兴县 2013: 撤销绍兴县, 设立柯桥区
    "511721": "511703",  # 达县 2013: 撤销达县, 设立达川区
    "520321": "520304",  # 遵义县 2016: 撤销遵义县, 设立播州区
    "511521": "511504",  # 宜宾县 2018: 撤销宜宾县, 设立叙州区
}
# gb2260 (NBS) entries that no MCA table has: the four districts NBS lists under 大兴安岭地区, which
# the MCA counts as no county of their own (232701 is 漠河市 since 2018).
NBS_ONLY = {
    ("232701", "加格达奇区"): "232700",
    ("232702", "松岭区"): "232700",
    ("232703", "新林区"): "232700",
    ("232704", "呼中区"): "232700",
}
_SUFFIX_RE = re.compile(r"(?:[\u4e00-\u9fff]{1,8}族)*自治[县旗州]$|(?:地区|特区|林区|矿区|[县市区旗])$")


class Record:
    def __init__(self, row: dict[str, str]) -> None:
        self.code, self.name = row["代码"], row["名称"]
        self.start = int(row["启用时间"])
        self.end = int(row["变更/弃用时间"]) if row["变更/弃用时间"] else None
        self.successors = []  # codes the area went to when the record ended (not earlier transfers)
        for token in filter(None, row["新代码"].split(";")):
            code, _, year = token.rstrip("]").partition("[")
            if not year or int(year) == self.end:
                self.successors.append(code)

    def in_use(self, year: int) -> bool:
        return self.start <= year and (self.end is None or year < self.end)


def _stem(name: str) -> str:
    return _SUFFIX_RE.sub("", name) or name


class History:
    def __init__(self, records: list[Record]) -> None:
        self.records = records
        self.by_code: dict[str, list[Record]] = defaultdict(list)
        for r in records:
            self.by_code[r.code].append(r)

    def at(self, code: str, year: int) -> list[Record]:
        return [r for r in self.by_code.get(code, []) if r.in_use(year)]

    def _children_successors(self, r: Record) -> list[Record]:
        """An abolished prefecture: the prefectures its counties went to."""
        kids = [k for k in self.records if k.code[:4] == r.code[:4] and k.code != r.code and k.end == r.end]
        prefectures = {s.code[:4] + "00" for k in kids for s in self.step(k)}
        return [p for code in sorted(prefectures) for p in self.at(code, r.end)]

    def step(self, r: Record) -> list[Record]:
        """The records `r` became (one, or several when it was split)."""
        assert r.end is not None
        if r.code in MAIN_SUCCESSOR:
            return self.at(MAIN_SUCCESSOR[r.code], r.end)
        if r.successors:
            nxt = [s for code in r.successors for s in self.at(code, r.end)]
        else:
            nxt = self.at(r.code, r.end) or (self._children_successors(r) if r.code.endswith("00") else [])
        # a split: the part with the same name, else the same code, else the same name stem (县 -> 区)
        for key in (lambda s: s.name, lambda s: s.code, lambda s: _stem(s.name)):
            if len(nxt) > 1 and len(picked := [s for s in nxt if key(s) == key(r)]) == 1:
                return picked
        return nxt

    def current(self, r: Record) -> Record | None:
        """The record in use in LAST_YEAR that `r` is now; None for a split without a main successor."""
        while r.end is not None:
            nxt = self.step(r)
            if len(nxt) != 1:
                return None
            r = nxt[0]
        return r


def _gb2260_pairs() -> dict[tuple[str, str], int]:
    """(code, name) -> the last year gb2260 lists it."""
    last: dict[tuple[str, str], int] = {}
    for key, table in GB2260.items():
        year = 2014 if key is None else key if key < 10000 else key // 100
        for code, name in table.items():
            pair = (f"{code:06d}", name)
            if name not in GROUPINGS and last.get(pair, 0) < year:
                last[pair] = year
    return last


def _gb2260_only(history: History, code: str, name: str, year: int) -> Record | None:
    """A gb2260 (NBS) entry the MCA tables spell or number otherwise: the MCA record of the same name
    in the same province (定安县 469025 -> 469021), else the one with that code then (廛河 -> 瀍河)."""
    if (code, name) in NBS_ONLY:
        return history.at(NBS_ONLY[(code, name)], LAST_YEAR)[0]
    same = {history.current(r) for r in history.records if r.name == name and r.code[:2] == code[:2]}
    if len(same) == 1:
        return same.pop()
    then = history.at(code, year)
    return history.current(then[0]) if len(then) == 1 else None


def build(areacodes: Path) -> list[tuple[str, str, str, str, int]]:
    with (areacodes / "result.csv").open(encoding="utf-8-sig") as f:
        history = History([Record(row) for row in csv.DictReader(f)])
    latest: dict[tuple[str, str], Record] = {}
    for r in history.records:
        in_window = r.start <= LAST_YEAR and (r.end is None or r.end > FIRST_YEAR)
        if in_window and ((r.code, r.name) not in latest or latest[(r.code, r.name)].start < r.start):
            latest[(r.code, r.name)] = r
    rows: dict[tuple[str, str], tuple[str, str, str, str, int]] = {}
    for (code, name), r in latest.items():
        now = history.current(r)
        if r.end is not None:
            rows[(code, name)] = (code, name, now.code if now else "", now.name if now else "", r.end)
    for (code, name), year in _gb2260_pairs().items():
        if (code, name) not in latest:
            now = _gb2260_only(history, code, name, year)
            rows[(code, name)] = (code, name, now.code if now else "", now.name if now else "", year + 1)
    return _add_new_divisions(rows, history)


def _add_new_divisions(rows: dict, history: History) -> list[tuple[str, str, str, str, int]]:
    """Divisions of LAST_YEAR that neither gb2260's last table nor any row names: ('', '', code, name)."""
    named = {(row[2], row[3]) for row in rows.values()} | {(f"{c:06d}", n) for c, n in GB2260[None].items()}
    out = list(rows.values())
    for r in history.records:
        if r.end is None and (r.code, r.name) not in named:
            out.append(("", "", r.code, r.name, r.start))
    return sorted(out, key=lambda row: (row[4], row[0] or row[2], row[1]))


def apply(rows: list[tuple[str, str, str, str, int]]) -> dict[str, str]:
    """gb2260's last table with `rows` applied, groupings left out: what pipeline/regions.py builds."""
    names = {f"{c:06d}": n for c, n in GB2260[None].items() if n not in GROUPINGS}
    old = {row[0] for row in rows if row[0]}
    now = {row[2]: row[3] for row in rows if row[2]}
    names = {c: n for c, n in names.items() if c not in old}
    names.update(now)
    return names


def main(areacodes: Path) -> None:
    rows = build(areacodes)
    with (areacodes / "data" / f"{LAST_YEAR}.txt").open(encoding="utf-8-sig") as f:
        mca = dict(line.split() for line in f if line.strip())
    built = apply(rows)
    extra, missing = set(built.items()) - set(mca.items()), set(mca.items()) - set(built.items())
    assert not extra and not missing, (sorted(extra), sorted(missing))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["old_code", "old_name", "new_code", "new_name", "year"])
    out.writerows(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
