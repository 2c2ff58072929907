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
            "telemetry:\n  enabled: false\n",
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
    from .defs import BUILD_JOB, JiandingPaths, make_definitions

    if not raw_dir.is_dir():
        print(f"error: raw folder {raw_dir} does not exist", file=sys.stderr)
        return 2
    work_dir = work_dir or curated_dir.parent / "work"
    paths = JiandingPaths(raw_dir=str(raw_dir), curated_dir=str(curated_dir), work_dir=str(work_dir))
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
            f"build FAILED after {elapsed:.1f}s (run {result.run_id}); see the errors above", file=sys.stderr
        )
        return 1
    print(summary(curated_dir, elapsed))
    return 0


def summary(curated_dir: Path, elapsed: float) -> str:
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
        lines.append(f"  {path}  {pq.ParquetFile(path).metadata.num_rows} rows")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jianding", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="raw notices -> curated Parquet, through Dagster")
    b.add_argument("--raw-dir", type=Path, default=Path(os.environ.get("JIANDING_RAW_DIR", "data/raw")))
    b.add_argument(
        "--curated-dir", type=Path, default=Path(os.environ.get("JIANDING_CURATED_DIR", "data/curated"))
    )
    b.add_argument(
        "--work-dir", type=Path, default=None, help="cache and step outputs (default: <curated>/../work)"
    )
    b.add_argument("--quiet", action="store_true", help="only warnings and the summary")
    d = sub.add_parser("dev", help="open the Dagster UI (bound to 127.0.0.1 unless --host says otherwise)")
    d.add_argument("--host", default="127.0.0.1")
    d.add_argument("--port", type=int, default=3000)
    sub.add_parser(
        "dictionary", help="print the data dictionary (Markdown) generated from the column registry"
    )
    args = parser.parse_args(argv)
    if args.command == "dev":
        return dev(args.host, args.port)
    if args.command == "dictionary":
        print(registry.data_dictionary())
        return 0
    return build(args.raw_dir, args.curated_dir, args.work_dir, args.quiet)


if __name__ == "__main__":
    sys.exit(main())
