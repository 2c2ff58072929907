"""Notices in layouts the extractor was not built on: tests/fixtures/families/<family>/<id>/.

Each family (tables with city or supervisor columns, lists grouped by city, post-2020 evaluation
bodies, industry stations, 公示 lists, prose decisions, HTML with merged cells, news reports,
look-alikes, matrices and long lists) was written, with its gold, by someone who had not read the
extractor, from the family's description and domain.md alone. The floors are today's figures
(library path); a change that lowers one is a regression to explain, one that raises it should
raise the floor.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, load_corpus
from tests.perturb import PERTURBATIONS, perturb_corpus
from tests.scoring import extraction_tables, format_metrics, score_tables

FAMILIES = ROOT / "tests" / "fixtures" / "families"
# family -> (institution F1, stated counts, relevance, host) it must reach
FLOORS: dict[str, tuple[float, float, float, float]] = {
    # (rounds 23-26 added harder pages: bodies2020 counts and lookalikes relevance fell with them)
    "bodies2020": (0.99, 0.95, 1.0, 0.94),
    "gongshi": (0.99, 0.99, 1.0, 0.99),
    "grouped": (0.99, 0.95, 1.0, 0.99),
    # (round 31 counts a single named outcome as a stated count of 1: html counts fell with it)
    "html": (0.99, 0.97, 1.0, 0.98),
    "industry": (0.98, 0.97, 1.0, 0.99),
    "lookalikes": (0.99, 0.9, 0.96, 0.99),
    "matrix": (0.99, 0.97, 1.0, 0.99),
    # (rounds 17-21 added harder news pages: counts and hosts fell with them, not with the code)
    "news": (0.96, 0.96, 1.0, 0.94),
    "prose": (0.98, 0.94, 1.0, 0.95),
    # (rounds 32-38 added harder tables: counts fell with them, not with the code)
    "tables": (0.98, 0.95, 1.0, 0.96),
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
    inst, counts, relevance, host = FLOORS[family]
    report = format_metrics(metrics) + "\n" + "\n".join(problems)
    assert metrics["inst_f1"] >= inst, report
    assert metrics["counts"] >= counts, report
    assert metrics["relevance"] >= relevance, report
    assert metrics["host"] >= host, report


# Rewritten as another site would type them (tests/perturb.py), the families' text notices keep
# their institution F1 and counts: a rule that reads surface instead of structure loses them here.


@pytest.fixture(scope="module")
def family_texts() -> tuple[dict[str, tuple[Path, dict]], tuple]:
    """The families' text notices, and their rows as extracted (scored once for every rewrite)."""
    notices: dict[str, tuple[Path, dict]] = {}
    for family in sorted(FLOORS):
        corpus = load_corpus(FAMILIES / family)
        notices.update((nid, entry) for nid, entry in corpus.items() if _utf8_text(entry[0]))
    return notices, extraction_tables({nid: path for nid, (path, _) in notices.items()})


def _utf8_text(path: Path) -> bool:
    """A text notice in UTF-8 (the rewrites edit text; a GBK or Big5 file is the decoder's test)."""
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return path.suffix == ".txt"


def _subset(tables: tuple, nids: set[str]) -> list:
    return [[row for row in rows if row["notice_id"] in nids] for rows in tables]


@pytest.mark.parametrize("name", sorted(PERTURBATIONS))
def test_perturbed_layouts_keep_the_score(name: str, family_texts: tuple, tmp_path: Path) -> None:
    notices, original_rows = family_texts
    for nid, (path, gold) in notices.items():
        text = path.read_text(encoding="utf-8")
        if PERTURBATIONS[name](text) != text:  # only the notices the rewrite changes
            (tmp_path / "original" / nid).mkdir(parents=True)
            (tmp_path / "original" / nid / "notice.txt").write_text(text, encoding="utf-8")
            (tmp_path / "original" / nid / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    assert perturb_corpus(tmp_path / "original", tmp_path / "perturbed", name) >= 10  # (no no-op)
    perturbed = load_corpus(tmp_path / "perturbed")
    golds = {nid: gold for nid, (_, gold) in perturbed.items()}
    before, _ = score_tables(golds, *_subset(original_rows, set(golds)))
    after, problems = score_tables(golds, *extraction_tables({n: p for n, (p, _) in perturbed.items()}))
    report = f"{name}: {format_metrics(before)}\n -> {format_metrics(after)}\n" + "\n".join(problems)
    # (0.01: with rounds 32-38 the rewrites reach more notices, and lists that lose their numbers
    # while set two to a line or wrapped as PDF text lose items: a known miss, docs/accuracy.md)
    assert after["inst_f1"] >= before["inst_f1"] - 0.01, report
    assert after["counts"] >= before["counts"] - 0.005, report
