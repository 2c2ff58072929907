"""Parquet in and out: explicit schemas from the registry, stable row order, atomic replace."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .registry import Table


def _sort_key(row: dict[str, Any], keys: tuple[str, ...]) -> tuple:
    # None sorts first; every key is compared as (is_not_none, value) so mixed None/values never clash
    return tuple((row.get(k) is not None, row.get(k) if row.get(k) is not None else 0) for k in keys)


def to_arrow(rows: list[dict[str, Any]], table: Table) -> pa.Table:
    """Rows -> an Arrow table with the registry's schema (unknown keys are an error, missing are null)."""
    names = set(table.column_names)
    for row in rows[:1]:
        extra = set(row) - names
        if extra:
            raise ValueError(f"{table.name}: columns not in the registry: {sorted(extra)}")
    ordered = sorted(rows, key=lambda r: _sort_key(r, table.sort_by))
    return pa.Table.from_pylist(
        [{k: r.get(k) for k in table.column_names} for r in ordered], schema=table.schema()
    )


def write_table(rows: list[dict[str, Any]], table: Table, folder: Path) -> dict[str, Any]:
    """Write `<folder>/<table>.parquet` atomically (temp file + rename); return path, rows and sha256."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{table.name}.parquet"
    arrow = to_arrow(rows, table)
    fd, tmp = tempfile.mkstemp(prefix=f".{table.name}.", suffix=".parquet.tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            pq.write_table(arrow, fh, compression="zstd", write_statistics=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return {"path": str(target), "rows": arrow.num_rows, "sha256": file_sha256(target)}


def read_rows(folder: Path, table: Table) -> list[dict[str, Any]]:
    """Rows of a previously written table, or [] when it does not exist or no longer fits the schema."""
    path = Path(folder) / f"{table.name}.parquet"
    if not path.exists():
        return []
    try:
        data = pq.read_table(path)
    except (OSError, pa.ArrowInvalid):
        return []
    if data.schema.names != table.column_names:
        return []
    return data.to_pylist()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
