"""The performance benchmark: `make bench` (or `python benchmarks/run.py`).

For each size (1,000 and 10,000 generated notices by default; add 50,000 with --sizes) it prints:

- library path: decode_bytes -> normalize_text -> extract_notice in this process, on one core,
  in notices/s and MB/s of raw bytes;
- end to end: `jianding build` in a fresh subprocess (own DAGSTER_HOME, work and curated folders):
  wall time, peak RSS of the build process (getrusage of the child) and of the whole process tree
  (build + worker pool, sampled), and the overhead ratio end to end / library path;
- incremental (the largest size): one new notice dropped into the built folder, time until it is in
  curated/notices.parquet; and a rebuild with nothing changed;
- accuracy against the generator's gold, with the metrics of ../shared/tools/score.py (the same
  definitions, grouped per notice so that 10,000 notices score in seconds; checked against
  score.py itself at the smallest size when that script is present).

The machine (cores, memory, CPU, Python and package versions) is printed beside the figures, and
everything is written to benchmarks/results.md (--results to change, --no-results to skip).
Generated corpora are cached in --work (default /tmp/jianding-bench), keyed by seed and size.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import importlib.metadata as md
import importlib.util
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate_notices import iter_notices, write_corpus  # noqa: E402
from benchmarks.skeleton import skeleton_seconds  # noqa: E402

SCORER = Path(os.environ.get("JIANDING_SCORER", ROOT.parent / "shared" / "tools" / "score.py"))
GRADES = ["excellent", "pass", "conditional", "rectify", "revoked", "deregistered", "suspended"]
TARGETS = {
    "lib_mb_s": 20.0,  # library path, MB/s on one core
    "e2e_10k_s": 60.0,  # 10,000 notices end to end, seconds
    "rss_mb": 1024.0,  # peak RSS of the build, MiB
    "one_new_s": 10.0,  # one new notice into a built 10,000
    "overhead": 2.0,  # end to end / library path
}
PACKAGES = [
    "dagster",
    "pyarrow",
    "pandas",
    "opencc",
    "charset-normalizer",
    "lxml",
    "gb2260",
]


# ------------------------------------------------------------------------------------------------
# The machine
# ------------------------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    """Cores, memory, CPU model, Python and package versions, and the code's git revision."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = None
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = round(int(line.split()[1]) / 1024**2, 1)
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = md.version(name)
        except md.PackageNotFoundError:
            versions[name] = "-"
    rev = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        # (results.md is what this script writes: a previous run's figures are not a code change)
        [
            "git",
            "-C",
            str(ROOT),
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
            ".",
            ":!benchmarks/results.md",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_gib": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "revision": f"{rev}{' + uncommitted changes' if dirty else ''}" or "-",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        # other work on the machine skews every figure: recorded so a reader can tell
        "load_avg": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


# ------------------------------------------------------------------------------------------------
# Corpora
# ------------------------------------------------------------------------------------------------
def corpus(work: Path, n: int, seed: int) -> tuple[Path, Path]:
    """(corpus folder in the shared layout, raw folder of `<id>.<ext>` files) for n notices, cached."""
    gen = (ROOT / "benchmarks" / "generate_notices.py").read_bytes()
    key = hashlib.sha256(gen + f"{n}:{seed}".encode()).hexdigest()[:10]
    folder = work / f"gen_{seed}_{n}"
    corpus_dir, raw = folder / "corpus", folder / "raw"
    stamp = folder / "stamp"
    if stamp.exists() and stamp.read_text() == key:
        return corpus_dir, raw
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    write_corpus(corpus_dir, iter_notices(n, seed))
    raw.mkdir(parents=True)
    for notice in sorted(corpus_dir.glob("*/notice.*")):
        target = raw / f"{notice.parent.name}{notice.suffix}"
        try:
            os.link(notice, target)
        except OSError:
            shutil.copyfile(notice, target)
    stamp.write_text(key)
    print(f"  generated {n} notices in {time.perf_counter() - t0:.1f}s -> {folder}", flush=True)
    return corpus_dir, raw


def raw_bytes(raw: Path) -> int:
    return sum(p.stat().st_size for p in raw.iterdir())


# ------------------------------------------------------------------------------------------------
# Library path: one core, in this process
# ------------------------------------------------------------------------------------------------
def library_path(raw: Path) -> dict[str, Any]:
    """decode_bytes -> normalize_text -> extract_notice over every file, one core; files read first."""
    from pipeline.extract import extract_notice
    from pipeline.ingest import decode_bytes
    from pipeline.normalize import normalize_text

    files = [(p.suffix, p.read_bytes()) for p in sorted(raw.iterdir())]
    size = sum(len(d) for _, d in files)
    for suffix, data in files[:5]:  # warm the lazy tables (OpenCC, region pattern) outside the clock
        decoded = decode_bytes(data, suffix)
        if decoded.text is not None:
            extract_notice(normalize_text(decoded.text, decoded.is_html).text)
    spent = {"decode": 0.0, "normalize": 0.0, "extract": 0.0}
    t0 = time.perf_counter()
    for suffix, data in files:
        a = time.perf_counter()
        decoded = decode_bytes(data, suffix)
        b = time.perf_counter()
        spent["decode"] += b - a
        if decoded.text is None:
            continue
        text = normalize_text(decoded.text, decoded.is_html).text
        c = time.perf_counter()
        spent["normalize"] += c - b
        extract_notice(text)
        spent["extract"] += time.perf_counter() - c
    seconds = time.perf_counter() - t0
    return {
        "n": len(files),
        "mb": size / 1e6,
        "seconds": seconds,
        "notices_s": len(files) / seconds,
        "mb_s": size / 1e6 / seconds,
        "split": {k: round(v, 2) for k, v in spent.items()},
        "skeleton_s": skeleton_seconds(files),
    }


# ------------------------------------------------------------------------------------------------
# End to end: `jianding build` in a subprocess
# ------------------------------------------------------------------------------------------------
# Runs the build, then prints the child's peak RSS (KiB on Linux) on its last stderr line.
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.run(sys.argv[1:]).returncode\n"
    "print('MAXRSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(rc)\n"
)


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (0 when it is gone)."""
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def build(raw: Path, out: Path, workers: int | None = None) -> dict[str, Any]:
    """One `jianding build` (python -m pipeline build); wall time, peak RSS, stdout summary."""
    env = {**os.environ, "DAGSTER_HOME": str(out / "dagster_home"), "PYTHONWARNINGS": "ignore"}
    if workers:
        env["JIANDING_WORKERS"] = str(workers)
    (out / "dagster_home").mkdir(parents=True, exist_ok=True)
    cmd = [
        *(sys.executable, "-c", _WRAPPER, sys.executable, "-m", "pipeline", "build"),
        *("--raw-dir", str(raw), "--curated-dir", str(out / "curated"), "--work-dir", str(out / "work")),
        "--quiet",
    ]
    peak = [0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    m = re.search(r"MAXRSS (\d+)", stderr)
    if proc.returncode != 0:
        print(stderr[-3000:], file=sys.stderr)
        raise RuntimeError(f"jianding build failed (exit {proc.returncode})")
    return {
        "wall": wall,
        "steps": step_times(out / "dagster_home"),
        "rss_mb": int(m.group(1)) / 1024 if m else float("nan"),
        "tree_rss_mb": peak[0] / 1024**2,
        "summary": stdout.strip().splitlines()[0] if stdout.strip() else "",
    }


def step_times(home: Path) -> dict[str, float]:
    """Seconds per step of the latest run in this Dagster home (from the run's event log)."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            return {}
        stats = instance.get_run_step_stats(runs[0].run_id)
        return {s.step_key: round(s.end_time - s.start_time, 2) for s in stats if s.end_time and s.start_time}


def incremental(raw: Path, out: Path, n: int, seed: int) -> dict[str, Any]:
    """Rebuild with nothing changed, then with one new notice added; check the notice is curated."""
    import pyarrow.parquet as pq

    same = build(raw, out)
    new = next(iter_notices(1, seed, start=n))
    extra = raw.parent / "raw_plus_one"
    shutil.rmtree(extra, ignore_errors=True)
    shutil.copytree(raw, extra, copy_function=os.link)
    name = f"{new.id}.{new.ext}"
    (extra / name).write_bytes(new.data)
    one = build(extra, out)
    paths = pq.read_table(out / "curated" / "notices.parquet", columns=["source_path"]).column(0)
    shutil.rmtree(extra, ignore_errors=True)
    return {"unchanged": same, "one_new": one, "found": name in set(paths.to_pylist())}


# ------------------------------------------------------------------------------------------------
# Accuracy: the metrics of shared/tools/score.py (one implementation: tests/scoring.py)
# ------------------------------------------------------------------------------------------------
def score_fast(corpus_dir: Path, curated: Path) -> dict[str, Any]:
    """score.py's metrics (same definitions), computed by tests.scoring with rows grouped per notice."""
    import pyarrow.parquet as pq

    from tests.scoring import score_tables

    golds = {}
    for gold in sorted(corpus_dir.glob("*/gold.json")):
        if any(gold.parent.glob("notice.*")):
            golds[gold.parent.name] = json.loads(gold.read_text(encoding="utf-8"))
    notices = pq.read_table(curated / "notices.parquet").to_pylist()
    cols = ["notice_id", "institution_name", "grade"]
    institutions = pq.read_table(curated / "institutions.parquet", columns=cols).to_pylist()
    volumes = pq.read_table(curated / "appraisal_volumes.parquet", columns=["notice_id", "persons", "metric"])
    metrics, _ = score_tables(golds, notices, institutions, volumes.to_pylist())
    return dict(metrics)


def score_reference(corpus_dir: Path, curated: Path) -> dict[str, Any] | None:
    """shared/tools/score.py's own score() (quadratic in the notices: used at the smallest size)."""
    if not SCORER.is_file():
        return None
    spec = importlib.util.spec_from_file_location("jianding_score_reference", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with contextlib.redirect_stdout(io.StringIO()):
        return module.score(corpus_dir, curated, False)


# ------------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------------
def _ok(passed: bool) -> str:
    return "pass" if passed else "FAIL"


def _size_row(r: dict[str, Any]) -> str:
    """One size's row of the per-size table."""
    lib = r.get("lib")
    lib_s = (
        f"{lib['seconds']:.1f} s = {lib['notices_s']:.0f} notices/s, {lib['mb_s']:.2f} MB/s"
        if lib
        else "not run"
    )
    e2e = r["e2e"]
    over = f"{e2e['wall'] / lib['seconds']:.2f}×" if lib else "-"
    return (
        f"| {r['n']:,} | {r['mb']:.1f} | {lib_s} | {e2e['wall']:.1f} s | "
        f"{e2e['rss_mb']:.0f} / {e2e['tree_rss_mb']:.0f} MiB | {over} | "
        f"{e2e['wall'] / r['n'] * 1000:.1f} ms |"
    )


def _library_split(rows: list[dict[str, Any]]) -> list[str]:
    """Where the library path's time goes at the largest size it ran, against the skeleton; none
    when it did not run."""
    with_lib = [r for r in rows if r.get("lib")]
    if not with_lib:
        return []
    largest = with_lib[-1]
    lib = largest["lib"]
    budget_us = lib["mb"] / TARGETS["lib_mb_s"] / lib["n"] * 1e6
    skeleton_us = lib["skeleton_s"] / lib["n"] * 1e6
    return [
        "",
        f"Library path split ({largest['n']:,} notices, seconds): {lib['split']}.",
        "",
        f"Skeleton (benchmarks/skeleton.py: decode, t2s, lines and sentences, one regex per line; "
        f"no rules): {lib['mb'] / lib['skeleton_s']:.1f} MB/s, {skeleton_us:.0f} µs per notice. "
        f"The {TARGETS['lib_mb_s']:.0f} MB/s target is {budget_us:.0f} µs per notice, which leaves "
        f"{budget_us - skeleton_us:.0f} µs for every extraction rule; the library path spends "
        f"{lib['seconds'] / lib['n'] * 1e6 - skeleton_us:.0f} µs on them.",
    ]


def _target_rows(rows: list[dict[str, Any]], inc: dict[str, Any] | None) -> list[str]:
    """The rows of the targets table, each with pass/fail."""
    out = []
    libs = [r["lib"] for r in rows if r.get("lib")]
    if libs:
        best = min(x["mb_s"] for x in libs)
        t = TARGETS["lib_mb_s"]
        out.append(f"| library path ≥ {t:.0f} MB/s per core | {best:.2f} MB/s | {_ok(best >= t)} |")
    big = next((r for r in rows if r["n"] == 10_000), None)
    if big:
        e = big["e2e"]
        out.append(
            f"| 10,000 end to end ≤ {TARGETS['e2e_10k_s']:.0f} s | {e['wall']:.1f} s | "
            f"{_ok(e['wall'] <= TARGETS['e2e_10k_s'])} |"
        )
    for r in rows:
        e = r["e2e"]
        out.append(
            f"| peak RSS ≤ 1 GiB ({r['n']:,}) | build {e['rss_mb']:.0f} MiB, tree {e['tree_rss_mb']:.0f} MiB "
            f"| {_ok(e['rss_mb'] <= TARGETS['rss_mb'])} |"
        )
    if inc:
        one = inc["one_new"]["wall"]
        out.append(
            f"| one new notice into {inc['n']:,} ≤ {TARGETS['one_new_s']:.0f} s | {one:.1f} s "
            f"(curated: {'yes' if inc['found'] else 'NO'}; rebuild with no change "
            f"{inc['unchanged']['wall']:.1f} s) | {_ok(one <= TARGETS['one_new_s'] and inc['found'])} |"
        )
    for r in rows:
        if r.get("lib"):
            ratio = r["e2e"]["wall"] / r["lib"]["seconds"]
            out.append(
                f"| overhead ≤ {TARGETS['overhead']:.0f}× ({r['n']:,}) | {ratio:.2f}× | "
                f"{_ok(ratio <= TARGETS['overhead'])} |"
            )
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        per_a, per_b = a["e2e"]["wall"] / a["n"], b["e2e"]["wall"] / b["n"]
        out.append(
            f"| cost linear in notices | e2e per notice {per_a * 1000:.1f} ms at {a['n']:,}, "
            f"{per_b * 1000:.1f} ms at {b['n']:,} | {_ok(per_b <= per_a * 1.25)} |"
        )
    return out


def _accuracy_table(acc: dict) -> list[str]:
    """The accuracy metrics per size as a table; none without them."""
    if not acc:
        return []
    keys = ["relevance", "region", "year", "publish_date", "doc_number", "issuer", "sector", "counts"]
    out = ["", "Accuracy against the generator's gold (metrics of shared/tools/score.py):", ""]
    out += ["| notices | lost | " + " | ".join(keys) + " | counts_extra | inst_f1 | name_f1 | vol_f1 |"]
    out += ["| ---: " * (len(keys) + 6) + "|"]
    for n, s in acc.items():
        vals = " | ".join(f"{s[k]:.3f}" for k in keys)
        out.append(
            f"| {n:,} | {s['lost']} | {vals} | {s['counts_extra']} | {s['inst_f1']:.3f} | "
            f"{s['name_f1']:.3f} | {s['vol_f1']:.3f} |"
        )
    return out


def report(m: dict[str, Any], rows: list[dict[str, Any]], inc: dict[str, Any] | None, acc: dict) -> str:
    """The figures as Markdown: machine, per-size table, targets with pass/fail, accuracy."""
    pk = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    out = [
        f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), "
        f"{m['memory_gib']} GiB RAM, {m['os']}; Python {m['python']}; {pk}; code {m['revision']}; "
        f"load average at start {m['load_avg']} (other processes share the cores when it is near or "
        "above the core count).",
        "",
        "| notices | MB | library path, 1 core | end to end (`jianding build`) | peak RSS build / tree "
        "| overhead (e2e ÷ library) | per notice e2e |",
        "| ---: | ---: | --- | --- | --- | ---: | ---: |",
    ]
    out += [_size_row(r) for r in rows]
    out += _library_split(rows)
    out += ["", "Seconds per Dagster step (from the run's event log):", ""]
    out += [f"- {r['n']:,} notices: {r['e2e']['steps']}" for r in rows]
    if inc:
        out += [f"- one new notice into {inc['n']:,}: {inc['one_new']['steps']}"]
    out += ["", "| target | measured | |", "| --- | --- | --- |"]
    out += _target_rows(rows, inc)
    out += _accuracy_table(acc)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000], help="numbers of notices")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "jianding-bench")
    ap.add_argument(
        "--lib-max", type=int, default=10_000, help="skip the (single-core) library path above this size"
    )
    ap.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results.md")
    ap.add_argument("--no-results", action="store_true", help="print only; do not write results.md")
    ap.add_argument("--workers", type=int, default=None, help="JIANDING_WORKERS for the builds")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    m = machine()
    print(f"machine: {json.dumps(m, ensure_ascii=False)}", flush=True)
    rows, acc, inc = [], {}, None
    sizes = sorted(set(args.sizes))
    for n in sizes:
        print(f"[{n} notices]", flush=True)
        corpus_dir, raw = corpus(args.work, n, args.seed)
        row: dict[str, Any] = {"n": n, "mb": raw_bytes(raw) / 1e6}
        if n <= args.lib_max:
            row["lib"] = lib = library_path(raw)
            print(
                f"  library path: {lib['seconds']:.1f}s, {lib['notices_s']:.0f} notices/s, "
                f"{lib['mb_s']:.2f} MB/s {lib['split']}; skeleton {lib['mb'] / lib['skeleton_s']:.1f} MB/s",
                flush=True,
            )
        out = args.work / f"build_{args.seed}_{n}"
        shutil.rmtree(out, ignore_errors=True)
        row["e2e"] = e2e = build(raw, out, args.workers)
        print(
            f"  end to end: {e2e['wall']:.1f}s, peak RSS {e2e['rss_mb']:.0f} MiB (tree "
            f"{e2e['tree_rss_mb']:.0f} MiB) | {e2e['summary']}\n  steps (s): {e2e['steps']}",
            flush=True,
        )
        t0 = time.perf_counter()
        acc[n] = score_fast(corpus_dir, out / "curated")
        print(f"  accuracy ({time.perf_counter() - t0:.1f}s): {acc[n]}", flush=True)
        if n == sizes[0]:
            ref = score_reference(corpus_dir, out / "curated")
            if ref is not None:
                same = all(
                    abs(ref[k] - acc[n][k]) < 1e-9 if isinstance(ref[k], float) else ref[k] == acc[n][k]
                    for k in ref
                )
                print(f"  score.py agrees with the grouped scorer: {same}", flush=True)
                if not same:
                    print(f"  score.py: {ref}", flush=True)
        if n == min(10_000, sizes[-1]) or (n == sizes[-1] and inc is None):
            inc = {"n": n, **incremental(raw, out, n, args.seed)}
            print(
                f"  incremental: no change {inc['unchanged']['wall']:.1f}s, one new notice "
                f"{inc['one_new']['wall']:.1f}s (curated: {inc['found']}); steps (s): "
                f"{inc['one_new']['steps']}",
                flush=True,
            )
        rows.append(row)
    text = report(m, rows, inc, acc)
    print()
    print(text)
    if not args.no_results:
        args.results.write_text(
            "# Benchmark results\n\nWritten by `make bench` (`python benchmarks/run.py`); "
            "see the module docstring for what each figure means.\n\n" + text + "\n",
            encoding="utf-8",
        )
        print(f"\nwrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
