"""One home for the vocabulary: no grade word is written as a literal in pipeline/extract/."""

from __future__ import annotations

import ast
from pathlib import Path

from pipeline.vocabulary import GRADE_LABELS, RATING_LABELS

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
