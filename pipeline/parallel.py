"""Bulk steps on every core: an ordered, deterministic map over a process pool for large batches.

Small batches stay in this process (a pool costs about a second to start); large ones are cut into
chunks and spread over `workers()` processes. Results come back in input order, so the output of a
step never depends on how many cores it ran on.

Workers start from a fork server that has already imported the step modules, so a worker starts in
milliseconds and never inherits the threads or locks of the process that runs Dagster.

Workers die with the build, however it ends (even SIGKILL): each watches the build process through
a pidfd (a poll of its pid where there is none) and has a parent-death signal (Linux prctl), so no
worker, and then no resource tracker waiting on them, outlives it.

Environment: JIANDING_WORKERS (default: the CPUs this process may use; 1 turns the pool off; a value
that is not a number is the default, with a warning), JIANDING_POOL_MIN (the smallest batch worth a
pool, default 200 items).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from . import progress

R = TypeVar("R")

# modules a worker needs, imported once in the fork server rather than in every worker
PRELOAD = ["pipeline.normalize", "pipeline.extract.batch"]


def workers() -> int:
    """How many processes bulk steps use: JIANDING_WORKERS, else the CPUs available to us."""
    env = os.environ.get("JIANDING_WORKERS", "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            warnings.warn(f"JIANDING_WORKERS={env!r} is not a number; using the CPU count", stacklevel=2)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def pool_min() -> int:
    try:
        return max(1, int(os.environ.get("JIANDING_POOL_MIN", "200")))
    except ValueError:
        return 200


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def set_parent_death_signal() -> None:
    """Linux: have the kernel SIGKILL this process when its parent ends (prctl, through ctypes)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _watch(pid: int) -> None:
    """Block until process `pid` has ended, then SIGKILL this process."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # no pidfd (old kernel, not Linux): poll the pid
        fd = None
    if fd is not None:
        select.select([fd], [], [])  # a pidfd is readable once its process has ended
    else:
        while True:
            time.sleep(0.5)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            except PermissionError:
                continue
    os.kill(os.getpid(), signal.SIGKILL)


def _die_with(pid: int) -> None:
    """Worker initializer: end this worker when the build process `pid` (not its parent, the fork
    server) ends, and when the fork server ends."""
    set_parent_death_signal()
    threading.Thread(target=_watch, args=(pid,), daemon=True, name="jianding-watch-build").start()


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def _step_name(fn: Callable[..., Any]) -> str:
    """What progress calls the step that runs `fn`: its module's step (pipeline.extract.batch -> extract)."""
    parts = getattr(fn, "__module__", "").split(".")
    return parts[1] if len(parts) > 1 else parts[0] or "step"


def _run_lazily(
    fn: Callable[..., R], items: Sequence[Any], star: bool, weight: int = 1, done: int = 0
) -> Iterator[R]:
    name, total = _step_name(fn), (done + len(items)) * weight
    for i, item in enumerate(items, start=done + 1):
        yield fn(*item) if star else fn(item)
        progress.update(name, i * weight, total)


def _run_chunk(fn: Callable[..., R], chunk: Sequence[Any], star: bool) -> list[R]:
    return [fn(*item) for item in chunk] if star else [fn(item) for item in chunk]


def ordered_map(
    fn: Callable[..., R], items: Sequence[Any], n_workers: int | None = None, star: bool = False
) -> list[R]:
    """[fn(x) for x in items] (fn(*x) with `star`), over a process pool when the batch is large enough.

    `fn` must be a module-level function (it is pickled by name). The result order is the input
    order whatever the number of workers.
    """
    return list(ordered_imap(fn, items, n_workers, star))


def ordered_imap(
    fn: Callable[..., R],
    items: Sequence[Any],
    n_workers: int | None = None,
    star: bool = False,
    weight: int = 1,
) -> Iterator[R]:
    """ordered_map as a generator: results arrive in input order as chunks finish, so a caller can
    fold them into compact tables instead of holding every result as Python objects at once.
    `weight`: notices per item, when each item is a batch of notices (the pool is worth starting
    for JIANDING_POOL_MIN notices, not items)."""
    n_workers = workers() if n_workers is None else max(1, n_workers)
    if n_workers == 1 or len(items) * weight < pool_min():
        yield from _run_lazily(fn, items, star, weight)
        return
    n_workers = min(n_workers, len(items))
    # a few chunks per worker: even load without per-item messaging overhead
    size = max(1, -(-len(items) // (n_workers * 8)))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    done = 0
    try:
        with ProcessPoolExecutor(
            max_workers=n_workers, mp_context=_context(), initializer=_die_with, initargs=(os.getpid(),)
        ) as pool:
            for part in pool.map(_run_chunk, [fn] * len(chunks), chunks, [star] * len(chunks)):
                yield from part
                done += len(part)
                progress.update(_step_name(fn), done * weight, len(items) * weight)
    except (BrokenProcessPool, OSError) as exc:
        # a worker died (killed, out of memory) or none could start: the rest, in this process
        warnings.warn(
            f"process pool failed ({exc!r}); running the {len(items) - done} remaining items in process",
            stacklevel=2,
        )
        yield from _run_lazily(fn, items[done:], star, weight, done)
