"""Step 4, curated: the published tables of the output contract, built from the work tables.

Precedence rules for region_year (also in the README):
- Each notice is one region's own figures: a city notice never adds to its province's row.
- Per grade, a notice's count is the count its text states; where it states none, the number of
  institutions it lists by name with that grade; grades it neither states nor lists count 0 once
  any grade is known. count_source says which (listed / stated / mixed).
- Several notices for the same region, sector and year are never summed: the notice with the most
  institutions graded wins, ties going to the later publish date, then the larger notice_id.
  All of them are named in notice_ids.
- A file whose bytes repeat an earlier file (duplicate_of) is kept in notices.parquet but yields
  no institution or volume rows and is not counted.
- n_evaluated = the sum of the grade counts (revoked included); pass_rate = (excellent + pass) /
  n_evaluated; revocation_count = n_revoked.
- persons_appraised: the region's own `appraised` figure for that year (exact before approx before
  at_least, then the largest); cities named with a figure inside a provincial notice get rows of
  their own, with grade counts null.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath
from typing import Any

import cn2an

from .regions import REGIONS
from .registry import GRADES
from .versions import EXTRACT_VERSION

Rows = list[dict[str, Any]]
_QUALIFIER_RANK = {"exact": 0, "approx": 1, "at_least": 2}
_BRACKETS = str.maketrans({"（": "(", "）": ")", "〔": "[", "〕": "]", "【": "[", "】": "]"})
_ORDINAL_RE = re.compile(r"第([一二三四五六七八九十百零〇两]+)")


def notice_ids(manifest: Rows) -> dict[str, str]:
    """source_path -> notice_id: the path without its extension (with it, where two files would clash)."""
    stems = [str(PurePosixPath(m["source_path"]).with_suffix("")) for m in manifest]
    clash = {s for s in stems if stems.count(s) > 1}
    return {
        m["source_path"]: (m["source_path"] if s in clash else s)
        for m, s in zip(manifest, stems, strict=True)
    }


def institution_key(name: str, province_code: str | None) -> str:
    """Same institution, any notice or year: '<province code>:<name>' with spacing, bracket width and
    Chinese ordinals normalized (甘肃省第六国家职业技能鉴定所 -> 620000:甘肃省第6国家职业技能鉴定所)."""
    canonical = re.sub(r"\s+", "", name).translate(_BRACKETS)

    def digits(m: re.Match[str]) -> str:
        try:
            return f"第{int(cn2an.cn2an(m.group(1), 'smart'))}"
        except (ValueError, KeyError):
            return m.group()

    return f"{province_code or '000000'}:{_ORDINAL_RE.sub(digits, canonical)}"


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


def build_notices(manifest: Rows, normalized: Rows, records: Rows, grades: Rows, figures: Rows) -> Rows:
    ids = notice_ids(manifest)
    norm_by_sha = {n["sha256"]: n for n in normalized}
    rec_by_sha = {r["sha256"]: r for r in records}
    listed: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for g in grades:
        listed[g["sha256"]][g["grade"]] += 1
    n_figures: dict[str, int] = defaultdict(int)
    for f in figures:
        n_figures[f["sha256"]] += 1
    first_of_sha: dict[str, str] = {}
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
        }
        if entry["reject_reason"]:
            rows.append({**row, "status": "rejected", "status_reason": entry["reject_reason"]})
            continue
        rec = rec_by_sha.get(sha) or {}
        norm = norm_by_sha.get(sha) or {}
        row.update({k: v for k, v in rec.items() if k not in ("sha256", "code_version")})
        row["status"] = rec.get("status") or norm.get("status") or "rejected"
        row["status_reason"] = rec.get("status_reason") or norm.get("status_reason")
        row["encoding"], row["script"] = norm.get("encoding"), norm.get("script")
        row["warnings"] = list(rec.get("warnings") or [])
        row.update(_region_fields(rec.get("region_code")))
        counts = listed.get(sha, {})
        row.update({f"listed_{g}": counts.get(g, 0) for g in GRADES})
        row["listed_total"] = sum(counts.values())
        row["n_volumes"] = n_figures.get(sha, 0)
        if sha in first_of_sha:
            row["duplicate_of"] = first_of_sha[sha]
            row["warnings"] = [
                *row["warnings"],
                f"duplicate of {first_of_sha[sha]}: same bytes; counted once",
            ]
        else:
            first_of_sha[sha] = nid
        if row["status"] != "ok":
            row.update({f"listed_{g}": None for g in ("total", *GRADES)})
        rows.append(row)
    return rows


def _counted(notices: Rows) -> dict[str, dict]:
    """sha256 -> notice row, for ok notices that count (first file of each content)."""
    return {n["sha256"]: n for n in notices if n["status"] == "ok" and not n.get("duplicate_of")}


def build_institutions(notices: Rows, grades: Rows) -> Rows:
    by_sha = _counted(notices)
    rows = []
    for g in grades:
        n = by_sha.get(g["sha256"])
        if n is None:
            continue
        rows.append(
            {
                "notice_id": n["notice_id"],
                "region_code": n["region_code"],
                "region_name": n["region_name"],
                "evaluation_year": n["evaluation_year"],
                **{
                    k: g[k]
                    for k in (
                        "institution_name",
                        "host_organization",
                        "institution_number",
                        "grade",
                        "grade_label",
                        "note",
                        "line",
                    )
                },
                "institution_key": institution_key(g["institution_name"], n["province_code"]),
            }
        )
    return rows


def build_volumes(notices: Rows, figures: Rows) -> Rows:
    by_sha = _counted(notices)
    rows = []
    for f in figures:
        n = by_sha.get(f["sha256"])
        if n is None:
            continue
        region = _region_fields(f["region_code"])
        rows.append(
            {
                "notice_id": n["notice_id"],
                "region_name": region["region_name"],
                **{
                    k: f[k]
                    for k in ("region_code", "year", "metric", "persons", "qualifier", "evidence", "line")
                },
            }
        )
    return rows


def notice_grade_counts(notice: dict[str, Any]) -> tuple[dict[str, int], str] | None:
    """A notice's count per grade and where they come from (see the module docstring), or None."""
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
    if not counts:
        return None
    return {g: counts.get(g, 0) for g in GRADES}, (sources.pop() if len(sources) == 1 else "mixed")


def build_region_year(notices: Rows, volumes: Rows) -> Rows:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for n in notices:
        if (
            n["status"] == "ok"
            and not n.get("duplicate_of")
            and n.get("region_code")
            and n.get("evaluation_year")
        ):
            groups[(n["region_code"], n.get("sector"), n["evaluation_year"])].append(n)
    appraised: dict[tuple, list[dict]] = defaultdict(list)
    for v in volumes:
        if v["metric"] == "appraised" and v.get("region_code") and v.get("year"):
            appraised[(v["region_code"], v["year"])].append(v)
    sector_of = {n["notice_id"]: n.get("sector") for n in notices}
    for (code, year), figs in appraised.items():
        for sector in {sector_of.get(f["notice_id"]) for f in figs}:
            groups.setdefault((code, sector, year), [])

    rows = []
    for (code, sector, year), members in groups.items():
        row: dict[str, Any] = {**_region_fields(code), "sector": sector, "evaluation_year": year}
        ranked = sorted(
            (m for m in members if notice_grade_counts(m)),
            key=lambda m: (
                sum(notice_grade_counts(m)[0].values()),
                m.get("publish_date") or 0,
                m["notice_id"],
            ),
        )
        if ranked:
            counts, source = notice_grade_counts(ranked[-1])
            total = sum(counts.values())
            row.update({f"n_{g}": counts[g] for g in GRADES})
            row.update(
                n_evaluated=total,
                count_source=source,
                revocation_count=counts["revoked"],
                pass_rate=(counts["excellent"] + counts["pass"]) / total if total else None,
            )
        figs = sorted(
            (f for f in appraised.get((code, year), []) if sector_of.get(f["notice_id"]) == sector),
            key=lambda f: (_QUALIFIER_RANK[f["qualifier"]], -f["persons"], f["notice_id"]),
        )
        if figs:
            row.update(persons_appraised=figs[0]["persons"], persons_appraised_qualifier=figs[0]["qualifier"])
        ids = {m["notice_id"] for m in members} | {f["notice_id"] for f in figs}
        row["notice_ids"] = sorted(ids)
        rows.append(row)
    return rows


def build_curated(
    manifest: Rows, normalized: Rows, records: Rows, grades: Rows, figures: Rows
) -> dict[str, Rows]:
    """All four curated tables, keyed by table name."""
    notices = build_notices(manifest, normalized, records, grades, figures)
    institutions = build_institutions(notices, grades)
    volumes = build_volumes(notices, figures)
    return {
        "notices": notices,
        "institutions": institutions,
        "appraisal_volumes": volumes,
        "region_year": build_region_year(notices, volumes),
    }
