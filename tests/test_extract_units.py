"""Step 3 on short strings: each rule by itself."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract import extract_notice
from pipeline.extract.counts import find_stated_counts
from pipeline.extract.document import Document
from pipeline.extract.items import split_parenthetical
from pipeline.extract.lines import parse_heading
from pipeline.extract.lists import find_listed
from pipeline.extract.metadata import find_doc_number, find_evaluation_year, find_publish_date
from pipeline.extract.prose import find_inline
from pipeline.extract.volumes import find_volumes
from pipeline.regions import REGIONS


@pytest.mark.parametrize(
    ("line", "grade", "count"),
    [
        ("二、合格国家职业技能鉴定所名单(53所)", "pass", 53),
        ("三、不合格职业技能鉴定所名单(5所)", "rectify", 5),
        ("四、撤销的鉴定所(5所)", "revoked", 5),
        ("一、年检优秀单位:11所", "excellent", 11),
        ("四、撤销鉴定机构资质单位:3所", "revoked", 3),
        ("这些鉴定机构被撤销", "revoked", None),
        ("(二)基本合格单位名单", "conditional", None),
    ],
)
def test_grade_headings(line: str, grade: str, count: int | None) -> None:
    heading = parse_heading(line)
    assert heading is not None and (heading.grade, heading.count) == (grade, count)


@pytest.mark.parametrize(
    "line",
    [
        "福建岁昌职业中专学校技能鉴定站(主动申请撤销)",
        "三、年检评估结果",
        "(二)管理加强,运行规范。",
        "附件:省属国家职业技能鉴定所评估等次名单",
    ],
)
def test_not_grade_headings(line: str) -> None:
    heading = parse_heading(line)
    assert heading is None or heading.grade is None


def parse_item_line(line: str, grade: str | None, label: str | None, number: int):
    """The items find_listed reads from `line` at line `number`, under a heading of `label` if given
    (None when it reads none)."""
    head = [f"一、{label}单位名单"] if label else []
    text = "\n".join([*head, *[""] * (number - 1 - len(head)), line])
    items = find_listed(Document(text)).items
    assert all(i.grade == grade for i in items) or grade is None
    return items or None


def test_parentheticals() -> None:
    assert split_parenthetical("甘肃省第一国家职业技能鉴定所(省饮食服务公司承建)") == (
        "甘肃省第一国家职业技能鉴定所",
        "省饮食服务公司",
        None,
    )
    assert split_parenthetical("福州商贸职业技能鉴定站(主动申请撤销)") == (
        "福州商贸职业技能鉴定站",
        None,
        "主动申请撤销",
    )
    assert split_parenthetical("连江县职业技能鉴定指导中心(站)") == (
        "连江县职业技能鉴定指导中心(站)",
        None,
        None,
    )


def test_item_lines_and_table_rows() -> None:
    items = parse_item_line(
        "1.甘肃省第五十五国家职业技能鉴定所(长庆石油高级技工学承建)", "revoked", "撤销", 7
    )
    assert items and items[0].number == 55 and items[0].host == "长庆石油高级技工学" and items[0].line == 7
    several = parse_item_line(
        "台江区职业技能鉴定站、鼓楼区职业技能鉴定站；仓山区职业技能鉴定站", "pass", "合格", 1
    )
    assert [i.name for i in several] == [
        "台江区职业技能鉴定站",
        "鼓楼区职业技能鉴定站",
        "仓山区职业技能鉴定站",
    ]
    row = parse_item_line("3\t福州燃气职业技能鉴定站\t限期整改", None, None, 2)
    assert row and (row[0].name, row[0].grade, row[0].grade_label) == (
        "福州燃气职业技能鉴定站",
        "rectify",
        "限期整改",
    )
    assert parse_item_line("各技能鉴定站要针对检查评估中发现的问题认真对照检查", "pass", "合格", 1) is None


def test_inline_named_of_n_and_lists() -> None:
    doc = Document(
        "西宁宾馆国家职业技能鉴定所等10家单位被评为年检优秀单位。"
        "其中湟中职业技能鉴定站、青海省物资驾校职业技能鉴定站在基础管理方面存在较严重问题,被要求限期整改。"
    )
    result = find_inline(doc)
    assert [(i.name, i.grade, i.source) for i in result.items] == [
        ("西宁宾馆国家职业技能鉴定所", "excellent", "named_of_n"),
        ("湟中职业技能鉴定站", "rectify", "inline"),
        ("青海省物资驾校职业技能鉴定站", "rectify", "inline"),
    ]
    assert result.stated == [("excellent", 10, doc.sentences[0].text)]


def test_stated_counts_and_what_is_not_a_count() -> None:
    doc = Document(
        "参加检查评审的57所职业技能鉴定机构中,较好的11所、合格的39所、限期整改的4所、撤销技能鉴定资格的3所。\n"
        "最终42个鉴定站被评为基本合格等次及以上。有针对性地对18所鉴定站进行了实地抽查。\n"
        "通过年检的共222个;7个不予通过限期整改,整改期3个月;12个被撤销。\n"
        "对全省43家职业技能鉴定所(站)和10家计算机信息高新技术考试站进行了全面检查。"
    )
    graded, totals = find_stated_counts(doc)
    assert sorted((g, n) for g, n, _ in graded) == sorted(
        [
            ("excellent", 11),
            ("pass", 39),
            ("rectify", 4),
            ("revoked", 3),
            ("pass", 222),
            ("rectify", 7),
            ("revoked", 12),
        ]
    )
    assert [n for n, _ in totals] == [57]


def test_doc_number_skips_references() -> None:
    doc = Document("根据《关于开展年检的通知》(甘人社通[2010]369号)要求\n的通报(甘人社通【2011】67号)")
    assert find_doc_number(doc) == "甘人社通【2011】67号"
    assert (
        find_doc_number(Document("榕人社培〔2014〕100号\n关于福州市职业技能鉴定机构"))
        == "榕人社培〔2014〕100号"
    )


def test_a_report_gives_the_number_of_the_results_notice_it_says_was_issued() -> None:
    report = (
        "本报讯 近日,省人社厅印发《关于2019年度全省职业技能鉴定机构年检结果的通报》(湘人社函〔2020〕17号),"
        "根据《关于开展年检工作的通知》(湘人社函〔2019〕5号)的安排……"
    )
    assert find_doc_number(Document(report)) == "湘人社函〔2020〕17号"
    # the rules it was held under are no results notice: no number
    assert find_doc_number(Document("按照省厅印发《关于开展年检工作的通知》(湘人社函〔2019〕5号)要求")) is None


def test_an_industry_series_names_no_city() -> None:
    x = extract_notice(
        "石化人〔2022〕9号\n关于2021年度职业技能等级认定评价机构质量督导结果的通报\n"
        "经督导,石化管理干部学院等12家评价机构合格。"
    )
    assert x.doc_number == "石化人〔2022〕9号" and (x.region is None or x.region.name != "石家庄市")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2011.04.07\n正文\n二0一一年三月三日", dt.date(2011, 3, 3)),
        ("正文\n二〇〇九年十二月二十三日", dt.date(2009, 12, 23)),
        (
            "福州市人力资源和社会保障局\n2014年11月21日\n福州市人力资源和社会保障局办公室 2014年11月25日印发",
            dt.date(2014, 11, 21),
        ),
        ("http://www.sina.com.cn 2006年01月04日09:52 青海新闻网\n正文", dt.date(2006, 1, 4)),
        ("发布时间:2011-4-7\n正文", dt.date(2011, 4, 7)),
    ],
)
def test_publish_dates(text: str, expected: dt.date) -> None:
    assert find_publish_date(Document(text)) == expected


def test_evaluation_year_rules() -> None:
    assert (
        find_evaluation_year(Document("正文"), "关于2010年度全省职业技能鉴定机构年检评估情况的通报", None)
        == 2010
    )
    doc = Document(
        "截止2013年12月,全市有职业技能鉴定机构57所。于2014年10-11月对57所职业技能鉴定机构进行了检查评估。"
    )
    assert (
        find_evaluation_year(doc, "关于福州市职业技能鉴定机构检查评估情况的通报", dt.date(2014, 11, 21))
        == 2014
    )
    assert find_evaluation_year(Document("正文"), None, dt.date(2009, 12, 23)) == 2009


def test_volumes_with_qualifiers_and_cities() -> None:
    gansu = REGIONS.resolve("甘肃省")
    doc = Document(
        "全省省级职业技能鉴定人数突破20万大关,达到211390人。酒泉市全年鉴定达到23300余人。"
        "兰州市、张掖市领导高度重视,全年鉴定人数均超过10000人。平凉市全年共鉴定农民工3511人,将203名取得证书的农民工输出。"
        "2013年全省共有68.48万人参加职业技能鉴定,55.87万人获得了职业资格证书。考评员200人参加培训。"
    )
    got = [(v.region.name, v.year, v.metric, v.persons, v.qualifier) for v in find_volumes(doc, gansu, 2010)]
    assert got == [
        ("甘肃省", 2010, "appraised", 211390, "exact"),
        ("酒泉市", 2010, "appraised", 23300, "approx"),
        ("兰州市", 2010, "appraised", 10000, "at_least"),
        ("张掖市", 2010, "appraised", 10000, "at_least"),
        ("平凉市", 2010, "other", 3511, "exact"),
        ("甘肃省", 2013, "appraised", 684800, "exact"),
        ("甘肃省", 2013, "certified", 558700, "exact"),
    ]


def test_regions_from_issuer_title_abbreviation_and_text() -> None:
    assert (
        extract_notice("福州市人力资源和社会保障局关于职业技能鉴定机构年检结果的通报\n合格的3所").region.code
        == "350100"
    )
    x = extract_notice("国家粮食局关于粮食行业特有工种职业技能鉴定站质量评估结果的通报\n其中,优秀等次11个")
    assert (x.region.name, x.region.level, x.sector) == ("全国", "national", "粮食行业")
    x = extract_notice("闽人社〔2015〕3号\n全省职业技能鉴定机构年检结果:合格的20所")
    assert x.region.name == "福建省"
    assert REGIONS.resolve("襄樊市").name == "襄阳市"  # renamed city keeps its code


def test_unknown_is_reported_not_guessed() -> None:
    x = extract_notice(
        "职业技能鉴定机构年检结果\n一、A类鉴定站名单(2所)\n甲职业技能鉴定站\n乙职业技能鉴定站\n合格的2所"
    )
    assert any("unknown grade heading" in w for w in x.warnings)
    assert x.institutions == []
    assert any("region unresolved" in w for w in x.warnings)


def test_cn_number_reads_ordinals_like_cn2an() -> None:
    from pipeline.numerals import cn_number

    cases = {
        "六": 6,
        "十": 10,
        "十五": 15,
        "二十三": 23,
        "两百": 200,
        "一百零六": 106,
        "一〇五": 105,
        "12": 12,
    }
    assert {raw: cn_number(raw) for raw in cases} == cases
    assert cn_number("十百") is None and cn_number("甲") is None


def test_news_page_dateline_is_the_publish_date() -> None:
    doc = Document("2010年06月11日 酒泉新闻网\n标题\n正文,2009年度年检工作结束。")
    assert find_publish_date(doc) == dt.date(2010, 6, 11)
    assert find_publish_date(Document("标题\n2014-06-09\t作者:办公室\n正文。")) == dt.date(2014, 6, 9)
    # a newspaper's page header: the date a field between breadcrumbs, or with its weekday
    epaper = "某某日报 > 2015年08月04日 > 第03版:综合\n标题\n本报讯,2014年度年检工作结束。"
    assert find_publish_date(Document(epaper)) == dt.date(2015, 8, 4)
    assert find_publish_date(Document("某某日报 2015年8月4日星期二 第03版\n正文。")) == dt.date(2015, 8, 4)
    assert find_publish_date(Document("【日\t期】2015-08-04\n正文。")) == dt.date(2015, 8, 4)
    # after a long site menu, the page's date line still heads the article
    menu = "\n".join(f"栏目{i}" for i in range(20))
    page = f"{menu}\n标题\n2015-08-04 09:12\t来源:某某网\n本报讯,全市职业技能鉴定机构年检工作日前结束,共有40个鉴定所(站)参加,其中36个合格。"
    assert find_publish_date(Document(page)) == dt.date(2015, 8, 4)
    # a date opening a sentence is not the page's date
    assert find_publish_date(Document("2010年6月11日,省厅组织了年检,共有40个机构参加。")) is None


def test_named_of_n_keeps_its_own_clause_and_every_name() -> None:
    text = (
        "对甲市职业技能鉴定站、乙市职业技能鉴定所等2家鉴定站暂缓通过年检;对丙市职业技能鉴定所予以撤销。"
        "丁市职业技能鉴定站等3个单位予以注销。戊市职业技能鉴定站等2家鉴定站年检不合格。"
    )
    result = find_inline(Document(text))
    got = {(i.name, i.grade) for i in result.items}
    assert ("甲市职业技能鉴定站", "conditional") in got
    assert ("乙市职业技能鉴定所", "conditional") in got
    assert ("丁市职业技能鉴定站", "deregistered") in got
    assert ("戊市职业技能鉴定站", "rectify") in got
    assert {(g, n) for g, n, _ in result.stated} == {("conditional", 2), ("deregistered", 3)}
    # a 不合格 count may split into outcomes later: the counts step states it, not the prose rule
    assert ("rectify", 2) in {(g, n) for g, n, _ in find_stated_counts(Document(text))[0]}


def test_national_industry_notice_without_the_word_industry() -> None:
    x = extract_notice(
        "农办人〔2011〕418号\n关于2010年度农业特有工种职业技能鉴定站质量评估结果的通报\n合格的3所"
    )
    assert (x.region.name, x.sector) == ("全国", "农业行业")
    x = extract_notice("国家粮食局关于2010年度粮食职业技能鉴定站年检结果的通报\n合格的3所")
    assert (x.region.name, x.sector) == ("全国", "粮食行业")


def test_heading_with_national_in_the_kind() -> None:
    heading = parse_heading("(二)年检合格国家职业技能鉴定所")
    assert heading is not None and heading.grade == "pass"


def test_two_grades_in_one_clause_are_a_subtotal() -> None:
    graded, _ = find_stated_counts(Document("评为优秀或合格的45个,5个限期整改。"))
    assert [(g, n) for g, n, _ in graded] == [("rectify", 5)]


def test_implausible_volume_is_not_a_figure() -> None:
    gansu = REGIONS.resolve("甘肃省")
    doc = Document("全省职业技能鉴定人数达到2999999999999999999991390人。全省鉴定人数达到211390人。")
    assert [v.persons for v in find_volumes(doc, gansu, 2010)] == [211390]


def test_prose_mention_and_list_item_of_one_institution_count_once() -> None:
    x = extract_notice(
        "甘肃省人力资源和社会保障厅关于2011年度职业技能鉴定机构年检情况的通报\n"
        "对甘肃省第二国家职业技能鉴定所等2个鉴定所予以撤销。\n"
        "撤销的鉴定所(2所)\n"
        "1.甘肃省第2国家职业技能鉴定所(省商业学校承建)\n"
        "2.甘肃省第三十国家职业技能鉴定所(甘肃省公路运输管理局承建)\n"
    )
    assert x.listed() == {"revoked": 2} and x.stated == {"revoked": 2}
    assert [i.host for i in x.institutions] == ["省商业学校", "甘肃省公路运输管理局"]


def test_a_long_grade_label_alone_in_a_cell_sets_the_rows_grade() -> None:
    """A table cell holding only a long grade label (取消职业技能鉴定资格) once raised IndexError,
    which rejected the whole notice as 'extraction failed'."""
    (item,) = parse_item_line("1\t某市第一职业技能鉴定所\t取消职业技能鉴定资格", None, None, 7)
    assert (item.name, item.grade, item.line) == ("某市第一职业技能鉴定所", "revoked", 7)
    text = "关于2015年职业技能鉴定机构年检结果的通报\n一、取消鉴定资格的单位\n取消职业技能鉴定资格\n某某职业技能鉴定所\n"
    assert extract_notice(text).status != "rejected"


def test_list_line_ending_a_sentence_and_a_table_host_column() -> None:
    items = parse_item_line(
        "无锡理工学院职业技能鉴定所；无锡市烟草公司职业技能鉴定所。", "excellent", "优秀", 3
    )
    assert items and [i.name for i in items] == ["无锡理工学院职业技能鉴定所", "无锡市烟草公司职业技能鉴定所"]
    text = "\n".join(
        [
            "年检合格单位名单",
            "序号\t机构名称\t承建单位\t评估等次",
            "1\t青海省第一国家职业技能鉴定所\t西宁阀门厂\t合格",
            "2\t青海省第九国家职业技能鉴定所\t省培训技术指导中心\t合格",
        ]
    )
    x = extract_notice(text)
    rows = [(i.name, i.host) for i in x.institutions]
    assert rows == [
        ("青海省第一国家职业技能鉴定所", "西宁阀门厂"),
        ("青海省第九国家职业技能鉴定所", "省培训技术指导中心"),  # a host, not a second institution
    ]
    # without a host column a second name in the row is an institution of its own
    two = parse_item_line("1\t甲市职业技能鉴定所\t乙市技能鉴定指导中心\t合格", None, None, 1)
    assert two and [i.name for i in two] == ["甲市职业技能鉴定所", "乙市技能鉴定指导中心"]


def test_inline_clauses_are_graded_each_on_their_own() -> None:
    doc = Document(
        "2018年度全省共有15个职业技能鉴定机构参加年检；甲市家政职业技能鉴定站、乙市邮电职业技能鉴定站"
        "等2个鉴定所年检评估等次为优秀；丙县职业技能鉴定指导中心被评为基本合格；"
        "对丁市高级技工学校职业技能鉴定站予以撤销。"
    )
    found = {(i.name, i.grade) for i in find_inline(doc).items}
    assert found == {
        ("甲市家政职业技能鉴定站", "excellent"),
        ("乙市邮电职业技能鉴定站", "excellent"),
        ("丙县职业技能鉴定指导中心", "conditional"),
        ("丁市高级技工学校职业技能鉴定站", "revoked"),
    }


def test_inline_names_keep_a_place_name_holding_a_stop_character() -> None:
    doc = Document(
        "经审核，呼和浩特市旅游技工学校职业技能鉴定站被评为年检优秀单位；和平区职业技能鉴定站等1个单位予以撤销。"
    )
    assert {(i.name, i.grade) for i in find_inline(doc).items} == {
        ("呼和浩特市旅游技工学校职业技能鉴定站", "excellent"),
        ("和平区职业技能鉴定站", "revoked"),
    }


def test_inline_grade_after_the_kind_or_as_a_verdict_clause() -> None:
    doc = Document(
        "经检查评估，(四)甲市燃气集团职业技能鉴定站年检不合格，限期整改三个月。"
        "其中乙市装饰业职业技能鉴定所、丙市家政服务中心职业技能鉴定站在财务管理等方面存在较严重问题，不予通过年检。"
        "丁市职业技能鉴定所如仍不整改，将予以撤销。"
    )
    assert {(i.name, i.grade) for i in find_inline(doc).items} == {
        ("甲市燃气集团职业技能鉴定站", "rectify"),  # list number dropped
        ("乙市装饰业职业技能鉴定所", "rectify"),
        ("丙市家政服务中心职业技能鉴定站", "rectify"),
    }  # 丁: a condition, not a grade


def test_volume_regions_are_those_named_since_the_previous_figure() -> None:
    handan = REGIONS.resolve("邯郸市")
    doc = Document("丛台区全年共鉴定36119人;武安市、涉县全年鉴定人数均超过20000人,取得证书15000人。")
    got = [(v.region.name, v.persons, v.metric) for v in find_volumes(doc, handan, 2018)]
    assert got == [
        ("丛台区", 36119, "appraised"),
        ("武安市", 20000, "appraised"),
        ("涉县", 20000, "appraised"),  # not 丛台区's: it has its own figure
        ("武安市", 15000, "certified"),  # no place since: the previous figure's
        ("涉县", 15000, "certified"),
    ]


def test_bare_grouping_names_are_no_places() -> None:
    assert REGIONS.resolve("市") is None  # GB/T 2260's 500300 groups 重庆's county-level cities
    assert [name for _, name, _ in REGIONS.find("全市共鉴定79650人,涉县超过")] == ["涉县"]


def test_list_names_starting_with_xin_or_a_glued_row_number() -> None:
    rows = parse_item_line("3.新民电力技工学校国家职业技能鉴定所", "rectify", "不合格", 4)
    assert rows and rows[0].name == "新民电力技工学校国家职业技能鉴定所"  # 新民 is a place, not 'new'
    assert parse_item_line("新批准的职业技能鉴定站", "pass", "合格", 4) is None
    glued = parse_item_line("2德阳市高级烹饪技工学校职业技能鉴定站\t良好", None, None, 5)
    assert glued and (glued[0].name, glued[0].grade) == ("德阳市高级烹饪技工学校职业技能鉴定站", "excellent")


def test_table_rows_that_lost_their_tabs() -> None:
    x = extract_notice(
        "序号\t机构名称\t等次\n"
        "13\t庆阳城市学院职业技能鉴定站\t良好\n"
        "14白银市第二技师学院职业技能鉴定总站良好\n"
        "20靖远高级烹饪技工学校职业技能鉴定站达标\n"
        "6克拉玛依市环保职业中专学校职业技能鉴定站达标\n"
    )
    assert [(i.name, i.grade) for i in x.institutions] == [
        ("庆阳城市学院职业技能鉴定站", "excellent"),
        ("白银市第二技师学院职业技能鉴定总站", "excellent"),  # not a heading
        ("靖远高级烹饪技工学校职业技能鉴定站", "pass"),
        ("克拉玛依市环保职业中专学校职业技能鉴定站", "pass"),  # and no '专学校…' cut at 中
    ]


def test_counts_in_chinese_numerals() -> None:
    doc = Document(
        "经检查，通过年检的鉴定机构共二十二个；七个鉴定所限期整改；十二个被撤销。"
        "甲市职业技能鉴定所、乙市职业技能鉴定站等两家单位被评为优秀。"
        "省六所、省七所、省十一所档案资料保存翔实。年检结果分为优秀、合格、不合格三个等次。"
    )
    graded, _ = find_stated_counts(doc)
    assert sorted((g, n) for g, n, _ in graded) == [("pass", 22), ("rectify", 7), ("revoked", 12)]
    inline = find_inline(doc)
    assert [(g, n) for g, n, _ in inline.stated] == [("excellent", 2)]
    assert {i.name for i in inline.items} == {"甲市职业技能鉴定所", "乙市职业技能鉴定站"}


def test_title_wrapped_after_its_issuer_and_a_byline_is_no_title() -> None:
    x = extract_notice(
        "2010-12-31 10:06\t信息来源:职业技能鉴定指导中心\n"
        "甘人社能〔2014〕16号\n"
        "甘肃省人力资源和社会保障厅关于公布2013\n"
        "年度甘肃省职业技能鉴定机构年检评估情况的通知\n"
        "一、年检合格单位:1所\n1.甘肃省第一国家职业技能鉴定所\n"
    )
    assert x.title == "甘肃省人力资源和社会保障厅关于公布2013年度甘肃省职业技能鉴定机构年检评估情况的通知"
    assert x.issuer == "甘肃省人力资源和社会保障厅"


def test_region_of_a_national_series_and_of_a_city_sharing_a_province_name() -> None:
    national = extract_notice(
        "关于2007年度粮食行业特有工种职业技能鉴定站质量评估结果的通报\n(国粮办人〔2008〕34号)\n"
        "抄送:省人力资源和社会保障厅。\n取消鉴定资格的职业技能鉴定站:1所\n1.西宁粮食局职业技能鉴定站\n"
    )
    assert national.region is not None and national.region.name == "全国"
    city = extract_notice(
        "吉林6个职业技能鉴定机构被撤销\n记者从市人社局了解到,2018年度全市职业技能鉴定机构年检工作日前结束,"
        "6个职业技能鉴定机构被撤销。\n"
    )
    assert city.region is not None and city.region.name == "吉林市"
    province = extract_notice("吉林省2018年度职业技能鉴定机构年检结果\n全省6个职业技能鉴定机构被撤销。\n")
    assert province.region is not None and province.region.name == "吉林省"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("甲市职业技能鉴定所年检不合格，予以撤销。", {("甲市职业技能鉴定所", "revoked")}),
        ("甲市职业技能鉴定所年检不合格，暂停其鉴定业务。", {("甲市职业技能鉴定所", "suspended")}),
        ("兰州石化职业技能鉴定站年检合格，并被评为优秀。", {("兰州石化职业技能鉴定站", "excellent")}),
        ("对甲市职业技能鉴定站暂缓通过年检。", {("甲市职业技能鉴定站", "conditional")}),
        ("经评估，第六国家职业技能鉴定所被评为优秀。", {("第六国家职业技能鉴定所", "excellent")}),
        ("在2018年度年检中甲市职业技能鉴定所被评为优秀。", {("甲市职业技能鉴定所", "excellent")}),
        # names enumerated across ；, and a verdict in the next clause
        (
            "甲市第一职业技能鉴定所；乙市第二职业技能鉴定所；丙市第三职业技能鉴定所被评为优秀单位。",
            {(f"{c}市第{n}职业技能鉴定所", "excellent") for c, n in zip("甲乙丙", "一二三", strict=True)},
        ),
        (
            "经检查，甲市第九职业技能鉴定所存在严重违规问题；经研究，决定予以撤销。",
            {("甲市第九职业技能鉴定所", "revoked")},
        ),
        ("甲市职业技能鉴定所存在严重问题；乙市职业技能鉴定站被撤销。", {("乙市职业技能鉴定站", "revoked")}),
        (
            "甲市职业技能鉴定所、乙市职业技能鉴定站被评为合格，对不合格的予以撤销。",
            {("甲市职业技能鉴定所", "pass"), ("乙市职业技能鉴定站", "pass")},
        ),
        # the organising centre is the subject, not a graded institution
        (
            "近日，张掖市职业技能鉴定指导中心通过实地检查等方式，对全市15家鉴定机构进行了年检，其中合格13个。",
            set(),
        ),
        ("张掖市职业技能鉴定指导中心对全市23家鉴定所进行了年检，合格19家。", set()),
        ("张掖市职业技能鉴定指导中心撤销了2家鉴定所的鉴定资格。", set()),
        ("兰州市第一职业技能鉴定所申报新增职业工种，通过专家评审。", set()),
    ],
)
def test_which_grade_word_grades_prose_names(text: str, expected: set[tuple[str, str]]) -> None:
    assert {(i.name, i.grade) for i in find_inline(Document(text)).items} == expected


def test_host_column_by_header_position_and_only_within_its_table() -> None:
    x = extract_notice(
        "年检合格单位名单\n序号\t依托单位\t鉴定机构名称\t年检结果\n"
        "1\t甘肃省职业技能鉴定指导中心\t甘肃省第一国家职业技能鉴定所\t合格\n"
        "以上单位要认真总结经验。\n"
        "1\t甘肃省电力职业技能鉴定站\t甘肃省粮食职业技能鉴定站\t合格\n"
    )
    assert [(i.name, i.host) for i in x.institutions] == [
        ("甘肃省第一国家职业技能鉴定所", "甘肃省职业技能鉴定指导中心"),
        ("甘肃省电力职业技能鉴定站", None),  # a later table without that header: two institutions
        ("甘肃省粮食职业技能鉴定站", None),
    ]


def test_no_false_counts_or_rows_from_the_new_rules() -> None:
    graded, _ = find_stated_counts(Document("对同一家鉴定所连续两年年检不合格的，予以撤销。"))
    assert graded == []
    row = parse_item_line("72厂职业技能鉴定站合格", "pass", "合格", 1)
    assert row and row[0].name == "72厂职业技能鉴定站"  # a factory's number, not a row number
    x = extract_notice("石油行业职业技能鉴定站合格\n1.甲石油公司职业技能鉴定站\n2.乙石油公司职业技能鉴定站\n")
    assert [i.name for i in x.institutions] == ["甲石油公司职业技能鉴定站", "乙石油公司职业技能鉴定站"]
    handan = REGIONS.resolve("邯郸市")
    doc = Document("丛台区鉴定36119人，全市共取得证书60000人。")
    assert [(v.region.name, v.persons) for v in find_volumes(doc, handan, 2018)] == [
        ("丛台区", 36119),
        ("邯郸市", 60000),
    ]


_T = "甘肃省人力资源和社会保障厅关于2013年度职业技能鉴定所年检结果的通报\n"


def test_second_review_regions_counts_and_volumes() -> None:
    cited = extract_notice(
        "关于2013年度职业技能鉴定所年检结果的通报\n各县区人社局：\n"
        "根据国务院办公厅关于加强职业技能鉴定工作的意见（国办发〔2013〕12号）要求，全市开展了年检。\n"
        "经检查，兰州市第一职业技能鉴定所被评为优秀。\n兰州市人力资源和社会保障局\n2014年3月5日\n"
    )
    assert cited.region is not None and cited.region.name == "兰州市"  # a cited 国办发 is not the series
    province = extract_notice(
        "吉林公布2013年度职业技能鉴定机构年检结果\n近日，吉林省人社厅公布了年检结果。各市人社局要督促整改。\n"
        "长春市第一职业技能鉴定所被评为优秀。\n"
    )
    assert province.region is not None and province.region.name == "吉林省"  # 各市人社局: addressees
    counts = extract_notice(
        _T + "全省共有120个鉴定所参加年检，其中115个合格，另三家鉴定所限期整改，另两家被撤销。\n"
    )
    assert counts.stated == {"pass": 115, "rectify": 3, "revoked": 2, "total": 120}
    assert counts.institutions == []
    lanzhou = REGIONS.resolve("兰州市")
    doc = Document("2013年，榆中县鉴定10000人，占全市总数的30%，取得证书9000人。")
    assert [(v.region.name, v.persons) for v in find_volumes(doc, lanzhou, 2013)] == [
        ("榆中县", 10000),
        ("榆中县", 9000),
    ]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        (
            "关于2013年度职业技能鉴定机构年检结果的通报\n各设区市人力资源和社会保障局：\n"
            "经检查，南京市第一职业技能鉴定所、苏州市职业技能鉴定中心被评为优秀。\n",
            "江苏省",
        ),
        (
            "关于2013年度职业技能鉴定机构年检结果的通报\n各州、市人力资源和社会保障局，省直有关单位：\n"
            "经检查，昆明市第一职业技能鉴定所、曲靖市职业技能鉴定所被评为优秀。\n",
            "云南省",
        ),
        (
            "关于2008年度职业技能鉴定站年检结果的通报\n国粮办人〔2009〕12号\n经检查，北京市粮食职业技能鉴定站被评为合格。\n",
            "全国",
        ),
    ],
)
def test_review_regions(text: str, region: str) -> None:
    x = extract_notice(text)
    assert x.region is not None and x.region.name == region


def test_whole_region_figure_after_a_date() -> None:
    lanzhou = REGIONS.resolve("兰州市")
    doc = Document("城关区鉴定3000人，1至11月全市共鉴定12000人。")
    assert [(v.region.name, v.persons) for v in find_volumes(doc, lanzhou, 2013)] == [
        ("城关区", 3000),
        ("兰州市", 12000),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "经检查，甲市职业技能鉴定所合格，乙市职业技能鉴定站不合格。",
            [("甲市职业技能鉴定所", "pass"), ("乙市职业技能鉴定站", "rectify")],
        ),
        (
            "甲市职业技能鉴定所年检合格，乙市职业技能鉴定站、丙市职业技能鉴定站年检不合格，限期整改。",
            [
                ("甲市职业技能鉴定所", "pass"),
                ("乙市职业技能鉴定站", "rectify"),
                ("丙市职业技能鉴定站", "rectify"),
            ],
        ),
        (
            "甲市职业技能鉴定所，乙市职业技能鉴定站被评为优秀。",
            [("甲市职业技能鉴定所", "excellent"), ("乙市职业技能鉴定站", "excellent")],
        ),
    ],
)
def test_each_name_takes_the_grade_after_it(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(i.name, i.grade) for i in find_inline(Document(text)).items] == expected


@pytest.mark.parametrize(
    ("text", "graded", "totals"),
    [
        # a stock figure is the total only when no evaluated one is stated
        (
            "截至2022年8月底,全市经备案的评价机构共有187家。本次共对22家评价机构开展了现场督导。",
            [],
            [(22, "本次共对22家评价机构开展了现场督导。")],
        ),
        ("截至2013年底,全省共设立职业技能鉴定机构241个。", [], [(241, "截至2013年底,全省共设立职业技能鉴定机构241个。")]),
        # 不合格 split into final outcomes later is no grade's count; side by side it is one
        (
            "经审核,年检合格295个,不合格17个。对年检不合格的机构,分别作出处理:限期整改9个,暂停鉴定业务3个,撤销鉴定资格5个。",
            ["pass 295", "rectify 9", "suspended 3", "revoked 5"],
            [],
        ),
        ("经综合评定,达标的6家、不合格的1家、撤销的1家。", ["pass 6", "rectify 1", "revoked 1"], []),
        # counts in Chinese numerals after 全省, and 省直属 after the count
        ("全省五十九个鉴定机构参加了年检。", [], [(59, "全省五十九个鉴定机构参加了年检。")]),
    ],
)
def test_stated_counts_stock_union_and_numerals(text: str, graded: list[str], totals: list) -> None:
    got_graded, got_totals = find_stated_counts(Document(text))
    assert [f"{g} {n}" for g, n, _ in got_graded] == graded
    assert got_totals == totals


def test_counts_joined_by_and_following_and_station_sanctions() -> None:
    text = (
        "本次共对22家评价机构开展了现场督导,其中督导结果为合格的14家,不合格的8家。"
        "对督导不合格的评价机构,分别作出限期整改(4家)、暂停等级认定(2家)和终止备案(2家)的处理。"
        "对以下5家评价机构予以撤销备案。"
    )
    graded, totals = find_stated_counts(Document(text))
    assert [f"{g} {n}" for g, n, _ in graded] == ["pass 14", "rectify 4", "suspended 2", "revoked 2", "revoked 5"]
    assert [n for n, _ in totals] == [22]
    # two kinds inspected together state no single total
    assert find_stated_counts(Document("检查组对全省43家职业技能鉴定所(站)和10家考试站进行了全面检查。"))[1] == []


def test_a_navigation_bar_is_no_title_and_an_admission_list_is_no_result() -> None:
    text = (
        "某某行业协会\n首页 | 协会概况 | 新闻中心 | 职业技能鉴定 | 会员服务\n"
        "关于第三批职业技能等级认定评价机构备案评估结果的公示\n"
        "经专家现场评估,拟同意以下2家单位备案为评价机构。\n"
        "1.某某职业技能等级认定第41站(某某培训中心)\t合格\n2.某某职业技能等级认定第42站(某某技师学院)\t合格\n"
    )
    x = extract_notice(text)
    assert x.title == "关于第三批职业技能等级认定评价机构备案评估结果的公示"
    assert x.status == "irrelevant"


def test_the_issuer_of_a_title_in_a_metadata_table_is_not_its_label_cell() -> None:
    text = (
        "索引号\t11220000/2022-00123\t分类\t职业能力建设\n名称\t吉林省人力资源和社会保障厅关于2022年度职业技能"
        "等级认定质量督导情况的通报\n文号\t吉人社函〔2022〕88号\n吉林省人力资源和社会保障厅关于2022年度职业技能等级认定质量"
        "督导情况的通报\n经督导,长春某某职业培训学校督导合格。"
    )
    assert extract_notice(text).issuer == "吉林省人力资源和社会保障厅"
