"""The accuracy metrics of ../shared/tools/score.py, computed here so the tests do not depend on it.

`score_tables` compares curated rows (notices, institutions, appraisal_volumes as lists of dicts)
with the hand-made gold of a corpus; `extraction_tables` builds the same rows straight from
`extract_notice` (no Dagster), for quick checks while developing extraction rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.registry import GRADES

_BRACKETS = str.maketrans(
    {"（": "(", "）": ")", "〔": "[", "〕": "]", "【": "[", "】": "]", "［": "[", "］": "]"}
)
Rows = list[dict[str, Any]]


def norm(text: object) -> str:
    """The scorer's comparison form: NFKC, brackets unified, no whitespace, no edge punctuation."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    text = unicodedata.normalize("NFKC", str(text)).translate(_BRACKETS)
    return re.sub(r"\s+", "", text).strip("。；;，,、.:：")


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def _count_matches(prefix: str, want: Counter, got: Counter, c: Counter[str]) -> None:
    """Add the true positives, false positives and false negatives of `got` against `want`."""
    tp = sum((want & got).values())
    c[f"{prefix}_tp"] += tp
    c[f"{prefix}_fp"] += sum(got.values()) - tp
    c[f"{prefix}_fn"] += sum(want.values()) - tp


def _present(value: object) -> bool:
    return value is not None and value == value  # not None, not NaN


def _by_stem(rows: Rows, stem_of: dict[str, str]) -> dict[str, Rows]:
    """Rows grouped by their notice's file stem ('' for a notice_id not in notices)."""
    grouped: dict[str, Rows] = {}
    for row in rows:
        grouped.setdefault(stem_of.get(row["notice_id"], ""), []).append(row)
    return grouped


def _score_fields(nid: str, gold: dict, row: dict, c: Counter[str], problems: list[str]) -> None:
    """Region, evaluation year, publish date, doc number, issuer and sector, where the gold has them."""
    region = (gold.get("region") or {}).get("name")
    if region:
        c["region_n"] += 1
        hit = norm(row.get("region_name")) == norm(region)
        c["region_ok"] += hit
        if not hit:
            problems.append(f"{nid}: region {row.get('region_name')!r} != {region!r}")
    if gold.get("evaluation_year"):
        c["year_n"] += 1
        year = row.get("evaluation_year")
        hit = _present(year) and int(year) == int(gold["evaluation_year"])
        c["year_ok"] += hit
        if not hit:
            problems.append(f"{nid}: evaluation_year {year!r} != {gold['evaluation_year']}")
    for key in ("publish_date", "doc_number", "issuer", "sector"):
        if gold.get(key):
            c[f"{key}_n"] += 1
            hit = norm(row.get(key)) == norm(gold[key])
            c[f"{key}_ok"] += hit
            if not hit:
                problems.append(f"{nid}: {key} {row.get(key)!r} != {gold[key]!r}")


def _score_counts(nid: str, gold: dict, row: dict, c: Counter[str], problems: list[str]) -> None:
    """The stated counts against the gold's; a count stated in the row but not in the text is extra."""
    stated = {k: v for k, v in (gold.get("grade_counts_stated") or {}).items() if v is not None}
    for key, value in stated.items():
        c["counts_n"] += 1
        pred = row.get(f"stated_{key}")
        hit = _present(pred) and int(pred) == int(value)
        c["counts_ok"] += hit
        if not hit:
            problems.append(f"{nid}: stated_{key} {pred!r} != {value}")
    for key in ("total", *GRADES):
        pred = row.get(f"stated_{key}")
        if key not in stated and _present(pred):
            c["counts_extra"] += 1
            problems.append(f"{nid}: stated_{key}={pred!r} but the text states none")


def _score_institutions(nid: str, gold: dict, insts: Rows, c: Counter[str], problems: list[str]) -> None:
    """True/false positives and negatives of (name, grade) pairs and of names alone."""
    want = Counter((norm(i["name"]), i["grade"]) for i in gold.get("institutions") or [])
    got = Counter((norm(i["institution_name"]), str(i["grade"])) for i in insts)
    _count_matches("inst", want, got, c)
    _count_matches("name", Counter(n for n, _ in want.elements()), Counter(n for n, _ in got.elements()), c)
    problems += [f"{nid}: missed {n} [{g}]" for n, g in want - got]
    problems += [f"{nid}: extra {n} [{g}]" for n, g in got - want]
    # the host of each institution found with its grade, where the gold or the row names one
    hosts_want = {(norm(i["name"]), i["grade"]): norm(i.get("host")) for i in gold.get("institutions") or []}
    hosts_got = {(norm(i["institution_name"]), str(i["grade"])): norm(i.get("host_organization")) for i in insts}
    for key in set(hosts_want) & set(hosts_got):
        if hosts_want[key] or hosts_got[key]:
            c["host_n"] += 1
            c["host_ok"] += hosts_want[key] == hosts_got[key]
            if hosts_want[key] != hosts_got[key]:
                problems.append(f"{nid}: host of {key[0]} {hosts_got[key]!r} != {hosts_want[key]!r}")


def _score_volumes(nid: str, gold: dict, vols: Rows, c: Counter[str], problems: list[str]) -> None:
    """True/false positives and negatives of (persons, metric) pairs."""
    want_vol = Counter(
        (int(v["persons"]), v.get("metric", "appraised")) for v in gold.get("appraisal_volumes") or []
    )
    got_vol = Counter((int(v["persons"]), str(v["metric"])) for v in vols if _present(v["persons"]))
    _count_matches("vol", want_vol, got_vol, c)
    problems += [f"{nid}: missed volume {p} {m}" for p, m in want_vol - got_vol]
    problems += [f"{nid}: extra volume {p} {m}" for p, m in got_vol - want_vol]


def score_tables(
    golds: dict[str, dict], notices: Rows, institutions: Rows, volumes: Rows
) -> tuple[dict[str, float | int], list[str]]:
    """(metrics, problems): the same numbers and problem lines as score.py -v."""
    by_stem = {Path(str(n["source_path"])).stem: n for n in notices}
    stem_of = {n["notice_id"]: stem for stem, n in by_stem.items()}
    inst_by = _by_stem(institutions, stem_of)
    vol_by = _by_stem(volumes, stem_of)

    c: Counter[str] = Counter()
    problems: list[str] = []
    for nid, gold in golds.items():
        row = by_stem.get(nid)
        if row is None:
            c["lost"] += 1
            problems.append(f"{nid}: no row in notices")
            continue
        c["relevance_n"] += 1
        relevant = bool(gold.get("relevant", True))
        c["relevance_ok"] += (row.get("status") == "ok") == relevant
        if (row.get("status") == "ok") != relevant:
            problems.append(f"{nid}: status {row.get('status')} ({row.get('status_reason')})")
        if not relevant:
            continue
        _score_fields(nid, gold, row, c, problems)
        _score_counts(nid, gold, row, c, problems)
        _score_institutions(nid, gold, inst_by.get(nid, []), c, problems)
        _score_volumes(nid, gold, vol_by.get(nid, []), c, problems)

    def ratio(key: str) -> float:
        return c[f"{key}_ok"] / c[f"{key}_n"] if c[f"{key}_n"] else 1.0

    metrics: dict[str, float | int] = {
        "notices": len(golds),
        "lost": c["lost"],
        "relevance": ratio("relevance"),
        "region": ratio("region"),
        "year": ratio("year"),
        "publish_date": ratio("publish_date"),
        "doc_number": ratio("doc_number"),
        "issuer": ratio("issuer"),
        "sector": ratio("sector"),
        "counts": ratio("counts"),
        "counts_extra": c["counts_extra"],
        "inst_f1": _f1(c["inst_tp"], c["inst_fp"], c["inst_fn"]),
        "name_f1": _f1(c["name_tp"], c["name_fp"], c["name_fn"]),
        "inst_gold": c["inst_tp"] + c["inst_fn"],
        "vol_f1": _f1(c["vol_tp"], c["vol_fp"], c["vol_fn"]),
        "host": ratio("host"),
    }
    return metrics, problems


def extraction_tables(notices: dict[str, Path]) -> tuple[Rows, Rows, Rows]:
    """Curated-like rows built with the library path (decode -> normalize -> extract), no Dagster."""
    from pipeline.extract import extract_notice
    from pipeline.ingest import decode_bytes
    from pipeline.normalize import normalize_text

    notice_rows: Rows = []
    inst_rows: Rows = []
    vol_rows: Rows = []
    for nid, path in notices.items():
        decoded = decode_bytes(path.read_bytes(), path.suffix)
        x = extract_notice(normalize_text(decoded.text or "", decoded.is_html).text)
        notice_rows.append(
            {
                "notice_id": nid,
                "source_path": f"{nid}{path.suffix}",
                "status": x.status,
                "status_reason": x.status_reason,
                "region_name": x.region.name if x.region else None,
                "evaluation_year": x.evaluation_year,
                "publish_date": x.publish_date.isoformat() if x.publish_date else None,
                "doc_number": x.doc_number,
                "issuer": x.issuer,
                "sector": x.sector,
                **{f"stated_{k}": x.stated.get(k) for k in ("total", *GRADES)},
            }
        )
        inst_rows += [
            {"notice_id": nid, "institution_name": i.name, "grade": i.grade, "host_organization": i.host}
            for i in x.institutions
        ]
        vol_rows += [{"notice_id": nid, "persons": v.persons, "metric": v.metric} for v in x.volumes]
    return notice_rows, inst_rows, vol_rows


def format_metrics(metrics: dict[str, float | int]) -> str:
    return " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in metrics.items())


if __name__ == "__main__":  # python -m tests.scoring CORPUS...: library-path score of each corpus
    import sys

    from tests.conftest import load_corpus

    for arg in sys.argv[1:]:
        corpus = load_corpus(Path(arg))
        tables = extraction_tables({nid: path for nid, (path, _) in corpus.items()})
        metrics, problems = score_tables({nid: gold for nid, (_, gold) in corpus.items()}, *tables)
        print(f"== {arg}")
        print("\n".join(f"  {p}" for p in problems))
        print("score: " + format_metrics(metrics))
