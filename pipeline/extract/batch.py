"""Extraction over many notices, with the content-addressed cache (sha256 + extract code version)."""

from __future__ import annotations

from typing import Any

from ..parallel import ordered_map
from ..registry import GRADES
from ..versions import EXTRACT_VERSION
from . import extract_notice

Rows = list[dict[str, Any]]


def extract_rows(norm: dict[str, Any]) -> tuple[dict[str, Any], Rows, Rows]:
    """One normalized_notices row -> (notice_records row, institution_grades rows, appraisal_figures rows)."""
    sha = norm["sha256"]
    record: dict[str, Any] = {
        "sha256": sha,
        "code_version": EXTRACT_VERSION,
        "status": norm["status"],
        "status_reason": norm["status_reason"],
        "script": norm["script"],
        "encoding": norm["encoding"],
        "warnings": [],
    }
    if norm["status"] != "ok":
        return record, [], []
    try:
        x = extract_notice(norm["text"])
    except Exception as exc:  # one odd notice never fails the run: it is rejected with the error
        return (
            {
                **record,
                "status": "rejected",
                "status_reason": f"extraction failed: {type(exc).__name__}: {exc}",
            },
            [],
            [],
        )
    record.update(
        status=x.status,
        status_reason=x.status_reason,
        title=x.title,
        issuer=x.issuer,
        doc_number=x.doc_number,
        publish_date=x.publish_date,
        region_code=x.region.code if x.region else None,
        sector=x.sector,
        evaluation_year=x.evaluation_year,
        warnings=list(x.warnings),
        **{f"stated_{k}": x.stated.get(k) for k in ("total", *GRADES)},
    )
    grades = [
        {
            "sha256": sha,
            "line": i.line,
            "institution_name": i.name,
            "host_organization": i.host,
            "institution_number": i.number,
            "grade": i.grade,
            "grade_label": i.grade_label,
            "note": i.note,
            "item_source": i.source,
        }
        for i in x.institutions
    ]
    figures = [
        {
            "sha256": sha,
            "region_code": v.region.code if v.region else None,
            "year": v.year,
            "metric": v.metric,
            "persons": v.persons,
            "qualifier": v.qualifier,
            "evidence": v.evidence,
            "line": v.line,
        }
        for v in x.volumes
    ]
    return record, grades, figures


def extract_notices(normalized: Rows, previous: tuple[Rows, Rows, Rows]) -> tuple[Rows, Rows, Rows, int]:
    """Extract every normalized notice; reuse previous rows whose sha256 and code version match.

    Notices not in the cache are extracted on every core when there are enough of them
    (`pipeline.parallel`); the output is the same, row for row, whatever the number of workers.
    """
    prev_records, prev_grades, prev_figures = previous
    wanted = {n["sha256"] for n in normalized}
    keep = {r["sha256"] for r in prev_records if r["code_version"] == EXTRACT_VERSION} & wanted
    records = [r for r in prev_records if r["sha256"] in keep]
    grades = [g for g in prev_grades if g["sha256"] in keep]
    figures = [f for f in prev_figures if f["sha256"] in keep]
    todo = [n for n in normalized if n["sha256"] not in keep]
    for record, g, f in ordered_map(extract_rows, todo):
        records.append(record)
        grades += g
        figures += f
    return records, grades, figures, len(todo)
