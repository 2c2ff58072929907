"""Each attachment is read in a child process with a memory limit (RLIMIT_AS) and a timeout.

JIANDING_READER_MEMORY_MB (default 1024) and JIANDING_READER_TIMEOUT (seconds, default 120) set them.
A child that aborts, is killed, times out or prints no result makes a rejected Reading whose reason
says what happened and what to do; the build goes on.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from .detect import DESCRIPTIONS, sniff
from .model import Reading

DEFAULT_MEMORY_MB = 1024
DEFAULT_TIMEOUT = 120.0  # pdfplumber: 0.15-0.35 s a table page here, so 200 pages (the cap) 30-70 s
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
PYTHON = sys.executable  # the interpreter the child runs (a test may point it at a crashing stand-in)


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name) or default)
    except ValueError:
        return default


def limits() -> tuple[int, float]:
    """(memory limit in bytes, timeout in seconds) for one child."""
    memory = int(_env_number("JIANDING_READER_MEMORY_MB", DEFAULT_MEMORY_MB) * 1024 * 1024)
    return memory, _env_number("JIANDING_READER_TIMEOUT", DEFAULT_TIMEOUT)


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
    env["OMP_NUM_THREADS"] = "1"
    return env


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def read_isolated(data: bytes) -> Reading:
    """Read one file in a child process; never raises."""
    memory, timeout = limits()
    kind = DESCRIPTIONS.get(sniff(data), "the file")
    try:
        done = subprocess.run(
            [PYTHON, "-m", "pipeline.readers.child", str(memory)],
            input=data,
            capture_output=True,
            timeout=timeout,
            env=_child_env(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Reading(
            sniff(data),
            reject_reason=f"reading {kind} took over {timeout:g} s (JIANDING_READER_TIMEOUT); not read: "
            "open it and save the list as .xlsx or text",
        )
    if done.returncode < 0:
        return Reading(
            sniff(data),
            reject_reason=f"the reader of {kind} crashed ({_signal_name(done.returncode)}), most likely out "
            f"of memory under the {memory >> 20} MiB limit (JIANDING_READER_MEMORY_MB): a decompression "
            "bomb, or a file to open and save again",
        )
    try:
        return Reading.from_json(json.loads(done.stdout.decode("utf-8")))
    except (ValueError, KeyError, TypeError):
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        memory_hint = " (out of memory?)" if "MemoryError" in tail[0] else ""
        return Reading(
            sniff(data),
            reject_reason=f"the reader of {kind} failed{memory_hint}: {tail[0][:200]}",
        )
