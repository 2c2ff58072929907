"""institution_history: one row per institution per evaluation year, linked across notices and years.

Rules (also in docs/definitions.md), each a step of HISTORY_SQL below:
- An institution is its `institution_key` (see `curate.institution_key`): the notice's province code
  and the name with script, bracket width, spacing, list numbering, ordinal style (第六 / 第6), 国家
  and the host parenthetical evened out.
- Several rows for one key and year (a provincial and a city notice, a draft and a final notice, a
  name both in the body and in the list) give one row: the row from the notice that region_year
  used for its counts (count_notice_id) wins, then the later publish date, then the larger
  notice_id; within that notice the most severe grade wins (revoked, deregistered, suspended,
  rectify, conditional, pass, excellent), then the earlier line, then the earlier row. Every
  notice naming it that year is in notice_ids; the other grades given to it that year, if any, are
  in other_grades. A host missing from the chosen row is the first host another row gives.
- previous_year / previous_grade: the latest earlier evaluation year in which the key has a row
  (not necessarily the year before); transition = '<previous_grade>-><grade>', e.g.
  'rectify->revoked', null in the institution's first year in the data.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from ..registry import INSTITUTION_HISTORY, INSTITUTIONS
from ..storage import to_arrow
from ..vocabulary import SEVERITY
from . import duck

Rows = list[dict[str, Any]]
# rank of a grade in SQL: 1 the most severe, an unknown grade after every known one
SEVERITY_SQL = f"coalesce(list_position({list(SEVERITY)!r}, grade), {len(SEVERITY) + 1})"


# Over the views `institution_rows` (institutions.parquet's rows in the grade rows' order, with
# `row`, their place in it), `notice_dates` (notice_id, publish_date, province_code, province_name)
# and `counted_notices` (region_year's count_notice_id values). Each institution-year's row is
# chosen on a few columns; its other columns are then fetched by `row`.
HISTORY_SQL = f"""
WITH notice_order AS (  -- notices by precedence: region_year's, then the later date, the larger id
    SELECT notice_id, row_number() OVER (
        ORDER BY notice_id IN (SELECT notice_id FROM counted_notices) DESC,
            publish_date DESC NULLS LAST, notice_id DESC
    ) AS notice_rank
    FROM notice_dates
),
named AS (  -- rows with an institution key and an evaluation year: what chooses and links them
    SELECT institution_key, evaluation_year, notice_id, grade, line, host_organization, row,
        coalesce(o.notice_rank, {1 << 62}) AS notice_rank
    FROM institution_rows LEFT JOIN notice_order o USING (notice_id)
    WHERE institution_key IS NOT NULL AND institution_key <> '' AND evaluation_year IS NOT NULL
),
years AS (  -- per institution-year: the row that speaks for it, and what every row of it says
    SELECT institution_key, evaluation_year,
        arg_min(row, struct_pack(
            notice := notice_rank,        -- the first notice in precedence
            severity := {SEVERITY_SQL},   -- then the most severe grade
            line := coalesce(line, 0),    -- then the earlier line, then the earlier row
            row := row
        )) AS row,
        list_sort(list_distinct(list(notice_id))) AS notice_ids,
        list_sort(list_distinct(list(grade))) AS grades,
        arg_min(host_organization, row) FILTER (WHERE host_organization <> '') AS first_host
    FROM named GROUP BY institution_key, evaluation_year
)
SELECT y.institution_key, y.evaluation_year, c.institution_name, c.institution_number,
    coalesce(nullif(c.host_organization, ''), y.first_host) AS host_organization,
    c.region_code, c.region_name, d.province_code, d.province_name, c.grade, c.grade_label, c.note,
    min(y.evaluation_year) OVER key_years AS first_year,
    lag(y.evaluation_year) OVER key_years AS previous_year,
    lag(c.grade) OVER key_years AS previous_grade,
    lag(c.grade) OVER key_years || '->' || c.grade AS transition,
    c.notice_id, c.line, y.notice_ids,
    list_filter(y.grades, lambda g: g IS DISTINCT FROM c.grade) AS other_grades
FROM years y
JOIN institution_rows c USING (row)
LEFT JOIN notice_dates d ON d.notice_id = c.notice_id
WINDOW key_years AS (PARTITION BY y.institution_key ORDER BY y.evaluation_year)
ORDER BY y.institution_key, y.evaluation_year
"""


def history_relation(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """HISTORY_SQL over the connection's views (see there)."""
    return con.sql(HISTORY_SQL)


def register_notices(con: duckdb.DuckDBPyConnection, notices: Rows, region_year: Rows) -> None:
    """The views HISTORY_SQL reads besides `institutions`: each notice's date and province, and the
    notices region_year took its counts from."""
    con.register(
        "notice_dates",
        pa.table(
            {
                "notice_id": pa.array([n["notice_id"] for n in notices], pa.string()),
                "publish_date": pa.array([n.get("publish_date") for n in notices], pa.date32()),
                "province_code": pa.array([n.get("province_code") for n in notices], pa.string()),
                "province_name": pa.array([n.get("province_name") for n in notices], pa.string()),
            }
        ),
    )
    ids = sorted({r["count_notice_id"] for r in region_year if r.get("count_notice_id")})
    con.register("counted_notices", pa.table({"notice_id": pa.array(ids, pa.string())}))


def build_history(institutions: Rows | pa.Table, notices: Rows, region_year: Rows) -> pa.Table:
    """institutions.parquet rows (in their grade rows' order) -> institution_history, in memory."""
    table = to_arrow(institutions, INSTITUTIONS, sort=False)
    table = table.append_column("row", pa.array(range(table.num_rows), pa.int64()))
    with duck.connect() as con:
        con.register("institution_rows", table)
        register_notices(con, notices, region_year)
        return history_relation(con).to_arrow_table().cast(INSTITUTION_HISTORY.schema())
