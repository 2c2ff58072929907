"""Data checks on the curated tables, one op that reads the published (or staged) Parquet files.

Contract invariants (unique keys, every raw file has a row, every unused file says why, counts add
up) are blocking: a failure has severity ERROR and stops what depends on the table (the report).
Data-quality checks (stated vs listed counts, region codes, ok notices with rows) only warn. No
check drops or changes a row. Each check can run on its own (the op can subset), e.g. from the UI
after a table was inspected, on the files the last build published.
"""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import dagster as dg
import pyarrow as pa
import pyarrow.compute as pc

from .. import storage
from ..regions import REGIONS
from ..registry import CURATED_TABLES, GRADES, RAW_FILE_LIST, RAW_MANIFEST
from .resources import JiandingPaths

Rows = list[dict[str, Any]]
WARN, ERROR = dg.AssetCheckSeverity.WARN, dg.AssetCheckSeverity.ERROR
# the output contract's invariants: a failure is a bug of the build, not of a notice
BLOCKING = {
    ("notices", "every_raw_file_has_a_row"),
    ("institutions", "unique_keys"),
    ("region_year", "pass_rate_in_range"),
    ("region_year", "unique_keys"),
    ("region_year", "counts_add_up"),
    ("institution_history", "unique_keys"),
    ("raw_files", "every_raw_file_has_a_row"),
    ("raw_files", "unused_files_have_a_reason"),
}


def _spec(table: str, name: str, description: str) -> dg.AssetCheckSpec:
    blocking = (table, name) in BLOCKING
    kind = "Blocking (contract): " if blocking else "Warning (data quality): "
    return dg.AssetCheckSpec(
        name, asset=dg.AssetKey(["curated", table]), description=kind + description, blocking=blocking
    )


CURATED_CHECKS = [
    _spec(
        "notices",
        "every_raw_file_has_a_row",
        "Each notice in the raw folder (a loose file or a notice folder) has exactly one notices row.",
    ),
    _spec(
        "notices", "stated_matches_listed", "Where a notice both states and lists a grade, the numbers agree."
    ),
    _spec("notices", "region_codes_valid", "Every region_code is a GB/T 2260 code (or 100000 for 全国)."),
    _spec("notices", "ok_notices_have_rows", "No notice is ok without an institution, a count or a volume."),
    _spec("institutions", "unique_keys", "notice_id + line + institution_name + grade is unique."),
    _spec("region_year", "pass_rate_in_range", "pass_rate lies within [0, 1]."),
    _spec("region_year", "unique_keys", "region_code + sector + evaluation_year is unique."),
    _spec("region_year", "region_codes_valid", "Every region_code is a GB/T 2260 code (or 100000 for 全国)."),
    _spec(
        "region_year",
        "counts_add_up",
        "n_evaluated = the grade counts + n_ungraded; revocation_count = n_revoked.",
    ),
    _spec("institution_history", "unique_keys", "institution_key + evaluation_year is unique."),
    _spec(
        "raw_files", "every_raw_file_has_a_row", "Each file in the raw folder has exactly one raw_files row."
    ),
    _spec("raw_files", "unused_files_have_a_reason", "Every rejected or skipped raw file says why."),
]


def _result(table: str, name: str, failures: list[str], total: int) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(["curated", table]),
        check_name=name,
        passed=not failures,
        severity=ERROR if (table, name) in BLOCKING else WARN,
        metadata={
            "failures": len(failures),
            "checked": total,
            "examples": dg.MetadataValue.md("\n".join(f"- {f}" for f in failures[:20]) or "none"),
        },
    )


def stated_listed_mismatches(notices: Rows) -> list[str]:
    """Per notice: a grade both stated and listed with different numbers; a stated total smaller than
    the grades it states, or than the institutions it lists (a total larger than both is fine: a
    notice may grade more institutions than it names)."""
    out = []
    for n in notices:
        # per grade, the extractor's own rule (it knows "X等10家" names one of ten): its issue,
        # found by its code (issues.CATALOGUE), never by the message's text
        out += [
            f"{n['notice_id']}: {w}"
            for code, w in zip(n.get("issue_codes") or [], n.get("warnings") or [], strict=False)
            if code == "counts_disagree"
        ]
        total = n.get("stated_total")
        if total is None:
            continue
        stated_sum = sum(n.get(f"stated_{g}") or 0 for g in GRADES)
        if stated_sum > total:
            out.append(f"{n['notice_id']}: total stated {total}, its stated grades add up to {stated_sum}")
        if (n.get("listed_total") or 0) > total:
            out.append(f"{n['notice_id']}: total stated {total}, listed {n['listed_total']}")
    return out


def count_mismatches(region_year: Rows) -> list[str]:
    """region_year rows whose n_evaluated or revocation_count disagree with the grade counts."""
    out = []
    for r in region_year:
        if r.get("n_evaluated") is None or r.get("n_pass") is None:
            continue
        graded = sum(r.get(f"n_{g}") or 0 for g in GRADES) + (r.get("n_ungraded") or 0)
        if graded != r["n_evaluated"] or r.get("revocation_count") != r.get("n_revoked"):
            out.append(f"{r['region_code']} {r.get('sector') or ''} {r['evaluation_year']}: {graded}")
    return out


def _rows(table: Rows | pa.Table) -> Rows:
    return table.to_pylist() if isinstance(table, pa.Table) else table


def duplicate_keys(table: Rows | pa.Table, keys: list[str]) -> tuple[list[str], int]:
    """(the key values found on more than one row, the number of rows), counted by Arrow."""
    if not isinstance(table, pa.Table):
        table = pa.Table.from_pylist([{k: r.get(k) for k in keys} for r in table]) if table else None
    if table is None or table.num_rows == 0:
        return [], 0
    counts = table.select(keys).group_by(keys).aggregate([([], "count_all")])
    repeated = counts.filter(pc.greater(counts["count_all"], 1)).select(keys).to_pylist()
    return [str(tuple(r.values())) for r in repeated], table.num_rows


def run_curated_checks(
    tables: dict[str, Rows | pa.Table], manifest: Rows, files: Rows | None = None
) -> Iterator[dg.AssetCheckResult]:
    """Every check in CURATED_CHECKS, in that order (ERROR for the BLOCKING ones, else WARN); none
    changes a row. Tables are Arrow tables (as build_curated makes them) or lists of rows."""
    notices, region_year = _rows(tables["notices"]), _rows(tables["region_year"])
    paths = Counter(n["source_path"] for n in notices)
    missing = [m["source_path"] for m in manifest if paths[m["source_path"]] != 1]
    yield _result("notices", "every_raw_file_has_a_row", missing, len(manifest))
    yield _result("notices", "stated_matches_listed", stated_listed_mismatches(notices), len(notices))
    bad_codes = [
        f"{n['notice_id']}: {n['region_code']}"
        for n in notices
        if n.get("region_code") and not REGIONS.is_valid(n["region_code"])
    ]
    yield _result("notices", "region_codes_valid", bad_codes, len(notices))
    empty = [
        n["notice_id"]
        for n in notices
        if n["status"] == "ok"
        and not (
            n.get("listed_total")
            or n.get("n_volumes")
            or any(n.get(f"stated_{k}") is not None for k in ("total", *GRADES))
        )
    ]
    yield _result("notices", "ok_notices_have_rows", empty, len(notices))
    repeated, n = duplicate_keys(tables["institutions"], ["notice_id", "line", "institution_name", "grade"])
    yield _result("institutions", "unique_keys", repeated, n)
    out_of_range = [
        f"{r['region_name']} {r['evaluation_year']}: {r['pass_rate']}"
        for r in region_year
        if r.get("pass_rate") is not None and not 0 <= r["pass_rate"] <= 1
    ]
    yield _result("region_year", "pass_rate_in_range", out_of_range, len(region_year))
    ry = Counter((r["region_code"], r["sector"], r["evaluation_year"]) for r in region_year)
    yield _result("region_year", "unique_keys", [str(k) for k, c in ry.items() if c > 1], len(region_year))
    bad_ry = [
        f"{r['region_code']} {r['evaluation_year']}"
        for r in region_year
        if not (r.get("region_code") and REGIONS.is_valid(r["region_code"]))
    ]
    yield _result("region_year", "region_codes_valid", bad_ry, len(region_year))
    yield _result("region_year", "counts_add_up", count_mismatches(region_year), len(region_year))
    repeated, n = duplicate_keys(
        tables.get("institution_history", []), ["institution_key", "evaluation_year"]
    )
    yield _result("institution_history", "unique_keys", repeated, n)
    raw_files = _rows(tables.get("raw_files", []))
    listed = Counter(r["path"] for r in raw_files)
    wanted = [f["source_path"] for f in files] if files is not None else [m["source_path"] for m in manifest]
    yield _result("raw_files", "every_raw_file_has_a_row", [p for p in wanted if listed[p] != 1], len(wanted))
    silent = [r["path"] for r in raw_files if r["status"] != "read" and not r["reason"]]
    yield _result("raw_files", "unused_files_have_a_reason", silent, len(raw_files))


# what each table's checks read of it (the rest, full texts and lists of names, is never loaded)
_CHECKED_COLUMNS = {
    "institutions": ["notice_id", "line", "institution_name", "grade"],
    "institution_history": ["institution_key", "evaluation_year"],
    "raw_files": ["path", "status", "reason"],
}


def read_checked_tables(paths: JiandingPaths) -> tuple[dict[str, pa.Table], Rows, Rows]:
    """The curated tables the checks read (from `paths.curated`), and the raw manifest and file
    list of the last raw_notices run (from `paths.work`); a missing table reads as empty."""
    tables = {}
    for table in CURATED_TABLES:
        columns = _CHECKED_COLUMNS.get(table.name)
        data = storage.read_table(paths.curated, table, columns)
        tables[table.name] = (
            data if data is not None else table.schema().empty_table().select(columns or table.column_names)
        )
    work = []
    for table in (RAW_MANIFEST, RAW_FILE_LIST):
        data, problem = storage.read_work_table(paths.work, table, ["source_path"])
        if problem:
            raise RuntimeError(f"cannot check against the raw files: {problem}; run the build again")
        work.append([] if data is None else data.to_pylist())
    return tables, work[0], work[1]


@dg.multi_asset_check(specs=CURATED_CHECKS, can_subset=True, name="curated_checks")
def curated_checks(
    context: dg.AssetCheckExecutionContext, paths: JiandingPaths
) -> Iterator[dg.AssetCheckResult]:
    """The checks of CURATED_CHECKS that the run selected, on the curated files as written."""
    selected = context.selected_asset_check_keys
    tables, manifest, files = read_checked_tables(paths)
    for result in run_curated_checks(tables, manifest, files):
        if dg.AssetCheckKey(result.asset_key, result.check_name) in selected:
            yield result
