"""Functions tests run in pool workers. They are pickled by name, so a worker imports this module;
it stays light (a test module's imports would cost every worker seconds).

`square` and `add` are plain; `dies_in_a_worker` and `fails_on_13` die or fail on one item.

`normalize_file`, `extract_part` and `extract_batch` are the pipeline's step functions, except that a notice whose
text holds `STALL_NORMALIZE` (or `STALL_EXTRACT`) waits STALL_SECONDS inside the step's budget
block, in `pthread_mutex_timedlock` on a mutex its thread already holds: POSIX has it never fail with
EINTR, so SIGALRM's handler runs only once it returns, as after one long lxml parse (libc `sleep`
would not do: a signal ends it early). Only killing the process stops it sooner. A test puts these
in place of the real ones in the process that runs the build. The file named by
JIANDING_TEST_STALLED gets a line each time a stalled call returns: a line there means nobody
stopped it.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pipeline import normalize, steps
from pipeline.extract import batch

STALL_NORMALIZE, STALL_EXTRACT = "STALL-IN-NORMALIZE", "STALL-IN-EXTRACT"
STALL_SECONDS = 30
_normalize_file, _normalize_text = normalize.normalize_file, normalize.normalize_text
_extract_batch, _extract_notice = batch.extract_batch, batch.extract_notice
_extract_part = steps.extract_part


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


def _block_in_c(seconds: float) -> None:
    """Wait `seconds` in one C call that signals do not interrupt (pthread_mutex_timedlock)."""
    libc = ctypes.CDLL(None)
    mutex = ctypes.create_string_buffer(64)  # zeros: a default mutex (glibc), larger than one
    libc.pthread_mutex_lock(mutex)
    until = time.time() + seconds
    libc.pthread_mutex_timedlock(mutex, ctypes.byref(_Timespec(int(until), int(until % 1 * 1e9))))


def square(x: int) -> int:
    return x * x


def add(a: int, b: int) -> int:
    return a + b


def dies_in_a_worker(x: int) -> int:
    """x * x; item 13 ends the worker process that runs it (as if killed from outside, or out of memory)."""
    if x == 13 and multiprocessing.parent_process() is not None:
        os._exit(3)
    return x * x


def fails_on_13(x: int) -> int:
    """x; item 13 raises ValueError."""
    if x == 13:
        raise ValueError(f"bad item {x}")
    return x


def _stall_on(mark: str, text: str) -> None:
    if mark in text:
        try:
            _block_in_c(STALL_SECONDS)
        finally:  # reached when the call returned (the budget's exception is raised as it returns)
            with open(os.environ["JIANDING_TEST_STALLED"], "a", encoding="utf-8") as log:
                log.write(f"{mark} returned after {STALL_SECONDS} s\n")


def _stalling_normalize_text(text: str, is_html: bool) -> Any:
    _stall_on(STALL_NORMALIZE, text)
    return _normalize_text(text, is_html)


def _stalling_extract_notice(text: str) -> Any:
    _stall_on(STALL_EXTRACT, text)
    return _extract_notice(text)


@contextlib.contextmanager
def _replaced(module: object, name: str, stand_in: Callable[..., Any]) -> Iterator[None]:
    real = getattr(module, name)
    setattr(module, name, stand_in)
    try:
        yield
    finally:
        setattr(module, name, real)


def normalize_file(path: Path, sha256: str) -> dict:
    """normalize.normalize_file, its normalize_text stalling on a notice marked STALL_NORMALIZE."""
    with _replaced(normalize, "normalize_text", _stalling_normalize_text):
        return _normalize_file(path, sha256)


def extract_part(path: str, row_group: int, keys: list[str]) -> Any:
    """steps.extract_part, its extract_notice stalling on a notice marked STALL_EXTRACT."""
    with _replaced(batch, "extract_notice", _stalling_extract_notice):
        return _extract_part(path, row_group, keys)


def extract_batch(table: Any) -> Any:
    """batch.extract_batch, its extract_notice stalling on a notice marked STALL_EXTRACT."""
    with _replaced(batch, "extract_notice", _stalling_extract_notice):
        return _extract_batch(table)
