"""Sensor: a new, changed or removed file in the raw folder requests a build.

(No `from __future__ import annotations`: Dagster reads the context annotations at definition time.)
"""

import hashlib
import os

import dagster as dg

from .resources import JiandingPaths


def raw_folder_fingerprint(paths: JiandingPaths) -> str:
    """Hash of every raw file's path, size and modification time (cheap: no file is read)."""
    digest = hashlib.sha256()
    if paths.raw.is_dir():
        for dirpath, dirnames, filenames in os.walk(paths.raw, followlinks=False):
            dirnames.sort()
            for name in sorted(filenames):
                try:
                    st = os.lstat(os.path.join(dirpath, name))
                except FileNotFoundError:
                    continue
                digest.update(
                    f"{dirpath}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape")
                )
    return digest.hexdigest()[:16]


def make_raw_folder_sensor(job: "dg.JobDefinition | object") -> dg.SensorDefinition:
    @dg.sensor(job=job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
    def raw_folder_sensor(context: dg.SensorEvaluationContext, paths: JiandingPaths) -> dg.SensorResult:
        fingerprint = raw_folder_fingerprint(paths)
        if fingerprint == context.cursor:
            return dg.SensorResult(skip_reason=dg.SkipReason("raw folder unchanged"))
        # no run_key: the cursor already stops repeats, and a folder can return to an earlier state
        # (a file added, then removed) whose fingerprint Dagster would otherwise skip as a known key
        return dg.SensorResult(run_requests=[dg.RunRequest()], cursor=fingerprint)

    return raw_folder_sensor
