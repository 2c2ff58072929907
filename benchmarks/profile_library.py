"""Speed of the library path, one core: decode_bytes -> normalize_text -> extract_notice.

    python benchmarks/generate_notices.py --out /tmp/spd/raw --n 1000 --seed 5 --flat
    python benchmarks/profile_library.py /tmp/spd/raw [--profile extract] [--top 30]

Loads every file's bytes first (no disk time in the figures), times each stage separately over
all files and prints MB/s of raw input per stage and for the whole path. `--profile STAGE` runs
that stage once more under cProfile and prints the top functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.extract import extract_notice  # noqa: E402
from pipeline.ingest import decode_bytes  # noqa: E402
from pipeline.normalize import normalize_text  # noqa: E402


def load(raw_dir: Path) -> list[tuple[bytes, str]]:
    """(bytes, suffix) of every file in `raw_dir`, sorted by name."""
    return [(p.read_bytes(), p.suffix) for p in sorted(raw_dir.iterdir()) if p.is_file()]


def clear_caches() -> None:
    """Empty the per-string caches (lru_cache) of the pipeline's modules, so that a repeated
    timing does not read the previous run's answers; one-object caches (the OpenCC converter)
    stay, as they would in a worker process."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("pipeline"):
            continue
        for obj in vars(module).values():
            info = getattr(obj, "cache_info", None)
            if info is not None and (info().maxsize or 2) > 1:
                obj.cache_clear()


def _timed(fn: Callable[[], list]) -> tuple[list, float]:
    clear_caches()
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("--profile", choices=("decode", "normalize", "extract"), default=None)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=1, help="best of N timings per stage")
    args = parser.parse_args(argv)

    files = load(args.raw_dir)
    size = sum(len(b) for b, _ in files)
    mb = size / 1e6

    def decode() -> list:
        return [decode_bytes(b, s) for b, s in files]

    decoded = decode()
    texts = [(d.text, d.is_html) for d in decoded if d.text is not None]

    def normalize() -> list:
        return [normalize_text(t, h) for t, h in texts]

    normalized = [n.text for n in normalize()]

    def extract() -> list:
        return [extract_notice(t) for t in normalized]

    stages = {"decode": decode, "normalize": normalize, "extract": extract}
    times: dict[str, float] = {}
    for name, fn in stages.items():
        times[name] = min(_timed(fn)[1] for _ in range(args.repeat))
    print(f"{len(files)} files, {mb:.2f} MB")
    for name, seconds in times.items():
        print(f"  {name:<10} {seconds:7.3f} s  {mb / seconds:8.2f} MB/s")
    total = sum(times.values())
    print(f"  {'total':<10} {total:7.3f} s  {mb / total:8.2f} MB/s")

    if args.profile:
        clear_caches()
        profiler = cProfile.Profile()
        profiler.runcall(stages[args.profile])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
