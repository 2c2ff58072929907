"""Provenance for the curated tables: raw_files.parquet (every raw file, read or not, and why) and
the file and sheet or page each extracted line came from (`source_file`, `source_part`)."""

from __future__ import annotations

import json
from bisect import bisect_right
from typing import Any

Rows = list[dict[str, Any]]


def _member_path(notice_path: str, file: str) -> str:
    """The raw path of a notice's file: the folder's path and the name, or the loose file itself."""
    return notice_path + file if notice_path.endswith("/") else notice_path


class LineSources:
    """line -> (source_file, source_part) for one notice, from normalized_notices.line_sources."""

    def __init__(self, notice_path: str, entries: list[str] | None) -> None:
        self.starts: list[int] = []
        self.values: list[tuple[str, str | None]] = []
        for entry in entries or []:
            line, file, part = ([*entry.split("\t"), "", ""])[:3]
            self.starts.append(int(line))
            self.values.append((_member_path(notice_path, file), part or None))
        self.default = (notice_path, None)

    def at(self, line: int | None) -> tuple[str, str | None]:
        i = bisect_right(self.starts, line or 0) - 1
        return self.values[i] if i >= 0 else self.default


def line_sources_by_sha(notices: Rows, normalized: Rows) -> dict[str, LineSources]:
    """sha256 -> LineSources of each counted notice (the first file of its content)."""
    norm = {n["sha256"]: n for n in normalized}
    out = {}
    for n in notices:
        if n["status"] == "ok" and not n.get("duplicate_of") and n["sha256"] not in out:
            out[n["sha256"]] = LineSources(
                n["source_path"], (norm.get(n["sha256"]) or {}).get("line_sources")
            )
    return out


def _reads(norm: dict | None) -> dict[str, dict]:
    out = {}
    for text in (norm or {}).get("file_reads") or []:
        read = json.loads(text)
        out[read["file"]] = read
    return out


def build_raw_files(files: Rows, notices: Rows, normalized: Rows) -> Rows:
    """raw_files.parquet: one row per raw file, with what reading its notice made of it."""
    by_path = {n["source_path"]: n for n in notices}
    norm = {n["sha256"]: n for n in normalized}
    rows = []
    for f in files:
        notice = by_path.get(f["notice_path"]) or {}
        folder = f["notice_path"].endswith("/")
        name = f["source_path"][len(f["notice_path"]) :] if folder else ""
        read = _reads(norm.get(notice.get("sha256") or "")).get(name, {})
        status = "skipped" if f["role"] == "resources" else ("rejected" if f["reject_reason"] else None)
        if status is None:
            status = read.get("status") or ("rejected" if notice.get("status") == "rejected" else "read")
        reason = f["reject_reason"] or read.get("reason")
        if status == "rejected" and not reason:
            reason = notice.get("status_reason")
        rows.append(
            {
                "notice_id": notice.get("notice_id"),
                "path": f["source_path"],
                "role": f["role"],
                "format": read.get("format"),
                "sha256": f["sha256"] or None,
                "size_bytes": f["size_bytes"],
                "status": status,
                "reason": reason,
                "units": read.get("units"),
            }
        )
    return rows


def files_of_manifest(manifest: Rows) -> Rows:
    """raw_file_list rows for a manifest of loose files only (callers that have no file list)."""
    return [
        {
            "source_path": m["source_path"],
            "notice_path": m["source_path"],
            "role": "page",
            "sha256": m["sha256"],
            "size_bytes": m["size_bytes"],
            "reject_reason": m["reject_reason"],
        }
        for m in manifest
    ]
