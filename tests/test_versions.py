"""The cache's code versions cover every pipeline module a cached step runs."""

import subprocess
import sys
from pathlib import Path

from pipeline import versions

ROOT = Path(__file__).resolve().parents[1]
# modules that run the steps and shape no cached row (a notice the watchdog stops is rejected with the
# budget's reason, from budget.py, and never cached)
_RUNNERS = {"versions.py", "parallel.py", "pool.py", "progress.py"}


def _pipeline_modules_imported_by(module: str) -> set[str]:
    """Source files (relative to pipeline/) of the pipeline modules that importing `module` loads."""
    code = (
        f"import sys, {module}\n"
        "for name, m in sys.modules.items():\n"
        "    if name.startswith('pipeline.') and getattr(m, '__file__', None):\n"
        "        print(m.__file__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    package = ROOT / "pipeline"
    return {Path(line).relative_to(package).as_posix() for line in out.stdout.split()}


def test_extract_version_hashes_every_module_extraction_imports() -> None:
    hashed = {
        p.relative_to(versions._ROOT).as_posix() for p in versions.hashed_files(versions.EXTRACT_PATTERNS)
    }
    used = _pipeline_modules_imported_by("pipeline.extract.batch") - _RUNNERS
    used = {u for u in used if not u.endswith("__init__.py") or u.startswith("extract/")}
    assert used <= hashed, f"not in EXTRACT_VERSION: {sorted(used - hashed)}"


def test_normalize_version_hashes_every_module_normalization_imports() -> None:
    hashed = {
        p.relative_to(versions._ROOT).as_posix() for p in versions.hashed_files(versions.NORMALIZE_PATTERNS)
    }
    used = _pipeline_modules_imported_by("pipeline.normalize") - {*_RUNNERS, "__init__.py"}
    assert used <= hashed, f"not in NORMALIZE_VERSION: {sorted(used - hashed)}"
