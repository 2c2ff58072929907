"""DuckDB for the curate step: SQL over the work tables within a memory limit, spilling to disk.

`JIANDING_CURATE_MEMORY` (default 512MB) is DuckDB's memory limit; past it, sorts, joins and
windows spill to a temp folder (in the work folder for a build). Strings compare by their UTF-8
bytes, as Arrow sorts them, so the curated row order is the one the registry's sort gives.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

DEFAULT_MEMORY = "512MB"
TEMP_NAME = ".duckdb-spill"  # in the work folder


def connect(temp: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the memory limit, its threads at the build's workers
    (`JIANDING_WORKERS`, all cores by default), spilling into `temp` (a fresh folder) when given."""
    config: dict[str, str | int] = {
        "memory_limit": os.environ.get("JIANDING_CURATE_MEMORY") or DEFAULT_MEMORY,
        "preserve_insertion_order": True,
    }
    workers = os.environ.get("JIANDING_WORKERS", "")
    if workers.isdigit() and int(workers) > 0:
        config["threads"] = int(workers)
    if temp is not None:
        temp.mkdir(parents=True, exist_ok=True)
        config["temp_directory"] = str(temp)
    return duckdb.connect(config=config)
