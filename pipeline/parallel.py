"""Bulk steps on every core: an ordered, deterministic map over worker processes (pipeline/pool.py).

Results come back in input order, so the output of a step never depends on how many cores it ran
on. A batch of at least JIANDING_POOL_MIN notices is cut into chunks spread over `workers()`
processes. A `watched` map (normalize, extract: each notice under the time budget) runs in worker
processes whatever its size while the budget is on, a smaller batch in one worker: only a parent can
stop a notice stuck in a call into C that never checks for signals, by killing the worker that runs
it (the watchdog, pipeline/pool.py). That costs a worker start per step (tens of milliseconds, from
the fork server) and the fork server's start once per build process (about a second, which a build
with any new notice paid before too: extract's one batch counts as 250 notices). Other small batches,
and with the budget off (JIANDING_NOTICE_BUDGET=0) every batch when JIANDING_WORKERS=1, run in this
process, unwatched.

Environment: JIANDING_WORKERS (default: the CPUs this process may use; a value that is not a number
is the default, with a warning), JIANDING_POOL_MIN (the smallest batch spread over several workers,
default 200 notices).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from . import progress
from .budget import budget_seconds
from .pool import WatchedPool, WorkerLost

R = TypeVar("R")


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


def _step_name(fn: Callable[..., Any]) -> str:
    """What progress calls the step that runs `fn`: its module's step (pipeline.extract.batch -> extract)."""
    parts = getattr(fn, "__module__", "").split(".")
    return parts[1] if len(parts) > 1 else parts[0] or "step"


def _run_lazily(
    fn: Callable[..., R],
    items: Sequence[Any],
    star: bool,
    weight: int = 1,
    done: int = 0,
    step: str | None = None,
) -> Iterator[R]:
    name, total = step or _step_name(fn), (done + len(items)) * weight
    for i, item in enumerate(items, start=done + 1):
        yield fn(*item) if star else fn(item)
        progress.update(name, i * weight, total)


def ordered_map(
    fn: Callable[..., R],
    items: Sequence[Any],
    n_workers: int | None = None,
    star: bool = False,
    watched: bool = False,
) -> list[R]:
    """[fn(x) for x in items] (fn(*x) with `star`), over worker processes when the batch is large
    enough, or when `watched` and the budget is on.

    `fn` must be a module-level function (it is pickled by name). The result order is the input
    order whatever the number of workers.
    """
    return list(ordered_imap(fn, items, n_workers, star, watched=watched))


def _pool_size(n_items: int, n_workers: int, watched: bool) -> int:
    """How many worker processes a batch of `n_items` notices gets (0: this process runs it)."""
    small = n_items < pool_min()
    if watched and budget_seconds() > 0:
        return 1 if small else n_workers
    return 0 if small or n_workers == 1 else n_workers


def ordered_imap(
    fn: Callable[..., R],
    items: Sequence[Any],
    n_workers: int | None = None,
    star: bool = False,
    weight: int = 1,
    watched: bool = False,
    step: str | None = None,
) -> Iterator[R]:
    """ordered_map as a generator: results arrive in input order as chunks finish, so a caller can
    fold them into compact tables instead of holding every result as Python objects at once.
    `weight`: notices per item, when each item is a batch of notices (the pool is worth starting
    for JIANDING_POOL_MIN notices, not items). `watched`: `fn` runs notices under the time budget,
    so the watchdog must be able to kill it (see the module's docstring). `step`: what progress
    calls it (by default, from `fn`'s module)."""
    size = _pool_size(len(items) * weight, workers() if n_workers is None else max(1, n_workers), watched)
    if not items or size == 0:
        yield from _run_lazily(fn, items, star, weight, step=step)
        return
    size = min(size, len(items))
    # a few chunks per worker: even load without per-item messaging overhead, and little to run
    # again when the watchdog kills a worker
    step = max(1, -(-len(items) // (size * 8)))
    chunks = [items[i : i + step] for i in range(0, len(items), step)]
    done = 0
    try:
        with WatchedPool(size) as pool:
            for part in pool.map(fn, chunks, star):
                yield from part
                done += len(part)
                progress.update(step or _step_name(fn), done * weight, len(items) * weight)
    except (WorkerLost, OSError) as exc:
        # a worker died (killed from outside, out of memory) or none could start: the rest, in this
        # process (unwatched)
        warnings.warn(
            f"process pool failed ({exc!r}); running the {len(items) - done} remaining items in process",
            stacklevel=2,
        )
        yield from _run_lazily(fn, items[done:], star, weight, done, step)
