"""Counter-examples as data: tests/cases/extraction.json, keyed by the rule each case exercises.

A key is the rule that reads the case's institutions (the `item_source` the rows carry: `list`,
`table`, `inline`, `named_of_n` …, or a rule family such as `table_roles`), so a rule and its cases
are found together. Each case is a normalized text and the institutions (name, grade, host) a careful
reader takes from it, and (`stated`, for the count rules) the counts it states; add a case here when
a rule is fixed or written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extract import extract_notice

CASES = json.loads((Path(__file__).parent / "cases" / "extraction.json").read_text(encoding="utf-8"))
PARAMS = [
    pytest.param(case, id=f"{rule}-{index}")
    for rule, cases in sorted(CASES.items())
    for index, case in enumerate(cases)
]


@pytest.mark.parametrize("case", PARAMS)
def test_case(case: dict) -> None:
    x = extract_notice(case["text"])
    got = [[i.name, i.grade, i.host] for i in x.institutions]
    assert got == case["institutions"], case.get("note")
    if "stated" in case:  # the counts the text states, when the case is about them
        assert x.stated == case["stated"], case.get("note")
    if "volumes" in case:  # persons and metric of each appraisal volume, in text order
        assert [[v.persons, v.metric] for v in x.volumes] == case["volumes"], case.get("note")
    if "region" in case:
        assert x.region is not None and x.region.name == case["region"], case.get("note")
    if "issuer" in case:
        assert x.issuer == case["issuer"], case.get("note")
    if "sector" in case:
        assert x.sector == case["sector"], case.get("note")
    if "doc_number" in case:
        assert x.doc_number == case["doc_number"], case.get("note")
    if "year" in case:
        assert x.evaluation_year == case["year"], case.get("note")
    if "status" in case:  # ok / irrelevant, for the relevance rules
        assert x.status == case["status"], case.get("note")


def test_every_rule_has_cases() -> None:
    assert len(CASES) >= 8 and all(CASES.values())
