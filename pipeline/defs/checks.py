"""The Dagster checks on the curated tables: one op that reads the published (or staged) Parquet
files and runs the checks of pipeline/curate/checks.py, which holds their logic.

Contract invariants are blocking: a failure has severity ERROR and stops what depends on the table
(the report). Data-quality checks only warn. Each check can run on its own (the op can subset), e.g.
from the UI after a table was inspected, on the files the last build published.
"""

from collections.abc import Iterable, Iterator
from typing import Any

import dagster as dg
import pyarrow as pa

from ..curate import checks
from ..curate.checks import BLOCKING, CHECKS
from .resources import JiandingPaths

Rows = list[dict[str, Any]]
WARN, ERROR = dg.AssetCheckSeverity.WARN, dg.AssetCheckSeverity.ERROR
__all__ = ["BLOCKING", "CURATED_CHECKS", "curated_checks", "run_checks_on_files", "run_curated_checks"]


def _spec(table: str, name: str, description: str) -> dg.AssetCheckSpec:
    blocking = (table, name) in BLOCKING
    kind = "Blocking (contract): " if blocking else "Warning (data quality): "
    return dg.AssetCheckSpec(
        name, asset=dg.AssetKey(["curated", table]), description=kind + description, blocking=blocking
    )


CURATED_CHECKS = [_spec(*check) for check in CHECKS]


def _results(outcomes: Iterable[checks.Outcome]) -> Iterator[dg.AssetCheckResult]:
    for outcome in outcomes:
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(["curated", outcome.table]),
            check_name=outcome.name,
            passed=outcome.passed,
            severity=ERROR if outcome.blocking else WARN,
            metadata={
                "failures": len(outcome.failures),
                "checked": outcome.total,
                "examples": dg.MetadataValue.md("\n".join(f"- {f}" for f in outcome.failures[:20]) or "none"),
            },
        )


def run_curated_checks(
    tables: dict[str, Rows | pa.Table], manifest: Rows, files: Rows | None = None
) -> Iterator[dg.AssetCheckResult]:
    """checks.check_tables as Dagster results (ERROR for the BLOCKING ones, else WARN)."""
    return _results(checks.check_tables(tables, manifest, files))


def run_checks_on_files(paths: JiandingPaths) -> Iterator[dg.AssetCheckResult]:
    """checks.check_files on the curated files in `paths.curated`, as Dagster results."""
    return _results(checks.check_files(paths.curated, paths.work))


@dg.multi_asset_check(specs=CURATED_CHECKS, can_subset=True, name="curated_checks")
def curated_checks(
    context: dg.AssetCheckExecutionContext, paths: JiandingPaths
) -> Iterator[dg.AssetCheckResult]:
    """The checks of CURATED_CHECKS that the run selected, on the curated files as written."""
    selected = context.selected_asset_check_keys
    for result in run_checks_on_files(paths):
        if dg.AssetCheckKey(result.asset_key, result.check_name) in selected:
            yield result
