"""Issues come from one catalogue, and every warning a notice carries has its code beside it."""

from __future__ import annotations

import pytest

from pipeline.extract import extract_notice
from pipeline.extract.batch import extract_rows
from pipeline.issues import CATALOGUE, Issue

_NOTICE = (
    "甘肃省人力资源和社会保障厅关于2013年度职业技能鉴定机构年检结果的通报\n"
    "一、年检合格单位名单(3个)\n"
    "1.甘肃省第一国家职业技能鉴定所\n"
    "2.甘肃省第二国家职业技能鉴定所\n"
    "二、待定单位\n"
    "序号\t鉴定所名称\t年检结论\n"
    "1\t甘肃省第九国家职业技能鉴定所\t待定\n"
)


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown issue code"):
        Issue("no_such_code", "x")


def test_the_notice_reports_what_it_could_not_read_by_code() -> None:
    x = extract_notice(_NOTICE)
    codes = [i.code for i in x.issues]
    assert "counts_disagree" in codes  # 3 stated, 2 listed
    assert "unknown_outcome" in codes  # 待定 is graded by no rule, and not guessed
    assert all(code in CATALOGUE for code in codes)
    assert "甘肃省第九国家职业技能鉴定所" not in [i.name for i in x.institutions]


def test_issue_codes_line_up_with_the_warnings() -> None:
    record, _, _ = extract_rows(
        {"sha256": "0" * 64, "status": "ok", "status_reason": None, "script": "simplified",
         "encoding": "utf-8", "text": _NOTICE}
    )
    assert len(record["issue_codes"]) == len(record["warnings"]) >= 2
    assert record["issue_codes"][record["warnings"].index(next(w for w in record["warnings"] if "待定" in w))] == (
        "unknown_outcome"
    )
