"""HTML tables with merged cells (rowspan, colspan) flatten to rows that each carry every cell they show.

html_text lays such a table out on its grid before the walk: a rowspan cell's text is repeated in each
row it spans, a colspan cell is followed by empty cells so that every row has as many tab-separated
cells, and a row of a single cell (a title spanning the table) stays a plain line. Pages without a
rowspan or colspan take the walk unchanged.
"""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract import extract_notice
from pipeline.normalize import html_text, normalize_text
from pipeline.normalize.html_text import html_to_text

_SPAN_ATTR_RE = re.compile(r'\s(?:row|col)span="[^"]*"')


def page(body: str, title: str = "") -> str:
    head = f"<head><title>{title}</title></head>" if title else ""
    return f"<html>{head}<body>{body}</body></html>"


def without_spans(doc: str) -> str:
    """The same page with its rowspan/colspan attributes removed: the walk as it was before spans."""
    return _SPAN_ATTR_RE.sub("", doc)


def rows(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


RESULTS = page(
    "<p>附件：2015年度职业技能鉴定机构年检结果</p>"
    '<table border="1">'
    '<tr><th rowspan="2">序号</th><th rowspan="2">鉴定机构名称</th><th rowspan="2">所在市</th>'
    '<th colspan="2">年检结果</th></tr>'
    "<tr><th>结论</th><th>备注</th></tr>"
    '<tr><td colspan="5">一、年检合格单位（4个）</td></tr>'
    '<tr><td>1</td><td>甘肃省第一国家职业技能鉴定所</td><td rowspan="2">兰州市</td>'
    '<td rowspan="4">合格</td><td></td></tr>'
    "<tr><td>2</td><td>甘肃省第二国家职业技能鉴定所</td><td>&nbsp;</td></tr>"
    "<tr><td>3</td><td>天水市职业技能鉴定所</td><td>天水市</td><td>整改后合格</td></tr>"
    "<tr><td>4</td><td>白银市职业技能鉴定所</td><td>白银市</td></tr>"
    '<tr><td colspan="5">二、年检不合格单位（1个）</td></tr>'
    "<tr><td>1</td><td>酒泉市职业技能鉴定所</td><td>酒泉市</td><td>不合格</td><td>限期整改</td></tr>"
    "</table><p>甘肃省人力资源和社会保障厅</p>",
    title="甘肃省2015年度职业技能鉴定机构年检结果",
)


def test_results_table_with_merged_outcome_and_city() -> None:
    assert rows(html_to_text(RESULTS)) == [
        "甘肃省2015年度职业技能鉴定机构年检结果",
        "附件：2015年度职业技能鉴定机构年检结果",
        "序号\t鉴定机构名称\t所在市\t年检结果\t",
        "序号\t鉴定机构名称\t所在市\t结论\t备注",
        "一、年检合格单位（4个）",
        "1\t甘肃省第一国家职业技能鉴定所\t兰州市\t合格\t",
        "2\t甘肃省第二国家职业技能鉴定所\t兰州市\t合格\t",
        "3\t天水市职业技能鉴定所\t天水市\t合格\t整改后合格",
        "4\t白银市职业技能鉴定所\t白银市\t合格\t",
        "二、年检不合格单位（1个）",
        "1\t酒泉市职业技能鉴定所\t酒泉市\t不合格\t限期整改",
        "甘肃省人力资源和社会保障厅",
    ]


def test_every_row_has_as_many_cells() -> None:
    table_rows = [line for line in rows(html_to_text(RESULTS)) if "\t" in line]
    assert {line.count("\t") for line in table_rows} == {4}
    assert not any(html_text._EMPTY in line for line in rows(html_to_text(RESULTS)))


def test_colspan_keeps_the_following_cells_in_their_columns() -> None:
    doc = page(
        "<table>"
        "<tr><td>序号</td><td>名称</td><td>承建单位</td><td>结果</td></tr>"
        '<tr><td>1</td><td colspan="2">青海省第一职业技能鉴定所</td><td>合格</td></tr>'
        '<tr><td colspan="2">（空缺）</td><td>西宁市技工学校</td><td>优秀</td></tr>'
        "</table>"
    )
    assert rows(html_to_text(doc)) == [
        "序号\t名称\t承建单位\t结果",
        "1\t青海省第一职业技能鉴定所\t\t合格",
        "（空缺）\t\t西宁市技工学校\t优秀",
    ]


def test_leading_and_trailing_empty_cells_keep_their_place() -> None:
    doc = page(
        "<table>"
        '<tr><td rowspan="2"></td><td>甲鉴定所</td><td rowspan="2">合格</td><td></td></tr>'
        "<tr><td>乙鉴定所</td><td>复查</td></tr>"
        "</table>"
    )
    assert html_to_text(doc) == "\t甲鉴定所\t合格\t\n\n\t乙鉴定所\t合格\t复查"


def test_pretty_printed_and_word_html_rows_are_one_line_each() -> None:
    # the whitespace between cells and a paragraph inside each cell (Word's HTML export) used to put
    # every cell on its own line; a laid-out table has one row a line
    cell = "<td style='border:solid'><p class=MsoNormal align=center><span lang=EN-US>{}</span><o:p></o:p></p></td>"
    doc = page(
        "<table class=MsoNormalTable>\n"
        f" <tr>\n  {cell.format('序号')}\n  {cell.format('鉴定站名称')}\n  {cell.format('所在区')}\n </tr>\n"
        " <tr>\n  <td colspan=3><p><b>一、年检优秀单位（2个）</b></p></td>\n </tr>\n"
        f" <tr>\n  {cell.format('1')}\n  {cell.format('广州市技师学院职业技能鉴定站')}\n"
        f"  <td rowspan=2><p>白云区</p></td>\n </tr>\n"
        f" <tr>\n  {cell.format('2')}\n  {cell.format('广州市轻工技师学院<br>职业技能鉴定站')}\n </tr>\n"
        "</table>"
    )
    assert rows(html_to_text(doc)) == [
        "序号\t鉴定站名称\t所在区",
        "一、年检优秀单位（2个）",
        "1\t广州市技师学院职业技能鉴定站\t白云区",
        "2\t广州市轻工技师学院 职业技能鉴定站\t白云区",
    ]


def test_header_cells_and_row_groups() -> None:
    # th like td; a rowspan ends with its row group (thead, tbody), as in a browser
    doc = page(
        '<table><thead><tr><th rowspan="3">地区</th><th>鉴定所</th></tr></thead>'
        "<tbody><tr><td>兰州市</td><td>甲所</td></tr>"
        '<tr><td rowspan="0">天水市</td><td>乙所</td></tr><tr><td>丙所</td></tr></tbody></table>'
    )
    assert rows(html_to_text(doc)) == ["地区\t鉴定所", "兰州市\t甲所", "天水市\t乙所", "天水市\t丙所"]


def test_page_without_spans_keeps_rows_and_empty_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    # a page without merged cells is not laid out on a grid, yet each row is one line (the whitespace
    # between pretty-printed cells is no line break), an empty first cell keeps its column, and a
    # paragraph inside a cell stays in it
    monkeypatch.setattr(html_text, "_expand_tables", None)
    doc = page(
        "<p>一、合格</p><table>\n<tr>\n<td>1</td>\n<td>甲所</td>\n</tr>\n"
        "<tr><td></td><td>乙所</td><td><p>合格</p></td></tr></table>尾",
        title="标题",
    )
    assert html_to_text(doc) == "标题\n一、合格\n\n1\t甲所\n\n\t乙所\t合格\n\n尾"
    compact = "<table><tr><td>1</td><td>丙所</td><td>合格</td></tr></table>"
    assert html_to_text(compact) == "1\t丙所\t合格"


def test_only_tables_with_merged_cells_are_laid_out() -> None:
    plain = "<table>\n<tr>\n<td>1</td>\n<td>甲所</td>\n</tr>\n</table>"
    merged = '<table><tr><td>1</td><td rowspan="2">合格</td></tr><tr><td>2</td></tr></table>'
    assert rows(html_to_text(page(plain + merged))) == ["1\t甲所", "1\t合格", "2\t合格"]


def test_line_breaks_inside_a_cell() -> None:
    # names listed in one cell, one per <br>, stay that cell's names (、); a wrapped name is one name;
    # a host on its own line stays with its name
    doc = page(
        "<table><tr><td>济南市</td><td>济南市第一职业技能鉴定所<br/>山东省机械工业职业技能鉴定站</td>"
        "<td>广州市轻工技师学院<br>职业技能鉴定站</td><td><p>甲鉴定所</p><p>（乙公司承建）</p></td></tr></table>"
    )
    assert rows(html_to_text(doc)) == [
        "济南市\t济南市第一职业技能鉴定所、山东省机械工业职业技能鉴定站\t广州市轻工技师学院 职业技能鉴定站"
        "\t甲鉴定所（乙公司承建）"
    ]


def test_nested_tables() -> None:
    # a layout table holding the data table is left as it was; the data table is laid out on its own
    inner = (
        '<table><tr><td>序号</td><td>名称</td><td>结果</td></tr><tr><td>1</td><td>甲所</td><td rowspan="2">合格</td></tr>'
        "<tr><td>2</td><td>乙所</td></tr></table>"
    )
    doc = page(
        '<table><tr><td colspan="2">甘肃省人力资源和社会保障厅</td></tr>'
        f'<tr><td rowspan="3">导航</td><td><p>关于年检结果的通报</p>{inner}</td></tr></table>'
    )
    assert rows(html_to_text(doc)) == [
        "甘肃省人力资源和社会保障厅",
        "导航",
        "关于年检结果的通报",
        "序号\t名称\t结果",
        "1\t甲所\t合格",
        "2\t乙所\t合格",
    ]


def test_a_layout_table_is_left_alone() -> None:
    # a cell holding the article (long text, several paragraphs) is page layout, not data
    article = "".join(
        f"<p>第{i}段：根据有关规定，现将年检结果通报如下，请各单位认真整改。</p>" for i in range(20)
    )
    doc = page(
        f'<table><tr><td colspan="2">网站首页</td></tr><tr><td>导航</td><td>{article}</td></tr></table>'
    )
    assert html_to_text(doc) == html_to_text(without_spans(doc))


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ('rowspan="abc" colspan="abc"', ["甲\t合格", "乙"]),
        ('rowspan="-3" colspan="-3"', ["甲\t合格", "乙"]),
        ('rowspan="" colspan=""', ["甲\t合格", "乙"]),
        ('rowspan="2px"', ["甲\t合格", "乙\t合格"]),
        ('rowspan=" +2"', ["甲\t合格", "乙\t合格"]),
        ('rowspan="2.9"', ["甲\t合格", "乙\t合格"]),
        ('rowspan="999999999"', ["甲\t合格", "乙\t合格"]),  # clamped to the rows left
        ('rowspan="0000000000000000000002"', ["甲\t合格", "乙\t合格"]),
        ('rowspan="' + "9" * 5000 + '"', ["甲\t合格", "乙\t合格"]),
        ('colspan="0"', ["甲\t合格", "乙"]),
    ],
)
def test_odd_span_values(attrs: str, expected: list[str]) -> None:
    doc = page(f"<table><tr><td>甲</td><td {attrs}>合格</td></tr><tr><td>乙</td></tr></table>")
    assert rows(html_to_text(doc)) == expected


def test_overlapping_spans_do_not_crash() -> None:
    doc = page(
        '<table><tr><td rowspan="3">A</td><td colspan="3" rowspan="2">B</td></tr>'
        '<tr><td colspan="2">C</td><td rowspan="5">D</td></tr>'
        '<tr><td colspan="4">E</td></tr><tr></tr><tr><td>F</td><td rowspan="2">G</td></tr></table>'
    )
    text = html_to_text(doc)
    assert all(letter in text for letter in "ABCDEFG")


def test_hostile_spans_on_a_big_table_are_fast() -> None:
    n = 10_000
    hostile = "".join(
        f'<tr><td rowspan="999999999">{i}</td><td colspan="-3">鉴定所{i}</td><td colspan="abc">合格</td></tr>'
        for i in range(n)
    )
    wide = "".join(f'<tr><td colspan="999999">{i}</td><td colspan="100">乙所{i}</td></tr>' for i in range(n))
    for body, last in ((hostile, f"鉴定所{n - 1}"), (wide, f"乙所{n - 1}")):
        doc = page(f"<table>{body}</table>")
        started = time.perf_counter()
        text = html_to_text(doc)
        assert time.perf_counter() - started < 3
        assert len(text) < len(doc) and last in text
        assert text == html_to_text(without_spans(doc))  # spans that would blow it up: left alone


def test_a_huge_legitimate_rowspan_is_fast_and_clamped() -> None:
    # one outcome cell merged over 10,000 rows: repeated in the next 1,000 rows (the clamp), fast
    n = 10_000
    body = "".join(
        f"<tr><td>{i}</td><td>鉴定所{i}</td>" + ('<td rowspan="10000">合格</td>' if i == 0 else "") + "</tr>"
        for i in range(n)
    )
    started = time.perf_counter()
    lines = rows(html_to_text(page(f"<table>{body}</table>")))
    assert time.perf_counter() - started < 3
    assert lines[0] == "0\t鉴定所0\t合格" and lines[999] == "999\t鉴定所999\t合格"
    assert lines[1000] == "1000\t鉴定所1000\t" and len(lines) == n


def test_markup_the_parser_gives_up_on_still_reads() -> None:
    # the regex fallback (a page too deep for libxml2) ignores spans and keeps the text
    doc = "<div>" * 300 + '<table><tr><td rowspan="2">合格</td><td>甲所</td></tr></table>' + "</div>" * 300
    text = html_to_text(doc)
    assert "合格" in text and "甲所" in text


_SPAN_VALUES = ["1", "2", "3", "0", "-1", "abc", "999999999", "", " 2 ", "100"]


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(
        st.lists(st.tuples(st.sampled_from(_SPAN_VALUES), st.sampled_from(_SPAN_VALUES)), max_size=6),
        max_size=12,
    )
)
def test_random_spans_never_raise_and_keep_every_cell(grid: list[list[tuple[str, str]]]) -> None:
    body = "".join(
        "<tr>"
        + "".join(f'<td rowspan="{r}" colspan="{c}">c{i}x{j}</td>' for j, (r, c) in enumerate(row))
        + "</tr>"
        for i, row in enumerate(grid)
    )
    doc = page(f"<table>{body}</table>")
    text = html_to_text(doc)
    for i, row in enumerate(grid):
        for j in range(len(row)):
            assert f"c{i}x{j}" in text
    assert html_text._EMPTY not in text
    # laid out (every table row as many cells), or left as it was (spans that would blow it up)
    table_rows = [line for line in text.split("\n") if "\t" in line]
    assert len({line.count("\t") for line in table_rows}) <= 1 or text == html_to_text(without_spans(doc))


def test_a_row_of_list_cells_becomes_one_row_per_item() -> None:
    """One column per grade with every name of a grade in its one cell, a name per <br> (numbered,
    one name broken over two lines): a row per name, the columns of unequal length kept."""
    doc = page(
        "<table border='1'><tr><td><strong>五星级</strong><br>(2家)</td><td>四星级<br>(3家)</td></tr>"
        "<tr><td>1.重庆长安汽车股份有限公司<br>2.重庆工业职业技术学院</td>"
        "<td>1.重庆城市管理职业学院<br>2.重庆市万盛经济技术开发区<br>职业教育中心<br>3.重庆市轻工业学校</td></tr>"
        "</table>"
    )
    assert rows(html_to_text(doc)) == [
        "五星级(2家)\t四星级(3家)",
        "1.重庆长安汽车股份有限公司\t1.重庆城市管理职业学院",
        "2.重庆工业职业技术学院\t2.重庆市万盛经济技术开发区职业教育中心",
        "\t3.重庆市轻工业学校",
    ]


def test_a_layout_row_beside_the_article_is_no_list_of_names() -> None:
    """A page laid out as a table (a menu cell beside the article's cell, each with several blocks)
    keeps each cell's lines in order: the menu's links are not paired with the article's lines."""
    page = (
        "<html><body><table><tr><td><div>公示公告</div><ul><li>通知公告</li><li>公示</li>"
        "<li>招聘信息</li></ul></td><td><p>各县人力资源和社会保障局，市直有关单位，各职业技能鉴定机构：</p>"
        + "<p>根据自治区人力资源和社会保障厅有关规定，我局对全市职业技能鉴定机构进行了2012年度年检。</p>" * 12
        + "<div>一、年检优秀单位</div><div>1.广西柳工职业技能鉴定所</div></td></tr></table></body></html>"
    )
    lines = [line for line in html_to_text(page).split("\n") if line.strip()]
    assert not any("\t" in line for line in lines)
    assert lines[-1].strip() == "1.广西柳工职业技能鉴定所"


def test_rows_laid_out_without_a_table_are_read_as_cells() -> None:
    grid = "".join(
        f'<div class="row"><span>{n}</span><span>{name}</span><span>{grade}</span></div>'
        for n, name, grade in [(1, "甲市第一职业技能鉴定所", "合格"), (2, "乙市烹饪职业技能鉴定站", "优秀"), (3, "丙县职业技能鉴定所", "基本合格")]
    )
    listed = "".join(
        f'<li>{name}<span class="grade">{grade}</span></li>'
        for name, grade in [("甲职业技术学院", "优秀"), ("乙有限公司", "合格"), ("丙市家政服务协会", "合格")]
    )
    text = html_to_text(page(f'<div class="grid">{grid}</div><ul>{listed}</ul>'))
    assert "1\t甲市第一职业技能鉴定所\t合格" in text.split("\n")
    assert "乙有限公司\t合格" in text.split("\n")
    # a menu of single links stays as it is, a sentence with styled words is no row
    menu = html_to_text(page("<ul><li><a>首页</a></li><li><a>政务公开</a></li><li><a>通知公告</a></li></ul>"))
    assert "\t" not in menu
    prose = html_to_text(page("<div><p>根据<span>有关规定</span>，现将结果通报如下。</p></div>"))
    assert "\t" not in prose


def test_an_indented_line_of_preformatted_text_keeps_its_indent() -> None:
    text = html_to_text(page("<pre>序号  名称          结论\n1     甲鉴定所      合格\n      (乙学院承建)\n</pre>"))
    assert "      (乙学院承建)" in text.split("\n")


def test_newline_after_a_break_inside_a_cell_keeps_the_row_on_one_line() -> None:
    """A cell of a grade matrix that lists two names with a <br> and a newline in the page's source:
    the names stay in their cell, on their row's line, and both take the column's grade."""
    body = (
        "<p>无锡市人力资源和社会保障局关于2013年度职业技能鉴定所（站）年检结果的通报</p><table>"
        "<tr><td>地区</td><td>优秀</td><td>合格</td><td>限期整改</td></tr>\n"
        "<tr><td>江阴市</td><td>江阴市职业技能鉴定所</td>\n<td>江阴市第二职业技能鉴定所"
        "（江阴职业技术学院承建）<br />\n兴澄特钢职业技能鉴定站</td>\n<td>江阴市华士职业技能鉴定站</td></tr>"
        "</table>"
    )
    text = html_to_text(page(body))
    assert text.split("\n")[-1] == (
        "江阴市\t江阴市职业技能鉴定所\t江阴市第二职业技能鉴定所（江阴职业技术学院承建）、兴澄特钢职业技能鉴定站"
        "\t江阴市华士职业技能鉴定站"
    )
    x = extract_notice(normalize_text(text).text)
    assert [(i.name, i.grade, i.host) for i in x.institutions] == [
        ("江阴市职业技能鉴定所", "excellent", None),
        ("江阴市第二职业技能鉴定所", "pass", "江阴职业技术学院"),
        ("兴澄特钢职业技能鉴定站", "pass", None),
        ("江阴市华士职业技能鉴定站", "rectify", None),
    ]
