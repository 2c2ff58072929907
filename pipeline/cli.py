"""`jianding build` materializes the whole asset graph through Dagster and prints a summary.

It exits non-zero only when the pipeline itself fails, never because one notice is bad.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from . import registry


def ensure_dagster_home() -> Path:
    """The persistent local instance folder: $DAGSTER_HOME, default ./.dagster (SQLite storage)."""
    home = Path(os.environ.get("DAGSTER_HOME") or Path.cwd() / ".dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(
            "# local instance of the jianding pipeline (run history, sensor cursors)\n"
            "telemetry:\n  enabled: false\n"
            "# one build at a time: runs of the build job share the work and curated folders\n"
            "run_queue:\n  tag_concurrency_limits:\n    - key: jianding/build\n      limit: 1\n",
            encoding="utf-8",
        )
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def _instance():
    from dagster import DagsterInstance

    ensure_dagster_home()
    return DagsterInstance.get()


def dev(host: str, port: int) -> int:
    """The Dagster UI and daemon (sensor, schedule) on the local instance; localhost only by default."""
    ensure_dagster_home()
    cmd = [sys.executable, "-m", "dagster", "dev", "-h", host, "-p", str(port), "-m", "pipeline.definitions"]
    os.execvp(cmd[0], cmd)
    return 0


def build(raw_dir: Path, curated_dir: Path, work_dir: Path | None, quiet: bool = False) -> int:
    """Run the build job. A local curated folder is locked for the whole build and the run writes into
    `<curated>/.staging/`, swapped in as one set only when the run succeeded (storage.publish_folder):
    a failed, killed or concurrent build never leaves a half-written or mixed set behind."""
    from . import storage

    if not raw_dir.is_dir():
        print(f"error: raw folder {raw_dir} does not exist", file=sys.stderr)
        return 2
    from .defs.resources import default_work_dir

    work_dir = work_dir or storage.as_folder(default_work_dir(curated_dir))
    for name, folder in (("curated", curated_dir), ("work", work_dir)):
        if problem := _unwritable(folder):
            print(f"error: the {name} folder {folder} {problem}", file=sys.stderr)
            return 2
    if not any(not n.startswith(".") for _, _, names in os.walk(raw_dir) for n in names):
        print(f"warning: the raw folder {raw_dir} holds no files: the tables will be empty", file=sys.stderr)
    if storage.is_remote(curated_dir):  # object stores: one atomic PUT per file, no lock
        code, text = _run(raw_dir, curated_dir, curated_dir, work_dir, quiet)
        _say(text)
        return code

    def waiting(lock: Path) -> None:
        print(f"waiting for another build of {curated_dir} to finish (lock {lock})", file=sys.stderr)

    # the curated folder's lock, and the work folder's (its own, or one shared with other outputs)
    with storage.build_lock(curated_dir, on_wait=waiting), storage.build_lock(work_dir, on_wait=waiting):
        done = storage.recover(curated_dir)
        if done == "rolled forward":
            print(f"completed the publish an interrupted build left in {curated_dir}", file=sys.stderr)
        staging = storage.staging_folder(curated_dir)
        try:
            code, text = _run(raw_dir, staging, curated_dir, work_dir, quiet)
            if code == 0:
                local_work = work_dir if isinstance(work_dir, Path) else None
                storage.publish_folder(staging, curated_dir, work=local_work)
        finally:
            storage.recover(curated_dir)  # drops the staging folder of a failed run
    _say(text)  # only after the publish: a closed stdout (`| head`) never costs the build
    return code


def _unwritable(folder: Path) -> str | None:
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


def _say(text: str | None) -> None:
    """Print the summary; a reader that went away (a closed pipe) is not an error of the build."""
    if not text:
        return
    try:
        print(text, flush=True)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit


def _run(
    raw_dir: Path, out_dir: Path, curated_dir: Path, work_dir: Path, quiet: bool
) -> tuple[int, str | None]:
    """Execute the job writing curated files to `out_dir`; (exit code, summary of `curated_dir`)."""
    from .defs import BUILD_JOB, JiandingPaths, make_definitions

    paths = JiandingPaths(raw_dir=str(raw_dir), curated_dir=str(out_dir), work_dir=str(work_dir))
    job = make_definitions(paths).resolve_job_def(BUILD_JOB)
    level = "WARNING" if quiet else "INFO"
    started = time.perf_counter()
    with _instance() as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": level}}}},
        )
    elapsed = time.perf_counter() - started
    if not result.success:
        print(
            f"build FAILED after {elapsed:.1f}s (run {result.run_id}); see the errors above; "
            f"{curated_dir} is unchanged",
            file=sys.stderr,
        )
        return 1, None
    return 0, summary(out_dir, elapsed, shown_as=curated_dir)


def summary(curated_dir: Path, elapsed: float, shown_as: Path | None = None) -> str:
    """The build's one-paragraph summary, read from the files in `curated_dir` (printed as `shown_as`)."""
    notices = pq.read_table(curated_dir / "notices.parquet", columns=["status", "warnings"]).to_pylist()
    statuses = Counter(n["status"] for n in notices)
    warned = sum(1 for n in notices if n["warnings"])
    lines = [
        f"built in {elapsed:.1f}s: {len(notices)} notices: {statuses.get('ok', 0)} ok, "
        f"{statuses.get('irrelevant', 0)} irrelevant, {statuses.get('rejected', 0)} rejected; "
        f"{warned} with warnings",
    ]
    for table in registry.CURATED_TABLES:
        path = curated_dir / f"{table.name}.parquet"
        lines.append(
            f"  {(shown_as or curated_dir) / path.name}  {pq.ParquetFile(path).metadata.num_rows} rows"
        )
    return "\n".join(lines)


def fetch(args: argparse.Namespace) -> int:
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


def make_parser() -> argparse.ArgumentParser:
    """The command line; `dev` binds the UI to 127.0.0.1 unless --host says otherwise."""
    parser = argparse.ArgumentParser(prog="jianding", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="raw notices -> curated Parquet, through Dagster")
    b.add_argument("--raw-dir", type=Path, default=Path(os.environ.get("JIANDING_RAW_DIR", "data/raw")))
    b.add_argument(
        "--curated-dir",
        type=_folder,
        default=os.environ.get("JIANDING_CURATED_DIR", "data/curated"),
        help="a folder or an object-store URL (s3://bucket/curated)",
    )
    b.add_argument(
        "--work-dir", type=Path, default=None, help="cache and step outputs (default: <curated>/../work)"
    )
    b.add_argument("--quiet", action="store_true", help="only warnings and the summary")
    d = sub.add_parser("dev", help="open the Dagster UI (bound to 127.0.0.1 unless --host says otherwise)")
    d.add_argument("--host", default="127.0.0.1")
    d.add_argument("--port", type=int, default=3000)
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
    sub.add_parser(
        "dictionary", help="print the data dictionary (Markdown) generated from the column registry"
    )
    return parser


def _folder(text: str):
    """A local Path, or a UPath for an object-store URL (argparse's Path would mangle s3://…)."""
    from . import storage

    return storage.as_folder(text)


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if args.command == "dev":
        return dev(args.host, args.port)
    if args.command == "fetch":
        return fetch(args)
    if args.command == "dictionary":
        print(registry.data_dictionary())
        return 0
    return build(args.raw_dir, args.curated_dir, args.work_dir, args.quiet)


if __name__ == "__main__":
    sys.exit(main())
