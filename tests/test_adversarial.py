"""Inputs built to make a pattern backtrack or a loop go quadratic (issue 12) finish, with their data.

Each runs under the per-notice budget (`pipeline.budget`), so a regression fails the test instead of
hanging it. The inputs are sized so that the code before the fix ran far past the budget (figures in
each test, measured on the project's 2-core VM); the time it takes now is a benchmark's business
(`benchmarks/adversarial.py`), not a test's.
"""

from __future__ import annotations

import pytest

from pipeline.budget import BudgetExceeded, notice_budget
from pipeline.extract import extract_notice
from pipeline.extract.items import grade_labels
from pipeline.normalize import normalize_text, strip_junk
from pipeline.normalize.html_text import html_to_text

BUDGET = 10.0  # seconds


def _extract(text: str, is_html: bool = False):
    with notice_budget(BUDGET):
        return extract_notice(normalize_text(text, is_html).text)


def test_budget_interrupts_a_backtracking_pattern() -> None:
    import re

    with pytest.raises(BudgetExceeded), notice_budget(0.2):
        re.match(r"(a|a)*b", "a" * 40)  # exponential: never ends on its own


def test_persons_figure_after_a_digit_run() -> None:
    # before: 50 s for 20 KB (PERSONS_RE backtracked over the digits from every start)
    x = _extract("甘肃省鉴定所年检。全省鉴定" + "1" * 20_000 + "x共鉴定5人")
    assert [(v.metric, v.persons) for v in x.volumes] == [("appraised", 5)]


def test_total_count_after_a_digit_run() -> None:
    # before: 14 s for 5,000 digits (_TOTAL_VERB_RE's \d+[^,，。]{0,20}中$ backtracked from every digit)
    x = _extract("甘肃省鉴定所年检\n全省鉴定机构" + "1" * 10_000 + "共有5个。经检查，甘肃省第一鉴定所合格。")
    assert [i.name for i in x.institutions] == ["甘肃省第一鉴定所"]


def test_many_volume_figures_and_stated_counts() -> None:
    # before (300 KB each): 16 s for the duplicate check over figures, 98 s for stated counts checked
    # against every warning before them
    x = _extract("甘肃省鉴定所年检\n" + "".join(f"全省参加鉴定{i}人。" for i in range(1, 11_000)))
    assert len(x.volumes) == 10_999
    y = _extract("甘肃省鉴定所年检\n" + "".join(f"合格的{i}所，" for i in range(1, 19_000)))
    assert y.stated["pass"] == 1
    assert sum(w.startswith("text states pass as both 1 and") for w in y.warnings) == 18_998


def test_many_rulings_by_position_on_a_long_list() -> None:
    # each ruling on the rest (其余…) touches the whole list: 5,000 of them on 5,000 items took 15 s
    # before a list was ruled on once
    items = "".join(f"{i}.甲市第{i}职业技能鉴定所\n" for i in range(1, 5001))
    rulings = "".join(f"对第{i % 50 + 1}家机构予以撤销;其余予以限期整改。\n" for i in range(5000))
    x = _extract("某市2018年度职业技能鉴定机构年检结果\n不合格单位:\n" + items + rulings)
    assert len(x.institutions) == 5000
    assert [i.grade for i in x.institutions[:3]] == ["revoked", "rectify", "rectify"]


def test_grade_words_on_a_very_long_line() -> None:
    # before: 16 s for a 5 MB line (the rest of the text copied after every grade word)
    with notice_budget(BUDGET):
        found = grade_labels("甘肃省第一鉴定所合格，" * 160_000)
    assert len(found) == 160_000


def test_junk_runs_after_a_closing_bracket() -> None:
    # before: 41 s for 3 MB (the line before every run copied to look for its opener)
    with notice_budget(BUDGET):
        assert strip_junk("审) a; b. c! " * 240_000).count("审") == 240_000
    assert strip_junk("中心(站) ;j # O 合格") == "中心(站) 合格"  # the ')' still closes the name


def test_fallback_html_parser_on_unclosed_tags_and_title() -> None:
    # past libxml2's depth limit the regex fallback reads the page; before: 52 s for 300 KB of '<a'
    with notice_budget(BUDGET):
        text = html_to_text("<html><body>" + "<div>" * 300 + "甘肃省鉴定所" + "<a" * 150_000)
        titled = html_to_text("<html><body>" + "<div>" * 300 + "甘肃省鉴定所" + "<title>合格" * 40_000)
    assert text.startswith("甘肃省鉴定所")
    assert titled.split("\n")[:2] == ["甘肃省鉴定所", "合格"]


def test_html_element_with_many_attributes() -> None:
    # before: 3.5 s for 300 KB and 8.3 s for 722 KB of attributes on one element (libxml2 checks each
    # attribute against all before it); now a tag that long keeps only its name and spans
    attrs = "".join(f'a{i}="1" ' for i in range(100_000))
    with notice_budget(BUDGET):
        text = html_to_text(f"<html><body><p {attrs}>甘肃省鉴定所合格</p></body></html>")
        table = html_to_text(f'<table><tr><td {attrs} rowspan="2">合格</td><td>A站</td></tr><tr><td>B站</td></tr></table>')
    assert text == "甘肃省鉴定所合格"
    assert table == html_to_text('<table><tr><td rowspan="2">合格</td><td>A站</td></tr><tr><td>B站</td></tr></table>')
    assert table.split() == ["合格", "A站", "合格", "B站"]  # the span survives


HEAD = "甘肃省人力资源和社会保障厅关于2013年度职业技能鉴定所年检结果的通报\n"


def test_numeric_limits_of_lists_and_heading_counts() -> None:
    # issue 12, item 8: a heading count (20000所) read as 0 (four digits at most, taken from its end)
    x = _extract(HEAD + "一、年检合格的鉴定所（20000所）\n" + "\n".join(f"{i}.甘肃省第{i}鉴定站" for i in range(1, 4)))
    assert x.stated["pass"] == 20_000
    # names holding a number of three or more digits, and a list past item 10000, are read whole
    x = _extract(HEAD + "一、年检合格的鉴定所\n" + "\n".join(f"{i + 1}．甘肃省第{100 + i}国家职业技能鉴定所" for i in range(11)))
    assert [i.name for i in x.institutions] == [f"甘肃省第{100 + i}国家职业技能鉴定所" for i in range(11)]
    x = _extract(HEAD + "一、年检合格的鉴定所\n" + "\n".join(f"{i}.甘肃省第{i}鉴定站" for i in range(1, 10_051)))
    assert len(x.institutions) == 10_050


def test_many_rows_whose_first_cells_read_as_column_titles() -> None:
    # before: over 120 s for 20,000 rows (each row started a new look for a table on its side)
    text = "某省关于2010年度鉴定机构年检结果的通报\n" + "".join(f"序号{i}\t某\t某\n" for i in range(20_000))
    with notice_budget(BUDGET):
        extract_notice(text)
