"""The curate step alone on a work folder: its time and peak RSS, and the sha256 of each curated file.

    python benchmarks/curate_only.py WORK OUT

Runs what the `curated_tables` asset runs (without Dagster) on the work tables in WORK and writes
the curated tables into OUT. Run with another revision's `pipeline` first on PYTHONPATH to compare
two versions of the step on the same work tables (issue 15: the curated bytes must not change).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from pipeline import registry, storage
from pipeline.defs import assets
from pipeline.defs.resources import JiandingPaths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("work", type=Path)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    paths = JiandingPaths(raw_dir=str(args.work), curated_dir=str(args.out), work_dir=str(args.work))
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if hasattr(assets, "_write_curated"):  # the streamed curate (DuckDB)
        infos = assets._write_curated(paths, args.out)
    else:  # the curate before it: every table in memory, then written
        tables = assets._build_curated(paths)
        infos = {t.name: storage.write_table(tables[t.name], t, args.out) for t in registry.CURATED_TABLES}
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(peak),
        "files": {name: info["sha256"] for name, info in sorted(infos.items())},
        "rows": {name: info["rows"] for name, info in sorted(infos.items())},
    }
    json.dump(report, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
