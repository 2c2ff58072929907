"""Scale-out: the process pool gives the same rows as one process, the same Definitions run under
Dagster's multiprocess executor, and curated tables can go to an object-store path (fsspec)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest
from upath import UPath

from pipeline import ingest, normalize, registry, storage
from pipeline.defs import BUILD_JOB, JiandingPaths, make_definitions
from pipeline.extract.batch import extract_notices
from pipeline.parallel import ordered_map
from tests import worker_steps
from tests.conftest import ROOT, SEEDS, load_corpus, stage


def test_ordered_map_keeps_order_across_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIANDING_POOL_MIN", "1")
    items = list(range(57))
    assert ordered_map(worker_steps.square, items, n_workers=2) == [x * x for x in items]
    assert ordered_map(worker_steps.add, [(i, 1) for i in items], n_workers=2, star=True) == [i + 1 for i in items]
    assert ordered_map(worker_steps.square, [], n_workers=2) == []


def test_a_worker_that_dies_leaves_the_rest_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIANDING_POOL_MIN", "1")
    items = list(range(40))
    with pytest.warns(UserWarning, match=r"process pool failed \(WorkerLost\('worker \d+ ended \(exit code 3\)'"):
        assert ordered_map(worker_steps.dies_in_a_worker, items, n_workers=2) == [x * x for x in items]


def test_an_error_in_a_worker_is_raised_in_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIANDING_POOL_MIN", "1")
    with pytest.raises(ValueError, match="bad item 13") as raised:
        ordered_map(worker_steps.fails_on_13, list(range(40)), n_workers=2)
    assert "in a pool worker" in "".join(getattr(raised.value, "__notes__", []))


@pytest.fixture(scope="module")
def corpus_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("scale") / "raw"
    corpus = load_corpus()
    stage(corpus, raw)
    # the same bytes twice: the duplicate is normalized once, in either mode
    first = next(iter(sorted(raw.iterdir())))
    (raw / f"copy_of_{first.name}").write_bytes(first.read_bytes())
    return raw


def test_pool_matches_single_process(corpus_raw: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = ingest.build_manifest(corpus_raw)
    monkeypatch.setenv("JIANDING_WORKERS", "1")
    rows_1, n_1 = normalize.normalize_notices(corpus_raw, manifest, [])
    extracted_1 = extract_notices(rows_1, ([], [], []))
    monkeypatch.setenv("JIANDING_WORKERS", "2")
    monkeypatch.setenv("JIANDING_POOL_MIN", "1")
    rows_2, n_2 = normalize.normalize_notices(corpus_raw, manifest, [])
    extracted_2 = extract_notices(rows_2, ([], [], []))
    assert n_1 == n_2 == len(rows_1) == len({m["sha256"] for m in manifest})
    assert rows_1 == rows_2
    assert extracted_1 == extracted_2
    # a cached run processes nothing and returns the same rows
    records, grades, figures, processed = extract_notices(rows_2, extracted_2[:3])
    assert processed == 0
    assert (records, grades, figures) == extracted_2[:3]



def test_a_few_new_notices_start_no_pool(corpus_raw: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the time budget off, one new notice into a built archive is extracted in this process:
    the pool (about a second to start) is for JIANDING_POOL_MIN notices, counted as notices, not as
    batches of 250. (With the budget on, the default, a few notices run in one watched worker so
    that the watchdog can stop one stuck in C: tests/test_reliability.py.)"""
    from pipeline import parallel

    manifest = ingest.build_manifest(corpus_raw)
    monkeypatch.setenv("JIANDING_WORKERS", "1")
    monkeypatch.setenv("JIANDING_NOTICE_BUDGET", "0")
    rows, _ = normalize.normalize_notices(corpus_raw, manifest, [])
    monkeypatch.setenv("JIANDING_WORKERS", "2")
    monkeypatch.delenv("JIANDING_POOL_MIN", raising=False)

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pool was started for a few notices")

    monkeypatch.setattr(parallel, "WatchedPool", no_pool)
    records, _, _, processed = extract_notices(rows[:1], ([], [], []))
    assert processed == 1 and len(records) == 1
    assert extract_notices(rows, ([], [], []))[3] == len(rows) < parallel.pool_min()

def test_storage_roundtrip_on_object_store() -> None:
    rows = [
        {"source_path": "b.txt", "sha256": "2", "size_bytes": 5, "reject_reason": None},
        {"source_path": "a.txt", "sha256": "1", "size_bytes": 3, "reject_reason": "empty file"},
    ]
    folder = UPath("memory://jianding-test/work")
    info = storage.write_table(rows, registry.RAW_MANIFEST, folder)
    assert info["path"] == "memory://jianding-test/work/raw_manifest.parquet"
    assert info["sha256"] == storage.file_sha256(folder / "raw_manifest.parquet")
    assert storage.read_rows(folder, registry.RAW_MANIFEST) == sorted(rows, key=lambda r: r["source_path"])
    assert storage.read_rows("memory://jianding-test/elsewhere", registry.RAW_MANIFEST) == []
    # file:// URLs are local folders: written with the atomic temp file + rename
    assert isinstance(storage.as_folder("file:///tmp/x"), Path)
    assert not storage.is_remote(UPath("/tmp/x"))


def test_build_writes_curated_tables_to_object_store(tmp_path: Path) -> None:
    corpus = load_corpus()
    stage({k: corpus[k] for k in SEEDS}, tmp_path / "raw")
    paths = JiandingPaths(
        raw_dir=str(tmp_path / "raw"),
        curated_dir="memory://jianding-bucket/curated",
        work_dir=str(tmp_path / "work"),
    )
    with dg.DagsterInstance.ephemeral() as instance:
        result = make_definitions(paths).resolve_job_def(BUILD_JOB).execute_in_process(instance=instance)
    assert result.success
    remote = UPath("memory://jianding-bucket/curated")
    with (remote / "notices.parquet").open("rb") as fh:
        notices = pq.read_table(fh).to_pylist()
    assert sorted(Path(n["source_path"]).stem for n in notices) == sorted(SEEDS)
    assert storage.read_rows(remote, registry.CURATED_TABLES[1])
    assert not list((tmp_path / "work").glob("*.tmp"))


def test_definitions_run_under_multiprocess_executor(tmp_path: Path) -> None:
    """`dagster job execute` with deploy/run_config.multiprocess.yaml: a process per step.

    In a fresh process: multiprocessing has one fork server per process, and one started earlier in
    this test session would hand the step processes its old environment (the paths)."""
    corpus = load_corpus()
    stage({k: corpus[k] for k in SEEDS}, tmp_path / "raw")
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "JIANDING_RAW_DIR": str(tmp_path / "raw"),
        "JIANDING_CURATED_DIR": str(tmp_path / "curated"),
        "JIANDING_WORK_DIR": str(tmp_path / "work"),
    }
    config = ROOT / "deploy" / "run_config.multiprocess.yaml"
    cmd = [sys.executable, "-m", "dagster", "job", "execute", "-m", "pipeline.definitions"]
    done = subprocess.run(
        [*cmd, "-j", BUILD_JOB, "-c", str(config)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    with dg.DagsterInstance.from_config(str(home)) as instance:
        run = instance.get_runs(limit=1)[0]
        assert run.is_success
        assert "multiprocess" in str(run.run_config)
        steps = instance.get_run_step_stats(run.run_id)
    assert len(steps) >= 4  # every step ran, each in its own process
    notices = pq.read_table(tmp_path / "curated" / "notices.parquet").to_pylist()
    assert sorted(Path(n["source_path"]).stem for n in notices) == sorted(SEEDS)
