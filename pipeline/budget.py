"""The time budget of one notice: `with notice_budget(): ...` raises `BudgetExceeded` past it.

The budget is a real-time interval timer (SIGALRM) whose handler raises in the thread that runs
Python's main loop: a regular expression is interrupted inside its match loop (CPython's `re`
checks for signals while it backtracks), other Python code at its next bytecode. Work inside one
call into C that never checks for signals (one lxml parse, one OpenCC conversion) is interrupted
when that call returns. Where no timer can be set (not the main thread, no SIGALRM), the block
runs without one.

Environment: JIANDING_NOTICE_BUDGET, seconds per notice for normalize and for extract (default 10;
0 turns the budget off).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator

DEFAULT_SECONDS = 10.0


class BudgetExceeded(Exception):
    """Raised inside a `notice_budget` block that ran past its seconds."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"over the {seconds:g} s budget per notice")
        self.seconds = seconds


# what a notice over its budget gets as its status_reason: a failure of the moment (a loaded machine
# may cause it), so it is never cached (storage.TRANSIENT_REASONS) and tried again next run
OVER_BUDGET = "over the time budget per notice"


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


@contextlib.contextmanager
def notice_budget(seconds: float | None = None) -> Iterator[None]:
    """Run the block under a budget of `seconds` (default `budget_seconds()`); raise BudgetExceeded past it.

    Blocks nest: an inner budget replaces the outer one while it runs, and the outer one is
    restored (with the time it had left) afterwards."""
    seconds = budget_seconds() if seconds is None else seconds
    main = threading.current_thread() is threading.main_thread()
    if seconds <= 0 or not hasattr(signal, "setitimer") or not main:
        yield
        return

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
