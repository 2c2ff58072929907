"""Step 4, curated: the published tables of the output contract, built from the work tables.

Precedence rules for region_year (also in docs/definitions.md; each is a step of REGION_YEAR_SQL):
- One row per region, sector and evaluation year, holding that region's own figures: a city notice
  never adds to its province's row, nor a province notice to its cities' rows.
- A notice's count per grade is the count its text states; where it states none, the number of
  institutions it lists by name with that grade. Once any grade is known, a grade it neither states
  nor lists counts 0. count_source says where the counts come from (stated / listed / mixed).
- n_evaluated is the notice's stated total when that is larger than the sum of its grade counts
  (全国共有47个…参加评估 with 42 graded): the difference is n_ungraded, institutions evaluated whose
  grade the notice does not give. Otherwise n_evaluated is the sum of the grade counts (a stated
  total smaller than that is flagged by a check, not used). A notice that states only a total gives
  n_evaluated with the grade counts and pass_rate null.
- pass_rate = (n_excellent + n_pass) / n_evaluated, so ungraded institutions count as not passed;
  revocation_count = n_revoked (deregistered and suspended have their own columns).
- Several notices for the same region, sector and year are never summed: the notice with the
  largest n_evaluated wins (the more complete one), ties going to the later publish date (a notice
  without a date loses to one with), then the larger notice_id. count_notice_id names the winner;
  notice_ids names every notice the row was built from.
- A file whose bytes (or, in another encoding, whose normalized text) repeat an earlier file
  (duplicate_of) is kept in notices.parquet but yields no institution or volume rows and is not counted.
- persons_appraised: the region's own `appraised` figure for that year from notices of the same
  sector: exact before approx before at_least, then a figure from the region's own notice before one
  from another region's notice, then the largest. Cities named with a figure inside a provincial
  notice get rows of their own, with grade counts null.

institution_key: see `names.institution_key` (computed at extraction and cached with it);
institution_history: see `pipeline/curate/history.py` (HISTORY_SQL). The SQL runs in DuckDB (curate/duck.py)
over the work tables; the rules per notice (status, duplicates, warnings) stay in Python.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path, PurePosixPath
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ..fragments import Part
from ..ingest import is_mixed_encoding, split_damage
from ..names import institution_key
from ..regions import REGIONS
from ..registry import (
    APPRAISAL_VOLUMES,
    CURATED_TABLES,
    GRADES,
    INSTITUTION_GRADES,
    INSTITUTION_HISTORY,
    INSTITUTIONS,
    NOTICES,
    RAW_FILES,
    REGION_YEAR,
)
from ..storage import to_arrow, write_batches, write_table
from ..versions import EXTRACT_VERSION
from . import duck, history
from .sources import LineSources, build_raw_files, files_of_manifest, line_sources_by_sha

Rows = list[dict[str, Any]]
REGISTRY = {t.name: t for t in CURATED_TABLES}


def notice_ids(manifest: Rows) -> dict[str, str]:
    """source_path -> notice_id: the path without its extension (with it, where two files would clash)."""
    stems = [
        m["source_path"].rstrip("/")
        if m["source_path"].endswith("/")  # a notice folder: its path
        else str(PurePosixPath(m["source_path"]).with_suffix(""))
        for m in manifest
    ]
    counts = Counter(stems)
    ids = {
        m["source_path"]: (m["source_path"] if counts[s] > 1 else s)
        for m, s in zip(manifest, stems, strict=True)
    }
    # a stem can still equal another file's full name (a.txt.htm -> a.txt beside a.txt): full paths
    taken = Counter(ids.values())
    return {path: (path if taken[i] > 1 else i) for path, i in ids.items()}


def _region_fields(code: str | None) -> dict[str, Any]:
    if not code or not REGIONS.is_valid(code):
        return dict.fromkeys(("region_code", "region_name", "region_level", "province_code", "province_name"))
    r = REGIONS.by_code(code)
    return {
        "region_code": r.code,
        "region_name": r.name,
        "region_level": r.level,
        "province_code": r.province_code,
        "province_name": r.province_name,
    }


def register_grades(con: duckdb.DuckDBPyConnection, grades: pa.Table | list[Part]) -> None:
    """The view `grades`: the grade rows (an Arrow table, or the live rows of the work table's
    fragments, scanned from their files) with `row`, a number that orders them as the rows of the
    whole work table sorted by its sort_by: in a table, their place; in fragments, the notice's
    place among the notices (by sha256) and then the row's place in its file (a notice's rows are
    in one fragment, in that order)."""
    if isinstance(grades, pa.Table):
        con.register("grade_rows", grades.append_column("row", pa.array(range(grades.num_rows), pa.int64())))
        con.sql("CREATE VIEW grades AS SELECT * FROM grade_rows")
        return
    if not grades:
        register_grades(con, INSTITUTION_GRADES.schema().empty_table())
        return
    keys = pa.concat_arrays([p.keys for p in grades])
    files = pa.concat_arrays([pa.array([p.path] * len(p.keys), pa.string()) for p in grades])
    order = pc.sort_indices(keys)
    rank = pa.array(range(len(keys)), pa.int64()).take(pc.sort_indices(order))  # each key's place
    con.register("live_grades", pa.table({"filename": files, "sha256": keys, "notice_rank": rank}))
    paths = ", ".join("'" + p.path.replace("'", "''") + "'" for p in grades)
    con.sql(
        f"CREATE VIEW grades AS SELECT g.* EXCLUDE (filename, file_row_number), "
        f"(k.notice_rank << 32) + g.file_row_number AS row "
        f"FROM read_parquet([{paths}], filename = true, file_row_number = true) g "
        f"JOIN live_grades k USING (filename, sha256)"
    )


def build_notices(manifest: Rows, normalized: Rows, records: Rows, figures: Rows) -> Rows:
    """One row per raw file. Duplicates keep their row but point at the first file (`duplicate_of`):
    the same bytes, or different bytes with the same text once decoded and normalized (a GBK and a
    UTF-8 copy of one notice). The first file in source_path order is the one counted. The listed
    counts are the extract step's (`Extraction.listed`)."""
    ids = notice_ids(manifest)
    norm_by_sha = {n["sha256"]: n for n in normalized}
    rec_by_sha = {r["sha256"]: r for r in records}
    n_figures: dict[str, int] = defaultdict(int)
    for f in figures:
        n_figures[f["sha256"]] += 1
    first_of_sha: dict[str, str] = {}
    first_of_text: dict[str, str] = {}
    rows = []
    for entry in manifest:
        sha, nid = entry["sha256"], ids[entry["source_path"]]
        row: dict[str, Any] = {
            "notice_id": nid,
            "source_path": entry["source_path"],
            "sha256": sha or None,
            "size_bytes": entry["size_bytes"],
            "code_version": EXTRACT_VERSION,
            "warnings": [],
            "issue_codes": [],
        }
        if entry["reject_reason"]:
            rows.append({**row, "status": "rejected", "status_reason": entry["reject_reason"]})
            continue
        rec = rec_by_sha.get(sha) or {}
        norm = norm_by_sha.get(sha) or {}
        row.update({k: v for k, v in rec.items() if k not in ("sha256", "code_version")})
        row["status"] = rec.get("status") or norm.get("status") or "rejected"
        row["status_reason"] = (
            rec.get("status_reason")
            or norm.get("status_reason")
            or (None if rec or norm else "not processed in this build (changed while it ran?); run it again")
        )
        row["encoding"], damage = split_damage(norm.get("encoding"))
        row["script"] = norm.get("script")
        row["source_url"] = norm.get("source_url")
        row["warnings"] = list(norm.get("read_warnings") or []) + list(rec.get("warnings") or [])
        row["issue_codes"] = list(norm.get("read_issue_codes") or []) + list(rec.get("issue_codes") or [])
        if is_mixed_encoding(norm.get("encoding")):
            row["issue_codes"].append("decode")
            row["warnings"].append(
                f"mixed encodings ({norm['encoding']}): each line decoded in its own encoding; "
                "check the text, or save the file in one encoding"
            )
        if damage:
            row["issue_codes"].append("decode")
            row["warnings"].append(f"damaged bytes ({damage}); the rest of the text is kept")
        row.update(_region_fields(rec.get("region_code")))
        row.update({f"listed_{g}": rec.get(f"listed_{g}") or 0 for g in ("total", *GRADES)})
        row["n_volumes"] = n_figures.get(sha, 0)
        text_key = norm.get("text_sha256")
        if sha in first_of_sha:
            row["duplicate_of"] = first_of_sha[sha]
            row["issue_codes"].append("duplicate")
            row["warnings"].append(f"duplicate of {first_of_sha[sha]}: same bytes; counted once")
        elif text_key in first_of_text:
            row["duplicate_of"] = first_of_text[text_key]
            row["issue_codes"].append("duplicate")
            row["warnings"].append(
                f"duplicate of {first_of_text[text_key]}: same text in different bytes "
                "(another encoding or line endings); counted once"
            )
        else:
            first_of_sha[sha] = nid
            if text_key:
                first_of_text[text_key] = nid
        if row["status"] != "ok":
            row.update({f"listed_{g}": None for g in ("total", *GRADES)})
        rows.append(row)
    return rows


def _counted(notices: Rows) -> dict[str, dict]:
    """sha256 -> notice row, for ok notices that count (first file of each content)."""
    return {n["sha256"]: n for n in notices if n["status"] == "ok" and not n.get("duplicate_of")}


# institutions.parquet: the grade rows of counted notices with their notice's region, year and
# source (the line's file and part: the last stretch of the notice's text beginning at or before
# the line; a loose file's rows come from the file itself). Over the views `grades`, `counted_by_sha`
# (counted notices by sha256), `filled_keys` and `line_starts` (register_notice_views).
INSTITUTION_ROWS_VIEW = """
CREATE VIEW institution_rows AS
SELECT c.notice_id, c.region_code, c.region_name, c.evaluation_year, g.institution_name,
    g.host_organization, g.institution_number, g.grade, g.grade_label, g.note, g.line, g.item_source,
    coalesce(g.institution_key, k.institution_key) AS institution_key, g.row, g.sha256, c.source_path
FROM grades g
JOIN counted_by_sha c USING (sha256)
LEFT JOIN filled_keys k USING (row)
"""
INSTITUTIONS_VIEW = """
CREATE VIEW institutions AS
WITH sourced AS (  -- only notices read from several files or parts have stretches to look up
    SELECT i.row, s.file, s.part
    FROM (SELECT row, sha256, coalesce(line, 0) AS at_line FROM institution_rows
          WHERE sha256 IN (SELECT sha256 FROM line_starts)) i
    ASOF LEFT JOIN line_starts s ON i.sha256 = s.sha256 AND i.at_line >= s.start
)
SELECT i.*, coalesce(s.file, i.source_path) AS source_file, s.part AS source_part
FROM institution_rows i LEFT JOIN sourced s USING (row)
"""
# published in the registry's order: notice, line, name, then the grade rows' order
INSTITUTIONS_SQL = f"""
SELECT {", ".join(INSTITUTIONS.column_names)} FROM institutions
ORDER BY notice_id NULLS FIRST, line NULLS FIRST, institution_name NULLS FIRST, row
"""


def register_notice_views(
    con: duckdb.DuckDBPyConnection, notices: Rows, sources: dict[str, LineSources]
) -> None:
    """The views the grade rows are joined with, and the views `institution_rows` (history's) and
    `institutions` (with the line's source)."""
    counted = list(_counted(notices).values())
    con.register(
        "counted_by_sha",
        pa.table(
            {
                c: pa.array([n.get(c) for n in counted], t)
                for c, t in (
                    ("sha256", pa.string()),
                    ("notice_id", pa.string()),
                    ("region_code", pa.string()),
                    ("region_name", pa.string()),
                    ("evaluation_year", pa.int32()),
                    ("province_code", pa.string()),
                    ("source_path", pa.string()),
                )
            }
        ),
    )
    starts: dict[tuple[str, int], tuple[str, str | None]] = {}
    for sha, s in sources.items():
        for start, value in zip(s.starts, s.values, strict=True):
            starts[(sha, start)] = value  # of stretches beginning on one line, the last (bisect_right)
    con.register(
        "line_starts",
        pa.table(
            {
                "sha256": pa.array([k[0] for k in starts], pa.string()),
                "start": pa.array([k[1] for k in starts], pa.int64()),
                "file": pa.array([v[0] for v in starts.values()], pa.string()),
                "part": pa.array([v[1] for v in starts.values()], pa.string()),
            }
        ),
    )
    # grade rows made by hand, without the key extraction computes: the key from the name here
    missing = con.sql(
        "SELECT g.row, g.institution_name, c.province_code FROM grades g "
        "JOIN counted_by_sha c USING (sha256) WHERE g.institution_key IS NULL"
    ).fetchall()
    con.register(
        "filled_keys",
        pa.table(
            {
                "row": pa.array([m[0] for m in missing], pa.int64()),
                "institution_key": pa.array([institution_key(m[1], m[2]) for m in missing], pa.string()),
            }
        ),
    )
    con.sql(INSTITUTION_ROWS_VIEW)
    con.sql(INSTITUTIONS_VIEW)


def build_volumes(notices: Rows, figures: Rows, sources: dict[str, LineSources] | None = None) -> Rows:
    by_sha = _counted(notices)
    sources = sources or line_sources_by_sha(notices, [])
    rows = []
    for f in figures:
        n = by_sha.get(f["sha256"])
        if n is None:
            continue
        region = _region_fields(f["region_code"])
        source_file, source_part = sources[f["sha256"]].at(f["line"])
        rows.append(
            {
                "notice_id": n["notice_id"],
                "region_name": region["region_name"],
                **{
                    k: f[k]
                    for k in ("region_code", "year", "metric", "persons", "qualifier", "evidence", "line")
                },
                "source_file": source_file,
                "source_part": source_part,
            }
        )
    return rows


def _grade_sql(template: str, joiner: str) -> str:
    """`template` with {g} for each grade, joined (one SQL expression per grade, in GRADES order)."""
    return joiner.join(template.format(g=g) for g in GRADES)


# region_year, step by step as the module docstring says. Over the views `notices` (notices.parquet's
# rows with `seen`, their place in build order), `volumes` (appraisal_volumes' rows with `seen`) and
# `regions` (region_code -> the published region columns).
REGION_YEAR_SQL = f"""
WITH counted AS (  -- ok, no duplicate, with a region and an evaluation year
    SELECT * FROM notices
    WHERE status = 'ok' AND duplicate_of IS NULL
        AND coalesce(region_code, '') <> '' AND coalesce(evaluation_year, 0) <> 0
),
per_grade AS (  -- a grade's count: what the notice states, else the institutions it lists so graded
    SELECT *,
        {_grade_sql("coalesce(stated_{g}, nullif(listed_{g}, 0))::BIGINT AS c_{g}", ", ")},
        {_grade_sql("stated_{g} IS NOT NULL", " OR ")} AS any_stated,
        {_grade_sql("(stated_{g} IS NULL AND coalesce(listed_{g}, 0) <> 0)", " OR ")} AS any_listed
    FROM counted
),
graded AS (  -- a grade neither stated nor listed counts 0 once any grade is known
    SELECT *, {_grade_sql("c_{g} IS NOT NULL", " OR ")} AS has_grades,
        {_grade_sql("coalesce(c_{g}, 0)", " + ")} AS graded
    FROM per_grade
),
notice_counts AS (  -- n_evaluated: the stated total when larger than the grades' sum (the rest ungraded)
    SELECT notice_id, region_code, sector, evaluation_year, publish_date, has_grades,
        {_grade_sql("CASE WHEN has_grades THEN coalesce(c_{g}, 0) END AS n_{g}", ", ")},
        CASE WHEN NOT has_grades THEN stated_total
            WHEN stated_total > graded THEN stated_total - graded ELSE 0 END AS n_ungraded,
        CASE WHEN NOT has_grades THEN stated_total
            ELSE graded + greatest(coalesce(stated_total, 0) - graded, 0) END AS n_evaluated,
        CASE WHEN NOT has_grades THEN 'stated'
            WHEN (any_stated OR stated_total > graded) AND any_listed THEN 'mixed'
            WHEN any_listed THEN 'listed' ELSE 'stated' END AS count_source
    FROM graded
    WHERE has_grades OR coalesce(stated_total, 0) <> 0  -- a notice that states only a total counts too
),
winners AS (  -- of several notices, the largest n_evaluated, then the later date, then the larger id
    SELECT * FROM notice_counts
    QUALIFY row_number() OVER (
        PARTITION BY region_code, sector, evaluation_year
        ORDER BY n_evaluated DESC, publish_date DESC NULLS LAST, notice_id DESC
    ) = 1
),
appraised AS (  -- `appraised` figures with a region and a year, with their notice's sector and region
    SELECT v.notice_id, v.region_code, n.sector, v.year AS evaluation_year, v.persons, v.qualifier,
        n.region_code AS notice_region, v.seen
    FROM volumes v JOIN notices n USING (notice_id)
    WHERE v.metric = 'appraised' AND coalesce(v.region_code, '') <> '' AND coalesce(v.year, 0) <> 0
),
best_figure AS (  -- exact before approx before at_least, the region's own notice, the larger, the id
    SELECT * FROM appraised
    QUALIFY row_number() OVER (
        PARTITION BY region_code, sector, evaluation_year
        ORDER BY list_position(['exact', 'approx', 'at_least'], qualifier),
            notice_region IS DISTINCT FROM region_code, persons DESC, notice_id
    ) = 1
),
sources AS (  -- every notice a row is built from, and the row's first appearance in build order
    SELECT region_code, sector, evaluation_year, notice_id, seen FROM counted
    UNION ALL
    SELECT region_code, sector, evaluation_year, notice_id, {1 << 40} + seen FROM appraised
),
keys AS (
    SELECT region_code, sector, evaluation_year, min(seen) AS seen,
        array_agg(DISTINCT notice_id ORDER BY notice_id) AS notice_ids
    FROM sources GROUP BY region_code, sector, evaluation_year
)
SELECT r.region_code, r.region_name, r.region_level, r.province_code, r.province_name,
    k.sector, k.evaluation_year, w.n_evaluated, {_grade_sql("w.n_{g}", ", ")}, w.n_ungraded,
    w.count_source, w.notice_id AS count_notice_id,
    CASE WHEN w.has_grades AND w.n_evaluated <> 0
        THEN (w.n_excellent + w.n_pass) / w.n_evaluated END AS pass_rate,
    w.n_revoked AS revocation_count,
    f.persons AS persons_appraised, f.qualifier AS persons_appraised_qualifier, k.notice_ids
FROM keys k
LEFT JOIN regions r ON r.code = k.region_code
LEFT JOIN winners w ON w.region_code = k.region_code AND w.sector IS NOT DISTINCT FROM k.sector
    AND w.evaluation_year = k.evaluation_year
LEFT JOIN best_figure f ON f.region_code = k.region_code AND f.sector IS NOT DISTINCT FROM k.sector
    AND f.evaluation_year = k.evaluation_year
ORDER BY r.region_code NULLS FIRST, k.sector NULLS FIRST, k.evaluation_year NULLS FIRST, k.seen
"""


def _register_region_year_inputs(con: duckdb.DuckDBPyConnection, notices: Rows, volumes: Rows) -> None:
    """The views REGION_YEAR_SQL reads: notices and volumes in build order, and the regions."""
    for name, rows, table in (("notices", notices, NOTICES), ("volumes", volumes, APPRAISAL_VOLUMES)):
        data = to_arrow(rows, table, sort=False)
        con.register(name, data.append_column("seen", pa.array(range(data.num_rows), pa.int64())))
    codes = sorted({r["region_code"] for r in [*notices, *volumes] if r.get("region_code")})
    fields = [_region_fields(c) for c in codes]
    con.register(
        "regions",
        pa.table(
            {
                "code": pa.array(codes, pa.string()),
                **{k: pa.array([f[k] for f in fields], pa.string()) for k in _REGION_COLUMNS},
            }
        ),
    )


_REGION_COLUMNS = ("region_code", "region_name", "region_level", "province_code", "province_name")


def build_region_year(notices: Rows, volumes: Rows) -> Rows:
    """The region_year rows (module docstring, REGION_YEAR_SQL): one per region, sector and
    evaluation year that has a counted notice or an `appraised` figure, sorted as published."""
    with duck.connect() as con:
        return _region_year(con, notices, volumes)


def _region_year(con: duckdb.DuckDBPyConnection, notices: Rows, volumes: Rows) -> Rows:
    _register_region_year_inputs(con, notices, volumes)
    return con.sql(REGION_YEAR_SQL).to_arrow_table().cast(REGION_YEAR.schema()).to_pylist()


# the work tables' rows curate_small reads (one per notice or file; the grade rows are DuckDB's)
INPUT_NAMES = ("manifest", "normalized", "records", "figures", "files")


def _curate_small(con: duckdb.DuckDBPyConnection, inputs: dict[str, Rows]) -> dict[str, pa.Table]:
    """The tables with a row per notice, file or region (small), with the connection's views set up
    for the two with a row per institution (INSTITUTIONS_SQL, history.HISTORY_SQL). The rows of
    `inputs` (INPUT_NAMES) are handed over: taken out of it, and freed once used."""
    manifest, normalized, records, figures, files = (inputs.pop(name) for name in INPUT_NAMES)
    notices = build_notices(manifest, normalized, records, figures)
    del manifest, records
    sources = line_sources_by_sha(notices, normalized)
    register_notice_views(con, notices, sources)
    volumes = build_volumes(notices, figures, sources)
    del figures, sources
    region_year = _region_year(con, notices, volumes)
    history.register_notices(con, notices, region_year)
    raw_files = build_raw_files(files, notices, normalized)
    return {
        "notices": to_arrow(notices, NOTICES),
        "appraisal_volumes": to_arrow(volumes, APPRAISAL_VOLUMES),
        "region_year": to_arrow(region_year, REGION_YEAR),
        "raw_files": to_arrow(raw_files, RAW_FILES),
    }


def build_curated(
    manifest: Rows,
    normalized: Rows,
    records: Rows,
    grades: Rows | pa.Table,
    figures: Rows,
    files: Rows | None = None,
) -> dict[str, pa.Table]:
    """Every curated table as Arrow (registry schema, sorted as published), keyed by table name, in
    memory. `files` is the raw_file_list (every raw file; by default each notice of the manifest is
    one loose file). A build writes them with `write_curated` instead, which holds no table whole."""
    files = files if files is not None else files_of_manifest(manifest)
    with duck.connect() as con:
        register_grades(con, to_arrow(grades, INSTITUTION_GRADES, sort=False))
        inputs = {"manifest": manifest, "normalized": normalized, "records": records}
        tables = _curate_small(con, {**inputs, "figures": figures, "files": files})
        tables["institutions"] = con.sql(INSTITUTIONS_SQL).to_arrow_table().cast(INSTITUTIONS.schema())
        history_table = history.history_relation(con).to_arrow_table()
        tables["institution_history"] = history_table.cast(INSTITUTION_HISTORY.schema())
    return {t.name: tables[t.name] for t in CURATED_TABLES}


BATCH_ROWS = 64 * 1024  # rows per batch DuckDB hands to the Parquet writer


def write_curated(
    inputs: dict[str, Rows], grades: list[Part], out: Path, spill: Path
) -> dict[str, dict[str, Any]]:
    """Every curated table written into `out` (storage.write_table's path, rows, sha256 per table):
    the same bytes as `build_curated` then `write_table`, but the grade rows (the live rows of the
    work table's fragments, `grades`) are read by DuckDB, the rows of `inputs` (INPUT_NAMES, handed over) are
    freed before the two tables with a row per institution are streamed into their files a row
    group at a time, and DuckDB spills into `spill` past its memory limit."""
    with duck.connect(spill) as con:
        register_grades(con, grades)
        small = _curate_small(con, inputs)
        infos = {name: write_table(table, REGISTRY[name], out) for name, table in small.items()}
        del small
        for table, sql in ((INSTITUTIONS, INSTITUTIONS_SQL), (INSTITUTION_HISTORY, history.HISTORY_SQL)):
            infos[table.name] = write_batches(con.sql(sql).to_arrow_reader(BATCH_ROWS), table, out)
    return {t.name: infos[t.name] for t in CURATED_TABLES}
