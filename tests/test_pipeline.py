"""The Dagster graph end to end: definitions load, the build materializes, tables match the gold."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main as cli_main
from pipeline.defs import BUILD_JOB, JiandingPaths, make_definitions
from pipeline.defs.sensors import raw_folder_fingerprint
from pipeline.registry import CURATED_TABLES, TABLES
from tests.conftest import SEEDS, load_corpus, norm_name, stage


def _build(tmp: Path) -> dg.ExecuteInProcessResult:
    paths = JiandingPaths(
        raw_dir=str(tmp / "raw"), curated_dir=str(tmp / "curated"), work_dir=str(tmp / "work")
    )
    with dg.DagsterInstance.ephemeral() as instance:
        return make_definitions(paths).resolve_job_def(BUILD_JOB).execute_in_process(instance=instance)


def _rows(tmp: Path, table: str) -> list[dict]:
    return pq.read_table(tmp / "curated" / f"{table}.parquet").to_pylist()


@pytest.fixture(scope="module")
def seeds_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("seeds")
    corpus = load_corpus()
    stage({k: corpus[k] for k in SEEDS}, tmp / "raw")
    assert _build(tmp).success
    return tmp


def test_definitions_load() -> None:
    defs = make_definitions()
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {
        "raw_notices",
        "normalized_notices",
        "notice_records",
        "institution_grades",
        "appraisal_figures",
        "curated/notices",
        "curated/institutions",
        "curated/appraisal_volumes",
        "curated/region_year",
    } <= keys
    assert defs.resolve_job_def(BUILD_JOB) is not None
    assert defs.resolve_sensor_def("raw_folder_sensor") is not None


def test_seed_tables_match_gold(seeds_built: Path) -> None:
    corpus = load_corpus()
    notices = {n["notice_id"]: n for n in _rows(seeds_built, "notices")}
    assert set(notices) == set(SEEDS)
    institutions = _rows(seeds_built, "institutions")
    volumes = _rows(seeds_built, "appraisal_volumes")
    for nid in SEEDS:
        gold, n = corpus[nid][1], notices[nid]
        assert n["status"] == "ok" and n["region_name"] == gold["region"]["name"]
        assert (
            n["evaluation_year"] == gold["evaluation_year"]
            and n["publish_date"].isoformat() == gold["publish_date"]
        )
        for k, v in gold["grade_counts_stated"].items():
            assert n[f"stated_{k}"] == v
        mine = sorted(
            (norm_name(i["institution_name"]), i["grade"], norm_name(i["host_organization"]))
            for i in institutions
            if i["notice_id"] == nid
        )
        assert mine == sorted(
            (norm_name(i["name"]), i["grade"], norm_name(i["host"])) for i in gold["institutions"]
        )
        assert sorted(
            (v["persons"], v["metric"], v["qualifier"]) for v in volumes if v["notice_id"] == nid
        ) == sorted((v["persons"], v["metric"], v["qualifier"]) for v in gold["appraisal_volumes"])
    gansu = notices["000_3dbae8d17e1ab243"]
    assert (gansu["region_code"], gansu["region_level"], gansu["province_name"]) == (
        "620000",
        "province",
        "甘肃省",
    )
    assert gansu["script"] == "traditional" and gansu["listed_total"] == 63


def test_region_year_rows(seeds_built: Path) -> None:
    rows = {(r["region_name"], r["evaluation_year"]): r for r in _rows(seeds_built, "region_year")}
    fuzhou = rows[("福州市", 2014)]
    assert (
        fuzhou["n_evaluated"],
        fuzhou["n_excellent"],
        fuzhou["n_pass"],
        fuzhou["n_rectify"],
        fuzhou["n_revoked"],
    ) == (57, 11, 39, 4, 3)
    assert fuzhou["pass_rate"] == pytest.approx(50 / 57) and fuzhou["count_source"] == "stated"
    gansu = rows[("甘肃省", 2010)]
    assert (gansu["n_evaluated"], gansu["revocation_count"], gansu["persons_appraised"]) == (63, 5, 211390)
    assert (
        rows[("酒泉市", 2010)]["persons_appraised"] == 23300 and rows[("酒泉市", 2010)]["n_evaluated"] is None
    )


def test_tables_carry_registry_schema(seeds_built: Path) -> None:
    for table in CURATED_TABLES:
        schema = pq.read_schema(seeds_built / "curated" / f"{table.name}.parquet")
        assert schema.names == TABLES[table.name].column_names
        assert schema.field("notice_ids" if table.name == "region_year" else schema.names[0]).metadata[
            b"description"
        ]


def test_cache_reprocesses_only_changed_notices(tmp_path: Path) -> None:
    corpus = load_corpus()
    stage({k: corpus[k] for k in SEEDS}, tmp_path / "raw")
    assert _build(tmp_path).success
    first = {t: (tmp_path / "curated" / f"{t.name}.parquet").read_bytes() for t in CURATED_TABLES}
    result = _build(tmp_path)
    meta = result.get_asset_materialization_events()
    processed = {e.asset_key.to_user_string(): e.materialization.metadata.get("processed") for e in meta}
    assert processed["normalized_notices"].value == 0 and processed["notice_records"].value == 0
    assert all((tmp_path / "curated" / f"{t.name}.parquet").read_bytes() == b for t, b in first.items())
    shutil.copy(corpus["pf764779fe0"][0], tmp_path / "raw" / "new.txt")
    result = _build(tmp_path)
    meta = {
        e.asset_key.to_user_string(): e.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    assert meta["notice_records"]["processed"].value == 1
    assert len(_rows(tmp_path, "notices")) == 3


def _fragment_files(work: Path) -> list[str]:
    """The work tables' fragment files, as paths relative to the work folder."""
    return sorted(str(p.relative_to(work)) for p in work.glob("*/*.parquet"))


def _stats(folder: Path, names: list[str]) -> dict[str, tuple[int, int]]:
    """(inode, mtime_ns) of each file: a file written again gets another inode (temp + rename)."""
    return {n: ((folder / n).stat().st_ino, (folder / n).stat().st_mtime_ns) for n in names}


def test_a_rebuild_with_nothing_new_rewrites_nothing(tmp_path: Path) -> None:
    corpus = load_corpus()
    stage({k: corpus[k] for k in SEEDS}, tmp_path / "raw")
    assert _build(tmp_path).success
    work = [*_fragment_files(tmp_path / "work"), "normalized.fragments.json", "extracted.fragments.json"]
    assert len(work) == 6  # one fragment of each of the four work tables, and the two manifests
    curated = [f"{t.name}.parquet" for t in CURATED_TABLES]
    work_before, curated_before = _stats(tmp_path / "work", work), _stats(tmp_path / "curated", curated)
    first = {n: (tmp_path / "curated" / n).read_bytes() for n in curated}
    assert _build(tmp_path).success
    assert _stats(tmp_path / "work", work) == work_before  # the caches are kept as they are
    # the published tables are the last build's output already: kept (linked into the new set)
    assert {n: s[0] for n, s in _stats(tmp_path / "curated", curated).items()} == {
        n: s[0] for n, s in curated_before.items()
    }
    assert {n: (tmp_path / "curated" / n).read_bytes() for n in curated} == first
    # a published file that is not what the last build wrote is never kept
    (tmp_path / "curated" / "notices.parquet").write_bytes(b"damaged")
    assert _build(tmp_path).success
    assert {n: (tmp_path / "curated" / n).read_bytes() for n in curated} == first
    # one new notice: a fragment appended to each work table (none written again), and the curated
    # tables byte for byte as a fresh build's
    shutil.copy(corpus["pf764779fe0"][0], tmp_path / "raw" / "new.txt")
    assert _build(tmp_path).success
    fragments = _fragment_files(tmp_path / "work")
    assert len(fragments) == 8 and set(work[:4]) < set(fragments)
    assert _stats(tmp_path / "work", work[:4]) == {n: work_before[n] for n in work[:4]}
    fresh = tmp_path / "fresh"
    shutil.copytree(tmp_path / "raw", fresh / "raw")
    assert _build(fresh).success
    for n in curated:
        assert (tmp_path / "curated" / n).read_bytes() == (fresh / "curated" / n).read_bytes(), n


def test_one_bad_file_never_fails_the_run(tmp_path: Path) -> None:
    corpus = load_corpus()
    stage({SEEDS[1]: corpus[SEEDS[1]]}, tmp_path / "raw")
    (tmp_path / "raw" / "broken.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    (tmp_path / "raw" / "empty.html").write_bytes(b"")
    assert _build(tmp_path).success
    notices = {n["notice_id"]: n for n in _rows(tmp_path, "notices")}
    assert notices["broken"]["status"] == "rejected" and "binary" in notices["broken"]["status_reason"]
    assert notices["empty"]["status_reason"] == "empty file"
    assert notices[SEEDS[1]]["status"] == "ok"


def test_sensor_requests_a_run_when_the_raw_folder_changes(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    paths = JiandingPaths(
        raw_dir=str(tmp_path / "raw"), curated_dir=str(tmp_path / "c"), work_dir=str(tmp_path / "w")
    )
    sensor = make_definitions(paths).resolve_sensor_def("raw_folder_sensor")
    first = sensor(dg.build_sensor_context(cursor=None, resources={"paths": paths}))
    assert len(first.run_requests) == 1
    cursor = first.cursor
    unchanged = sensor(dg.build_sensor_context(cursor=cursor, resources={"paths": paths}))
    assert not unchanged.run_requests
    (tmp_path / "raw" / "new.txt").write_text("新通报", encoding="utf-8")
    changed = sensor(dg.build_sensor_context(cursor=cursor, resources={"paths": paths}))
    assert len(changed.run_requests) == 1 and changed.cursor == raw_folder_fingerprint(paths) != cursor


def test_cli_build_prints_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = load_corpus()
    stage({SEEDS[0]: corpus[SEEDS[0]]}, tmp_path / "raw")
    code = cli_main(
        ["build", "--raw-dir", str(tmp_path / "raw"), "--curated-dir", str(tmp_path / "curated"), "--quiet"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "1 notices: 1 ok, 0 irrelevant, 0 rejected" in out and "institutions.parquet  63 rows" in out
    assert (
        cli_main(["build", "--raw-dir", str(tmp_path / "missing"), "--curated-dir", str(tmp_path / "c")]) == 2
    )


def test_data_dictionary_in_repo_is_current() -> None:
    from pathlib import Path

    from pipeline.registry import data_dictionary

    doc = Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md"
    assert doc.read_text(encoding="utf-8").strip() == data_dictionary().strip(), "run `make dictionary`"


def test_a_dagster_run_publishes_the_curated_tables_as_one_set(seeds_built: Path) -> None:
    """A run that is not `jianding build` (UI, sensor) still stages and swaps the tables in as a set."""
    curated = seeds_built / "curated"
    assert not (curated / ".staging").exists() and not (curated / ".jianding-publish.json").exists()
    assert (curated / ".jianding.lock").exists()
    assert {p.name for p in curated.glob("*.parquet")} == {f"{t.name}.parquet" for t in CURATED_TABLES}


def test_a_reader_that_closes_the_pipe_does_not_cost_the_build(tmp_path: Path) -> None:
    """`jianding build … | head -1`: the build is published even though the summary cannot be printed."""
    import os
    import subprocess
    import sys

    corpus = load_corpus()
    stage({SEEDS[1]: corpus[SEEDS[1]]}, tmp_path / "raw")
    cmd = [
        sys.executable,
        "-m",
        "pipeline",
        "build",
        "--raw-dir",
        str(tmp_path / "raw"),
        "--curated-dir",
        str(tmp_path / "curated"),
        "--quiet",
    ]
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dh")}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.close()  # the reader is gone before the summary is printed
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert b"BrokenPipeError" not in err
    assert len(_rows(tmp_path, "notices")) == 1


def test_review_fixes_ids_ordinals_work_folders_and_sensor(tmp_path: Path) -> None:
    from pipeline.curate import notice_ids
    from pipeline.defs.resources import default_work_dir
    from pipeline.extract.items import ordinal

    # a stem that equals another file's full name never shares its notice_id
    ids = notice_ids([{"source_path": p} for p in ("a.txt", "a.htm", "a.txt.htm", "b.txt")])
    assert len(set(ids.values())) == 4 and ids["b.txt"] == "b"
    # an absurd "ordinal" is not a number that could overflow institution_number (int32)
    assert ordinal("甘肃省第一二三四五六七八九〇一职业技能鉴定所") is None
    assert ordinal("甘肃省第八十五国家职业技能鉴定所") == 85
    # two outputs in one parent folder never share a work folder (they would publish each other's rows)
    assert default_work_dir(tmp_path / "a") != default_work_dir(tmp_path / "b")
    # a file added and then removed returns the folder to a known fingerprint: still a run request
    (tmp_path / "raw").mkdir()
    paths = JiandingPaths(raw_dir=str(tmp_path / "raw"), curated_dir=str(tmp_path / "c"))
    sensor = make_definitions(paths).resolve_sensor_def("raw_folder_sensor")
    empty = sensor(dg.build_sensor_context(cursor=None, resources={"paths": paths})).cursor
    (tmp_path / "raw" / "x.txt").write_text("通报", encoding="utf-8")
    added = sensor(dg.build_sensor_context(cursor=empty, resources={"paths": paths}))
    (tmp_path / "raw" / "x.txt").unlink()
    removed = sensor(dg.build_sensor_context(cursor=added.cursor, resources={"paths": paths}))
    assert len(removed.run_requests) == 1 and removed.run_requests[0].run_key is None
    assert removed.cursor == empty


def test_a_file_that_vanished_is_read_again_next_run(tmp_path: Path) -> None:
    from pipeline.ingest import build_manifest
    from pipeline.normalize import normalize_notices

    corpus = load_corpus()
    stage({SEEDS[1]: corpus[SEEDS[1]]}, tmp_path / "raw")
    manifest = build_manifest(tmp_path / "raw")
    path = tmp_path / "raw" / f"{SEEDS[1]}.txt"
    path.rename(tmp_path / "away.txt")
    rows, _ = normalize_notices(tmp_path / "raw", manifest, [])
    assert rows[0]["status"] == "rejected" and "vanished" in rows[0]["status_reason"]
    (tmp_path / "away.txt").rename(path)
    rows, processed = normalize_notices(tmp_path / "raw", manifest, rows)
    assert processed == 1 and rows[0]["status"] == "ok"


def test_cli_build_says_what_is_wrong_with_its_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # issue 12, item 11: a curated path that is a file, or that cannot be written, gave a traceback;
    # an empty raw folder built nothing without a word
    raw = tmp_path / "raw"
    raw.mkdir()
    (tmp_path / "a_file").write_text("x")
    for curated in (tmp_path / "a_file", tmp_path / "a_file" / "below"):
        assert cli_main(["build", "--raw-dir", str(raw), "--curated-dir", str(curated), "--quiet"]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: the curated folder {curated} ") and "Traceback" not in err
    assert (
        "is a file, not a folder"
        in (
            cli_main(
                [
                    "build",
                    "--raw-dir",
                    str(raw),
                    "--curated-dir",
                    str(tmp_path / "c"),
                    "--work-dir",
                    str(tmp_path / "a_file"),
                ]
            ),
            capsys.readouterr().err,
        )[1]
    )
    assert cli_main(["build", "--raw-dir", str(raw), "--curated-dir", str(tmp_path / "c"), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert f"warning: the raw folder {raw} holds no files" in captured.err
    assert "0 notices" in captured.out
