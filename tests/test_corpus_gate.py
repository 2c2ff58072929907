"""Regression gate: the whole Dagster build on every hand-labelled notice must stay above the bar.

Stages the shared corpus (or its copy in fixtures) and tests/fixtures/extra into one raw folder,
materializes the build job in process, and scores the curated tables like ../shared/tools/score.py
(tests/scoring.py holds the same metrics, so the gate runs without ../shared).
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest

from pipeline.defs import BUILD_JOB, JiandingPaths, make_definitions
from tests.conftest import ROOT, corpus_dir, load_corpus, stage
from tests.scoring import format_metrics, score_tables

EXTRA = ROOT / "tests" / "fixtures" / "extra"
AT_LEAST = {
    "inst_f1": 0.98,
    "name_f1": 0.99,
    "counts": 0.95,
    "region": 0.95,
    "year": 0.95,
    "vol_f1": 0.90,
    "relevance": 1.0,
}
AT_MOST = {"counts_extra": 2, "lost": 0}


def _all_notices() -> dict[str, tuple[Path, dict]]:
    notices = load_corpus(corpus_dir())
    extra = load_corpus(EXTRA)
    assert not set(notices) & set(extra), "notice ids must be unique across the corpora"
    return {**notices, **extra}


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, float | int], list[str]]:
    tmp = tmp_path_factory.mktemp("gate")
    notices = _all_notices()
    stage(notices, tmp / "raw")
    paths = JiandingPaths(
        raw_dir=str(tmp / "raw"), curated_dir=str(tmp / "curated"), work_dir=str(tmp / "work")
    )
    with dg.DagsterInstance.ephemeral() as instance:
        result = make_definitions(paths).resolve_job_def(BUILD_JOB).execute_in_process(instance=instance)
    assert result.success

    def rows(table: str) -> list[dict]:
        return pq.read_table(tmp / "curated" / f"{table}.parquet").to_pylist()

    golds = {nid: gold for nid, (_, gold) in notices.items()}
    return score_tables(golds, rows("notices"), rows("institutions"), rows("appraisal_volumes"))


def test_both_corpora_are_staged() -> None:
    notices = _all_notices()
    assert len(load_corpus(EXTRA)) >= 8
    assert any(gold["relevant"] for _, gold in notices.values())
    assert any(not gold["relevant"] for _, gold in notices.values())


@pytest.mark.parametrize("metric", sorted(AT_LEAST))
def test_metric_at_least(scored: tuple[dict[str, float | int], list[str]], metric: str) -> None:
    metrics, problems = scored
    assert metrics[metric] >= AT_LEAST[metric], (
        f"{metric}={metrics[metric]:.3f} < {AT_LEAST[metric]}\n"
        + format_metrics(metrics)
        + "\n"
        + "\n".join(problems)
    )


@pytest.mark.parametrize("metric", sorted(AT_MOST))
def test_metric_at_most(scored: tuple[dict[str, float | int], list[str]], metric: str) -> None:
    metrics, problems = scored
    assert metrics[metric] <= AT_MOST[metric], (
        f"{metric}={metrics[metric]} > {AT_MOST[metric]}\n"
        + format_metrics(metrics)
        + "\n"
        + "\n".join(problems)
    )
