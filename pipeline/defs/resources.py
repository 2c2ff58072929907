"""Where the pipeline reads and writes: one resource, defaults overridable by environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

from ..storage import as_folder, default_work_dir

if TYPE_CHECKING:
    from upath import UPath


class JiandingPaths(dg.ConfigurableResource):
    """raw_dir: the notices; curated_dir: the published Parquet; work_dir: what steps hand each other
    (empty: storage.default_work_dir(curated_dir), the default of the CLI and of paths_from_env too).

    published_dir: set by a caller that publishes the run's curated_dir into it itself (`jianding
    build` hands the run a staging folder); empty: the curated_tables asset publishes curated_dir.

    curated_dir and work_dir may be fsspec URLs (`s3://bucket/curated`, `memory://…`) as well as
    local folders; raw_dir is a local (or mounted) folder.
    """

    raw_dir: str = "data/raw"
    curated_dir: str = "data/curated"
    work_dir: str = ""
    published_dir: str = ""

    @property
    def raw(self) -> Path:
        return Path(self.raw_dir)

    @property
    def curated(self) -> Path | UPath:
        return as_folder(self.curated_dir)

    @property
    def published(self) -> Path | UPath:
        """Where the curated files end up (the UI names these paths, not a staging folder's)."""
        return as_folder(self.published_dir or self.curated_dir)

    @property
    def work(self) -> Path | UPath:
        return as_folder(self.work_dir or default_work_dir(self.curated_dir))


def paths_from_env() -> JiandingPaths:
    """JIANDING_RAW_DIR, JIANDING_CURATED_DIR and JIANDING_WORK_DIR override the embedded defaults."""
    curated = os.environ.get("JIANDING_CURATED_DIR", "data/curated")
    return JiandingPaths(
        raw_dir=os.environ.get("JIANDING_RAW_DIR", "data/raw"),
        curated_dir=curated,
        work_dir=os.environ.get("JIANDING_WORK_DIR", default_work_dir(curated)),
    )
