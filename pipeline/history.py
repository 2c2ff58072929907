"""institution_history: one row per institution per evaluation year, linked across notices and years.

Rules (also in the README, "Definitions and precedence rules"):
- An institution is its `institution_key` (see `curate.institution_key`): the notice's province code
  and the name with script, bracket width, spacing, list numbering, ordinal style (第六 / 第6), 国家
  and the host parenthetical evened out.
- Several rows for one key and year (a provincial and a city notice, a draft and a final notice, a
  name both in the body and in the list) give one row: the row from the notice that region_year
  used for its counts (count_notice_id) wins, then the later publish date, then the larger
  notice_id; within that notice the most severe grade wins (revoked, deregistered, suspended,
  rectify, conditional, pass, excellent). Every notice naming it that year is in notice_ids; the
  other grades given to it that year, if any, are in other_grades.
- previous_year / previous_grade: the latest earlier evaluation year in which the key has a row
  (not necessarily the year before); transition = '<previous_grade>-><grade>', e.g.
  'rectify->revoked', null in the institution's first year in the data.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

Rows = list[dict[str, Any]]
SEVERITY = ("revoked", "deregistered", "suspended", "rectify", "conditional", "pass", "excellent")


def _rank(row: dict[str, Any], notice: dict[str, Any], counted: set[str]) -> tuple:
    published = notice.get("publish_date")
    return (
        row["notice_id"] in counted,
        published is not None,
        published or date.min,
        row["notice_id"],
        -SEVERITY.index(row["grade"]) if row["grade"] in SEVERITY else -len(SEVERITY),
        -(row.get("line") or 0),
    )


def build_history(institutions: Rows, notices: Rows, region_year: Rows) -> Rows:
    """institutions.parquet rows -> institution_history rows (see the module docstring)."""
    by_id = {n["notice_id"]: n for n in notices}
    counted = {r["count_notice_id"] for r in region_year if r.get("count_notice_id")}
    groups: dict[tuple[str, int], Rows] = defaultdict(list)
    for row in institutions:
        if row.get("institution_key") and row.get("evaluation_year") is not None:
            groups[(row["institution_key"], row["evaluation_year"])].append(row)

    out: Rows = []
    for (key, year), rows in sorted(groups.items()):
        if len(rows) == 1:  # most institution-years: nothing to choose between
            best = rows[0]
            host, notice_ids, other_grades = best.get("host_organization"), [best["notice_id"]], []
        else:
            best = max(rows, key=lambda r: _rank(r, by_id.get(r["notice_id"], {}), counted))
            host = best.get("host_organization") or next(
                (r["host_organization"] for r in rows if r.get("host_organization")), None
            )
            notice_ids = sorted({r["notice_id"] for r in rows})
            other_grades = sorted({r["grade"] for r in rows} - {best["grade"]})
        notice = by_id.get(best["notice_id"], {})
        out.append(
            {
                "institution_key": key,
                "evaluation_year": year,
                "institution_name": best["institution_name"],
                "institution_number": best.get("institution_number"),
                "host_organization": host,
                "region_code": best.get("region_code"),
                "region_name": best.get("region_name"),
                "province_code": notice.get("province_code"),
                "province_name": notice.get("province_name"),
                "grade": best["grade"],
                "grade_label": best.get("grade_label"),
                "note": best.get("note"),
                "notice_id": best["notice_id"],
                "line": best.get("line"),
                "notice_ids": notice_ids,
                "other_grades": other_grades,
            }
        )
    previous: dict[str, dict[str, Any]] = {}
    for row in out:  # sorted by key, then year
        prev = previous.get(row["institution_key"])
        row["first_year"] = prev["first_year"] if prev else row["evaluation_year"]
        row["previous_year"] = prev["evaluation_year"] if prev else None
        row["previous_grade"] = prev["grade"] if prev else None
        row["transition"] = f"{prev['grade']}->{row['grade']}" if prev else None
        previous[row["institution_key"]] = row
    return out
