"""The normalize and extract steps' work tables as append-only fragments (pipeline/fragments.py)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline import fragments, ingest, steps, storage
from pipeline.defs.assets import _write_curated
from pipeline.defs.resources import JiandingPaths
from pipeline.extract import batch
from pipeline.registry import CURATED_TABLES, NORMALIZED_NOTICES, NOTICE_RECORDS, RAW_FILE_LIST, RAW_MANIFEST
from tests.conftest import load_corpus


def _norm(sha: str, status: str = "ok", text: str = "t") -> dict:
    return {"sha256": sha, "code_version": "v", "status": status, "status_reason": None, "text": text}


def _append(work: Path, rows: list[dict], wanted: list[str] | None = None) -> None:
    out = fragments.Appender(work, fragments.NORMALIZED)
    out.write(NORMALIZED_NOTICES, storage.to_arrow(rows, NORMALIZED_NOTICES))
    out.commit(None if wanted is None else pa.array(wanted, pa.string()))


def _live(work: Path) -> dict[str, str]:
    table = fragments.read(work, NORMALIZED_NOTICES, ["sha256", "status"])
    return dict(zip(table["sha256"].to_pylist(), table["status"].to_pylist(), strict=True))


def test_a_newer_fragment_supersedes_a_notices_older_rows(tmp_path: Path) -> None:
    _append(tmp_path, [_norm("a"), _norm("b"), _norm("c")])
    first = sorted(p.stat().st_ino for p in (tmp_path / "normalized_notices").iterdir())
    _append(tmp_path, [_norm("b", "rejected")])
    assert len(fragments.fragments(tmp_path, fragments.NORMALIZED)) == 2
    assert _live(tmp_path) == {"a": "ok", "b": "rejected", "c": "ok"}
    # append-only: the first fragment's file is the same file
    assert set(first) < {p.stat().st_ino for p in (tmp_path / "normalized_notices").iterdir()}
    wanted = pa.array(["a", "b"], pa.string())
    assert fragments.read(tmp_path, NORMALIZED_NOTICES, ["sha256"], wanted)["sha256"].to_pylist() == [
        "a",
        "b",
    ]
    # every live key is found in exactly one fragment
    keys = [k for part in fragments.parts(tmp_path, NORMALIZED_NOTICES) for k in part.keys.to_pylist()]
    assert sorted(keys) == ["a", "b", "c"]


def test_a_fragment_without_live_rows_is_dropped_and_dead_rows_are_compacted(tmp_path: Path) -> None:
    _append(tmp_path, [_norm("a"), _norm("b")])
    _append(tmp_path, [_norm("a", "rejected"), _norm("b", "rejected")])  # the first is all superseded
    assert len(fragments.fragments(tmp_path, fragments.NORMALIZED)) == 1
    assert len(list((tmp_path / "normalized_notices").iterdir())) == 1  # its file is gone too
    # three of four notices gone from the raw folder: more dead rows than live, rewritten as one
    _append(tmp_path, [_norm("c"), _norm("d")], wanted=["d"])
    (frag,) = fragments.fragments(tmp_path, fragments.NORMALIZED)
    assert frag["files"]["normalized_notices"]["rows"] == 1 and _live(tmp_path) == {"d": "ok"}


def test_past_max_fragments_all_but_the_largest_are_merged_and_the_rows_stay(tmp_path: Path) -> None:
    _append(tmp_path, [_norm(f"k{i:03d}") for i in range(100)])
    for i in range(fragments.MAX_FRAGMENTS - 1):
        _append(tmp_path, [_norm(f"n{i}"), _norm(f"k{i:03d}", "rejected")])
    before = fragments.read(tmp_path, NORMALIZED_NOTICES)
    _append(tmp_path, [_norm("last")])
    frags = fragments.fragments(tmp_path, fragments.NORMALIZED)
    assert len(frags) == 2 and frags[0]["files"]["normalized_notices"]["rows"] == 100
    after = fragments.read(tmp_path, NORMALIZED_NOTICES)
    assert after.filter(pa.compute.not_equal(after["sha256"], "last")).equals(before)
    assert fragments.verify(tmp_path, fragments.NORMALIZED) is None


def _scan_peak(work: Path, n: int) -> int:
    """The most Arrow memory a scan of `n` notices of 6 KB of text each holds at once."""
    text = "鉴定" * 1000
    _append(work, [_norm(f"{i:06d}", text=text + str(i)) for i in range(n)])
    base, peak, seen = pa.total_allocated_bytes(), 0, 0
    for rows in fragments.scan(work, NORMALIZED_NOTICES):
        seen += rows.num_rows
        peak = max(peak, pa.total_allocated_bytes() - base)
        del rows
    assert seen == n
    return peak


def test_a_scan_holds_a_row_group_not_the_table(tmp_path: Path) -> None:
    """A scan's memory does not grow with the table: 2,000 and 8,000 texts (12 and 48 MB) peak
    alike, at a row group's worth."""
    small, large = _scan_peak(tmp_path / "small", 2000), _scan_peak(tmp_path / "large", 8000)
    assert large < 1.5 * small < 48_000_000


def _stage(raw: Path, ids: list[str]) -> list[dict]:
    """The corpus notices `ids` as loose files in `raw`; the raw manifest."""
    corpus = load_corpus()
    raw.mkdir(exist_ok=True)
    for nid in ids:
        shutil.copy(corpus[nid][0], raw / f"{nid}.txt")
    files = ingest.scan_raw_folder(raw)
    return ingest.manifest_rows(files)


def _curate(raw: Path, work: Path, out: Path, manifest: list[dict]) -> dict[str, str]:
    storage.write_table(manifest, RAW_MANIFEST, work, manifest=True)
    storage.write_table(ingest.file_rows(ingest.scan_raw_folder(raw)), RAW_FILE_LIST, work, manifest=True)
    paths = JiandingPaths(raw_dir=str(raw), curated_dir=str(out), work_dir=str(work))
    return {name: info["sha256"] for name, info in _write_curated(paths, out).items()}


def test_steps_append_only_new_notices_and_curate_as_a_fresh_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = sorted(load_corpus())
    raw, work = tmp_path / "raw", tmp_path / "work"
    manifest = _stage(raw, ids[:-1])
    assert steps.normalize_step(raw, work, manifest) == len(ids) - 1
    assert steps.extract_step(work, manifest) == len(ids) - 1
    manifest = _stage(raw, ids)  # one new notice: one fragment more, with its rows only
    assert steps.normalize_step(raw, work, manifest) == 1 and steps.extract_step(work, manifest) == 1
    for group in (fragments.NORMALIZED, fragments.EXTRACTED):
        last = fragments.fragments(work, group)[-1]
        assert last["files"][group.key_table.name]["rows"] == 1
    incremental = _curate(raw, work, tmp_path / "a", manifest)
    fresh_work = tmp_path / "fresh"
    steps.normalize_step(raw, fresh_work, manifest)
    steps.extract_step(fresh_work, manifest)
    assert _curate(raw, fresh_work, tmp_path / "b", manifest) == incremental
    # a new extraction code version: every notice extracted again, its new rows supersede the old
    # (in this process, so that the version patched is the one the rows are written with)
    monkeypatch.setenv("JIANDING_NOTICE_BUDGET", "0")
    monkeypatch.setenv("JIANDING_WORKERS", "1")
    monkeypatch.setattr(steps, "EXTRACT_VERSION", "next")
    monkeypatch.setattr(batch, "EXTRACT_VERSION", "next")
    assert steps.extract_step(work, manifest) == len(ids)
    assert len(fragments.fragments(work, fragments.EXTRACTED)) == 1  # the old ones had no live row left
    assert set(fragments.read(work, NOTICE_RECORDS, ["code_version"])["code_version"].to_pylist()) == {"next"}
    assert steps.extract_step(work, manifest) == 0  # and they are reused as they are
    again = _curate(raw, work, tmp_path / "c", manifest)
    assert again == incremental  # (the curated notices name curate's EXTRACT_VERSION, not the rows')
    assert all(t.name in again for t in CURATED_TABLES)


def test_a_failure_of_the_moment_is_processed_again_and_supersedes(tmp_path: Path) -> None:
    ids = sorted(load_corpus())[:2]
    raw, work = tmp_path / "raw", tmp_path / "work"
    manifest = _stage(raw, ids)
    steps.normalize_step(raw, work, manifest)
    sha = manifest[0]["sha256"]
    stale = fragments.read(work, NORMALIZED_NOTICES, None, pa.array([sha], pa.string())).to_pylist()[0]
    stale.update(status="rejected", status_reason="file vanished between listing and reading", text=None)
    _append(work, [stale])
    assert _live(work)[sha] == "rejected"
    assert steps.normalize_step(raw, work, manifest) == 1
    assert _live(work)[sha] == "ok"
    assert hashlib.sha256((raw / manifest[0]["source_path"]).read_bytes()).hexdigest() == sha
