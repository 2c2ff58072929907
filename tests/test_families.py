"""Notices in layouts the extractor was not built on: tests/fixtures/families/<family>/<id>/.

Each family (tables with city or supervisor columns, lists grouped by city, post-2020 evaluation
bodies, industry stations, 公示 lists, prose decisions, HTML with merged cells, news reports,
look-alikes, matrices and long lists) was written, with its gold, by someone who had not read the
extractor, from the family's description and domain.md alone. The floors are today's figures
(library path); a change that lowers one is a regression to explain, one that raises it should
raise the floor.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, load_corpus
from tests.scoring import extraction_tables, format_metrics, score_tables

FAMILIES = ROOT / "tests" / "fixtures" / "families"
# family -> (institution F1, stated counts, relevance) it must reach
FLOORS: dict[str, tuple[float, float, float]] = {
    "bodies2020": (0.98, 0.95, 1.0),
    "gongshi": (0.99, 0.95, 1.0),
    "grouped": (0.99, 0.95, 1.0),
    "html": (0.98, 0.98, 1.0),
    "industry": (0.97, 0.96, 1.0),
    "lookalikes": (0.99, 0.93, 0.96),
    "matrix": (0.99, 0.95, 1.0),
    "news": (0.93, 0.99, 1.0),
    "prose": (0.97, 0.91, 1.0),
    "tables": (0.97, 0.97, 1.0),
}


def _score(family: Path) -> tuple[dict[str, float | int], list[str]]:
    corpus = load_corpus(family)
    tables = extraction_tables({nid: path for nid, (path, _) in corpus.items()})
    return score_tables({nid: gold for nid, (_, gold) in corpus.items()}, *tables)


def test_every_family_has_notices_and_a_floor() -> None:
    found = {p.name for p in FAMILIES.iterdir() if p.is_dir()}
    assert found == set(FLOORS)
    assert all(len(load_corpus(FAMILIES / f)) >= 5 for f in found)


@pytest.mark.parametrize("family", sorted(FLOORS))
def test_family_reaches_its_floor(family: str) -> None:
    metrics, problems = _score(FAMILIES / family)
    inst, counts, relevance = FLOORS[family]
    report = format_metrics(metrics) + "\n" + "\n".join(problems)
    assert metrics["inst_f1"] >= inst, report
    assert metrics["counts"] >= counts, report
    assert metrics["relevance"] >= relevance, report
