"""Sensor: a new, changed or removed file in the raw folder requests a build.

Its first tick (no cursor yet, e.g. a new instance or a renamed sensor) compares the folder with
the fingerprint the last build recorded on raw_notices: opening the UI starts no build when
nothing changed since then.

(No `from __future__ import annotations`: Dagster reads the context annotations at definition time.)
"""

import hashlib
import os

import dagster as dg

from .resources import JiandingPaths


def raw_folder_fingerprint(paths: JiandingPaths) -> str:
    """Hash of every raw file's path (relative to the raw folder), size and modification time
    (cheap: no file is read); the same whether the folder is named by a relative or absolute path."""
    digest = hashlib.sha256()
    if paths.raw.is_dir():
        for dirpath, dirnames, filenames in os.walk(paths.raw, followlinks=False):
            dirnames.sort()
            where = os.path.relpath(dirpath, paths.raw)
            for name in sorted(filenames):
                try:
                    st = os.lstat(os.path.join(dirpath, name))
                except FileNotFoundError:
                    continue
                digest.update(
                    f"{where}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape")
                )
    return digest.hexdigest()[:16]


def last_built_fingerprint(instance: "dg.DagsterInstance | None") -> str | None:
    """The raw-folder fingerprint the latest raw_notices materialization recorded, if any."""
    if instance is None:
        return None
    event = instance.get_latest_materialization_event(dg.AssetKey("raw_notices"))
    materialization = event.asset_materialization if event else None
    value = materialization.metadata.get("raw_fingerprint") if materialization else None
    return getattr(value, "value", None)


def _instance(context: dg.SensorEvaluationContext) -> "dg.DagsterInstance | None":
    """The sensor's instance; None for a context built without one (tests)."""
    try:
        return context.instance
    except dg.DagsterInvariantViolationError:
        return None


def make_raw_folder_sensor(job: "dg.JobDefinition | object") -> dg.SensorDefinition:
    @dg.sensor(
        job=job,
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Requests a build when a file in the raw folder is added, changed or removed "
        "(checked every 30 s by path, size and modification time; no file is read).",
    )
    def raw_folder_sensor(context: dg.SensorEvaluationContext, paths: JiandingPaths) -> dg.SensorResult:
        fingerprint = raw_folder_fingerprint(paths)
        known = context.cursor or last_built_fingerprint(_instance(context))
        if fingerprint == known:
            return dg.SensorResult(skip_reason=dg.SkipReason("raw folder unchanged"), cursor=fingerprint)
        # no run_key: the cursor already stops repeats, and a folder can return to an earlier state
        # (a file added, then removed) whose fingerprint Dagster would otherwise skip as a known key
        return dg.SensorResult(run_requests=[dg.RunRequest()], cursor=fingerprint)

    return raw_folder_sensor
