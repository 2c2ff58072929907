"""`make bench` end to end on a tiny corpus: the script runs, builds, scores and prints its figures."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_script_runs_and_reports_every_target(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--sizes", "40", "--work", str(tmp_path), "--no-results"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"JIANDING_SCORER": str(tmp_path / "absent.py"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    text = out.stdout
    assert "40 notices: " in text  # the build's own summary line
    for target in (
        "library path ≥ 10 MB/s",
        "10,000 end to end ≤ 8 s | not run",
        "100,000 end to end ≤ 90 s | not run",
        "peak RSS of the tree ≤ 1.5 GiB (40)",
        "one new notice into 40 ≤ 3 s",
        "rebuild with nothing new (40) ≤ 2 s",
    ):
        assert target in text, target
    # the floor (read + decode + t2s of the same files) is measured, and figures are read against it
    assert "floor: " in text and "×floor" in text
    assert "| 40 | " in text and "MB/s {'read': " in text  # the per-size row with the floor's split
    assert "Python's start and imports" in text  # a build's fixed cost outside its steps
    assert "Skeleton (benchmarks/skeleton.py" in text  # the ceiling the library target is read against
    assert "curated: yes)" in text  # the new notice reached notices.parquet
    assert "| 40 | 0 | " in text  # accuracy row: nothing lost
    assert "cores" in text and "GiB RAM" in text  # the machine beside the figures
