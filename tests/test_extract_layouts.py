"""Rules for the layouts real notices use beyond the seeds, each on a short string."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract import extract_notice
from pipeline.extract.counts import find_stated_counts
from pipeline.extract.document import Document
from pipeline.extract.items import looks_like_name, split_parenthetical
from pipeline.extract.lines import join_vertical_rows, parse_heading
from pipeline.extract.lists import find_listed
from pipeline.extract.metadata import find_publish_date
from pipeline.extract.prose import find_inline
from pipeline.normalize import strip_junk


def _stated(text: str) -> dict[str, int]:
    graded, totals = find_stated_counts(Document(text))
    out = {grade: n for grade, n, _ in graded}
    if totals:
        out["total"] = totals[0][0]
    return out


def test_table_row_with_grade_column_is_an_item_not_a_heading() -> None:
    assert parse_heading("1\t安庆市美容美发鉴定站\t优秀") is None
    listed = find_listed(
        Document("序号\t机构名称\t等次\n1\t安庆市美容美发鉴定站\t优秀\n2\t蚌埠煤炭鉴定站\t整改")
    )
    assert [(i.name, i.grade) for i in listed.items] == [
        ("安庆市美容美发鉴定站", "excellent"),
        ("蚌埠煤炭鉴定站", "rectify"),
    ]


def test_table_cells_on_separate_lines_are_joined_into_rows() -> None:
    lines = list(
        enumerate(["序号\t机构名称\t承建单位\t等次", "5", "合肥市城市学院职业技能鉴定站", "/", "达标"], 1)
    )
    # an empty cell (/) keeps its place, so the row still has the header's columns
    assert join_vertical_rows(lines)[1] == (3, "5\t合肥市城市学院职业技能鉴定站\t/\t达标")
    listed = find_listed(Document("\n".join(text for _, text in lines)))
    assert [(i.name, i.grade, i.line) for i in listed.items] == [("合肥市城市学院职业技能鉴定站", "pass", 3)]


@pytest.mark.parametrize(
    ("line", "grade"),
    [
        ("一、通过年检的鉴定所", "pass"),
        ("二、被撤销的鉴定机构", "revoked"),
        ("限期整改的职业技能鉴定所(站)名单", "rectify"),
        ("评估达标鉴定所", "pass"),
        ("年检合格单位", "pass"),
    ],
)
def test_grade_of_kind_headings(line: str, grade: str) -> None:
    heading = parse_heading(line)
    assert heading is not None and heading.grade == grade


@pytest.mark.parametrize(
    "line", ["被撤销的鉴定机构须在规定时间内将鉴定许可证交回", "福建省第一职业技能鉴定所", "合格评估鉴定所"]
)
def test_sentences_and_names_are_not_grade_of_kind_headings(line: str) -> None:
    assert parse_heading(line) is None


def test_host_parentheticals_in_every_form() -> None:
    assert split_parenthetical("福建省第十二职业技能鉴定所(承建单位:福州铁路局)") == (
        "福建省第十二职业技能鉴定所",
        "福州铁路局",
        None,
    )
    assert (
        split_parenthetical("福建省第十八职业技能鉴定所(福州化工高级技工学校承建")[1]
        == "福州化工高级技工学校"
    )
    assert split_parenthetical("X职业技能鉴定指导中心(站)") == ("X职业技能鉴定指导中心(站)", None, None)


def test_place_names_are_not_generic_words() -> None:
    assert looks_like_name("新城区城市学院职业技能鉴定所")
    assert looks_like_name("本溪市第一职业技能鉴定所")
    assert not looks_like_name("新设立的职业技能鉴定所")
    assert not looks_like_name("各职业技能鉴定所")


def test_counts_followed_by_nianjian_and_sanction_over_reason() -> None:
    text = (
        "全省共有210个职业技能鉴定机构,其中182个年检合格,24个被要求限期整改。撤销4个不合格职业技能鉴定机构。"
    )
    assert _stated(text) == {"total": 210, "pass": 182, "rectify": 24, "revoked": 4}


def test_total_in_a_population_phrase_and_appraisal_sanction_label() -> None:
    text = "在55家职业技能鉴定所(站)中,经过年检综合评分,3个职业技能鉴定所(站)被取消职业技能鉴定资格。"
    assert _stated(text) == {"total": 55, "revoked": 3}


def test_other_kinds_in_a_multi_kind_notice_are_not_counted() -> None:
    text = "经过评估,6所技工院校均合格;在118所民办职业培训学校中,1所被取消办学资格。"
    assert _stated(text) == {}


def test_names_before_an_appraisal_sanction_need_no_suffix() -> None:
    doc = Document(
        "经过年检综合评分,呼和浩特市立康美疗养生堂、呼和浩特市绿篱文化传播有限公司被取消职业技能鉴定资格。"
    )
    names = [(i.name, i.grade) for i in find_inline(doc).items]
    assert names == [("呼和浩特市立康美疗养生堂", "revoked"), ("呼和浩特市绿篱文化传播有限公司", "revoked")]
    # a single unnamed subject is a count, not a name; a school losing its 办学资格 is another kind
    assert find_inline(Document("同时,3个职业技能鉴定所(站)被取消职业技能鉴定资格。")).items == []
    assert find_inline(Document("经评选,内蒙古海鑫铁路职业培训学校被取消办学资格。")).items == []


def test_placeholder_page_dates_are_no_dates() -> None:
    assert find_publish_date(Document("标题\n魅力霍林河 1970-01-01 08:00:20\n正文")) is None
    assert find_publish_date(Document("标题\n发布时间:2017-02-28 08:48\n正文")) == dt.date(2017, 2, 28)


def test_edge_junk_without_punctuation_is_removed() -> None:
    assert strip_junk("PL Q pA eS 泉州市全年共鉴定31591人。").strip() == "泉州市全年共鉴定31591人。"
    assert strip_junk("X8 o2 m7 > D7 qF ~O 4b 二〇一七年六月十六日").strip() == "二〇一七年六月十六日"
    assert strip_junk("见附件 A级 B级") == "见附件 A级 B级"
    assert strip_junk("http://www.sina.com.cn 2006年01月04日") == "http://www.sina.com.cn 2006年01月04日"


def test_multi_kind_notice_is_ok_and_keeps_only_the_appraisal_part() -> None:
    x = extract_notice(
        "1所民办职业培训学校被取消办学资格\n"
        "呼和浩特市人力资源和社会保障局对全市技工院校、民办职业培训学校及职业技能鉴定所(站)就2016年情况进行了年度评估检查。"
        "6所技工院校均合格;在55家职业技能鉴定所(站)中,甲公司、乙学校被取消职业技能鉴定资格。"
    )
    assert x.status == "ok"
    assert x.stated == {"total": 55}
    assert {i.name for i in x.institutions} == {"甲公司", "乙学校"}


def test_volumes_without_an_inspection_are_a_work_report() -> None:
    x = extract_notice("去年我省各级职业技能鉴定机构开展了送技能鉴定活动。全年鉴定发证达500812人次。")
    assert x.status == "irrelevant" and "volumes only" in (x.status_reason or "")


def test_training_school_results_alone_are_irrelevant() -> None:
    x = extract_notice(
        "现将年检评估结果予以通报。\n二、年检评估合格的民办职业培训学校(18家)\n1、长治市爱民职业培训学校"
    )
    assert x.status == "irrelevant"


def test_warnings_counts_disagree_and_list_cut_off_and_year_unresolved() -> None:
    x = extract_notice(
        "关于职业技能鉴定机构年检结果的通报\n甘人社通〔2011〕67号\n"
        "一、合格鉴定所名单(3所)\n甲职业技能鉴定所\n乙职业技能鉴定所"
    )
    assert any("stated and listed counts disagree: pass stated 3, listed 2" in w for w in x.warnings)
    assert any("list cut off" in w for w in x.warnings)
    assert x.evaluation_year == 2011  # the year of issue from the doc number is not a 年度…
    y = extract_notice(
        "职业技能鉴定机构年检结果\n一、合格鉴定所名单(2所)\n甲职业技能鉴定所\n乙职业技能鉴定所"
    )
    assert any("evaluation year unresolved" in w for w in y.warnings)
    assert any("region unresolved" in w for w in y.warnings)


def test_announcement_quoting_its_grade_rules_is_irrelevant() -> None:
    x = extract_notice(
        "关于开展2018年度全省职业技能鉴定机构年检工作的通知\n"
        "全省现有职业技能鉴定机构227个。\n"
        "年检结果分为优秀、合格、不合格三个等次。对年检不合格的限期整改。"
    )
    assert x.status == "irrelevant" and "announces" in (x.status_reason or "")


def test_circled_numbers_past_twenty_are_list_numbers() -> None:
    from pipeline.extract.items import strip_numbering

    assert (
        strip_numbering("㉑宁夏回族自治区第三十二国家职业技能鉴定所")
        == "宁夏回族自治区第三十二国家职业技能鉴定所"
    )
    assert strip_numbering("㊿甲鉴定站") == "甲鉴定站"
