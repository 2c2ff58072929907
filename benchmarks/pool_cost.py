"""What worker processes and their watchdog cost a build: this tree against a baseline tree.

Builds one raw folder with `python -m pipeline build` into a fresh curated folder, alternately with
the code of this tree and of `--baseline` (a source tree of another commit, e.g. made with
`git archive <commit> | tar -x -C DIR`), `--runs` times each, and prints each build's wall time and
its normalize and extract step times (from the run's Dagster event log), then the median and the
minimum per tree. Alternating keeps a machine's changing load from favouring one tree.

`--watch-cost N` measures instead what the watchdog adds per notice: N empty notices, each in its
own budget block, through one worker that records each block in its slot for the build process
and through one that does not; the difference per notice, best of three.

    python benchmarks/pool_cost.py --raw DIR [--baseline SRC] [--runs 5]
    python benchmarks/pool_cost.py --watch-cost 20000
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

STEPS = ("normalized_notices", "extracted_tables")


def build_once(src: Path, raw: Path, curated: Path) -> tuple[float, ...]:
    """(wall, normalize, extract) seconds of one build of `raw` with the code of `src`."""
    from benchmarks.run import step_times

    shutil.rmtree(curated, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONWARNINGS": "ignore"}
    cmd = [sys.executable, "-m", "pipeline", "build", "--raw-dir", str(raw), "--curated-dir", str(curated)]
    start = time.perf_counter()
    subprocess.run([*cmd, "--quiet"], cwd=src, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    steps = step_times(curated / ".dagster")  # a build of another folder records in <curated>/.dagster
    return (wall, *(steps.get(step, float("nan")) for step in STEPS))


def empty_notice(i: int) -> int:
    """A notice step that does nothing inside its budget block (run in a worker)."""
    from pipeline.budget import notice_budget

    with notice_budget(key=str(i)):
        return i


def unwatched_notice(i: int) -> int:
    """empty_notice without the watchdog: its worker stops recording blocks in its slot."""
    from pipeline import budget

    budget.report_to(None)
    return empty_notice(i)


def watch_cost(n: int) -> None:
    """Print the seconds per notice that the watchdog adds, on one worker."""
    from pipeline.pool import WatchedPool

    seconds = {}
    for fn in (empty_notice, unwatched_notice):
        with WatchedPool(1) as pool:
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                for _part in pool.map(fn, [range(i, min(i + 1000, n)) for i in range(0, n, 1000)], False):
                    pass
                best = min(best, time.perf_counter() - start)
        seconds[fn.__name__] = best
    watched, unwatched = seconds["empty_notice"], seconds["unwatched_notice"]
    print(
        f"{n} empty notices under the budget on one worker: {watched:.3f} s watched, {unwatched:.3f} s "
        f"not: {(watched - unwatched) / n * 1e6:.1f} µs per notice"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--raw", type=Path, help="the raw folder to build")
    parser.add_argument("--baseline", type=Path, help="a source tree to compare with (default: none)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--watch-cost", type=int, metavar="N", help="measure the watchdog's cost per notice")
    args = parser.parse_args()
    if args.watch_cost:
        watch_cost(args.watch_cost)
        return
    if not args.raw:
        parser.error("--raw is needed (or --watch-cost)")
    trees = {"this tree": ROOT, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    seen: dict[str, list[tuple[float, ...]]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            for name, src in trees.items():
                seen[name].append(build_once(src, args.raw.resolve(), Path(tmp) / "curated"))
                load = os.getloadavg()[0]
                print(
                    f"{name}: wall {seen[name][-1][0]:.2f} s, normalize {seen[name][-1][1]:.2f} s, "
                    f"extract {seen[name][-1][2]:.2f} s (load {load:.1f})",
                    flush=True,
                )
    for name, rows in seen.items():
        cols = list(zip(*rows, strict=True))
        median = ", ".join(f"{statistics.median(c):.2f}" for c in cols)
        low = ", ".join(f"{min(c):.2f}" for c in cols)
        print(f"{name}: wall, normalize, extract: median {median} s; min {low} s")


if __name__ == "__main__":
    main()
