"""Progress of the bulk steps (notices per second and an ETA), shown on a terminal only.

The bulk map (pipeline/parallel.py) reports every result it hands back through `update`; nothing
is shown unless a caller installed a display with `on_terminal` (the CLI does when stderr is a
TTY), so logs, pipes, tests and Dagster runs from the UI never see progress lines.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Sink = Callable[[str, int, int], None]
_sink: Sink | None = None


def update(label: str, done: int, total: int) -> None:
    """`done` of `total` items of step `label` are finished (a no-op without a display)."""
    if _sink is not None:
        _sink(label, done, total)


def line(label: str, done: int, total: int, elapsed: float) -> str:
    """One progress line: share of the notices done, notices per second, the time left at that rate."""
    rate = done / elapsed if elapsed > 0 else 0.0
    left = (total - done) * (elapsed / done) if done else None
    eta = "" if left is None else f", about {left:,.0f}s left"
    return f"{label}: {done / total:.0%} ({rate:,.0f} notices/s{eta})" if total else f"{label}: done"


class _Display:
    """Rewrites one terminal line, at most every `interval` seconds, and clears it when done."""

    def __init__(self, stream: TextIO, interval: float) -> None:
        self.stream, self.interval = stream, interval
        self.started: dict[str, float] = {}
        self.shown = 0.0
        self.width = 0

    def __call__(self, label: str, done: int, total: int) -> None:
        now = time.monotonic()
        start = self.started.setdefault(label, now)
        if done < total and now - self.shown < self.interval:
            return
        self.shown = now
        text = line(label, done, total, now - start) if done < total else ""
        self._write(text)

    def _write(self, text: str) -> None:
        pad = max(0, self.width - len(text))
        self.stream.write("\r" + text + " " * pad + ("\r" if not text else ""))
        self.stream.flush()
        self.width = len(text)


@contextmanager
def on_terminal(stream: TextIO | None = None, interval: float = 0.5) -> Iterator[bool]:
    """Show progress on `stream` (default stderr) while inside, if it is a terminal; yields whether."""
    global _sink
    stream = stream or sys.stderr
    if not stream.isatty():
        yield False
        return
    display = _Display(stream, interval)
    _sink = display
    try:
        yield True
    finally:
        _sink = None
        if display.width:
            display._write("")
