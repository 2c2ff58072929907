"""The tree shows the chain (docs/design.md): each step is a package of plain Python, importable
without Dagster; only pipeline/defs/ wires them into assets and checks."""

import subprocess
import sys

from tests.conftest import ROOT

STEPS = ("ingest", "normalize", "extract", "curate", "curate.checks", "publish", "report", "steps")


def test_the_step_packages_import_without_dagster() -> None:
    code = (
        "import sys\n"
        + "".join(f"import pipeline.{m}\n" for m in STEPS)
        + "print(sorted(m for m in sys.modules if m.split('.')[0] == 'dagster'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
