"""Publishing: one build at a time, and the curated set swapped in as a whole.

A local curated folder is written like this, by `publishing` (what `jianding build` and the
curated_tables asset both use):
  1. take an exclusive lock on <curated>/.jianding.lock (held for the whole build);
  2. roll forward a publish a killed build left half-done, drop its leftovers (`recover`);
  3. write every output of the run into <curated>/.staging/ (the previous files are untouched);
  4. after the run succeeded: fsync the staged files, write the journal .jianding-publish.json,
     rename each staged entry over its target, delete the journal (`publish_folder`).
A build killed before step 4 leaves the previous set intact; one killed inside step 4 (a window of
a few renames) leaves the journal, and the next build (or `recover`) completes the renames first.
An object store has no lock nor rename: a build writes into it directly, one atomic upload per file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .storage import MANIFEST_SUFFIX, as_folder, file_sha256, is_remote, write_bytes

LOCK_NAME = ".jianding.lock"
STAGING_NAME = ".staging"
JOURNAL_NAME = ".jianding-publish.json"
_held_locks: dict[str, tuple[int, int]] = {}  # resolved lock path -> (fd, depth); re-entrant per process
_held_guard = threading.Lock()


@contextlib.contextmanager
def build_lock(folder: Path, on_wait: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """Exclusive advisory lock (fcntl.flock) on `<folder>/.jianding.lock`, re-entrant in one process.

    A second build on the same folder waits (`on_wait` is called once before it blocks). The kernel
    releases the lock when the holder dies, even by SIGKILL, so a killed build never leaves it stuck.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    key = str(path.resolve())
    with _held_guard:
        held = _held_locks.get(key)
        if held:
            _held_locks[key] = (held[0], held[1] + 1)
    if held:
        try:
            yield path
        finally:
            with _held_guard:
                fd, depth = _held_locks[key]
                _held_locks[key] = (fd, depth - 1)
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait(path)
            fcntl.flock(fd, fcntl.LOCK_EX)
        with _held_guard:
            _held_locks[key] = (fd, 1)
        try:
            yield path
        finally:
            with _held_guard:
                _held_locks.pop(key, None)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))


def staging_folder(folder: Path) -> Path:
    """A fresh, empty `<folder>/.staging/` for a build's outputs (call under `build_lock`)."""
    staging = Path(folder) / STAGING_NAME
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def _roll_forward(folder: Path, staging: Path, names: list[str]) -> None:
    """Move every staged entry still in `staging` over its target (idempotent; folders swapped)."""
    for name in names:
        src, dst = staging / name, folder / name
        if not os.path.lexists(src):
            continue  # moved before the kill
        if src.is_dir() and not src.is_symlink():
            old = folder / f".old-{name}"
            shutil.rmtree(old, ignore_errors=True)
            if os.path.lexists(dst):
                os.replace(dst, old)
            os.replace(src, dst)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(src, dst)
    _fsync_dir(folder)


# --- versions: every build's tables, kept whole, for readers that need one build's set ---------------
# <curated>/versions/<build id>/ holds hard links to the tables a build published (the same inodes as
# the top-level files, never written again: a file is only ever replaced by renaming a new one over
# its name) and manifest.json (build id, time, code version, raw manifest sha256, each file's sha256
# and rows); <curated>/versions/current.json names the newest. The last JIANDING_KEEP_VERSIONS
# (default 5) are kept.
VERSIONS_NAME = "versions"
CURRENT_NAME = "current.json"


def keep_versions() -> int:
    """JIANDING_KEEP_VERSIONS (at least 1), default 5."""
    try:
        return max(1, int(os.environ.get("JIANDING_KEEP_VERSIONS", "5")))
    except ValueError:
        return 5


def _write_json(target: Path, data: dict) -> None:
    write_bytes(target, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))


def _rows_of(path: Path) -> int | None:
    try:
        return pq.read_metadata(path).num_rows
    except (OSError, pa.ArrowInvalid):
        return None


def _keep_version(folder: Path, tables: list[Path], work: Path | None) -> str:
    """Hard-link the just published `tables` into `<folder>/versions/<build id>/` with their manifest
    (the folder appears whole, by one rename); return the build id."""
    from .versions import code_version

    files = {p.name: {"sha256": file_sha256(p), "rows": _rows_of(p)} for p in tables}
    now = dt.datetime.now(dt.UTC)
    digest = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:12]
    build_id = f"{now:%Y%m%dT%H%M%S%fZ}-{digest}"
    raw_sha = None
    if work is not None:
        with contextlib.suppress(OSError, ValueError):
            raw_sha = json.loads((Path(work) / f"raw_manifest{MANIFEST_SUFFIX}").read_bytes())["sha256"]
    versions = folder / VERSIONS_NAME
    tmp = versions / f".{build_id}.tmp"
    tmp.mkdir(parents=True)
    for p in tables:
        try:
            os.link(p, tmp / p.name)
        except OSError:  # no hard links here: a copy
            shutil.copy2(p, tmp / p.name)
    manifest = {
        "build_id": build_id,
        "built_at": now.isoformat(timespec="seconds"),
        "code_version": code_version(),
        "raw_manifest_sha256": raw_sha,
        "files": files,
    }
    _write_json(tmp / "manifest.json", manifest)
    _fsync_tree(tmp)
    os.replace(tmp, versions / build_id)
    _fsync_dir(versions)
    return build_id


def _prune_versions(versions: Path, keep: int) -> None:
    """Drop all but the newest `keep` versions (ids sort by time), and unfinished ones."""
    done = sorted(p for p in versions.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in [p for p in versions.iterdir() if p.name.startswith(".")] + done[:-keep]:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def current_version(folder: str | os.PathLike[str]) -> Path | None:
    """The folder of the newest complete build in a curated folder (its tables all from that build),
    or None before the first versioned build."""
    versions = Path(folder) / VERSIONS_NAME
    try:
        build_id = json.loads((versions / CURRENT_NAME).read_bytes())["build_id"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    path = versions / build_id
    return path if (path / "manifest.json").exists() else None


def publish_folder(staging: Path, folder: Path, work: Path | None = None) -> list[str]:
    """Swap everything in `staging` into `folder` as one set (journal + renames); return the names.
    The tables are also kept as a version (`<folder>/versions/<build id>/`, see above); `work` is
    the work folder whose raw manifest the version's manifest names.

    Entries of `folder` that the build did not produce are left alone. Call under `build_lock`.
    """
    staging, folder = Path(staging), Path(folder)
    names = sorted(p.name for p in staging.iterdir() if not p.name.startswith("."))
    _fsync_tree(staging)
    journal = folder / JOURNAL_NAME
    tmp = folder / f"{JOURNAL_NAME}.tmp"
    tmp.write_text(json.dumps({"staging": staging.name, "names": names}), encoding="utf-8")
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, journal)
    _fsync_dir(folder)
    _roll_forward(folder, staging, names)
    journal.unlink()
    _fsync_dir(folder)
    shutil.rmtree(staging, ignore_errors=True)
    tables = [folder / n for n in names if n.endswith(".parquet")]
    if tables:  # after the swap: a build killed while keeping its version has still published
        build_id = _keep_version(folder, tables, work)
        versions = folder / VERSIONS_NAME
        _write_json(versions / CURRENT_NAME, {"build_id": build_id, "path": f"{VERSIONS_NAME}/{build_id}"})
        _prune_versions(versions, keep_versions())
    return names


def recover(folder: Path) -> str | None:
    """Finish a publish a killed build left half-done and drop its leftovers (call under `build_lock`).

    Returns what was done ('rolled forward', 'cleaned'), or None when the folder was clean.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return None
    done = None
    journal = folder / JOURNAL_NAME
    if journal.exists():
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
            _roll_forward(folder, folder / plan["staging"], list(plan["names"]))
            done = "rolled forward"
        except (ValueError, KeyError, TypeError):
            done = "cleaned"  # a journal never fully written: the renames never started
        journal.unlink()
    leftovers = [
        p
        for p in folder.iterdir()
        if p.name in (STAGING_NAME, f"{JOURNAL_NAME}.tmp") or p.name.startswith(".old-")
    ]
    for p in leftovers:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
    return done or ("cleaned" if leftovers else None)


@dataclass
class Publication:
    """What `publishing` hands its block: `folder`, where to write the set, and whether to publish it."""

    folder: Any  # the staging folder (local), or the published folder itself (an object store)
    target: Any  # the published folder
    recovered: str | None = None  # what `recover` did before the build (a publish rolled forward…)
    publish: bool = True  # set False (`cancel`) to leave the published set as it was
    published: bool = False  # whether the staged set was swapped in

    def cancel(self) -> None:
        self.publish = False


@contextlib.contextmanager
def publishing(
    folder: Any, work: Any = None, on_wait: Callable[[Path], None] | None = None
) -> Iterator[Publication]:
    """The one publish path: a local `folder` locked (build_lock, re-entrant), recovered, and a fresh
    `<folder>/.staging/` handed to the block, swapped in as one set (publish_folder) when the block
    ends without an exception or `cancel()`; the staging folder is dropped either way. `work`: the
    work folder whose raw manifest the kept version names (a local one). An object store has no lock
    nor staging: the block writes into `folder` itself."""
    target = as_folder(folder)
    if is_remote(target):
        yield Publication(target, target)
        return
    with build_lock(target, on_wait=on_wait):
        recovered = recover(target)
        publication = Publication(staging_folder(target), target, recovered)
        try:
            yield publication
            if publication.publish:
                publish_folder(publication.folder, target, work=work if isinstance(work, Path) else None)
                publication.published = True
        finally:
            recover(target)  # drops the staging folder of a failed or cancelled run
