"""`jianding` on the command line: the summary tells what was built, rejected, flagged and checked;
exit codes, --json, --strict, --version, one-line errors, progress on a terminal only."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import dagster as dg
import pytest

from pipeline import cli, progress
from pipeline.curate import checks as check_logic
from pipeline.defs import checks
from tests.conftest import ROOT

BINARY = b"\x00\x01\x02binary\xff\xfe" * 50


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/raw (10 notices: 5 ok, 5 irrelevant; one list cut off) plus two files that cannot be read."""
    folder = tmp_path_factory.mktemp("cli") / "raw"
    shutil.copytree(ROOT / "data" / "raw", folder)
    (folder / "broken.txt").write_bytes(BINARY)
    (folder / "empty.html").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def built(raw: Path) -> tuple[Path, dict]:
    """One build with --json, and what it printed; no DAGSTER_HOME, as from a user's shell."""
    out = raw.parent / "curated"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("DAGSTER_HOME", raising=False)
        buffer = io.StringIO()
        mp.setattr("sys.stdout", buffer)
        code = cli.main(["build", "--raw-dir", str(raw), "--curated-dir", str(out), "--json"])
    assert code == cli.EXIT_BUILT
    return out, json.loads(buffer.getvalue())


def test_json_summary_names_rejected_files_warnings_checks_and_report(built: tuple[Path, dict]) -> None:
    out, facts = built
    assert facts["notices"] == {"total": 12, "ok": 5, "irrelevant": 5, "rejected": 2, "with_warnings": 2}
    rejected = {r["path"]: r["reason"] for r in facts["rejected"]}
    assert rejected["empty.html"] == "empty file" and "binary content" in rejected["broken.txt"]
    assert facts["warnings"]["list_cut_off"]["examples"] == ["pfc9c152809.txt"]
    assert facts["warnings"]["region_inferred"]["severity"] == "info"
    assert len(facts["checks"]) == len(checks.CURATED_CHECKS) and all(c["passed"] for c in facts["checks"])
    assert {c["check"] for c in facts["checks"] if c["blocking"]} >= {
        "unique_keys",
        "every_raw_file_has_a_row",
    }
    assert facts["report"] == str(out / "report" / "index.html") and Path(facts["report"]).exists()
    assert facts["tables"]["institutions"]["rows"] == 136 and facts["published"] is True


def test_text_summary_reads_like_the_json(built: tuple[Path, dict]) -> None:
    from pipeline import summary

    text = summary.render(built[1])
    assert "12 notices: 5 ok, 5 irrelevant, 2 rejected; 2 with warnings" in text
    assert "  empty.html: empty file" in text and "  list_cut_off: 1 notices: pfc9c152809.txt" in text
    assert "region_inferred (info)" in text and f"checks: {len(checks.CURATED_CHECKS)} of" in text
    assert text.endswith(f"report: {built[0] / 'report' / 'index.html'}")


def test_cli_runs_are_tagged_and_kept_apart_from_the_uis_instance(
    built: tuple[Path, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, facts = built
    # without DAGSTER_HOME, a build of another folder than the UI's has an instance of its own
    with dg.DagsterInstance.from_config(str(out / ".dagster")) as instance:
        run = instance.get_run_by_id(facts["run_id"])
    assert run.tags[cli.RUN_TAG_CURATED] == str(out.resolve()) and run.tags["jianding/build"] == "1"
    monkeypatch.delenv("DAGSTER_HOME")
    monkeypatch.chdir(out.parent)
    assert cli.instance_home(out / "elsewhere") == (out / "elsewhere").resolve() / ".dagster"
    assert cli.instance_home(Path("data/curated")) == (out.parent / ".dagster").resolve()


def test_a_failed_blocking_check_is_reported_and_strict_publishes_nothing(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = check_logic.duplicate_keys

    def one_duplicate(table, keys):  # institution_history's keys repeat: a contract violation
        return (["('k', 2014)"], 1) if "institution_key" in keys else real(table, keys)

    monkeypatch.setattr(check_logic, "duplicate_keys", one_duplicate)
    args = ["build", "--raw-dir", str(raw), "--quiet"]
    assert cli.main([*args, "--curated-dir", str(tmp_path / "a")]) == cli.EXIT_BUILT
    out = capsys.readouterr().out
    assert "FAILED (BLOCKING) curated/institution_history unique_keys (failures: 1)" in out
    assert "report: not drawn (a blocking check failed)" in out
    assert (tmp_path / "a" / "notices.parquet").exists()  # without --strict, the tables are published

    assert cli.main([*args, "--curated-dir", str(tmp_path / "b"), "--strict"]) == cli.EXIT_BLOCKED
    captured = capsys.readouterr()
    assert "build BLOCKED (--strict): curated/institution_history unique_keys failed" in captured.err
    assert not (tmp_path / "b" / "notices.parquet").exists()


def test_version_usage_and_one_line_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.startswith("jianding 0.")
    with pytest.raises(SystemExit) as exit_:
        cli.main(["build", "--no-such-flag"])
    assert exit_.value.code == cli.EXIT_USAGE
    capsys.readouterr()
    assert cli.main(["build", "--raw-dir", str(tmp_path / "missing")]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: the raw folder {tmp_path / 'missing'}")

    def broken(args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "COMMANDS", [("build", cli.add_build, broken)])
    assert cli.main(["build"]) == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert err == "error: OSError: [Errno 28] No space left on device\n"


def test_a_pipeline_failure_exits_1_in_one_line(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline import curate

    def fails(*args, **kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(curate, "write_curated", fails)
    code = cli.main(["build", "--raw-dir", str(raw), "--curated-dir", str(tmp_path / "c"), "--quiet"])
    assert code == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert "build FAILED after" in err and "step curated_tables: MemoryError: out of memory" in err
    assert f"{tmp_path / 'c'} is unchanged" in err and not (tmp_path / "c" / "notices.parquet").exists()
    code = cli.main(["build", "--raw-dir", str(raw), "--curated-dir", str(tmp_path / "c"), "--json"])
    assert json.loads(capsys.readouterr().out) == {
        "published": False,
        "exit_code": cli.EXIT_FAILED,
        "error": "step curated_tables: MemoryError: out of memory",
    }


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only() -> None:
    assert progress.line("extract", 250, 1000, 2.0) == "extract: 25% (125 notices/s, about 6s left)"
    quiet = io.StringIO()
    with progress.on_terminal(quiet) as shown:
        progress.update("normalize", 1, 10)
    assert shown is False and quiet.getvalue() == ""
    tty = _Terminal()
    with progress.on_terminal(tty, interval=0) as shown:
        progress.update("normalize", 1, 10)
        progress.update("normalize", 10, 10)
    assert shown and "normalize: 10% (" in tty.getvalue() and "notices/s" in tty.getvalue()
    progress.update("normalize", 1, 10)  # no display installed: nothing, no error


def test_the_bulk_map_reports_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import parallel

    seen: list[tuple[str, int, int]] = []
    monkeypatch.setattr(progress, "_sink", lambda *a: seen.append(a))
    assert parallel.ordered_map(str, [1, 2, 3], n_workers=1) == ["1", "2", "3"]
    assert seen == [("builtins", 1, 3), ("builtins", 2, 3), ("builtins", 3, 3)]
    assert parallel._step_name(parallel.ordered_map) == "parallel"


def test_the_instance_runs_one_build_at_a_time_and_old_configs_are_brought_up_to_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    config = cli.ensure_dagster_home() / "dagster.yaml"
    with dg.DagsterInstance.get() as instance:  # every launched run, UI's "Materialize all" included
        assert instance.run_coordinator.inst_data.config_dict["max_concurrent_runs"] == 1
    # a config an earlier version wrote (tag limit only) is rewritten; one a person wrote is kept
    config.write_text("# local instance of the jianding pipeline (run history, sensor cursors)\n")
    cli.ensure_dagster_home()
    assert "max_concurrent_runs: 1" in config.read_text(encoding="utf-8")
    config.write_text("run_coordinator: {}\n")
    cli.ensure_dagster_home()
    assert config.read_text(encoding="utf-8") == "run_coordinator: {}\n"


def _runs(home: Path) -> int:
    with dg.DagsterInstance.from_config(str(home)) as instance:
        return len(instance.get_runs())


def _published_bytes(curated: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(curated.glob("*.parquet"))}


def test_a_build_with_nothing_changed_runs_nothing(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    folder, curated = tmp_path / "raw", tmp_path / "curated"
    shutil.copytree(raw, folder)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    args = ["build", "--raw-dir", str(folder), "--curated-dir", str(curated), "--json"]

    def build(*extra: str) -> dict:
        assert cli.main([*args, *extra]) == cli.EXIT_BUILT
        return json.loads(capsys.readouterr().out)

    first = build()
    assert "up_to_date" not in first and _runs(tmp_path / "home") == 1
    published = _published_bytes(curated)
    again = build()  # nothing changed: the last summary, and no Dagster run
    assert again["up_to_date"] and _runs(tmp_path / "home") == 1
    assert {k: v for k, v in again.items() if k not in ("up_to_date", "elapsed_s")} == {
        k: v for k, v in first.items() if k != "elapsed_s"
    }
    assert list(again["warnings"]) == list(first["warnings"])  # in the order the build printed them
    assert _published_bytes(curated) == published
    assert cli.main([*args[:-1], "--quiet"]) == cli.EXIT_BUILT
    assert capsys.readouterr().out.startswith("up to date (")
    assert "up_to_date" not in build("--force") and _runs(tmp_path / "home") == 2
    # anything a build depends on changed: it runs
    target = folder / "p087ac3890c.txt"
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched, same bytes
    assert "up_to_date" not in build() and _runs(tmp_path / "home") == 3
    assert build()["up_to_date"]
    monkeypatch.setenv("JIANDING_MAX_BYTES", "100")  # a setting that changes what is read
    assert "up_to_date" not in build()
    monkeypatch.delenv("JIANDING_MAX_BYTES")
    assert "up_to_date" not in build()
    (curated / "institutions.parquet").unlink()  # a published file that is not the last build's
    assert "up_to_date" not in build() and _published_bytes(curated) == published
    assert build()["up_to_date"] and _runs(tmp_path / "home") == 6


def test_a_notice_that_failed_for_a_reason_of_the_moment_is_tried_again(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline import uptodate

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    curated = tmp_path / "curated"
    args = ["build", "--raw-dir", str(raw), "--curated-dir", str(curated), "--quiet"]
    assert cli.main(args) == cli.EXIT_BUILT
    work = curated / ".work"
    assert uptodate.unchanged(raw, curated, work) is not None
    entry = json.loads((work / uptodate.RECORD_NAME).read_text(encoding="utf-8"))
    (work / uptodate.RECORD_NAME).write_text(json.dumps({**entry, "retry": True}), encoding="utf-8")
    assert uptodate.unchanged(raw, curated, work) is None  # e.g. a notice over its time budget
    capsys.readouterr()
    assert cli.main(args) == cli.EXIT_BUILT and capsys.readouterr().out.startswith("built in")
