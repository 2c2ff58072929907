"""Code versions for the content-addressed cache: a hash of the source files each step runs.

A cached row is reused only when both the raw file's sha256 and the step's code version match, so
editing an extractor rule re-processes every notice and adding one notice processes only that one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_ROOT = Path(__file__).parent


def _hash(*patterns: str) -> str:
    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(_ROOT.glob(pattern)):
            digest.update(path.relative_to(_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


NORMALIZE_VERSION = _hash("ingest.py", "html_text.py", "noise.py", "normalize.py")
EXTRACT_VERSION = _hash(
    "ingest.py",
    "html_text.py",
    "noise.py",
    "normalize.py",
    "extract/*.py",
    "names.py",
    "numerals.py",
    "regions.py",
    "vocabulary.py",
    "registry.py",
)
