"""The region table is current to the 2024 GB/T 2260 table and keeps the names back to 2002: a place
renamed or re-levelled since is reported under today's code and name (domain.md, "Region names are
today's"), whether it is found by its old name, its old short form or its old code."""

from collections import Counter

import pytest

from pipeline.regions import _SKIP_NAMES, REGIONS, RegionIndex, _level, load_changes

# old name -> (today's code, today's name, level)
RENAMED = {
    "林芝地区": ("540400", "林芝市", "prefecture"),  # 2015
    "哈密地区": ("650500", "哈密市", "prefecture"),  # 2016
    "吐鲁番地区": ("650400", "吐鲁番市", "prefecture"),  # 2015
    "日喀则地区": ("540200", "日喀则市", "prefecture"),  # 2014
    "昌都地区": ("540300", "昌都市", "prefecture"),  # 2014
    "山南地区": ("540500", "山南市", "prefecture"),  # 2016
    "那曲地区": ("540600", "那曲市", "prefecture"),  # 2017
    "海东地区": ("630200", "海东市", "prefecture"),  # 2013
    "铜仁地区": ("520600", "铜仁市", "prefecture"),  # 2011
    "毕节地区": ("520500", "毕节市", "prefecture"),  # 2011
    "襄樊市": ("420600", "襄阳市", "prefecture"),  # 2010, same code
    "莱芜市": ("370100", "济南市", "prefecture"),  # merged into 济南 (2019)
    "巢湖市": ("340181", "巢湖市", "county"),  # prefecture split 2011; its seat is the county-level city
    "宁乡县": ("430182", "宁乡市", "county"),  # 2017
    "神木县": ("610881", "神木市", "county"),  # 2017
    "密云县": ("110118", "密云区", "county"),  # 2015
    "崇文区": ("110101", "东城区", "county"),  # merged 2010 (within gb2260's years)
    "米林县": ("540481", "米林市", "county"),  # 542623 -> 540422 (2015) -> 540481 (2023)
    "儋州市": ("460400", "儋州市", "prefecture"),  # county-level 469003 re-levelled 2015
    "通州市": ("320612", "通州区", "county"),  # 南通, 2009
}
# old code -> today's code
OLD_CODES = {
    "542600": "540400",  # 林芝地区
    "652200": "650500",  # 哈密地区
    "652100": "650400",  # 吐鲁番地区
    "430124": "430182",  # 宁乡县
    "610821": "610881",  # 神木县
    "371200": "370100",  # 莱芜市
    "371202": "370116",  # 莱城区 -> 莱芜区
    "341400": "340181",  # 巢湖市 (prefecture)
    "341421": "340124",  # 庐江县, 巢湖 -> 合肥
    "542623": "540481",  # 米林县
    "469003": "460400",  # 儋州市
}


@pytest.mark.parametrize(("old", "expected"), RENAMED.items())
def test_an_old_name_resolves_to_todays_code_and_name(old: str, expected: tuple[str, str, str]) -> None:
    region = REGIONS.resolve(old)
    assert region is not None
    assert (region.code, region.name, region.level) == expected
    assert REGIONS.codes_for(old) == {expected[0]}


@pytest.mark.parametrize(("code", "name", "level"), RENAMED.values())
def test_todays_names_and_codes_are_current(code: str, name: str, level: str) -> None:
    region = REGIONS.by_code(code)
    assert (region.code, region.name, region.level) == (code, name, level)
    assert REGIONS.resolve(name, region.province_code) == region


@pytest.mark.parametrize(("old", "now"), OLD_CODES.items())
def test_an_old_code_is_reported_under_todays(old: str, now: str) -> None:
    assert REGIONS.is_valid(old)
    region = REGIONS.by_code(old)
    assert region.code == now
    assert region is REGIONS.by_code(now)  # one region, one instance, whichever code found it


def test_old_short_forms_resolve_to_todays_division() -> None:
    assert REGIONS.resolve("林芝").code == "540400"
    assert REGIONS.resolve("襄樊").name == "襄阳市"
    assert REGIONS.resolve("哈密").code == "650500"
    assert REGIONS.resolve("毕节").code == "520500"


def test_find_reports_old_names_under_todays_codes() -> None:
    found = REGIONS.find("2012年林芝地区、哈密地区和宁乡县的鉴定所")
    assert [(name, codes) for _, name, codes in found] == [
        ("林芝地区", {"540400"}),
        ("哈密地区", {"650500"}),
        ("宁乡县", {"430182"}),
    ]


def test_a_former_county_level_city_named_like_todays_prefecture_yields_to_it() -> None:
    # 县级 铜仁市 (522201) is 碧江区 since 2011, 县级 日喀则市 is 桑珠孜区: the name is the prefecture's now
    assert REGIONS.resolve("铜仁市").code == "520600"
    assert REGIONS.resolve("日喀则市").code == "540200"
    assert REGIONS.by_code("522201").name == "碧江区"


def test_a_division_split_without_a_main_successor_keeps_its_last_code_and_name() -> None:
    region = REGIONS.resolve("邯郸县")  # 2016, between 邯山区 and 丛台区
    assert (region.code, region.name, region.province_name) == ("130421", "邯郸县", "河北省")
    assert REGIONS.is_valid("130421")


def test_nbs_spellings_and_codes_in_gb2260_resolve_to_the_mca_ones() -> None:
    assert REGIONS.codes_for("定安县") == {"469021"}  # gb2260 had it at 469025, 白沙's code today
    assert REGIONS.by_code("469025").name == "白沙黎族自治县"
    assert REGIONS.codes_for("廛河回族区") == {"410304"}
    assert REGIONS.by_code("410304").name == "瀍河回族区"


def test_divisions_created_since_2014_are_in_the_table() -> None:
    assert REGIONS.resolve("钱塘区").code == "330114"  # 2021
    assert REGIONS.resolve("可克达拉市").code == "659008"  # 2015
    assert REGIONS.resolve("和安县").code == "653229"  # 2024


def test_todays_table_is_the_2024_one() -> None:
    """The MCA 2024 table: 34 provinces, 333 prefectures, 2,846 counties (groupings aside)."""
    levels = Counter(_level(code) for code, name in REGIONS._names.items() if name not in _SKIP_NAMES)
    assert levels == {"province": 34, "prefecture": 333, "county": 2846}


def test_every_change_row_is_applied() -> None:
    index = RegionIndex()
    for change in load_changes():
        if change.new_code:
            assert index.by_code(change.new_code).name == change.new_name, change
        if change.old_code and change.old_name not in _SKIP_NAMES:
            expected = change.new_code or change.old_code
            assert expected in index.codes_for(change.old_name), change


def test_groupings_stay_unnamed_but_valid() -> None:
    assert REGIONS.resolve("市辖区") is None
    assert REGIONS.resolve("省直辖县级行政单位") is None
    assert REGIONS.is_valid("110100")
    assert REGIONS.by_code("110100").province_name == "北京市"


def test_autonomous_divisions_resolve_by_the_place_before_their_peoples() -> None:
    # (黔东南苗族侗族自治州 is 黔东南, not 黔东 + 南苗族; the place may be four or more characters long)
    for short, name in (
        ("黔东南州", "黔东南苗族侗族自治州"),
        ("西双版纳州", "西双版纳傣族自治州"),
        ("巴音郭楞州", "巴音郭楞蒙古自治州"),
        ("伊犁州", "伊犁哈萨克自治州"),
        ("湘西州", "湘西土家族苗族自治州"),
    ):
        region = REGIONS.resolve(short)
        assert region is not None and region.name == name, short
    assert REGIONS.resolve("黔东") is None
