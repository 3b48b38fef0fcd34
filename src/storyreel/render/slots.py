"""Encoder slots: how many scene segments are encoded at once on this machine.

A job encodes its segments one at a time on a slot of its own: an x264 at 1080p with its
graph takes 300-420 MiB, so one at a time keeps a job under 600 MiB. The jobs of a batch
on a local process pool (``--jobs N``) share N slots: each job holds one while it runs,
and while fewer than N jobs are running (the end of a batch, a language whose video was
found up to date, the other language of a small edit) a job borrows the idle ones and
encodes a segment on each beside its own. The cores stay busy then, and never more than
N encoders (the memory of N jobs) run at once: a job starting while its slot is lent
waits for the borrowed segment to end (seconds).

Outside such a pool (one job, or jobs on a cluster) there is nothing to borrow.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

POLL = 0.2  # seconds between looks at the batch's free slots while the job's own is busy

_free: Any = None  # the batch's free slots (a multiprocessing semaphore), in pool workers
_size = 1

T = TypeVar("T")


def share(free: Any, size: int) -> None:
    """Join a batch's ``size`` slots, ``free`` counting those no job holds or borrowed
    (a ``multiprocessing`` semaphore of value ``size``; a process pool's initializer)."""
    global _free, _size
    _free, _size = free, size


def at_most() -> int:
    """How many segments a job in this process may encode at once."""
    return _size if _free is not None else 1


@contextlib.contextmanager
def held() -> Iterator[None]:
    """A job's own slot, held while it runs."""
    if _free is None:
        yield
        return
    _free.acquire()
    try:
        yield
    finally:
        _free.release()


class Segments:
    """One job's segments on slots: its own first, borrowed ones when they are free."""

    def __init__(self) -> None:
        self._own = threading.Semaphore(1)
        self._count = threading.Lock()
        self.borrowed = 0  # segments encoded on a borrowed slot

    def run(self, encode: Callable[[T], str], task: T) -> str:
        """``encode(task)`` once a slot is there."""
        while True:
            if self._own.acquire(timeout=POLL if _free is not None else None):
                try:
                    return encode(task)
                finally:
                    self._own.release()
            if _free is not None and _free.acquire(False):  # not blocking
                with self._count:
                    self.borrowed += 1
                try:
                    return encode(task)
                finally:
                    _free.release()
