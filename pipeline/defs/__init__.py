"""Dagster wiring: assets, checks, the sensor, the schedule and the resource. Only calls step functions."""

from __future__ import annotations

import dagster as dg

from .assets import curated_tables, extracted_tables, normalized_notices, raw_notices
from .resources import JiandingPaths, paths_from_env
from .sensors import make_raw_folder_sensor

BUILD_JOB = "build_dataset"


def make_definitions(paths: JiandingPaths | None = None) -> dg.Definitions:
    """The project's Definitions; `paths` overrides where notices are read and tables written."""
    job = dg.define_asset_job(
        BUILD_JOB, selection=dg.AssetSelection.all(), description="Raw notices -> curated Parquet."
    )
    nightly = dg.ScheduleDefinition(
        name="nightly_build",
        job=job,
        cron_schedule="0 3 * * *",
        default_status=dg.DefaultScheduleStatus.STOPPED,
    )
    return dg.Definitions(
        assets=[raw_notices, normalized_notices, extracted_tables, curated_tables],
        jobs=[job],
        sensors=[make_raw_folder_sensor(job)],
        schedules=[nightly],
        resources={"paths": paths or paths_from_env()},
    )


__all__ = ["BUILD_JOB", "JiandingPaths", "make_definitions"]
