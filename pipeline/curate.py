"""Step 4, curated: the published tables of the output contract, built from the work tables.

Precedence rules for region_year (also in docs/definitions.md):
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
institution_history: see `pipeline/history.py`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from . import history
from .ingest import is_mixed_encoding, split_damage
from .names import canonical_name, institution_key
from .regions import REGIONS
from .registry import (
    APPRAISAL_VOLUMES,
    GRADES,
    INSTITUTION_GRADES,
    INSTITUTIONS,
    NOTICES,
    RAW_FILES,
    REGION_YEAR,
)
from .sources import LineSources, build_raw_files, files_of_manifest, line_sources_by_sha, source_columns
from .storage import to_arrow
from .versions import EXTRACT_VERSION

Rows = list[dict[str, Any]]
_QUALIFIER_RANK = {"exact": 0, "approx": 1, "at_least": 2}


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


def listed_counts(grades: Rows | pa.Table) -> dict[str, dict[str, int]]:
    """sha256 -> grade -> institutions listed. An institution is counted once per notice: named twice
    with two grades (listed under 限期整改, and 被暂停 in the prose), it counts under the more severe
    one, as in institution_history; institutions.parquet keeps both statements with their lines."""
    frame = (
        to_arrow(grades, INSTITUTION_GRADES, sort=False)
        .select(["sha256", "institution_name", "grade"])
        .to_pandas()
    )
    if frame.empty:
        return {}
    # by canonical name without the province rule: 北京职业技术学院… and 北京市职业技术学院… graded apart
    # in one notice are two institutions there, though institution_key joins them across notices
    canonical = {name: canonical_name(name) for name in frame["institution_name"].unique()}
    one_per_name = (
        pd.DataFrame(
            {
                "sha256": frame["sha256"],
                "name": frame["institution_name"].map(canonical),
                "grade": frame["grade"],
                "severity": frame["grade"].map(history.severity),
            }
        )
        .sort_values("severity", kind="stable")
        .drop_duplicates(["sha256", "name"])
    )
    listed: dict[str, dict[str, int]] = defaultdict(dict)
    for (sha, grade), n in one_per_name.groupby(["sha256", "grade"]).size().items():
        listed[sha][grade] = int(n)
    return listed


def build_notices(manifest: Rows, normalized: Rows, records: Rows, grades: Rows, figures: Rows) -> Rows:
    """One row per raw file. Duplicates keep their row but point at the first file (`duplicate_of`):
    the same bytes, or different bytes with the same text once decoded and normalized (a GBK and a
    UTF-8 copy of one notice). The first file in source_path order is the one counted."""
    ids = notice_ids(manifest)
    norm_by_sha = {n["sha256"]: n for n in normalized}
    rec_by_sha = {r["sha256"]: r for r in records}
    listed = listed_counts(grades)
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
        counts = listed.get(sha, {})
        row.update({f"listed_{g}": counts.get(g, 0) for g in GRADES})
        row["listed_total"] = sum(counts.values())
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


def build_institutions(
    notices: Rows, grades: Rows | pa.Table, sources: dict[str, LineSources] | None = None
) -> pa.Table:
    """institutions.parquet: the grade rows of counted notices, with the notice's region, year and key,
    in the grade rows' order (an Arrow join: the names and notes are never Python objects)."""
    counted = list(_counted(notices).values())
    by_sha = pa.table(
        {
            c: pa.array([n[c] for n in counted], t)
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
    )
    rows = to_arrow(grades, INSTITUTION_GRADES, sort=False)
    rows = rows.append_column("row", pa.array(np.arange(rows.num_rows), pa.int64()))
    joined = rows.join(by_sha, "sha256", join_type="inner").sort_by("row")  # a join may reorder
    keys = joined["institution_key"]
    if keys.null_count:  # grade rows made by hand, without the key extraction computes
        keys = pa.array(
            [
                k if k is not None else institution_key(name, province)
                for k, name, province in zip(
                    keys.to_pylist(),
                    joined["institution_name"].to_pylist(),
                    joined["province_code"].to_pylist(),
                    strict=True,
                )
            ],
            pa.string(),
        )
    joined = joined.set_column(joined.schema.get_field_index("institution_key"), "institution_key", keys)
    files, parts = source_columns(joined, sources or line_sources_by_sha(notices, []))
    joined = joined.append_column("source_file", files).append_column("source_part", parts)
    return joined.select(INSTITUTIONS.column_names).cast(INSTITUTIONS.schema())


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


@dataclass(frozen=True)
class NoticeCounts:
    """What one notice says about its region's grades (see the module docstring)."""

    notice_id: str
    grades: dict[str, int] | None  # None when the notice states only a total
    n_evaluated: int
    n_ungraded: int
    source: str  # stated / listed / mixed

    @property
    def pass_rate(self) -> float | None:
        if self.grades is None or not self.n_evaluated:
            return None
        return (self.grades["excellent"] + self.grades["pass"]) / self.n_evaluated


def notice_grade_counts(notice: dict[str, Any]) -> NoticeCounts | None:
    """A notice's counts per grade, n_evaluated and where they come from, or None when it has none."""
    counts: dict[str, int] = {}
    sources: set[str] = set()
    for g in GRADES:
        stated, listed = notice.get(f"stated_{g}"), notice.get(f"listed_{g}") or 0
        if stated is not None:
            counts[g] = stated
            sources.add("stated")
        elif listed:
            counts[g] = listed
            sources.add("listed")
    total = notice.get("stated_total")
    if not counts:
        if not total:
            return None
        return NoticeCounts(notice["notice_id"], None, total, total, "stated")
    grades = {g: counts.get(g, 0) for g in GRADES}
    graded = sum(grades.values())
    ungraded = total - graded if total is not None and total > graded else 0
    if ungraded:
        sources.add("stated")
    source = sources.pop() if len(sources) == 1 else "mixed"
    return NoticeCounts(notice["notice_id"], grades, graded + ungraded, ungraded, source)


def _precedence(notice: dict[str, Any], counts: NoticeCounts) -> tuple:
    """Sort key of competing notices: the largest wins, then the later publish date, then notice_id."""
    published = notice.get("publish_date")
    return (counts.n_evaluated, published is not None, published or date.min, notice["notice_id"])


def _notices_by_region_year(notices: Rows) -> dict[tuple, list[dict]]:
    """Counted notices (ok, no duplicate, with region and evaluation year) by (region_code, sector,
    evaluation_year)."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for n in notices:
        if (
            n["status"] == "ok"
            and not n.get("duplicate_of")
            and n.get("region_code")
            and n.get("evaluation_year")
        ):
            groups[(n["region_code"], n.get("sector"), n["evaluation_year"])].append(n)
    return groups


def _appraised_by_region_year(volumes: Rows) -> dict[tuple, list[dict]]:
    """The `appraised` figures with a region and a year, by (region_code, year)."""
    appraised: dict[tuple, list[dict]] = defaultdict(list)
    for v in volumes:
        if v["metric"] == "appraised" and v.get("region_code") and v.get("year"):
            appraised[(v["region_code"], v["year"])].append(v)
    return appraised


def _count_fields(members: list[dict]) -> dict[str, Any]:
    """The count columns of a region_year row, from the winning notice (`_precedence`) among those
    with counts; empty when none has any."""
    candidates = [(m, c) for m in members if (c := notice_grade_counts(m)) is not None]
    if not candidates:
        return {}
    _, best = max(candidates, key=lambda mc: _precedence(*mc))
    fields: dict[str, Any] = {
        "n_evaluated": best.n_evaluated,
        "n_ungraded": best.n_ungraded,
        "count_source": best.source,
        "count_notice_id": best.notice_id,
        "pass_rate": best.pass_rate,
    }
    if best.grades is not None:
        fields.update({f"n_{g}": best.grades[g] for g in GRADES})
        fields["revocation_count"] = best.grades["revoked"]
    return fields


def _ranked_appraised(figs: list[dict], by_id: dict[str, dict], code: str, sector: str | None) -> list[dict]:
    """The region-year's `appraised` figures from notices of this sector, best first: by qualifier,
    the region's own notice before another region's, the larger figure, then notice_id."""
    return sorted(
        (f for f in figs if by_id[f["notice_id"]].get("sector") == sector),
        key=lambda f: (
            _QUALIFIER_RANK[f["qualifier"]],
            by_id[f["notice_id"]].get("region_code") != code,
            -f["persons"],
            f["notice_id"],
        ),
    )


def build_region_year(notices: Rows, volumes: Rows) -> Rows:
    """The region_year rows (module docstring): one per region, sector and evaluation year that has
    a counted notice or an `appraised` figure."""
    groups = _notices_by_region_year(notices)
    appraised = _appraised_by_region_year(volumes)
    by_id = {n["notice_id"]: n for n in notices}
    for (code, year), figs in appraised.items():
        for sector in {by_id[f["notice_id"]].get("sector") for f in figs}:
            groups.setdefault((code, sector, year), [])

    rows = []
    for (code, sector, year), members in groups.items():
        row: dict[str, Any] = {**_region_fields(code), "sector": sector, "evaluation_year": year}
        row.update(_count_fields(members))
        figs = _ranked_appraised(appraised.get((code, year), []), by_id, code, sector)
        if figs:
            row.update(persons_appraised=figs[0]["persons"], persons_appraised_qualifier=figs[0]["qualifier"])
        row["notice_ids"] = sorted({m["notice_id"] for m in members} | {f["notice_id"] for f in figs})
        rows.append(row)
    return rows


def build_curated(
    manifest: Rows,
    normalized: Rows,
    records: Rows,
    grades: Rows | pa.Table,
    figures: Rows,
    files: Rows | None = None,
) -> dict[str, pa.Table]:
    """Every curated table as Arrow (registry schema, sorted as published), keyed by table name.

    The two tables with a row per institution (hundreds of thousands of rows for a national
    archive) are built column-wise (Arrow, and pandas/numpy for the choices); the per-notice and
    per-region tables are small. `files` is the raw_file_list (every raw file; by default each
    notice of the manifest is one loose file).
    """
    notices = build_notices(manifest, normalized, records, grades, figures)
    sources = line_sources_by_sha(notices, normalized)
    institutions = build_institutions(notices, grades, sources)
    del grades  # the largest input: the caller hands it over, history never needs it
    pa.default_memory_pool().release_unused()  # give its buffers back before history's peak
    volumes = build_volumes(notices, figures, sources)
    region_year = build_region_year(notices, volumes)
    files = files if files is not None else files_of_manifest(manifest)
    raw_files = build_raw_files(files, notices, normalized)
    return {
        "notices": to_arrow(notices, NOTICES),
        "institutions": to_arrow(institutions, INSTITUTIONS),
        "appraisal_volumes": to_arrow(volumes, APPRAISAL_VOLUMES),
        "region_year": to_arrow(region_year, REGION_YEAR),
        "institution_history": history.build_history(institutions, notices, region_year),
        "raw_files": to_arrow(raw_files, RAW_FILES),
    }
