"""The checks on the curated tables, as plain functions (the Dagster checks in defs/checks.py call them).

Contract invariants (unique keys, every raw file has a row, every unused file says why, counts add
up) are BLOCKING: a failure is a bug of the build, not of a notice. Data-quality checks (stated vs
listed counts, region codes, ok notices with rows) only warn. No check drops or changes a row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from .. import registry, storage
from ..regions import REGIONS
from ..registry import CURATED_TABLES, GRADES, RAW_FILE_LIST, RAW_MANIFEST
from . import duck

Rows = list[dict[str, Any]]
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


# every check, in the order they run: (table, name, what it holds)
CHECKS: tuple[tuple[str, str, str], ...] = (
    (
        "notices",
        "every_raw_file_has_a_row",
        "Each notice in the raw folder (a loose file or a notice folder) has exactly one notices row.",
    ),
    ("notices", "stated_matches_listed", "Where a notice both states and lists a grade, the numbers agree."),
    ("notices", "region_codes_valid", "Every region_code is a GB/T 2260 code (or 100000 for 全国)."),
    ("notices", "ok_notices_have_rows", "No notice is ok without an institution, a count or a volume."),
    ("institutions", "unique_keys", "notice_id + line + institution_name + grade is unique."),
    ("region_year", "pass_rate_in_range", "pass_rate lies within [0, 1]."),
    ("region_year", "unique_keys", "region_code + sector + evaluation_year is unique."),
    ("region_year", "region_codes_valid", "Every region_code is a GB/T 2260 code (or 100000 for 全国)."),
    (
        "region_year",
        "counts_add_up",
        "n_evaluated = the grade counts + n_ungraded; revocation_count = n_revoked.",
    ),
    ("institution_history", "unique_keys", "institution_key + evaluation_year is unique."),
    ("raw_files", "every_raw_file_has_a_row", "Each file in the raw folder has exactly one raw_files row."),
    ("raw_files", "unused_files_have_a_reason", "Every rejected or skipped raw file says why."),
)


@dataclass(frozen=True)
class Outcome:
    """One check's result: the failing rows named (in the tables' row order) and the rows checked."""

    table: str
    name: str
    failures: list[str]
    total: int

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def blocking(self) -> bool:
        return (self.table, self.name) in BLOCKING


def _result(table: str, name: str, failures: list[str], total: int) -> Outcome:
    return Outcome(table, name, failures, total)


# Each check is SQL over DuckDB views of the curated tables (`notices`, `institutions`,
# `region_year`, `institution_history`, `raw_files`: each with `pos`, its row's place) and of the
# raw folder (`manifest`: its notices, `files`: its files, each `source_path` with `pos`), run on the
# published files themselves or on tables in memory; only the failing rows come back to Python, to
# be named. Failures are listed in the tables' row order.
_TOTAL = 1 << 40  # STATED_LISTED_SQL's order of the totals' messages, after every issue's
_STATED_SUM = " + ".join(f"coalesce(stated_{g}, 0)" for g in GRADES)
_ANY_STATED = " OR ".join(f"stated_{g} IS NOT NULL" for g in ("total", *GRADES))
_GRADED = " + ".join(f"coalesce(n_{g}, 0)" for g in GRADES) + " + coalesce(n_ungraded, 0)"
MISSING_ROWS_SQL = """
SELECT w.source_path FROM {wanted} w
LEFT JOIN (SELECT {column} AS source_path, count(*) AS n FROM {table} GROUP BY ALL) t USING (source_path)
WHERE coalesce(t.n, 0) <> 1 ORDER BY w.pos
"""
# per notice: the extractor's own verdict per grade (its issue counts_disagree: it knows "X等10家"
# names one of ten), found by its code, never by the message's text; then a stated total smaller
# than the grades it states, or than the institutions it lists (larger than both is fine)
STATED_LISTED_SQL = f"""
SELECT * FROM (
    SELECT pos, i AS sub, notice_id, warnings[i] AS warning, NULL AS total, NULL AS other
    FROM (SELECT *, unnest(generate_series(1, len(coalesce(issue_codes, [])))) AS i FROM notices)
    WHERE issue_codes[i] = 'counts_disagree' AND i <= len(coalesce(warnings, []))
    UNION ALL
    SELECT pos, {_TOTAL}, notice_id, NULL, stated_total, {_STATED_SUM} FROM notices
    WHERE stated_total IS NOT NULL AND {_STATED_SUM} > stated_total
    UNION ALL
    SELECT pos, {_TOTAL + 1}, notice_id, NULL, stated_total, listed_total FROM notices
    WHERE stated_total IS NOT NULL AND coalesce(listed_total, 0) > stated_total
) ORDER BY pos, sub
"""
EMPTY_OK_SQL = f"""
SELECT notice_id FROM notices
WHERE status = 'ok' AND NOT (coalesce(listed_total, 0) <> 0 OR coalesce(n_volumes, 0) <> 0 OR {_ANY_STATED})
ORDER BY pos
"""
COUNTS_ADD_UP_SQL = f"""
SELECT region_code, sector, evaluation_year, {_GRADED} AS graded FROM region_year
WHERE n_evaluated IS NOT NULL AND n_pass IS NOT NULL
    AND ({_GRADED} <> n_evaluated OR revocation_count IS DISTINCT FROM n_revoked)
ORDER BY pos
"""


def _list(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.sql(sql).fetchall()


def _count(con: duckdb.DuckDBPyConnection, view: str) -> int:
    return con.sql(f"SELECT count(*) FROM {view}").fetchall()[0][0]


def stated_listed_mismatches(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Per notice: a grade both stated and listed with different numbers; a stated total smaller than
    the grades it states, or than the institutions it lists (STATED_LISTED_SQL)."""
    out = []
    for _, sub, nid, warning, total, other in _list(con, STATED_LISTED_SQL):
        if warning is not None:
            out.append(f"{nid}: {warning}")
        elif sub == _TOTAL:
            out.append(f"{nid}: total stated {total}, its stated grades add up to {other}")
        else:
            out.append(f"{nid}: total stated {total}, listed {other}")
    return out


def count_mismatches(con: duckdb.DuckDBPyConnection) -> list[str]:
    """region_year rows whose n_evaluated or revocation_count disagree with the grade counts."""
    return [
        f"{code} {sector or ''} {year}: {graded}"
        for code, sector, year, graded in _list(con, COUNTS_ADD_UP_SQL)
    ]


def duplicate_keys(table: duckdb.DuckDBPyRelation, keys: list[str]) -> tuple[list[str], int]:
    """(the key values found on more than one row, in order of first appearance; the rows)."""
    columns = ", ".join(keys)
    repeated = table.query(
        "t", f"SELECT {columns} FROM t GROUP BY {columns} HAVING count(*) > 1 ORDER BY min(pos)"
    ).fetchall()
    return [str(tuple(r)) for r in repeated], table.query("t", "SELECT count(*) FROM t").fetchall()[0][0]


def _register_codes(con: duckdb.DuckDBPyConnection) -> None:
    """`region_codes`: every region code of notices and region_year, and whether it is valid."""
    codes = [
        r[0]
        for r in _list(
            con,
            "SELECT region_code FROM notices WHERE region_code <> '' "
            "UNION SELECT region_code FROM region_year WHERE region_code <> ''",
        )
    ]
    con.register(
        "region_codes",
        pa.table({"code": pa.array(codes, pa.string()), "valid": [REGIONS.is_valid(c) for c in codes]}),
    )


def _checks(con: duckdb.DuckDBPyConnection) -> Iterator[Outcome]:
    """Every check in CHECKS, in that order, over the connection's views (above)."""
    _register_codes(con)
    n_notices, n_region_year = _count(con, "notices"), _count(con, "region_year")
    missing = [
        r[0]
        for r in _list(con, MISSING_ROWS_SQL.format(wanted="manifest", column="source_path", table="notices"))
    ]
    yield _result("notices", "every_raw_file_has_a_row", missing, _count(con, "manifest"))
    yield _result("notices", "stated_matches_listed", stated_listed_mismatches(con), n_notices)
    bad_codes = _list(
        con,
        "SELECT notice_id, region_code FROM notices JOIN region_codes ON code = region_code "
        "WHERE NOT valid ORDER BY pos",
    )
    yield _result("notices", "region_codes_valid", [f"{n}: {c}" for n, c in bad_codes], n_notices)
    yield _result("notices", "ok_notices_have_rows", [r[0] for r in _list(con, EMPTY_OK_SQL)], n_notices)
    repeated, n = duplicate_keys(
        con.table("institutions"), ["notice_id", "line", "institution_name", "grade"]
    )
    yield _result("institutions", "unique_keys", repeated, n)
    out_of_range = _list(
        con,
        "SELECT region_name, evaluation_year, pass_rate FROM region_year "
        "WHERE pass_rate IS NOT NULL AND NOT pass_rate BETWEEN 0 AND 1 ORDER BY pos",
    )
    yield _result(
        "region_year", "pass_rate_in_range", [f"{n} {y}: {r}" for n, y, r in out_of_range], n_region_year
    )
    repeated, _ = duplicate_keys(con.table("region_year"), ["region_code", "sector", "evaluation_year"])
    yield _result("region_year", "unique_keys", repeated, n_region_year)
    bad_ry = _list(
        con,
        "SELECT region_code, evaluation_year FROM region_year LEFT JOIN region_codes ON code = region_code "
        "WHERE valid IS NOT TRUE ORDER BY pos",
    )
    yield _result("region_year", "region_codes_valid", [f"{c} {y}" for c, y in bad_ry], n_region_year)
    yield _result("region_year", "counts_add_up", count_mismatches(con), n_region_year)
    repeated, n = duplicate_keys(con.table("institution_history"), ["institution_key", "evaluation_year"])
    yield _result("institution_history", "unique_keys", repeated, n)
    unlisted = [
        r[0] for r in _list(con, MISSING_ROWS_SQL.format(wanted="files", column="path", table="raw_files"))
    ]
    yield _result("raw_files", "every_raw_file_has_a_row", unlisted, _count(con, "files"))
    silent = _list(
        con,
        "SELECT path FROM raw_files WHERE status IS DISTINCT FROM 'read' AND coalesce(reason, '') = '' "
        "ORDER BY pos",
    )
    yield _result("raw_files", "unused_files_have_a_reason", [r[0] for r in silent], _count(con, "raw_files"))


def _register(con: duckdb.DuckDBPyConnection, name: str, data: pa.Table) -> None:
    con.register(f"{name}_rows", data.append_column("pos", pa.array(range(data.num_rows), pa.int64())))
    con.sql(f"CREATE VIEW {name} AS SELECT * FROM {name}_rows")


def _paths(rows: Rows) -> pa.Table:
    return pa.table({"source_path": pa.array([r["source_path"] for r in rows], pa.string())})


def check_tables(
    tables: dict[str, Rows | pa.Table], manifest: Rows, files: Rows | None = None
) -> Iterator[Outcome]:
    """Every check in CHECKS, in that order, on tables in memory (Arrow tables, as build_curated
    makes them, or lists of rows); none changes a row. `files`: the raw file list (by default the
    manifest's notices are the files)."""
    with duck.connect() as con:
        for table in CURATED_TABLES:
            _register(con, table.name, storage.to_arrow(tables.get(table.name, []), table, sort=False))
        _register(con, "manifest", _paths(manifest))
        _register(con, "files", _paths(manifest if files is None else files))
        yield from _checks(con)


def _file_view(con: duckdb.DuckDBPyConnection, table: registry.Table, path: Any) -> None:
    """The view `table.name` over a published file (empty when there is none)."""
    if isinstance(path, Path) and path.is_file():
        quoted = str(path).replace("'", "''")
        con.sql(
            f"CREATE VIEW {table.name} AS SELECT * EXCLUDE (file_row_number), file_row_number AS pos "
            f"FROM read_parquet('{quoted}', file_row_number = true)"
        )
        return
    data = storage.read_table(path.parent, table) if path.exists() else None
    _register(con, table.name, table.schema().empty_table() if data is None else data)


def read_raw_lists(work: Any) -> tuple[Rows, Rows]:
    """The raw manifest and file list of the last raw_notices run (their source paths)."""
    lists = []
    for table in (RAW_MANIFEST, RAW_FILE_LIST):
        data, problem = storage.read_work_table(work, table, ["source_path"])
        if problem:
            raise RuntimeError(f"cannot check against the raw files: {problem}; run the build again")
        lists.append([] if data is None else data.to_pylist())
    return lists[0], lists[1]


def check_files(curated: Any, work: Any) -> Iterator[Outcome]:
    """Every check on the curated files in `curated` (DuckDB reads only the columns each query
    needs, never a table whole into Python) against the last raw scan's lists in `work`."""
    manifest, files = read_raw_lists(work)
    folder = storage.as_folder(curated)
    with duck.connect() as con:
        for table in CURATED_TABLES:
            _file_view(con, table, folder / f"{table.name}.parquet")
        _register(con, "manifest", _paths(manifest))
        _register(con, "files", _paths(files))
        yield from _checks(con)
