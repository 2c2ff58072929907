"""What the Dagster UI shows: column schemas from the registry, typed previews, kinds, owners, code
versions, blocking and warning checks that run on their own, and a sensor that stays quiet when
nothing changed since the last build."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from pipeline import registry, versions
from pipeline.defs import BUILD_JOB, JiandingPaths, make_definitions
from pipeline.defs.checks import BLOCKING, CURATED_CHECKS
from pipeline.defs.sensors import raw_folder_fingerprint
from tests.conftest import ROOT

TABLE_OF = {
    "raw_notices": registry.RAW_MANIFEST,
    "normalized_notices": registry.NORMALIZED_NOTICES,
    "notice_records": registry.NOTICE_RECORDS,
    "institution_grades": registry.INSTITUTION_GRADES,
    "appraisal_figures": registry.APPRAISAL_FIGURES,
    **{f"curated/{t.name}": t for t in registry.CURATED_TABLES},
}


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[JiandingPaths, dg.DagsterInstance, dg.Definitions]:
    """data/raw built once into a persistent (temporary-folder) instance, as the UI's would be."""
    tmp = tmp_path_factory.mktemp("pages")
    shutil.copytree(ROOT / "data" / "raw", tmp / "raw")
    paths = JiandingPaths(
        raw_dir=str(tmp / "raw"), curated_dir=str(tmp / "curated"), work_dir=str(tmp / "work")
    )
    (tmp / "home").mkdir()
    instance = dg.DagsterInstance.from_config(str(tmp / "home"))
    defs = make_definitions(paths)
    assert defs.resolve_job_def(BUILD_JOB).execute_in_process(instance=instance).success
    yield paths, instance, defs
    instance.dispose()


def test_every_table_asset_declares_its_registry_columns_kinds_owners_and_code_version() -> None:
    graph = make_definitions().resolve_asset_graph()
    for key, table in TABLE_OF.items():
        node = graph.get(dg.AssetKey.from_user_string(key))
        schema = node.metadata["dagster/column_schema"]
        assert [c.name for c in schema.columns] == table.column_names, key
        assert all(c.description for c in schema.columns) and {c.type for c in schema.columns} <= {
            "string",
            "int32",
            "int64",
            "float64",
            "bool",
            "date32",
            "list<string>",
        }
        assert node.kinds == {"python", "parquet"} and node.owners == ["team:jianding"], key
        assert node.code_version == versions.ASSET_VERSIONS[node.group_name], key
    report = graph.get(dg.AssetKey("curated_report"))
    assert report.code_version and "html" in report.kinds and "`<curated>/report/`" in report.description
    assert len(set(versions.ASSET_VERSIONS.values())) == len(versions.ASSET_VERSIONS)


def test_previews_are_typed_tables_with_rounded_numbers(built) -> None:
    paths, instance, _ = built
    event = instance.get_latest_materialization_event(dg.AssetKey(["curated", "region_year"]))
    meta = event.asset_materialization.metadata
    preview = meta["preview"]
    assert isinstance(preview, dg.TableMetadataValue)
    types = {c.name: c.type for c in preview.schema.columns}
    assert types["pass_rate"] == "float64" and types["n_evaluated"] == "int32"
    rates = [r.data["pass_rate"] for r in preview.records if r.data["pass_rate"] is not None]
    assert rates and all(round(r, 3) == r for r in rates)
    assert meta["dagster/row_count"].value == 11
    assert meta["path"].value == str(paths.curated / "region_year.parquet")


def test_a_cli_build_names_the_published_paths_not_the_staging_folder(built, tmp_path: Path) -> None:
    from pipeline.defs.assets import published_folder

    paths, _, _ = built
    # `jianding build` names the folder it publishes into: no folder name is taken for a staging one
    staged = JiandingPaths(
        raw_dir=paths.raw_dir, curated_dir=str(tmp_path / "scratch"), published_dir=str(tmp_path)
    )
    assert published_folder(staged) == tmp_path and published_folder(paths) == paths.curated
    named = JiandingPaths(raw_dir=paths.raw_dir, curated_dir=str(tmp_path / ".staging"))
    assert published_folder(named) == tmp_path / ".staging"


def test_contract_checks_block_and_quality_checks_warn() -> None:
    specs = {(s.asset_key.path[-1], s.name): s for s in CURATED_CHECKS}
    assert {k for k, s in specs.items() if s.blocking} == BLOCKING
    assert not specs[("notices", "stated_matches_listed")].blocking
    assert specs[("notices", "every_raw_file_has_a_row")].blocking


def test_one_check_runs_on_its_own_on_the_published_files(built) -> None:
    _, instance, defs = built
    key = dg.AssetCheckKey(dg.AssetKey(["curated", "institutions"]), "unique_keys")
    job = dg.define_asset_job("one_check", selection=dg.AssetSelection.checks(key))
    defs = dg.Definitions.merge(defs, dg.Definitions(jobs=[job]))
    result = defs.resolve_job_def("one_check").execute_in_process(instance=instance)
    assert result.success and not result.get_asset_materialization_events()
    (evaluation,) = result.get_asset_check_evaluations()
    assert evaluation.asset_check_key == key and evaluation.passed
    assert evaluation.metadata["checked"].value == 136


def test_the_sensor_starts_no_build_when_nothing_changed_since_the_last_build(built) -> None:
    paths, instance, defs = built
    sensor = defs.resolve_sensor_def("raw_folder_sensor")
    # a first tick (no cursor) right after a build: the folder is as the build saw it
    first = sensor(dg.build_sensor_context(cursor=None, instance=instance, resources={"paths": paths}))
    assert not first.run_requests and first.cursor == raw_folder_fingerprint(paths)
    (paths.raw / "new.txt").write_text("新通报", encoding="utf-8")
    try:
        changed = sensor(dg.build_sensor_context(cursor=None, instance=instance, resources={"paths": paths}))
        assert len(changed.run_requests) == 1
    finally:
        (paths.raw / "new.txt").unlink()
    assert sensor.description and defs.resolve_schedule_def("nightly_build").description


def test_the_fingerprint_does_not_depend_on_how_the_folder_is_named(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text("通报", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    relative = raw_folder_fingerprint(JiandingPaths(raw_dir="raw"))
    assert relative == raw_folder_fingerprint(JiandingPaths(raw_dir=str(tmp_path / "raw")))


def test_runs_are_tagged_with_their_output_folder_and_limited_to_one_at_a_time(built) -> None:
    paths, _, defs = built
    tags = defs.resolve_job_def(BUILD_JOB).tags
    assert tags["jianding/curated"] == paths.curated_dir and tags["jianding/build"] == "1"


def test_dg_check_defs_passes_with_one_code_location_name() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert (
        config["tool"]["dg"]["project"]["code_location_name"]
        == config["tool"]["dagster"]["code_location_name"]
    )
    dg_cli = Path(sys.executable).with_name("dg")  # dagster-dg-cli, a dependency of the project
    proc = subprocess.run(
        [str(dg_cli), "check", "defs"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "All definitions loaded successfully" in proc.stdout
