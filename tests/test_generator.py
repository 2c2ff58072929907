"""Tests of the synthetic notice generator (benchmarks/generate_notices.py): fast, no pipeline needed."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.generate_notices import (
    GRADES,
    Notice,
    build_notice,
    convert,
    generate,
    iter_notices,
    main,
)

SEED = 7
PINYIN_RE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùü]+\)")
FULL_LIST_LAYOUTS = ("formal", "table")


@pytest.fixture(scope="module")
def sample() -> list[Notice]:
    return list(iter_notices(200, seed=SEED))


def plain_text(notice: Notice) -> str:
    """Decoded text in simplified script, converter pinyin removed (what the gold talks about)."""
    text = notice.data.decode(notice.encoding)
    if notice.traditional:
        text = convert(PINYIN_RE.sub("", text), "t2s")
    return text.replace("&nbsp;", " ")


def test_same_seed_same_bytes() -> None:
    first = [(i, e, b, json.dumps(g, sort_keys=True)) for i, e, b, g in generate(40, seed=3)]
    again = [(i, e, b, json.dumps(g, sort_keys=True)) for i, e, b, g in generate(40, seed=3)]
    assert first == again
    other = [b for _, _, b, _ in generate(40, seed=4)]
    assert other != [b for _, _, b, _ in first]


def test_notice_depends_only_on_seed_and_index() -> None:
    direct = build_notice(SEED, 17)
    in_run = list(iter_notices(3, seed=SEED, start=16))[1]
    assert (direct.id, direct.data, direct.gold) == (in_run.id, in_run.data, in_run.gold)


def test_every_layout_appears(sample: list[Notice]) -> None:
    layouts = Counter(n.layout for n in sample)
    for layout in ("formal", "inline", "news", "table", "named_one"):
        assert layouts[layout] > 0, layout
    assert any(name.startswith("irrelevant_") for name in layouts)
    assert {n.ext for n in sample} == {"txt", "html"}
    assert len({n.encoding for n in sample}) >= 4
    assert any(n.traditional for n in sample)
    assert any(n.source["truncated"] for n in sample)


def test_gold_is_valid(sample: list[Notice]) -> None:
    for n in sample:
        g = n.gold
        assert set(g) >= {
            "relevant",
            "region",
            "evaluation_year",
            "publish_date",
            "issuer",
            "doc_number",
            "grade_counts_stated",
            "institutions",
            "appraisal_volumes",
            "notes",
        }
        assert set(g["grade_counts_stated"]) <= {"total", *GRADES}
        assert all(isinstance(v, int) and v > 0 for v in g["grade_counts_stated"].values())
        names = [i["name"] for i in g["institutions"]]
        assert len(names) == len(set(names)), n.id
        assert all(i["grade"] in GRADES for i in g["institutions"])
        for v in g["appraisal_volumes"]:
            assert v["qualifier"] in ("exact", "approx", "at_least")
            assert v["metric"] in ("appraised", "certified", "other")
            assert isinstance(v["persons"], int) and v["persons"] > 0
        if not g["relevant"]:
            assert not (g["institutions"] or g["grade_counts_stated"] or g["appraisal_volumes"])
        else:
            assert g["region"] and g["region"]["level"] in ("province", "prefecture", "national")
            assert g["institutions"] or g["grade_counts_stated"] or g["appraisal_volumes"]
        assert n.source["found_with"] == f"generator seed {SEED}"
        assert n.source["note"].startswith(f"layout={n.layout};")


def test_stated_counts_match_full_lists(sample: list[Notice]) -> None:
    """Where the whole list is printed, each stated (heading/prose) count equals the names listed."""
    checked = 0
    for n in sample:
        g = n.gold
        if n.layout not in FULL_LIST_LAYOUTS or n.source["truncated"] or "but lists" in g["notes"]:
            continue
        listed = Counter(i["grade"] for i in g["institutions"])
        for key, value in g["grade_counts_stated"].items():
            assert value == (len(g["institutions"]) if key == "total" else listed[key]), (n.id, key)
            checked += 1
    assert checked > 50


def test_gold_strings_occur_in_text(sample: list[Notice]) -> None:
    for n in sample:
        text = plain_text(n)
        g = n.gold
        for inst in g["institutions"]:
            assert inst["name"] in text, (n.id, inst["name"])
            assert inst["host"] is None or inst["host"] in text
        for value in g["grade_counts_stated"].values():
            assert str(value) in text
        for key in ("doc_number", "issuer"):
            assert g[key] is None or g[key] in text, (n.id, key)


def test_truncated_notice_lists_only_what_is_present() -> None:
    n = build_notice(SEED, 5, layout="formal", truncate=True)
    assert n.source["truncated"] is True
    assert "truncated" in n.gold["notes"]
    full = build_notice(SEED, 5, layout="formal", truncate=False)
    assert 0 < len(n.gold["institutions"]) < len(full.gold["institutions"])


def test_traditional_notice_is_traditional() -> None:
    n = build_notice(SEED, 9, layout="formal", traditional=True, pinyin=False, encoding="utf-8")
    assert n.traditional
    text = n.data.decode("utf-8")
    assert "職業" in text and "职业" not in text
    assert convert(text, "t2s") != text
    assert "职业" in json.dumps(n.gold, ensure_ascii=False)  # the gold stays simplified


def test_pinyin_annotation_and_big5() -> None:
    n = build_notice(SEED, 11, layout="formal", traditional=True, pinyin=True)
    assert re.search(r"[職業]\((zhí|yè)\)", n.data.decode(n.encoding))
    big5 = [build_notice(SEED, i, traditional=True, pinyin=False, encoding="big5") for i in range(6)]
    assert any(b.encoding == "big5" for b in big5)
    for b in big5:
        b.data.decode(b.encoding)


def test_cli_writes_corpus_and_flat(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path / "corpus"), "--n", "5", "--seed", "2"]) == 0
    folders = sorted((tmp_path / "corpus").iterdir())
    assert len(folders) == 5
    for folder in folders:
        assert len(list(folder.glob("notice.*"))) == 1
        gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
        source = json.loads((folder / "source.json").read_text(encoding="utf-8"))
        assert "relevant" in gold and source["url"] is None
    assert main(["--out", str(tmp_path / "raw"), "--n", "5", "--seed", "2", "--flat"]) == 0
    truth = (tmp_path / "raw_truth.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(truth) == 5 and len(list((tmp_path / "raw").iterdir())) == 5
    first = json.loads(truth[0])
    assert (tmp_path / "raw" / first["file"]).read_bytes() == (
        next((tmp_path / "corpus" / first["id"]).glob("notice.*")).read_bytes()
    )
