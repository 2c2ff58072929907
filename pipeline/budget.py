"""The time budget of one notice: `with notice_budget(key=...): ...` raises `BudgetExceeded` past it.

The budget is a real-time interval timer (SIGALRM) whose handler raises in the thread that runs
Python's main loop: a regular expression is interrupted inside its match loop (CPython's `re`
checks for signals while it backtracks), other Python code at its next bytecode. Work inside one
call into C that never checks for signals (one lxml parse, one OpenCC conversion) is interrupted
only when that call returns. For that case a pool worker (pipeline/pool.py) records, where the
build process can read it, which notice's block it is inside and since when (`report_to`); the
build process kills a worker still inside one block well past its budget and runs the worker's
chunk again with that notice given up (`give_up`): its block raises BudgetExceeded at once, so the
notice gets the same reason as any other over the budget. Where no timer can be set (not the main
thread, no SIGALRM), the block runs without one, unwatched.

Environment: JIANDING_NOTICE_BUDGET, seconds per notice for normalize and for extract (default 10;
0 turns the budget off, and with it the watchdog).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator

DEFAULT_SECONDS = 10.0


class BudgetExceeded(Exception):
    """Raised inside a `notice_budget` block that ran past its seconds."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"over the {seconds:g} s budget per notice")
        self.seconds = seconds


# what a notice over its budget gets as its status_reason: a failure of the moment (a loaded machine
# may cause it), so it is never cached (storage.TRANSIENT_REASONS) and tried again next run
OVER_BUDGET = "over the time budget per notice"

# set in a pool worker only: told (key, seconds) when a notice's block starts and (None, 0) when it ends
_report: Callable[[str | None, float], None] | None = None
# the notices the watchdog killed this worker's predecessor on: their blocks raise at once
_given_up: frozenset[str] = frozenset()


def over_budget_reason(step: str, exc: BudgetExceeded) -> str:
    """The status_reason of a notice whose `step` ('normalization', 'extraction') ran past the budget."""
    return (
        f"{OVER_BUDGET}: {step} ran past {exc.seconds:g} s; it is tried again next run "
        "(raise JIANDING_NOTICE_BUDGET, or report the file)"
    )


def budget_seconds() -> float:
    """JIANDING_NOTICE_BUDGET (seconds; 0 = no budget), else DEFAULT_SECONDS; a bad value is the default."""
    env = os.environ.get("JIANDING_NOTICE_BUDGET", "").strip()
    try:
        return max(0.0, float(env)) if env else DEFAULT_SECONDS
    except ValueError:
        return DEFAULT_SECONDS


def report_to(report: Callable[[str | None, float], None] | None) -> None:
    """Have every keyed block call `report(key, seconds)` as it starts and `report(None, 0)` as it ends."""
    global _report
    _report = report


def give_up(keys: Iterable[str]) -> None:
    """Make the blocks of these notice keys raise BudgetExceeded at once, without running."""
    global _given_up
    _given_up = frozenset(keys)


@contextlib.contextmanager
def notice_budget(seconds: float | None = None, key: str | None = None) -> Iterator[None]:
    """Run the block of notice `key` under a budget of `seconds` (default `budget_seconds()`); raise
    BudgetExceeded past it, or at once when the watchdog gave `key` up.

    Blocks nest: an inner budget replaces the outer one while it runs, and the outer one is
    restored (with the time it had left) afterwards. The watchdog watches keyed blocks, one at a time."""
    seconds = budget_seconds() if seconds is None else seconds
    main = threading.current_thread() is threading.main_thread()
    if seconds <= 0 or not hasattr(signal, "setitimer") or not main:
        yield
        return
    if key in _given_up:
        raise BudgetExceeded(seconds)
    watched = key is not None and _report is not None
    if watched:
        _report(key, seconds)
    try:
        with _timer(seconds):
            yield
    finally:
        if watched:
            _report(None, 0.0)


@contextlib.contextmanager
def _timer(seconds: float) -> Iterator[None]:
    """SIGALRM in `seconds`, raising BudgetExceeded; the outer timer restored afterwards."""

    def expire(signum: int, frame: object) -> None:
        raise BudgetExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    outer_left, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
        if outer_left:
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - start), 1e-3))
