"""Worker processes for the bulk steps, and the watchdog that kills one stuck inside a notice.

`WatchedPool.map` runs chunks of items on its workers and hands back each chunk's results in chunk
order. A step runs each notice under `budget.notice_budget(key=...)`; in a worker, that block
writes the notice's key and start time into the worker's slot of shared memory (`_Slot`: a few
microseconds, no message, no system call) and clears it when the notice ends. The parent reads the
slots whenever a result comes, at the earliest deadline, and at least once a second (`_TICK`).
SIGALRM stops Python code and regular expressions at the budget, so a worker still inside one
notice at `limit(budget)` (twice the budget and `GRACE`) is inside a call into C that never checks
for signals (one lxml parse, one OpenCC conversion). The parent kills it (SIGKILL), starts a fresh
worker and runs that chunk again with the notice given up (`budget.give_up`): its block raises
BudgetExceeded at once, so it gets the reason of every notice over the budget, and the chunk's
other notices are computed again, as the first time (the steps are deterministic). Each kill gives
up one more notice, so a chunk runs at most once more per stuck notice, and the results do not
depend on which worker ran what.

Only keyed budget blocks are watched: work outside them (reading a notice's files; attachments
have their own child process and timeout, pipeline/readers/isolate.py) is not. A worker that dies
of itself (out of memory, a crash) raises `WorkerLost`.

Workers start from a fork server that has already imported the step modules, so a worker starts in
milliseconds and never inherits the threads or locks of the process that runs Dagster. Each runs
with the environment of the process that started the pool (the fork server's may be older).

Workers die with the build, however it ends (even SIGKILL): each watches the build process through
a pidfd (a poll of its pid where there is none) and has a parent-death signal (Linux prctl), so no
worker, and then no resource tracker waiting on them, outlives it.
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
import traceback
import warnings
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from types import TracebackType
from typing import Any

from . import budget

# modules a worker needs, imported once in the fork server rather than in every worker
PRELOAD = ["pipeline.normalize", "pipeline.extract.batch", "pipeline.steps"]
GRACE = 2.0  # seconds, past twice the budget, before the watchdog kills a worker
_TICK = 1.0  # seconds between two looks at the slots, at most
_DONE, _FAILED = "done", "failed"  # what a worker sends: its messages' kinds
_KEY_BYTES = 256


class WorkerLost(Exception):
    """A worker process ended on its own (killed from outside, out of memory, a crash)."""


def limit(seconds: float) -> float:
    """How long a worker may stay inside one notice of a `seconds` budget before it is killed."""
    return 2 * seconds + GRACE


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
    """End this worker when the build process `pid` (not its parent, the fork server) ends, and
    when the fork server ends."""
    set_parent_death_signal()
    threading.Thread(target=_watch, args=(pid,), daemon=True, name="jianding-watch-build").start()


def context() -> multiprocessing.context.BaseContext:
    """The fork server with the step modules preloaded, else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


class _Slot(ctypes.Structure):
    """What a worker is on, in memory its parent reads: the notice's key (UTF-8, `size` bytes), its
    budget and its start (time.monotonic, 0 between notices). `seq` is odd while the worker writes."""

    _fields_ = [
        ("seq", ctypes.c_uint64),
        ("started", ctypes.c_double),
        ("seconds", ctypes.c_double),
        ("size", ctypes.c_uint32),
        ("key", ctypes.c_char * _KEY_BYTES),
    ]

    def write(self, key: str | None, seconds: float) -> None:
        """Record that this worker entered notice `key` (None: left it); `budget.report_to`'s callback."""
        data = b"" if key is None else key.encode()
        if len(data) > _KEY_BYTES:
            raise ValueError(f"a notice key is at most {_KEY_BYTES} bytes: {key[:40]!r}…")
        self.seq += 1
        ctypes.memmove(ctypes.addressof(self) + _Slot.key.offset, data, len(data))
        self.size, self.seconds = len(data), seconds
        self.started = 0.0 if key is None else time.monotonic()
        self.seq += 1

    def read(self) -> tuple[str, float] | None:
        """(key, when the watchdog kills) of the notice the worker is inside; None between notices,
        or when the worker is no longer there to finish a write."""
        for _ in range(1000):  # a seqlock: read again while the worker writes
            seq = self.seq
            started, seconds = self.started, self.seconds
            key = ctypes.string_at(ctypes.addressof(self) + _Slot.key.offset, self.size)
            if seq % 2 == 0 and self.seq == seq:
                return (key.decode(), started + limit(seconds)) if started else None
        return None


def _serve(conn: Connection, slot: _Slot, build_pid: int, environ: dict[str, str]) -> None:
    """A worker: run each chunk it is sent and send back its results, keeping `slot` on the notice
    it is inside."""
    _die_with(build_pid)
    os.environ.clear()
    os.environ.update(environ)
    budget.report_to(slot.write)
    while (task := conn.recv()) is not None:
        fn, chunk, star, given_up = task
        budget.give_up(given_up)
        try:
            conn.send((_DONE, [fn(*item) if star else fn(item) for item in chunk]))
        except Exception as exc:  # the parent raises it, as concurrent.futures would
            exc.add_note(f"in a pool worker:\n{traceback.format_exc()}")
            try:
                conn.send((_FAILED, exc))
            except Exception:  # an exception that does not pickle
                conn.send((_FAILED, RuntimeError(f"{type(exc).__name__}: {exc}")))


class _Worker:
    """One worker process, its end of the pipe, its slot and the chunk it runs."""

    def __init__(self, ctx: multiprocessing.context.BaseContext, environ: dict[str, str]) -> None:
        self.conn, child = ctx.Pipe()
        self.slot: _Slot = ctx.RawValue(_Slot)  # type: ignore[attr-defined]
        self.process = ctx.Process(  # type: ignore[attr-defined]
            target=_serve, args=(child, self.slot, os.getpid(), environ), name="jianding-worker", daemon=True
        )
        self.process.start()
        child.close()
        self.chunk: int | None = None

    def receive(self) -> tuple[Any, ...]:
        """The next message of this worker; WorkerLost when it has ended."""
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            self.process.join(1)
            raise WorkerLost(f"worker {self.process.pid} ended (exit code {self.process.exitcode})") from None

    def stop(self, kill: bool = False) -> None:
        """End the process: asked to when idle, else killed; reaped either way."""
        if not kill and self.chunk is None:
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


class WatchedPool:
    """`n_workers` worker processes that run chunks of a map, and the watchdog over them."""

    def __init__(self, n_workers: int) -> None:
        self._ctx = context()
        self._environ = dict(os.environ)
        self._workers: list[_Worker] = []
        # the map under way: its tasks, chunks not yet sent, notices given up per chunk, results not
        # yet handed back
        self._tasks: list[tuple[Callable[..., Any], Sequence[Any], bool]] = []
        self._todo: deque[int] = deque()
        self._given_up: list[set[str]] = []
        self._done: dict[int, list[Any]] = {}
        try:
            for _ in range(n_workers):
                self._workers.append(_Worker(self._ctx, self._environ))
        except BaseException:
            self.close(kill=True)
            raise

    def __enter__(self) -> WatchedPool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close(kill=kind is not None)

    def close(self, kill: bool = False) -> None:
        """Stop every worker (kill them with `kill`, or when they are still busy)."""
        for worker in self._workers:
            worker.stop(kill)
        self._workers = []

    def map(self, fn: Callable[..., Any], chunks: Sequence[Sequence[Any]], star: bool) -> Iterator[list[Any]]:
        """[fn(x) for x in chunk] (fn(*x) with `star`) for each chunk, chunk by chunk in order."""
        self._tasks = [(fn, chunk, star) for chunk in chunks]
        self._todo = deque(range(len(chunks)))
        self._given_up = [set() for _ in chunks]
        self._done = {}
        for index in range(len(chunks)):
            while index not in self._done:
                self._dispatch()
                self._wait()
            yield self._done.pop(index)

    def _dispatch(self) -> None:
        """Give each idle worker the next chunk to run."""
        for worker in self._workers:
            if worker.chunk is None and self._todo:
                worker.chunk = self._todo.popleft()
                worker.conn.send((*self._tasks[worker.chunk], frozenset(self._given_up[worker.chunk])))

    def _wait(self) -> None:
        """Wait for a result, a worker's end, the next deadline or a tick; take the results that
        came, then kill the workers still inside one notice past their deadline."""
        busy = [w for w in self._workers if w.chunk is not None]
        now = time.monotonic()
        deadlines = [inside[1] for w in busy if (inside := w.slot.read())]
        wait(
            [w.conn for w in busy] + [w.process.sentinel for w in busy],
            max(0.0, min([now + _TICK, *deadlines]) - now),
        )
        for worker in busy:
            if worker.conn.poll():
                self._take(worker, worker.receive())
            elif not worker.process.is_alive():
                worker.receive()  # raises WorkerLost
        now = time.monotonic()
        for worker in busy:
            if worker.chunk is not None and (inside := worker.slot.read()) and now >= inside[1]:
                self._kill(worker, inside[0])

    def _take(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        """A chunk's results (or the exception it raised, raised here)."""
        kind, value = message
        if kind == _FAILED:
            raise value
        self._done[worker.chunk] = value  # type: ignore[index]
        worker.chunk = None

    def _kill(self, worker: _Worker, key: str) -> None:
        """Kill a worker stuck in notice `key`; run its chunk again, that notice given up, on a new one."""
        chunk = worker.chunk
        assert chunk is not None
        warnings.warn(
            f"notice {key} kept a worker past {limit(worker.slot.seconds):g} s, in a call that ignores "
            "signals: the worker was killed and the notice is rejected as over the time budget",
            stacklevel=2,
        )
        worker.stop(kill=True)
        self._given_up[chunk].add(key)
        self._todo.appendleft(chunk)
        self._workers[self._workers.index(worker)] = _Worker(self._ctx, self._environ)
