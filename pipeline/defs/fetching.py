"""The fetch asset, its job and its schedule (off by default): web -> raw folder, upstream of
raw_notices. The build job never runs it, so `make run` and `jianding build` never touch the network.

(No `from __future__ import annotations`: Dagster reads the context annotations at definition time.)
"""

import os
from pathlib import Path

import dagster as dg

from ..fetch import FetchSettings, fetch, read_listings, read_sources
from .resources import JiandingPaths

FETCH_JOB = "fetch_notices"


class FetchSources(dg.ConfigurableResource):
    """sources / listings: the CSV files of notice pages and list pages; fetch_dir: fetch_log.parquet."""

    sources: str = "data/sources.csv"
    listings: str = "data/listings.csv"
    fetch_dir: str = "data/fetch"


def fetch_sources_from_env() -> FetchSources:
    """JIANDING_SOURCES, JIANDING_LISTINGS and JIANDING_FETCH_DIR override the defaults."""
    return FetchSources(
        sources=os.environ.get("JIANDING_SOURCES", "data/sources.csv"),
        listings=os.environ.get("JIANDING_LISTINGS", "data/listings.csv"),
        fetch_dir=os.environ.get("JIANDING_FETCH_DIR", "data/fetch"),
    )


@dg.asset(
    group_name="raw",
    description="Notice pages and their attachments fetched from the sources and listings into the raw "
    "folder (one folder per URL, with notice.json); every URL in fetch_log.parquet.",
)
def fetched_notices(
    context: dg.AssetExecutionContext, paths: JiandingPaths, fetch_sources: FetchSources
) -> dg.MaterializeResult:
    sources = read_sources(Path(fetch_sources.sources))
    listings = read_listings(Path(fetch_sources.listings))
    run = fetch(paths.raw, Path(fetch_sources.fetch_dir), sources, listings, FetchSettings.from_env())
    context.log.info(run.summary())
    counts = {
        s: sum(1 for r in run.rows if r["status"] == s)
        for s in ("ok", "not_modified", "failed", "disallowed")
    }
    problems = [r for r in run.rows if r["status"] in ("failed", "disallowed")][:20]
    table = ["| status | url | reason |", "| --- | --- | --- |"]
    table += [f"| {r['status']} | {r['url']} | {r['reason']} |" for r in problems]
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(run.rows),
            "path": dg.MetadataValue.path(run.log_path or ""),
            **{f"urls_{k}": v for k, v in counts.items()},
            "notice_folders_changed": len(run.changed),
            "problems": dg.MetadataValue.md("\n".join(table)),
        }
    )


def fetch_job_and_schedule() -> tuple[object, dg.ScheduleDefinition]:
    """The job that runs only the fetch, and its daily schedule (stopped until turned on in the UI;
    the raw folder sensor then requests a build when the fetch changed the raw folder)."""
    job = dg.define_asset_job(
        FETCH_JOB,
        selection=dg.AssetSelection.assets(fetched_notices),
        description="Web -> raw folder (sources.csv, listings.csv).",
    )
    schedule = dg.ScheduleDefinition(
        name="daily_fetch",
        job=job,
        cron_schedule="0 2 * * *",
        default_status=dg.DefaultScheduleStatus.STOPPED,
    )
    return job, schedule
