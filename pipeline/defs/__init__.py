"""Dagster wiring: assets, checks, the sensor, the schedule and the resource. Only calls step functions.

Executor: Dagster's default runs a job in process from `jianding build` and a process per step
when launched from the UI; run config chooses either (`execution: {config: {multiprocess: {}}}`).
JIANDING_EXECUTOR fixes one for a deployment: `in_process`, `multiprocess`, `k8s` (a Kubernetes
job per step, needs dagster-k8s), `celery` or `celery_k8s` (needs dagster-celery[-k8s]); see
docs/deploy.md. Bulk steps use every core of their machine either way (pipeline/parallel.py).
"""

from __future__ import annotations

import os

import dagster as dg

from .assets import curated_report, curated_tables, extracted_tables, normalized_notices, raw_notices
from .checks import curated_checks
from .fetching import FETCH_JOB, fetch_job_and_schedule, fetch_sources_from_env, fetched_notices
from .resources import JiandingPaths, paths_from_env
from .sensors import make_raw_folder_sensor

BUILD_JOB = "build_dataset"
# every asset but the fetch: a build never touches the network
BUILD_SELECTION = dg.AssetSelection.all() - dg.AssetSelection.assets(fetched_notices)


def executor_from_env() -> dg.ExecutorDefinition | None:
    """The executor JIANDING_EXECUTOR names, or None for Dagster's default (in process or multiprocess)."""
    name = os.environ.get("JIANDING_EXECUTOR", "").strip().lower().replace("-", "_")
    if not name:
        return None
    if name == "in_process":
        return dg.in_process_executor
    if name == "multiprocess":
        return dg.multiprocess_executor
    if name == "k8s":
        from dagster_k8s import k8s_job_executor

        return k8s_job_executor
    if name == "celery":
        from dagster_celery import celery_executor

        return celery_executor
    if name == "celery_k8s":
        from dagster_celery_k8s import celery_k8s_job_executor

        return celery_k8s_job_executor
    raise ValueError(f"JIANDING_EXECUTOR={name!r}: use in_process, multiprocess, k8s, celery or celery_k8s")


def make_definitions(paths: JiandingPaths | None = None) -> dg.Definitions:
    """The project's Definitions; `paths` overrides where notices are read and tables written."""
    paths = paths or paths_from_env()
    job = dg.define_asset_job(
        BUILD_JOB,
        selection=BUILD_SELECTION,  # (never the fetch: its own job, off by default)
        description="Raw notices -> curated Parquet, the checks, the report.",
        # the instance runs one build at a time (run_queue limit); the tag names the output folder,
        # so the UI's run list can be filtered by dataset
        tags={"jianding/build": "1", "jianding/curated": paths.curated_dir},
    )
    nightly = dg.ScheduleDefinition(
        name="nightly_build",
        job=job,
        cron_schedule="0 3 * * *",
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description="Rebuild every night at 03:00 (off by default; the sensor already rebuilds on change).",
    )
    fetch_job, daily_fetch = fetch_job_and_schedule()
    return dg.Definitions(
        assets=[
            fetched_notices,
            raw_notices,
            normalized_notices,
            extracted_tables,
            curated_tables,
            curated_report,
        ],
        asset_checks=[curated_checks],
        jobs=[job, fetch_job],
        sensors=[make_raw_folder_sensor(job)],
        schedules=[nightly, daily_fetch],
        resources={"paths": paths, "fetch_sources": fetch_sources_from_env()},
        executor=executor_from_env(),
    )


def build_dataset_job() -> dg.JobDefinition:
    """The build job over the paths in the environment, for `dg.reconstructable` (a multiprocess or
    cluster executor re-imports the job in every step process, so it must be built by a module-level
    function)."""
    return make_definitions().resolve_job_def(BUILD_JOB)


__all__ = [
    "BUILD_JOB",
    "BUILD_SELECTION",
    "FETCH_JOB",
    "JiandingPaths",
    "build_dataset_job",
    "executor_from_env",
    "make_definitions",
]
