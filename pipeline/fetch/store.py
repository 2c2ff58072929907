"""Fetched notices in the raw folder: `<raw>/<id>/page.html`, its attachments and `notice.json`.

Files are written under hidden temporary names and renamed into place, and a new notice folder is
assembled under a hidden name and renamed whole, so a build never sees half a notice (hidden names
are not read). A changed file's previous version moves to the folder's hidden `.history/`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..ingest import SIDECAR_NAME

HISTORY = ".history"


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def sidecar_bytes(meta: dict) -> bytes:
    return (json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


class NoticeStore:
    """The notice folders of a raw folder."""

    def __init__(self, raw_dir: Path) -> None:
        self.raw_dir = Path(raw_dir)

    def folder(self, notice_id: str) -> Path:
        return self.raw_dir / notice_id

    def load(self, notice_id: str) -> dict | None:
        """A notice's notice.json, or None (not fetched yet, or unreadable: then fetched anew)."""
        try:
            meta = json.loads((self.folder(notice_id) / SIDECAR_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    def has(self, notice_id: str, name: str | None) -> bool:
        return bool(name) and (self.folder(notice_id) / str(name)).is_file()

    def save(self, notice_id: str, files: dict[str, bytes | None], meta: dict, stamp: str) -> None:
        """Write `files` (None: keep the saved file as it is) and notice.json, last; a file whose
        bytes change, and a file of the folder no longer listed, move to `.history/<stamp>/` first."""
        folder = self.folder(notice_id)
        if not folder.is_dir():
            self._create(folder, files, meta)
            return
        keep = set(files) | {SIDECAR_NAME}
        history = folder / HISTORY / stamp
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue
            new = files.get(path.name)
            changed = new is not None and path.read_bytes() != new
            if changed or path.name not in keep:
                history.mkdir(parents=True, exist_ok=True)
                os.replace(path, history / path.name)
        for name, data in files.items():
            if data is not None and not (folder / name).is_file():
                _write_atomic(folder / name, data)
        _write_atomic(folder / SIDECAR_NAME, sidecar_bytes(meta))

    def save_sidecar(self, notice_id: str, meta: dict) -> None:
        _write_atomic(self.folder(notice_id) / SIDECAR_NAME, sidecar_bytes(meta))

    def save_file(self, notice_id: str, name: str, data: bytes) -> None:
        _write_atomic(self.folder(notice_id) / name, data)

    def _create(self, folder: Path, files: dict[str, bytes | None], meta: dict) -> None:
        staging = folder.with_name(f".{folder.name}.{os.getpid()}.fetching")
        staging.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            if data is not None:
                _write_atomic(staging / name, data)
        _write_atomic(staging / SIDECAR_NAME, sidecar_bytes(meta))
        os.replace(staging, folder)
