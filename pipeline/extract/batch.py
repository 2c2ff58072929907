"""Extraction over many notices, with the content-addressed cache (sha256 + extract code version)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..budget import BudgetExceeded, notice_budget, over_budget_reason
from ..names import institution_key
from ..parallel import ordered_imap
from ..registry import GRADES
from ..versions import EXTRACT_VERSION
from . import extract_notice

if TYPE_CHECKING:  # worker processes import this module: Arrow is loaded only where tables are
    import pyarrow as pa

Rows = list[dict[str, Any]]
_BATCH = 250  # notices per batch handed to a worker


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
        "issue_codes": [],
    }
    if norm["status"] != "ok":
        return record, [], []
    try:
        with notice_budget(key=sha):
            x = extract_notice(norm["text"])
    except BudgetExceeded as exc:  # a notice too costly to read (see pipeline.budget)
        reason = over_budget_reason("extraction", exc)
        return {**record, "status": "rejected", "status_reason": reason}, [], []
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
        issue_codes=[issue.code for issue in x.issues],
        **{f"stated_{k}": x.stated.get(k) for k in ("total", *GRADES)},
    )
    listed = x.listed()
    record.update({f"listed_{g}": listed.get(g, 0) for g in GRADES}, listed_total=sum(listed.values()))
    province = x.region.province_code if x.region else None
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
            "institution_key": institution_key(i.name, province),
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


def extract_batch(batch: pa.Table) -> tuple[pa.Table, pa.Table, pa.Table]:
    """extract_rows over a slice of normalized_notices, as the three work tables (run in workers)."""
    from ..registry import APPRAISAL_FIGURES, INSTITUTION_GRADES, NOTICE_RECORDS
    from ..storage import to_arrow

    records, grades, figures = [], [], []
    for norm in batch.to_pylist():
        record, g, f = extract_rows(norm)
        records.append(record)
        grades += g
        figures += f
    # unsorted: the work tables are sorted once, when they are written
    return (
        to_arrow(records, NOTICE_RECORDS, sort=False),
        to_arrow(grades, INSTITUTION_GRADES, sort=False),
        to_arrow(figures, APPRAISAL_FIGURES, sort=False),
    )


def extract_tables(
    normalized: pa.Table, previous: tuple[pa.Table | None, pa.Table | None, pa.Table | None]
) -> tuple[pa.Table, pa.Table, pa.Table, int]:
    """Extract every normalized notice into (notice_records, institution_grades, appraisal_figures).

    Rows of `previous` (the last run's three tables) are reused, as Arrow data, for notices whose
    sha256 and extract code version match; only the other notices are read into Python and
    extracted, on every core when there are enough of them (`pipeline.parallel`). The output is the
    same, row for row, whatever the number of workers. Returns the three tables (cached rows first,
    then new ones; sorted when written) and the number of notices extracted this run.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..registry import APPRAISAL_FIGURES, INSTITUTION_GRADES, NOTICE_RECORDS
    from ..storage import reusable_rows, to_arrow

    prev_records, prev_grades, prev_figures = previous
    cached = reusable_rows(prev_records, normalized["sha256"].combine_chunks(), EXTRACT_VERSION)
    keep = pa.array([], pa.string()) if cached is None else cached["sha256"].combine_chunks()
    todo = normalized.filter(pc.invert(pc.is_in(normalized["sha256"], value_set=keep)))
    # batches of notices go to the workers as Arrow slices and come back as Arrow tables: neither
    # the texts nor the grade rows are ever all Python objects in this process, and the pickling
    # between processes is of columns, not of dicts
    # (take, not slice: a pickled slice would carry the whole column's buffers)
    batches = [
        todo.take(pa.array(range(i, min(i + _BATCH, todo.num_rows)), pa.int64()))
        for i in range(0, todo.num_rows, _BATCH)
    ]
    parts: tuple[list[pa.Table], ...] = ([], [], [])
    # the weight is the notices per batch on average, so a pool starts for JIANDING_POOL_MIN notices,
    # never for one short batch (a one-notice batch once counted as _BATCH and started a pool); with
    # the time budget on, the batches run in watched workers whatever their size (pipeline/pool.py)
    weight = -(-todo.num_rows // len(batches)) if batches else 1
    for result in ordered_imap(extract_batch, batches, weight=weight, watched=True):
        for part, table in zip(parts, result, strict=True):
            part.append(table)
    if not batches:
        parts = tuple([to_arrow([], t)] for t in (NOTICE_RECORDS, INSTITUTION_GRADES, APPRAISAL_FIGURES))
    out = []
    for old, part in zip((cached, prev_grades, prev_figures), parts, strict=True):
        fresh = pa.concat_tables(part)
        if old is not None and len(keep):
            kept = old.filter(pc.is_in(old["sha256"], value_set=keep)).cast(fresh.schema)
            fresh = pa.concat_tables([kept, fresh])
        out.append(fresh)
    return out[0], out[1], out[2], todo.num_rows


def extract_notices(normalized: Rows, previous: tuple[Rows, Rows, Rows]) -> tuple[Rows, Rows, Rows, int]:
    """extract_tables with rows (dicts) in and out, for callers that hold rows."""
    from ..registry import APPRAISAL_FIGURES, INSTITUTION_GRADES, NORMALIZED_NOTICES, NOTICE_RECORDS
    from ..storage import to_arrow

    tables = (NOTICE_RECORDS, INSTITUTION_GRADES, APPRAISAL_FIGURES)
    records, grades, figures, processed = extract_tables(
        to_arrow(normalized, NORMALIZED_NOTICES),
        tuple(to_arrow(rows, t) for rows, t in zip(previous, tables, strict=True)),
    )
    # sorted as the work tables are stored, so that the rows never depend on what was cached
    records, grades, figures = (
        to_arrow(t, table) for t, table in zip((records, grades, figures), tables, strict=True)
    )
    return records.to_pylist(), grades.to_pylist(), figures.to_pylist(), processed
