"""One home for the vocabulary: no grade word is written as a literal in pipeline/extract/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pipeline.extract import extract_notice
from pipeline.vocabulary import CITY_ABBREVIATIONS, GRADE_LABELS, PROVINCE_ABBREVIATIONS, RATING_LABELS

EXTRACT = Path(__file__).resolve().parents[1] / "pipeline" / "extract"
# the grade words proper (ratings such as A级 are vocabulary entries too, but 'A等' is no word)
WORDS = sorted((w for w in GRADE_LABELS if w not in RATING_LABELS), key=len, reverse=True)


def _string_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every string constant that is not a docstring."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_grade_word_is_written_outside_the_vocabulary() -> None:
    found = []
    for path in sorted(EXTRACT.glob("*.py")):
        for line, text in _string_literals(ast.parse(path.read_text(encoding="utf-8"))):
            hits = [w for w in WORDS if w in text]
            if hits:
                found.append(f"{path.name}:{line}: {hits[0]!r} in {text[:60]!r}")
    assert not found, "grade words belong in pipeline/vocabulary.py:\n" + "\n".join(found)


def test_the_check_sees_a_literal() -> None:
    tree = ast.parse('X = "年检合格单位"\ndef f():\n    """合格 in a docstring is fine."""\n')
    assert [text for _, text in _string_literals(tree) if "合格" in text] == ["年检合格单位"]


def _defined_names(tree: ast.Module) -> list[str]:
    names = []
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [t.id for t in targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
    return names


def test_every_vocabulary_entry_is_used() -> None:
    """Each name the vocabulary defines is read by the pipeline, or by another entry built from it:
    a word list nothing applies (CITY_DOC_PREFIX_RE was one) is a rule a reader thinks exists."""
    pipeline = EXTRACT.parent
    source = (pipeline / "vocabulary.py").read_text(encoding="utf-8")
    others = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(pipeline.rglob("*.py")) if p.name != "vocabulary.py"
    )
    unused = [
        name
        for name in _defined_names(ast.parse(source))
        if not re.search(rf"\b{name}\b", others) and len(re.findall(rf"\b{name}\b", source)) < 2
    ]
    assert not unused, f"defined in pipeline/vocabulary.py and never used: {unused}"


_NOTICE = "关于2012年度职业技能鉴定所年检结果的通报\n{abbr}人社〔2013〕5号\n{lead}现将结果通报如下：\n一、年检合格单位\n1.第一职业技能鉴定所\n"
_PROVINCE_LEAD = "省人社厅对全省职业技能鉴定所进行了年检。"
_CITY_LEAD = "市人社局对全市职业技能鉴定所进行了年检。"


@pytest.mark.parametrize(
    ("abbr", "region", "lead"),
    [(a, r, _PROVINCE_LEAD) for a, r in sorted(PROVINCE_ABBREVIATIONS.items())]
    + [(a, r, _CITY_LEAD) for a, r in sorted(CITY_ABBREVIATIONS.items())],
)
def test_every_doc_number_abbreviation_is_reachable(abbr: str, region: str, lead: str) -> None:
    """A notice known only by its doc number's abbreviation is that region's: every province and
    city abbreviation names a division and is reached (宁, 青, 苏 are a city's in a city's notice)."""
    x = extract_notice(_NOTICE.format(abbr=abbr, lead=lead))
    assert x.region is not None and x.region.name == region
