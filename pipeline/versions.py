"""Code versions for the content-addressed cache: a hash of the source files each step runs.

A cached row is reused only when both the raw file's sha256 and the step's code version match, so
editing an extractor rule (or upgrading OpenCC, lxml, charset-normalizer or gb2260, whose data and
rules shape the output too) re-processes every notice, and adding one notice processes only that one.
tests/test_versions.py checks that every pipeline module a step imports is hashed here.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

_ROOT = Path(__file__).parent

NORMALIZE_PATTERNS = (
    "ingest/*.py",
    "normalize/*.py",  # (with html_text, noise, text_tables and assemble)
    "issues.py",
    "readers/*.py",
    "budget.py",
    "regions.py",  # (html_text joins a cell's lines by the names in them)
    "data/gb2260_changes.csv",
    "vocabulary.py",
)
EXTRACT_PATTERNS = (
    *NORMALIZE_PATTERNS,
    "extract/*.py",
    "names.py",
    "numerals.py",
    "registry.py",
)


def hashed_files(patterns: tuple[str, ...]) -> list[Path]:
    return sorted({path for pattern in patterns for path in _ROOT.glob(pattern)})


def _hash(patterns: tuple[str, ...], packages: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for package in packages:  # their data and rules shape the output too (OpenCC's dictionaries...)
        digest.update(f"{package}=={_installed(package)}".encode())
    for path in hashed_files(patterns):
        digest.update(path.relative_to(_ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _installed(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


# the attachment readers' libraries shape the text read from .xlsx / .xls / .pdf / .doc files too
NORMALIZE_PACKAGES = (
    "charset-normalizer",
    "lxml",
    "opencc",
    "python-calamine",
    "pypdfium2",
    "pdfplumber",
    "pdfminer.six",
    "olefile",
    "striprtf",
)
EXTRACT_PACKAGES = (*NORMALIZE_PACKAGES, "gb2260")
NORMALIZE_VERSION = _hash(NORMALIZE_PATTERNS, NORMALIZE_PACKAGES)
EXTRACT_VERSION = _hash(EXTRACT_PATTERNS, EXTRACT_PACKAGES)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of every pipeline source and data file and of the packages above: a build's code."""
    return _hash(("*.py", "*/*.py", "data/*"), EXTRACT_PACKAGES)


# The Dagster assets' code versions (the UI shows an asset whose code changed since it was built as
# stale): a hash of the files each step runs and of the libraries that shape what it writes.
RAW_PATTERNS = ("ingest/*.py", "readers/detect.py", "storage.py", "registry.py", "budget.py")
CURATE_PATTERNS = (*EXTRACT_PATTERNS, "curate/*.py", "storage.py")
REPORT_PATTERNS = ("report.py",)
ASSET_VERSIONS = {
    "raw": _hash(RAW_PATTERNS, ("pyarrow",)),
    "normalized": NORMALIZE_VERSION,
    "extracted": EXTRACT_VERSION,
    "curated": _hash(CURATE_PATTERNS, (*EXTRACT_PACKAGES, "pyarrow", "duckdb")),
    "report": _hash(REPORT_PATTERNS, ("matplotlib", "mplfonts")),
}
