"""Whether a `jianding build` has anything to do: the raw folder, the code, the settings and the
published files as the last build left them.

A build records, in its work folder, what it was a function of (`record`): the state of every raw
file (path, size, mtime, ctime, inode, device), the code (every pipeline source and the versions
of the packages whose data shapes the output), the settings that change what is read
(JIANDING_MAX_BYTES, JIANDING_NOTICE_BUDGET, JIANDING_CJK_FONT) and the sha256 of each file it
published, with its summary. When all of it is the same (`unchanged`), the build would write the
same bytes, so `jianding build` prints that summary and runs nothing: no Dagster run, no import of
Dagster. Never when a notice failed for a reason of the moment (a file that vanished or changed
while read, a notice over its time budget: those are tried again), nor when a blocking check
failed. `jianding build --force` always runs.

This module imports nothing heavy: it runs before Dagster is imported.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any

RECORD_NAME = "last_build.json"
SETTINGS = ("JIANDING_MAX_BYTES", "JIANDING_NOTICE_BUDGET", "JIANDING_CJK_FONT")
REPORT_PACKAGES = ("matplotlib", "mplfonts", "pyarrow", "duckdb", "dagster")
# the published files a summary speaks of (their sha256 is recorded and checked)
REPORT_PAGE = "report/index.html"


def raw_state(raw_dir: Path) -> str:
    """sha256 over every entry under `raw_dir` (hidden ones too; symlinks not followed): its relative
    path, size, mtime, ctime, inode and device. No file is read (one lstat per entry)."""
    lines: list[str] = []

    def walk(folder: str, rel: str) -> None:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            name = f"{rel}/{entry.name}" if rel else entry.name
            lines.append(
                f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0{st.st_dev}"
            )
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, name)

    walk(str(raw_dir), "")
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def _installed(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def build_key(raw_dir: Path, work_dir: Path) -> str:
    """sha256 over what a build's output depends on besides the raw files: the code, the package
    versions, the settings, and which raw and work folders."""
    from .versions import code_version

    parts = [code_version(), *(f"{p}=={_installed(p)}" for p in REPORT_PACKAGES)]
    parts += [f"{name}={os.environ.get(name, '')}" for name in SETTINGS]
    parts += [str(Path(raw_dir).resolve()), str(Path(work_dir).resolve())]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _published(curated: Path, tables: list[str]) -> dict[str, str | None]:
    """sha256 of each published table and of the report's page (None when a file is missing)."""
    out: dict[str, str | None] = {}
    for name in [*(f"{t}.parquet" for t in tables), REPORT_PAGE]:
        path = curated / name
        out[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    return out


def record(
    raw_dir: Path, curated: Path, work_dir: Path, state: str, facts: dict[str, Any], retry: bool
) -> None:
    """Write what the build just published was made from (`state`: `raw_state` taken before the
    build started; `retry`: some notice failed for a reason of the moment)."""
    entry = {
        "key": build_key(raw_dir, work_dir),
        "raw_state": state,
        "published": _published(curated, sorted(facts["tables"])),
        "retry": retry,
        "facts": facts,
    }
    target = Path(work_dir) / RECORD_NAME
    tmp = target.with_name(f".{RECORD_NAME}.tmp")
    tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")  # (the summary keeps its order)
    os.replace(tmp, target)


def unchanged(raw_dir: Path, curated: Path, work_dir: Path) -> dict[str, Any] | None:
    """The last build's summary when a build now would write the same files (see the module
    docstring); None when there is anything to do."""
    try:
        entry = json.loads((Path(work_dir) / RECORD_NAME).read_text(encoding="utf-8"))
        facts = entry["facts"]
        if entry["retry"] or any(c["blocking"] and not c["passed"] for c in facts["checks"]):
            return None
        if entry["key"] != build_key(raw_dir, work_dir) or entry["raw_state"] != raw_state(raw_dir):
            return None
        if _published(curated, sorted(facts["tables"])) != entry["published"]:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return facts


def clear(work_dir: Path) -> None:
    """Forget the last build's record (a build that failed or published nothing)."""
    (Path(work_dir) / RECORD_NAME).unlink(missing_ok=True)
