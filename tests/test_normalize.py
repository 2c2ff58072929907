"""Step 2: decoded text -> simplified, de-noised lines (line structure kept)."""

from __future__ import annotations

from pipeline.extract import extract_notice
from pipeline.normalize import normalize_text, strip_junk


def test_traditional_converted_and_pinyin_annotations_removed() -> None:
    raw = "甘肅關(guān)於2010年度全省職業(yè)技能鑒定機(jī)構(gòu)年檢評(píng)估情況的通報(bào)"
    out = normalize_text(raw)
    assert out.script == "traditional"
    assert out.text == "甘肃关于2010年度全省职业技能鉴定机构年检评估情况的通报"
    assert out.pinyin_annotations_removed == 6


def test_real_parentheses_survive() -> None:
    out = normalize_text("甘肃省第一国家职业技能鉴定所(省饮食服务公司承建)\n福州市育婴员（师）职业技能鉴定站")
    assert out.lines == ["甘肃省第一国家职业技能鉴定所(省饮食服务公司承建)", "福州市育婴员(师)职业技能鉴定站"]
    assert out.script == "simplified"


def test_anti_scraping_junk_removed_item_numbers_kept() -> None:
    assert strip_junk(
        "- W; r2 k0 x, p: {( M; g 3.陕西省粮食专业工种职业技能鉴定站& P' ?- @\" P/ W/ |"
    ).strip() == ("3.陕西省粮食专业工种职业技能鉴定站")
    assert strip_junk("0 C; w e$ U1 z 2013年全省共有68.48万人").strip() == "2013年全省共有68.48万人"
    assert strip_junk("安康市商业专业职业技能鉴定所! R& \\5").strip() == "安康市商业专业职业技能鉴定所"
    assert strip_junk("http://www.sina.com.cn 2006年01月04日") == "http://www.sina.com.cn 2006年01月04日"


def test_noise_lines_blanked_not_removed() -> None:
    raw = "当前位置:首页 > 新闻中心\n通过年检的共222个\n泰州市| 中方县| 昌都县| 永清县| 巴彦淖尔市|\n打印本页 关闭窗口\n1.jpg"
    out = normalize_text(raw)
    assert out.lines == ["", "通过年检的共222个", "", "", ""]


def test_width_and_spaces() -> None:
    out = normalize_text(
        "限期整改单位 ：４所\u3000\u00a0\n甘肃省第四十国家职业技能鉴定所 (天水市技工学校承建)"
    )
    assert out.lines == ["限期整改单位:4所", "甘肃省第四十国家职业技能鉴定所(天水市技工学校承建)"]


def test_html_scripts_styles_comments_dropped_tables_kept() -> None:
    html = (
        "<html><head><title>通报</title><style>p{}</style><script>var x='鉴定所';</script></head><body>"
        "<!-- 注释 鉴定站 --><p>一、年检优秀单位：2所</p>"
        "<table><tr><td>1</td><td>台江区职业技能鉴定站</td><td>优秀</td></tr></table></body></html>"
    )
    out = normalize_text(html, is_html=True)
    assert "var x" not in out.text and "注释" not in out.text
    assert "一、年检优秀单位:2所" in out.lines
    assert "1\t台江区职业技能鉴定站\t优秀" in out.lines


def test_junk_keeps_a_closing_bracket_and_a_bracketed_item_number() -> None:
    assert (
        strip_junk("2.长垣县职业技能鉴定指导中心(站) ;j # O RA e").strip()
        == "2.长垣县职业技能鉴定指导中心(站)"
    )
    assert strip_junk("g no AP Ze = i 6B Y (52)山东省第八十七职业技能鉴定所").strip() == (
        "(52)山东省第八十七职业技能鉴定所"
    )
    # digits before a circled item number are junk, not the item number
    assert (
        strip_junk("/M ui 43 ㉝宁夏第五十二国家职业技能鉴定所").strip() == "㉝宁夏第五十二国家职业技能鉴定所"
    )


def test_space_separated_table_row_becomes_cells() -> None:
    out = normalize_text("1 上海市第一职业技能鉴定所 上海商业职业技术学院 达标\n1 X鉴定所 (Y承建)")
    assert out.lines == ["1\t上海市第一职业技能鉴定所\t上海商业职业技术学院\t达标", "1 X鉴定所(Y承建)"]


def test_names_set_apart_by_one_space_stay_apart() -> None:
    """A list line of whole names, one ideographic space between them, keeps them apart (as cells);
    a name broken by a space (X有限公司 职业技能鉴定站, a wrapped cell) is joined as before."""
    out = normalize_text(
        "长沙市职业技能鉴定所　湖南省第三职业技能鉴定所　株洲市职业技能鉴定所\n"
        "重庆长安汽车股份有限公司 职业技能鉴定站"
    )
    assert out.lines == [
        "长沙市职业技能鉴定所\t湖南省第三职业技能鉴定所\t株洲市职业技能鉴定所",
        "重庆长安汽车股份有限公司职业技能鉴定站",
    ]
    x = extract_notice(
        "湖南省2008年度职业技能鉴定机构年检结果\n一、年检优秀单位（二个）\n" + out.lines[0] + "\n"
    )
    assert [i.name for i in x.institutions] == [
        "长沙市职业技能鉴定所",
        "湖南省第三职业技能鉴定所",
        "株洲市职业技能鉴定所",
    ]


def test_navigation_bar_opening_with_home_is_noise() -> None:
    """A bar opening with 首页 is site chrome whatever its menu names (职业培训与鉴定 | 下载中心), so it is
    no letterhead; the signature naming a body of the site title's (X…中心 under X) is the issuer."""
    raw = (
        "中国电力企业联合会\n首页 | 新闻中心 | 技能鉴定 | 职业培训与鉴定 | 下载中心\n"
        "关于公布2015年度电力行业职业技能鉴定站评估结果的通知\n评估结果为优秀的鉴定站：华能国际电力职业技能鉴定站。\n"
        "中国电力企业联合会技能鉴定与教育培训中心\n2016年2月20日\n"
    )
    out = normalize_text(raw)
    assert out.lines[1] == ""
    assert extract_notice(out.text).issuer == "中国电力企业联合会技能鉴定与教育培训中心"
    # a menu bar set with ideographic spaces, which normalizing removes: still chrome, no title
    out = normalize_text("湖南省职业技能鉴定中心\n首页　中心概况　通知公告　考评员管理　下载中心\n正文")
    assert out.lines == ["湖南省职业技能鉴定中心", "", "正文"]


def test_page_header_bar_keeps_its_date() -> None:
    out = normalize_text("首页 > 新闻\n发布时间:2016-03-04 09:50 信息来源: 阅读次数: 字号:【\n正文")
    assert out.lines == ["", "发布时间:2016-03-04 09:50 信息来源:", "正文"]
    # a byline bar of short fields between bars keeps the field with the date, wherever it stands
    out = normalize_text("标题\n来源:某某晚报 | 作者:记者 王某 | 2019-07-02 15:40 | 阅读量:88\n正文")
    assert out.lines == ["标题", "2019-07-02 15:40", "正文"]


def test_traditional_detection_fast_paths() -> None:
    from pipeline.normalize import detect_traditional

    assert not detect_traditional("鉴定所", "鉴定所")
    assert detect_traditional("鑒定機構職業", "鉴定机构职业")


def test_text_after_the_closing_html_tag_is_not_part_of_the_page() -> None:
    """libxml2 puts what follows </html> in a second root: a CMS footer, or a second page pasted on."""
    page = "<html><body><p>甲鉴定所</p></body></html><div>技术支持：某某网络公司</div>"
    assert normalize_text(page, is_html=True).text.strip() == "甲鉴定所"


def test_space_aligned_table_keeps_its_columns() -> None:
    # a table typed or copied with spaces: a wrapped tail and an empty first cell stay in their
    # columns (a Chinese character and an ideographic space are two columns wide)
    text = (
        "序号  鉴定所名称                承建单位              结论\n"
        "1     甲市第一职业技能鉴定所    甲市航空工业集团有限责  合格\n"
        "                                任公司\n"
        "2     甲市第二职业技能鉴定所    甲市技工学校          优秀\n"
        "\u3000\u3000各鉴定机构要按要求整改，整改报告报市职业技能鉴定指导中心。\n"
    )
    lines = normalize_text(text).text.split("\n")
    assert lines[:4] == [
        "序号\t鉴定所名称\t承建单位\t结论",
        "1\t甲市第一职业技能鉴定所\t甲市航空工业集团有限责\t合格",
        "\t\t任公司",
        "2\t甲市第二职业技能鉴定所\t甲市技工学校\t优秀",
    ]
    assert lines[4].startswith("各鉴定机构要按要求整改")  # the paragraph after it is prose


def test_space_aligned_table_under_a_centred_header_keeps_its_columns() -> None:
    # a header centred over its columns (its words start where no cell does) does not stop the rows
    # from being read in columns, so a wrapped tail stays under the cell it completes
    text = (
        "序号    市（州）       鉴定机构名称          主管部门      年检结果\n"
        "1      武汉市      湖北省机电职业技能鉴定站          省经济和信息化委员  合格\n"
        "                                                     会\n"
        "2      武汉市      武汉铁路职业技术学院职业技能鉴定  省教育厅            合格\n"
        "                   所\n"
        "3      黄石市      黄石市第一职业技能鉴定所          省教育厅            合格\n"
    )
    lines = normalize_text(text).text.split("\n")
    assert lines[:5] == [
        "序号\t市(州)\t鉴定机构名称\t主管部门\t年检结果",
        "1\t武汉市\t湖北省机电职业技能鉴定站\t省经济和信息化委员\t合格",
        "\t\t\t会",
        "2\t武汉市\t武汉铁路职业技术学院职业技能鉴定\t省教育厅\t合格",
        "\t\t所",
    ]


def test_double_spaced_list_is_no_table() -> None:
    # items laid out with double spaces start anywhere: not a table's columns
    text = (
        "1.甲市第一职业技能鉴定所  2.乙县职业技能鉴定站  3.丙市第七职业技能鉴定所\n"
        "4.丁县鉴定站  5.戊市第十二职业技能鉴定所  6.己县职业技能鉴定站\n"
        "7.庚市商业职业技能鉴定所  8.辛县鉴定所  9.壬市第三职业技能鉴定所\n"
    )
    assert (
        normalize_text(text).text.split("\n")[1]
        == "4.丁县鉴定站\t5.戊市第十二职业技能鉴定所\t6.己县职业技能鉴定站"
    )


def test_box_drawn_table_keeps_row_numbers_and_wrapped_cells() -> None:
    """A +---+ table's row `|  1   | X |` is no forum junk, and the line holding a wrapped cell's
    tail (`|      | 限公司 |      |`, empty cells between bars) is no SEO tail."""
    from pipeline.extract import extract_notice

    raw = (
        "某市人力资源和社会保障局关于2022年度评价机构质量督导结果的通报\n"
        "+------+----------------------------+------------------+----------+\n"
        "| 序号 |        评价机构名称        |     机构类型     | 督导结果 |\n"
        "+======+============================+==================+==========+\n"
        "|  1   | 某市蜀锦织绣职业技能培训学 | 社会培训评价组织 |   合格   |\n"
        "|      | 校有限公司                 |                  |          |\n"
        "+------+----------------------------+------------------+----------+\n"
        "|  2   | 某市轨道交通运营管理有限公 | 用人单位         |  不合格  |\n"
        "|      | 司                         |                  |          |\n"
        "+------+----------------------------+------------------+----------+\n"
    )
    text = normalize_text(raw).text
    assert "1" in text.split("\n")[4] and "校有限公司" in text.split("\n")[5]
    got = [(i.name, i.grade) for i in extract_notice(text).institutions]
    assert got == [
        ("某市蜀锦织绣职业技能培训学校有限公司", "pass"),
        ("某市轨道交通运营管理有限公司", "rectify"),
    ]


def test_tab_cells_each_a_code_and_a_name_stay_whole() -> None:
    """A matrix row whose tab cells are each a code and a name keeps the space inside each cell; a
    row with single-spaced cells after its number still becomes cells."""
    row = "0101 某省第一职业技能鉴定所\t0102 某省第二职业技能鉴定所\t0130 某省第六职业技能鉴定所"
    assert normalize_text(row).text == row
    assert normalize_text("18\t某市职业技能鉴定所 某市就业服务中心 合格").text == (
        "18\t某市职业技能鉴定所\t某市就业服务中心\t合格"
    )


def test_single_spaced_table_under_a_header_becomes_cells() -> None:
    """Under a 序号 header typed with single spaces, a numbered row with as many words as the header
    has cells becomes cells (a cell may hold a comma); a wrapped tail is left; prose ends it."""
    raw = (
        "序号 州(市) 评价机构名称 主要问题 拟处理意见\n"
        "1 昆明市 某市春城职业技能培训学校 考评员未按规定回避，理论 限期整改3个月\n"
        "试卷保管不规范\n"
        "2 曲靖市 某市远航职业培训学校 超出备案职业范围 限期整改3个月\n"
        "经研究决定，对上述机构予以处理，请各州市人社部门督促整改到位。\n"
        "3 某市 某市第三职业技能鉴定所 考评员不足，理论 限期整改3个月\n"
    )
    lines = normalize_text(raw).lines
    assert lines[0] == "序号\t州(市)\t评价机构名称\t主要问题\t拟处理意见"
    assert lines[1] == "1\t昆明市\t某市春城职业技能培训学校\t考评员未按规定回避,理论\t限期整改3个月"
    assert lines[2] == "试卷保管不规范"
    assert lines[3].count("\t") == 4
    assert "\t" not in lines[5]  # after the prose, no table


def test_letter_spaced_header_words_stay_one_cell() -> None:
    """A header word set out letter by letter (地  区, 鉴 定 站 名 称) is one cell; the columns after
    it keep their place; a name spaced out in a sentence (记者 陈 鸣) is left alone."""
    raw = (
        "  地  区    参检数   优秀    合格\n"
        "  郑州市      38      8       27\n"
        "  开封市       9      1        7\n"
        "  洛阳市      21      4       15\n"
        "本报讯(记者 陈 鸣 通讯员 劳宣)全市四十六家鉴定所参加年检。\n"
    )
    lines = normalize_text(raw).lines
    assert lines[0].split("\t") == ["地区", "参检数", "优秀", "合格"]
    assert lines[1].split("\t") == ["郑州市", "38", "8", "27"]
    assert "\t" not in lines[4]


def test_space_aligned_row_keeps_its_empty_last_cells() -> None:
    """A row that leaves its last cells blank keeps them, so an outcome written once for a block of
    rows (the cells below it left empty) applies to those rows, as in the tab-separated table."""
    text = (
        "1   长沙市    甲市第一职业技能鉴定所    省教育厅      通过年检\n"
        "2   长沙市    甲市第二职业技能鉴定所    省交通运输厅\n"
        "3   株洲市    乙市第一职业技能鉴定站    省卫生厅\n"
        "4   湘潭市    丙市家政职业技能鉴定站    省妇联        未通过，限期整改3个月\n"
    )
    lines = normalize_text(text).text.split("\n")
    assert lines[1] == "2\t长沙市\t甲市第二职业技能鉴定所\t省交通运输厅\t"
    x = extract_notice(normalize_text(text).text)
    assert [(i.name, i.grade) for i in x.institutions] == [
        ("甲市第一职业技能鉴定所", "pass"),
        ("甲市第二职业技能鉴定所", "pass"),
        ("乙市第一职业技能鉴定站", "pass"),
        ("丙市家政职业技能鉴定站", "rectify"),
    ]


def test_grade_matrix_columns_of_unequal_length_laid_out_with_spaces() -> None:
    """A grade matrix typed with spaces whose columns run out one by one: a name alone under the
    first or a middle column (however long) stays in its column; a heading after a full row and the
    paragraph after the table do not join it."""
    text = (
        "优秀（4家）                   合格（3家）                   不合格（1家）\n"
        "甲市第一职业技能鉴定所        乙市第五职业技能鉴定所        丁市第一职业技能鉴定所\n"
        "甲市第二职业技能鉴定所        乙市第七职业技能鉴定所（乙市矿业集团有限公司承建）\n"
        "甲市第三职业技能鉴定所        乙市第八职业技能鉴定所\n"
        "甲市电力行业职业技能鉴定站\n"
        "\n"
        "各鉴定所要认真整改。\n"
    )
    lines = normalize_text(text).text.split("\n")
    assert lines[4] == "甲市电力行业职业技能鉴定站\t\t"
    x = extract_notice(normalize_text(text).text)
    assert sorted((i.name, i.grade) for i in x.institutions) == sorted(
        [
            ("甲市第一职业技能鉴定所", "excellent"),
            ("甲市第二职业技能鉴定所", "excellent"),
            ("甲市第三职业技能鉴定所", "excellent"),
            ("甲市电力行业职业技能鉴定站", "excellent"),
            ("乙市第五职业技能鉴定所", "pass"),
            ("乙市第七职业技能鉴定所", "pass"),
            ("乙市第八职业技能鉴定所", "pass"),
            ("丁市第一职业技能鉴定所", "rectify"),
        ]
    )


def test_grade_after_a_gap_on_a_list_line_is_its_own_cell() -> None:
    """A list line whose own grade follows its name after a gap (a full-width space) keeps the gap
    as a cell break, so the grade is the item's and the line no heading; spacing inside a word
    (鉴 定 所) still goes."""
    text = "一、市本级（2个）\n1．南宁市第一职业技能鉴定所（南宁技师学院）　良好\n2．南宁市第二职业技能鉴定所　达标\n"
    assert normalize_text(text).text.split("\n")[2] == "2.南宁市第二职业技能鉴定所\t达标"
    x = extract_notice(normalize_text("良好、达标为年检通过。\n" + text).text)
    assert [(i.name, i.grade) for i in x.institutions] == [
        ("南宁市第一职业技能鉴定所", "excellent"),
        ("南宁市第二职业技能鉴定所", "pass"),
    ]


def test_rating_or_its_tier_letter_after_a_gap_is_its_own_cell() -> None:
    """A rating (五星级) or its tier letter alone (A) after a gap ends a row as its outcome cell,
    the gap a cell break; a letter inside a name (A座) or after a sentence stays."""
    text = (
        "关于2024年度职业技能等级认定评价机构质量督导结果的通报\n"
        "督导结果分为A、B、C三个等次，其中A等次为良好、B等次为合格、C等次为不合格。\n"
        "序号\u3000机构名称（所在地）\u3000督导等次\n"
        "1．贵州某某酒业股份有限公司（遵义市）\u3000A\n"
        "2．某某职业技术学院（六盘水市）\u3000B\n"
        "3．某某人力资源服务有限公司（贵阳市）\u3000C\n"
        "4．某某家政服务有限公司\u3000四星级\n"
        "地址：某某大厦 A\n"
    )
    lines = normalize_text(text).text.split("\n")
    assert [line.split("\t")[-1] for line in lines[3:7]] == ["A", "B", "C", "四星级"]
    assert "\t" not in lines[7]
    x = extract_notice(normalize_text(text).text)
    assert [(i.name, i.grade) for i in x.institutions][:3] == [
        ("贵州某某酒业股份有限公司", "excellent"),
        ("某某职业技术学院", "pass"),
        ("某某人力资源服务有限公司", "rectify"),
    ]


def test_credit_code_after_one_space_is_its_own_cell() -> None:
    """A unified social credit code set apart from the name by one space (a row whose separators
    were uneven) is a cell of its own, so the row keeps its columns; a code inside a sentence stays."""
    text = (
        "序号  机构名称  统一社会信用代码  终止原因\n"
        "1  厦门鹭岛职业技能培训学校有限公司   91350200HKN574LEQD   质量督导不合格，逾期未完成整改\n"
        "2   厦门市海沧区华兴职业技能培训中心   91350200C5TY4K660D   存在替考行为\n"
        "3  厦门优家家政服务有限公司  91350200DWANT45WXG\t机构主动申请终止备案\n"
        "4   厦门市思明区启航职业培训学校 91350200460XQ9LM82\t未按规定上传认定数据，拒不整改\n"
        "5  厦门嘉禾人力资源开发有限公司 91350200W56B21DQTR 超范围开展认定\n"
        "6\t厦门市集美区匠心职业技能培训学校   91350200CR8TYCWGMM   质量督导不合格，逾期未完成整改\n"
        "7   厦门鑫达物业管理有限公司   913502009QJ6PNHDY0   营业执照已注销\n"
        "8   厦门金鹭特种合金有限公司  91350200XYABMNQWC3 企业主动申请终止备案\n"
        "该公司的代码为 91350200460XQ9LM82。\n"
    )
    lines = normalize_text(text).text.split("\n")
    assert lines[4].split("\t") == [
        "4",
        "厦门市思明区启航职业培训学校",
        "91350200460XQ9LM82",
        "未按规定上传认定数据,拒不整改",
    ]
    assert "\t" not in lines[9]


def test_junk_keeps_the_sentence_comma_glued_to_it() -> None:
    """Forum junk spliced in before a comma (…183個 4 x; N- k$ R  q，限期整改…) goes, the sentence's
    own comma stays, so the two counts stay two clauses."""
    text = "全省參加年檢的鑑定所共計203個，其中年檢合格的183個 4 x; N- k$ R  q，限期整改的12個；"
    assert normalize_text(text).text == "全省参加年检的鉴定所共计203个,其中年检合格的183个,限期整改的12个;"


def test_dot_leader_before_a_grade_is_a_cell_break() -> None:
    """A dot leader between an item and its grade is a cell break: a long one before any short
    tail, a short one (……) or one before a grade with its remark only before a grade word; an
    ellipsis in a sentence stays."""
    text = (
        "（一）市直\n"
        "1．遵义市第一职业技能鉴定所（依托遵义职业技术学院）…………………优秀\n"
        "2．遵义市第二职业技能鉴定所（依托遵义市中等职业学校）……合格\n"
        "3．遵义市第四职业技能鉴定站…………限期整改（整改期三个月）\n"
        "部分鉴定站存在考评员不足、档案不全……等问题。\n"
    )
    lines = normalize_text(text).text.split("\n")
    assert [line.split("\t")[-1] for line in lines[1:4]] == ["优秀", "合格", "限期整改(整改期三个月)"]
    assert "\t" not in lines[4]
    x = extract_notice(normalize_text("遵义市2010年度职业技能鉴定所年检结果\n" + text).text)
    assert [(i.name, i.grade, i.host) for i in x.institutions] == [
        ("遵义市第一职业技能鉴定所", "excellent", "遵义职业技术学院"),
        ("遵义市第二职业技能鉴定所", "pass", "遵义市中等职业学校"),
        ("遵义市第四职业技能鉴定站", "rectify", None),
    ]


def test_star_ratings_after_a_gap_are_each_lines_own_grade() -> None:
    # stars read before the spaces: 'X学院　★★★' becomes a cell break then 三星级; one star ending a
    # line after a gap, or opening a bracket's gloss, is a rating (alone at a line's start, a bullet)
    raw = (
        "星级分为三星（★★★，优秀）、二星（★★，合格）、一星（★，限期整改）。\n"
        "1. 呼和浩特职业学院　★★★\n2. 内蒙古商贸职业学院　★★\n3. 托克托县职业培训学校　★\n★ 注意事项"
    )
    lines = normalize_text(raw).lines
    assert lines[0] == "星级分为三星(三星级,优秀)、二星(二星级,合格)、一星(一星级,限期整改)。"
    assert lines[1:4] == [
        "1. 呼和浩特职业学院\t三星级",
        "2. 内蒙古商贸职业学院\t二星级",
        "3. 托克托县职业培训学校\t一星级",
    ]
    assert lines[4].startswith("★")
    grades = [
        (i.name, i.grade)
        for i in extract_notice("关于2024年度评价机构星级评定结果的公告\n" + "\n".join(lines)).institutions
    ]
    assert grades == [
        ("呼和浩特职业学院", "excellent"),
        ("内蒙古商贸职业学院", "pass"),
        ("托克托县职业培训学校", "rectify"),
    ]
