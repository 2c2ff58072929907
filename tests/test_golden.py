"""Whole notices against their hand-made gold (library path: decode -> normalize -> extract)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline.extract import extract_notice
from pipeline.ingest import decode_bytes
from pipeline.normalize import normalize_text
from tests.conftest import load_corpus, norm_name

CORPUS = load_corpus()


def _extract(path: Path):
    decoded = decode_bytes(path.read_bytes(), path.suffix)
    return extract_notice(normalize_text(decoded.text, decoded.is_html).text)


@pytest.mark.parametrize("nid", sorted(CORPUS))
def test_notice_matches_gold(nid: str) -> None:
    path, gold = CORPUS[nid]
    x = _extract(path)
    assert (x.status == "ok") == gold["relevant"], x.status_reason
    if not gold["relevant"]:
        assert x.status_reason and not x.institutions and not x.stated
        return
    if gold.get("region"):
        assert x.region is not None and norm_name(x.region.name) == norm_name(gold["region"]["name"])
        assert x.region.level == gold["region"]["level"]
    assert x.evaluation_year == gold.get("evaluation_year")
    assert (x.publish_date.isoformat() if x.publish_date else None) == gold.get("publish_date")
    assert norm_name(x.doc_number) == norm_name(gold.get("doc_number"))
    assert norm_name(x.issuer) == norm_name(gold.get("issuer"))
    assert x.sector == gold.get("sector")
    stated = {k: v for k, v in (gold.get("grade_counts_stated") or {}).items() if v is not None}
    assert x.stated == stated
    want = Counter((norm_name(i["name"]), i["grade"]) for i in gold.get("institutions") or [])
    got = Counter((norm_name(i.name), i.grade) for i in x.institutions)
    assert got == want
    hosts = {norm_name(i["name"]): norm_name(i.get("host")) for i in gold.get("institutions") or []}
    assert {norm_name(i.name): norm_name(i.host) for i in x.institutions} == hosts
    vols = Counter(
        (v["persons"], v["metric"], v["qualifier"], v["year"]) for v in gold.get("appraisal_volumes") or []
    )
    assert Counter((v.persons, v.metric, v.qualifier, v.year) for v in x.volumes) == vols


def test_seed_provenance_lines_point_at_the_item() -> None:
    path, _ = CORPUS["003_81f32f06dd791a64"]
    decoded = decode_bytes(path.read_bytes(), path.suffix)
    text = normalize_text(decoded.text).text
    lines = text.split("\n")
    for item in extract_notice(text).institutions:
        assert item.name.replace("(", "（").replace(")", "）")[:6] in lines[item.line - 1].replace(
            "(", "（"
        ).replace(")", "）")
