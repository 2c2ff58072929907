"""`jianding`: build the dataset through Dagster, open the Dagster UI, print the data dictionary.

Exit codes: 0 built; 1 the pipeline failed (nothing published); 2 usage (bad arguments, a folder
that cannot be read or written); 3 with --strict only: a blocking check failed (nothing published).
One bad notice never changes the exit code: it is a row with a status and a reason.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from . import registry

EXIT_BUILT, EXIT_FAILED, EXIT_USAGE, EXIT_BLOCKED = 0, 1, 2, 3
RUN_TAG_CURATED = "jianding/curated"  # every build run is tagged with the folder it writes
_INSTANCE_CONFIG = (
    "# local instance of the jianding pipeline (run history, sensor cursors); written by jianding\n"
    "telemetry:\n  enabled: false\n"
    "# one build at a time, however it is launched (CLI, UI, sensor, schedule): builds share the\n"
    "# work and curated folders\n"
    "run_queue:\n  max_concurrent_runs: 1\n"
    "  tag_concurrency_limits:\n    - key: jianding/build\n      limit: 1\n"
)


class CliError(Exception):
    """A problem to report in one line (never a traceback), with the exit code it ends in."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def instance_home(curated_dir: Any = None) -> Path:
    """The Dagster instance folder: $DAGSTER_HOME when set; else ./.dagster for the curated folder the
    UI shows (JIANDING_CURATED_DIR, default data/curated) and `<curated>/.dagster` for any other local
    one, so a scratch build never appears in the UI's history of the main dataset."""
    from . import storage

    if os.environ.get("DAGSTER_HOME"):
        return Path(os.environ["DAGSTER_HOME"]).resolve()
    ui_folder = Path(os.environ.get("JIANDING_CURATED_DIR", "data/curated")).resolve()
    if curated_dir is None or storage.is_remote(curated_dir) or Path(curated_dir).resolve() == ui_folder:
        return (Path.cwd() / ".dagster").resolve()
    return Path(curated_dir).resolve() / ".dagster"


def ensure_dagster_home(curated_dir: Any = None) -> Path:
    """Create the instance folder and its dagster.yaml (SQLite storage, one run at a time); export it."""
    home = instance_home(curated_dir)
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    # a config this tool wrote is kept current; one a person wrote is theirs
    current = config.read_text(encoding="utf-8") if config.exists() else None
    if current is None or (current.startswith(_INSTANCE_CONFIG[:40]) and current != _INSTANCE_CONFIG):
        config.write_text(_INSTANCE_CONFIG, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def version() -> str:
    try:
        return metadata.version("jianding")
    except metadata.PackageNotFoundError:
        return "unknown"


# ---- dev -------------------------------------------------------------------------------------------


def add_dev(sub: Any) -> None:
    d = sub.add_parser("dev", help="open the Dagster UI and daemon (bound to 127.0.0.1 unless --host)")
    d.add_argument("--host", default="127.0.0.1")
    d.add_argument("--port", type=int, default=3000)


def run_dev(args: argparse.Namespace) -> int:
    """The Dagster UI and daemon (sensor, schedule) through `dg dev` on the project's instance."""
    ensure_dagster_home()
    root = Path(__file__).resolve().parents[1]
    if not (root / "pyproject.toml").exists():
        raise CliError(f"`jianding dev` needs the project folder (pyproject.toml); not found at {root}")
    dg = Path(sys.executable).with_name("dg")
    cmd = [str(dg), "dev", "--host", args.host, "--port", str(args.port), "--target-path", str(root)]
    if not dg.exists():
        raise CliError(
            f"the `dg` command is not installed beside {sys.executable} (pip install dagster-dg-cli)"
        )
    os.execv(cmd[0], cmd)
    return EXIT_BUILT


# ---- dictionary ------------------------------------------------------------------------------------


def add_dictionary(sub: Any) -> None:
    sub.add_parser(
        "dictionary", help="print the data dictionary (Markdown) generated from the column registry"
    )


def run_dictionary(args: argparse.Namespace) -> int:
    print(registry.data_dictionary())
    return EXIT_BUILT


# ---- build -----------------------------------------------------------------------------------------


def add_build(sub: Any) -> None:
    b = sub.add_parser(
        "build",
        help="raw notices -> curated Parquet, through Dagster",
        description="Build <curated> from <raw> and print what was built, rejected and flagged. " + __doc__,
    )
    b.add_argument("--raw-dir", type=Path, default=Path(os.environ.get("JIANDING_RAW_DIR", "data/raw")))
    b.add_argument(
        "--curated-dir",
        type=_folder,
        default=os.environ.get("JIANDING_CURATED_DIR", "data/curated"),
        help="a folder or an object-store URL (s3://bucket/curated)",
    )
    b.add_argument(
        "--work-dir",
        type=_folder,
        default=os.environ.get("JIANDING_WORK_DIR"),
        help="cache and step outputs (default: <curated>/.work; data/work for a remote curated folder)",
    )
    b.add_argument(
        "--quiet", action="store_true", help="no Dagster log: only the summary and one-line errors"
    )
    b.add_argument(
        "--json", action="store_true", help="print the summary as one JSON object (implies --quiet)"
    )
    b.add_argument(
        "--strict", action="store_true", help="exit 3 and publish nothing when a blocking check fails"
    )
    b.add_argument(
        "--force",
        action="store_true",
        help="run the build even when nothing changed since the last one (see pipeline/uptodate.py)",
    )


def _folder(text: str) -> Any:
    """A local Path, or a UPath for an object-store URL (argparse's Path would mangle s3://…)."""
    from . import storage

    return storage.as_folder(text)


def run_build(args: argparse.Namespace) -> int:
    """Run the build job. A local curated folder is locked for the whole build and the run writes into
    `<curated>/.staging/`, swapped in as one set only when the run succeeded (publish.publishing):
    a failed, killed or concurrent build never leaves a half-written or mixed set behind."""
    from . import storage

    raw_dir, curated_dir = args.raw_dir, args.curated_dir
    if not raw_dir.is_dir():
        raise CliError(f"the raw folder {raw_dir} does not exist or is not a folder")
    work_dir = args.work_dir or storage.as_folder(storage.default_work_dir(curated_dir))
    for name, folder in (("curated", curated_dir), ("work", work_dir)):
        if problem := _unwritable(folder):
            raise CliError(f"the {name} folder {folder} {problem}")
    if not any(not n.startswith(".") for _, _, names in os.walk(raw_dir) for n in names):
        print(f"warning: the raw folder {raw_dir} holds no files: the tables will be empty", file=sys.stderr)
    build = _Build(raw_dir, curated_dir, work_dir, quiet=args.quiet or args.json, strict=args.strict)
    local = not storage.is_remote(curated_dir) and not storage.is_remote(work_dir)
    if local and not args.force and (facts := _up_to_date(raw_dir, curated_dir, work_dir)) is not None:
        _say(json.dumps(facts, ensure_ascii=False, indent=1) if args.json else _render(facts))
        return EXIT_BUILT
    if storage.is_remote(curated_dir):  # object stores: one atomic PUT per file, no lock
        code, facts = build.run(curated_dir)
    else:
        code, facts = _locked_build(build)
    if facts is None and args.json:  # a machine reading stdout learns of the failure too
        facts = {"published": False, "exit_code": code, "error": build.error}
    if facts is not None:  # printed only after the publish: a closed stdout (`| head`) never costs the build
        _say(json.dumps(facts, ensure_ascii=False, indent=1) if args.json else _render(facts))
    return code


def _raw_state(raw_dir: Path) -> str:
    from . import uptodate

    return uptodate.raw_state(raw_dir)


def _up_to_date(raw_dir: Path, curated: Path, work: Path) -> dict | None:
    """The last build's summary, marked up to date, when nothing changed since (pipeline/uptodate.py)."""
    from . import uptodate

    started = time.perf_counter()
    facts = uptodate.unchanged(raw_dir, curated, work)
    if facts is None:
        return None
    return {**facts, "up_to_date": True, "elapsed_s": round(time.perf_counter() - started, 2)}


def _record(raw_dir: Path, curated: Path, work: Path, state: str, facts: dict | None) -> None:
    """Record what a published build was made from; forget the record of one that published nothing."""
    from . import storage, uptodate

    if facts is None or not facts.get("published"):
        uptodate.clear(work)
        return
    retry = any(r["reason"].startswith(storage.TRANSIENT_REASONS) for r in facts["rejected"] if r["reason"])
    uptodate.record(raw_dir, curated, work, state, facts, retry)


def _locked_build(build: _Build) -> tuple[int, dict | None]:
    from . import publish

    curated = build.curated_dir

    def waiting(lock: Path) -> None:
        print(f"waiting for another build of {curated} to finish (lock {lock})", file=sys.stderr)

    # the curated folder's lock, and the work folder's (its own, or one shared with other outputs)
    with publish.build_lock(curated, on_wait=waiting), publish.build_lock(build.work_dir, on_wait=waiting):
        local_work = build.work_dir if isinstance(build.work_dir, Path) else None
        state = _raw_state(build.raw_dir)  # before the build: a file changed meanwhile is news
        code, facts, published = EXIT_FAILED, None, None
        try:
            with publish.publishing(curated, local_work) as publication:
                if publication.recovered == "rolled forward":
                    print(f"completed the publish an interrupted build left in {curated}", file=sys.stderr)
                code, facts = build.run(publication.folder)
                if facts is None or code == EXIT_BLOCKED:
                    publication.cancel()
            if publication.published:
                facts = published = _published(facts, curated)
        finally:  # under the lock: what is recorded is what this build published
            if local_work is not None:
                _record(build.raw_dir, curated, local_work, state, published if code == EXIT_BUILT else None)
    return code, facts


def _published(facts: dict, curated: Path) -> dict:
    """The summary with the report's path checked in the published folder (not the staging one)."""
    page = curated / "report" / "index.html"
    return {**facts, "report": str(page) if facts.get("report") and page.exists() else None}


class _Build:
    """One execution of the build job, and what to make of its result."""

    def __init__(self, raw_dir: Path, curated_dir: Any, work_dir: Any, quiet: bool, strict: bool) -> None:
        self.raw_dir, self.curated_dir, self.work_dir = raw_dir, curated_dir, work_dir
        self.quiet, self.strict = quiet, strict
        self.error: str | None = None  # why the run failed, when it did

    def run(self, out_dir: Any) -> tuple[int, dict | None]:
        """Execute the job writing curated files to `out_dir`: (exit code, the summary's facts or None
        when there is nothing to publish)."""
        from . import progress, summary
        from .defs import BUILD_JOB, JiandingPaths, make_definitions

        paths = JiandingPaths(  # this build publishes `out_dir` into its curated folder itself
            raw_dir=str(self.raw_dir),
            curated_dir=str(out_dir),
            work_dir=str(self.work_dir),
            published_dir=str(self.curated_dir),
        )
        job = make_definitions(paths).resolve_job_def(BUILD_JOB)
        started = time.perf_counter()
        with _instance(self.curated_dir) as instance, progress.on_terminal(sys.stderr):
            result = job.execute_in_process(
                instance=instance,
                raise_on_error=False,
                tags={RUN_TAG_CURATED: _shown(self.curated_dir)},
                run_config={
                    "loggers": {"console": {"config": {"log_level": "CRITICAL" if self.quiet else "INFO"}}}
                },
            )
        elapsed = time.perf_counter() - started
        checks = [summary.check_outcome(e) for e in result.get_asset_check_evaluations()]
        blocked = [c for c in checks if c["blocking"] and not c["passed"]]
        if not result.success and not _only_blocked(result):
            self.error = _first_error(result)
            print(
                f"build FAILED after {elapsed:.1f}s: {self.error}; {self.curated_dir} is unchanged "
                f"(full log: run {result.run_id} in {os.environ['DAGSTER_HOME']}, or build without --quiet)",
                file=sys.stderr,
            )
            return EXIT_FAILED, None
        facts = summary.collect(out_dir, elapsed, checks, shown_as=self.curated_dir)
        facts["run_id"] = result.run_id
        if blocked and self.strict:
            names = ", ".join(f"{c['asset']} {c['check']}" for c in blocked)
            print(
                f"build BLOCKED (--strict): {names} failed; {self.curated_dir} is unchanged", file=sys.stderr
            )
            return EXIT_BLOCKED, {**facts, "published": False}
        return EXIT_BUILT, {**facts, "published": True}


def _shown(folder: Any) -> str:
    return str(folder.resolve()) if isinstance(folder, Path) else str(folder)


def _only_blocked(result: Any) -> bool:
    """Whether every failed step failed only because a blocking check did (the tables were written)."""
    failures = result.get_step_failure_events()
    return bool(failures) and all(
        (
            f.step_failure_data.error is not None
            and f.step_failure_data.error.cls_name == "DagsterAssetCheckFailedError"
        )
        for f in failures
    )


def _first_error(result: Any) -> str:
    """The first step failure's message, on one line."""
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        if error is not None:
            cause = error.cause or error  # Dagster's wrapper, caused by the step's own error
            return f"step {event.step_key}: {' '.join(cause.message.split())[:300]}"
    return "see the errors above"


def _instance(curated_dir: Any) -> Any:
    from dagster import DagsterInstance

    ensure_dagster_home(curated_dir)
    return DagsterInstance.get()


def _render(facts: dict) -> str:
    from . import summary

    text = summary.render(facts)
    return text if facts.get("published", True) else text + "\n(not published: --strict)"


def _unwritable(folder: Any) -> str | None:
    """Why the build cannot write into a local `folder` (a file, not creatable, read-only), else None."""
    from . import storage

    if storage.is_remote(folder):
        return None
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        return "is a file, not a folder"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".jianding-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return f"cannot be written: {exc.strerror or exc}"
    return None


def _say(text: str) -> None:
    """Print the summary; a reader that went away (a closed pipe) is not an error of the build."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit


# ---- the command line ------------------------------------------------------------------------------


# one entry per sub-command: (name, adds its arguments, runs it); a new command is one more line
def add_fetch(sub: Any) -> None:
    f = sub.add_parser("fetch", help="fetch notices and attachments from the web into the raw folder")
    f.add_argument("url", nargs="*", help="notice page URLs (instead of --sources and --listings)")
    f.add_argument(
        "--sources", type=Path, default=Path(os.environ.get("JIANDING_SOURCES", "data/sources.csv"))
    )
    f.add_argument(
        "--listings", type=Path, default=Path(os.environ.get("JIANDING_LISTINGS", "data/listings.csv"))
    )
    f.add_argument("--raw-dir", type=Path, default=Path(os.environ.get("JIANDING_RAW_DIR", "data/raw")))
    f.add_argument(
        "--fetch-dir",
        type=Path,
        default=Path(os.environ.get("JIANDING_FETCH_DIR", "data/fetch")),
        help="where fetch_log.parquet is written",
    )
    f.add_argument("--delay", type=float, default=None, help="seconds between requests to a host (default 2)")
    f.add_argument("--contact", default=None, help="contact URL or e-mail for the User-Agent")


def run_fetch(args: argparse.Namespace) -> int:
    """`jianding fetch`: the sources' and listings' notices into the raw folder (docs/fetching.md).
    Exits 0 whatever single URLs did (fetch_log.parquet says); 2 for a bad setting."""
    from .fetch import FetchSettings, Source, read_listings, read_sources
    from .fetch import fetch as fetch_all

    try:
        sources = [Source(u, "command line") for u in args.url] or read_sources(args.sources)
        listings = [] if args.url else read_listings(args.listings)
    except ValueError as exc:  # a sources or listings file that cannot be read
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not sources and not listings:
        print(f"nothing to fetch: no rows in {args.sources} or {args.listings}", file=sys.stderr)
        return 0
    if args.raw_dir.exists() and not args.raw_dir.is_dir():
        print(f"error: the raw folder {args.raw_dir} is a file, not a folder", file=sys.stderr)
        return 2
    settings = FetchSettings.from_env(delay=args.delay, contact=args.contact)
    if not settings.contact:
        print(
            "warning: no contact in the User-Agent: set JIANDING_FETCH_CONTACT (or --contact) to a URL or "
            "e-mail address where a site's operators can reach you",
            file=sys.stderr,
        )
    run = fetch_all(args.raw_dir, args.fetch_dir, sources, listings, settings)
    _say(run.summary())
    return 0


COMMANDS: list[tuple[str, Callable[[Any], None], Callable[[argparse.Namespace], int]]] = [
    ("build", add_build, run_build),
    ("dev", add_dev, run_dev),
    ("fetch", add_fetch, run_fetch),
    ("dictionary", add_dictionary, run_dictionary),
]


def make_parser() -> argparse.ArgumentParser:
    """The command line: one sub-parser per entry of COMMANDS."""
    parser = argparse.ArgumentParser(
        prog="jianding", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"jianding {version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, add, run in COMMANDS:
        add(sub)
        sub.choices[name].set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse, run one command, and turn any error into a one-line message and an exit code."""
    args = make_parser().parse_args(argv)  # a usage error exits 2 with argparse's message
    try:
        return args.run(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # anything unforeseen: one line, not a traceback
        print(f"error: {type(exc).__name__}: {' '.join(str(exc).split())[:500]}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
