"""What a build made, read back from its curated files and its check results: for people and machines.

`collect` gathers the facts (counts, the rejected files with their reasons, the warnings grouped by
issue code, the checks that failed, where the report is) into a JSON-ready dict; `render` turns
that dict into the few lines `jianding build` prints.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pyarrow.parquet as pq

from . import issues, registry

EXAMPLES = 3  # files named per warning code in the text summary (the JSON has them all, up to 20)
MAX_REJECTED = 10  # rejected files listed in the text summary (the JSON lists every one)


def _read(folder: Any, table: str, columns: list[str]) -> list[dict]:
    with (folder / f"{table}.parquet").open("rb") as fh:
        return pq.read_table(fh, columns=columns).to_pylist()


def check_outcome(evaluation: Any) -> dict[str, Any]:
    """One Dagster AssetCheckEvaluation as plain data: asset, check, passed, blocking, failures."""
    failures = evaluation.metadata.get("failures")
    return {
        "asset": evaluation.asset_key.to_user_string(),
        "check": evaluation.check_name,
        "passed": bool(evaluation.passed),
        "blocking": bool(getattr(evaluation, "blocking", False)),
        "severity": evaluation.severity.value,
        "failures": int(failures.value) if failures is not None else None,
    }


def rejected_files(notices: list[dict], files: list[dict]) -> list[dict[str, str]]:
    """Every raw file that was not read (with its reason), then every rejected notice not yet named."""
    out = [{"path": f["path"], "reason": f["reason"] or ""} for f in files if f["status"] == "rejected"]
    named = {r["path"] for r in out}
    out += [
        {"path": n["source_path"], "reason": n["status_reason"] or ""}
        for n in notices
        if n["status"] == "rejected" and n["source_path"] not in named
    ]
    return out


def warnings_by_code(notices: list[dict]) -> dict[str, dict[str, Any]]:
    """Issue code -> its severity, meaning, how many notices carry it and the first of them (up to 20)."""
    found: dict[str, list[str]] = defaultdict(list)
    for n in notices:
        for code in dict.fromkeys(n["issue_codes"] or []):  # a notice counts once per code
            found[code].append(n["source_path"])
    out = {}
    for code in sorted(found, key=lambda c: (-len(found[c]), c)):
        severity, meaning = issues.CATALOGUE.get(code, ("warning", ""))
        out[code] = {
            "severity": severity,
            "meaning": meaning,
            "notices": len(found[code]),
            "examples": found[code][:20],
        }
    return out


def collect(
    curated: Any, elapsed: float, checks: list[dict[str, Any]], shown_as: Any = None
) -> dict[str, Any]:
    """The build's facts, read from the files in `curated` (reported under the name `shown_as`)."""
    shown = shown_as or curated
    notices = _read(curated, "notices", ["source_path", "status", "status_reason", "warnings", "issue_codes"])
    files = _read(curated, "raw_files", ["path", "status", "reason"])
    statuses = Counter(n["status"] for n in notices)
    tables = {}
    for table in registry.CURATED_TABLES:
        with (curated / f"{table.name}.parquet").open("rb") as fh:
            rows = pq.ParquetFile(fh).metadata.num_rows
        tables[table.name] = {"path": str(shown / f"{table.name}.parquet"), "rows": rows}
    report = curated / "report" / "index.html"
    return {
        "curated_dir": str(shown),
        "elapsed_s": round(elapsed, 1),
        "notices": {
            "total": len(notices),
            **{s: statuses.get(s, 0) for s in ("ok", "irrelevant", "rejected")},
            "with_warnings": sum(1 for n in notices if n["warnings"]),
        },
        "raw_files": len(files),
        "tables": tables,
        "rejected": rejected_files(notices, files),
        "warnings": warnings_by_code(notices),
        "checks": checks,
        "report": str(shown / "report" / "index.html") if report.exists() else None,
    }


def _check_lines(checks: list[dict[str, Any]]) -> list[str]:
    failed = [c for c in checks if not c["passed"]]
    lines = [f"checks: {len(checks) - len(failed)} of {len(checks)} passed"]
    for c in failed:
        kind = "BLOCKING" if c["blocking"] else "warn"
        count = "" if c["failures"] is None else f" (failures: {c['failures']:,})"
        lines.append(f"  FAILED ({kind}) {c['asset']} {c['check']}{count}")
    return lines


def render(facts: dict[str, Any]) -> str:
    """The summary `jianding build` prints: counts, tables, rejected files, warnings, checks, report."""
    n = facts["notices"]
    done = (
        f"up to date ({facts['elapsed_s']:.1f}s: nothing changed since the last build; nothing was run, "
        "--force runs it)"
        if facts.get("up_to_date")
        else f"built in {facts['elapsed_s']:.1f}s"
    )
    lines = [
        f"{done}: {n['total']:,} notices: {n['ok']:,} ok, "
        f"{n['irrelevant']:,} irrelevant, {n['rejected']:,} rejected; {n['with_warnings']:,} with warnings",
    ]
    lines += [f"  {t['path']}  {t['rows']:,} rows" for t in facts["tables"].values()]
    rejected = facts["rejected"]
    if rejected:
        lines.append(f"rejected files ({len(rejected):,}; raw_files.parquet has every reason):")
        lines += [f"  {r['path']}: {r['reason']}" for r in rejected[:MAX_REJECTED]]
        if len(rejected) > MAX_REJECTED:
            lines.append(f"  … and {len(rejected) - MAX_REJECTED:,} more")
    if facts["warnings"]:
        lines.append("warnings by issue code (notices.parquet: warnings, issue_codes):")
        for code, w in facts["warnings"].items():
            info = " (info)" if w["severity"] == "info" else ""
            more = f", … {w['notices'] - EXAMPLES:,} more" if w["notices"] > EXAMPLES else ""
            lines.append(
                f"  {code}{info}: {w['notices']:,} notices: {', '.join(w['examples'][:EXAMPLES])}{more}"
            )
    if facts["checks"]:
        lines += _check_lines(facts["checks"])
    if facts["report"]:
        lines.append(f"report: {facts['report']}")
    else:
        blocked = any(c["blocking"] and not c["passed"] for c in facts["checks"])
        lines.append("report: not drawn" + (" (a blocking check failed)" if blocked else ""))
    return "\n".join(lines)
