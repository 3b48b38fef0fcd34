"""Encoder slots: a job encodes one segment at a time on its own slot, and one more on
each slot of its batch that no other job holds; never more encoders than slots."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from storyreel.render import slots


@pytest.fixture
def batch_of_two(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """This process as a worker of a two-slot batch (as the pool's initializer makes it)."""
    free = multiprocessing.Semaphore(2)
    monkeypatch.setattr(slots, "_free", None)
    monkeypatch.setattr(slots, "_size", 1)
    slots.share(free, 2)
    yield free


class Encoder:
    """Counts the segments encoding at once; each lasts until ``hold`` lets it go (or
    0.3 s, so that a second one started beside it would be seen)."""

    def __init__(self, hold: threading.Barrier | None = None) -> None:
        self.hold = hold
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()

    def __call__(self, name: str) -> str:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            if self.hold is not None:
                self.hold.wait(timeout=10)
            else:
                time.sleep(0.3)
        finally:
            with self.lock:
                self.running -= 1
        return name


def _encode_all(job: slots.Segments, encoder: Encoder, names: list[str]) -> list[str]:
    with ThreadPoolExecutor(max_workers=slots.at_most()) as pool:
        return list(pool.map(lambda name: job.run(encoder, name), names))


def test_outside_a_pool_a_job_encodes_one_segment_at_a_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slots, "_free", None)
    monkeypatch.setattr(slots, "_size", 1)
    assert slots.at_most() == 1
    job, encoder = slots.Segments(), Encoder()
    with slots.held():
        assert _encode_all(job, encoder, ["a", "b", "c"]) == ["a", "b", "c"]
    assert encoder.most == 1 and job.borrowed == 0


def test_a_job_borrows_the_slot_of_an_idle_worker(batch_of_two: Any) -> None:
    assert slots.at_most() == 2
    job = slots.Segments()
    encoder = Encoder(hold=threading.Barrier(2))  # passes only with both segments running
    with slots.held():  # the job's own slot; the other worker is idle
        assert _encode_all(job, encoder, ["a", "b"]) == ["a", "b"]
    assert encoder.most == 2 and job.borrowed == 1
    # Every slot came back: two jobs can hold one each again.
    free = batch_of_two
    assert free.acquire(False) and free.acquire(False)
    assert not free.acquire(False)


def test_no_slot_is_borrowed_while_every_worker_has_a_job(batch_of_two: Any) -> None:
    free = batch_of_two
    assert free.acquire(False)  # the other worker's job
    job, encoder = slots.Segments(), Encoder()
    with slots.held():
        assert _encode_all(job, encoder, ["a", "b", "c"]) == ["a", "b", "c"]
    assert encoder.most == 1 and job.borrowed == 0


def test_a_slot_freed_meanwhile_is_taken_by_a_waiting_segment(batch_of_two: Any) -> None:
    free = batch_of_two
    assert free.acquire(False)  # the other worker's job...
    job = slots.Segments()
    encoder = Encoder(hold=threading.Barrier(2))
    threading.Timer(0.5, free.release).start()  # ...ends
    with slots.held():
        assert _encode_all(job, encoder, ["a", "b"]) == ["a", "b"]
    assert encoder.most == 2 and job.borrowed == 1
