"""A job's scene segments on a Dask ``distributed`` cluster, so one video uses many machines.

:class:`ClusterSegments` is the ``concurrent.futures.Executor`` a job hands to
``render_video`` (through ``guarded(..., segments=...)``). For each
``submit(encode_segment, task)`` it ships the files the task reads
(:meth:`SegmentTask.inputs`) by content, never by path: small ones (text layers,
captions) inside the task, large ones (pictures, which a scene's segment and the next
one's transition share) once per executor by digest (``client.scatter``). Any worker
of the cluster runs :func:`run_shipped`: it writes the inputs into a scratch folder of
its own, runs the task there (:meth:`SegmentTask.relocated`), and returns the MP4's
bytes and its own address; the executor writes them atomically into the job's segment
cache at ``task.out`` and keeps a log of where each segment ran.

A failed segment comes back as the error it raised on the worker, of the same type, its
line naming the job's files rather than the worker's scratch copies.
"""

from __future__ import annotations

import copy
import tempfile
import threading
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future
from concurrent.futures import wait as wait_all
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from storyreel.errors import StoryreelError
from storyreel.fileio import sha256_file, write_atomic
from storyreel.render.video import SegmentTask, encode_segment

T = TypeVar("T")

SCATTER_BYTES = 64 * 1024  # inputs this large travel once per executor, by digest
# Task keys: the prefix, the segment's name, the job's label (if given), a unique id.
KEY_PREFIX = "storyreel-segment-"
# Segments go before jobs that have not started: a worker's free thread encodes what a
# running job waits for, rather than opening one more job.
PRIORITY = 10

Waiting = Callable[[bool], None]  # True when segments go out and none were out, False at the end


@dataclass(frozen=True)
class Shipment:
    """A segment as it travels: the task as the job sees it, and per input file (its
    path on the job's machine) its content digest."""

    task: SegmentTask
    files: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Encoded:
    """A segment as it comes back: its name, the worker that encoded it, the MP4."""

    name: str
    worker: str
    data: bytes


class ClusterSegments(Executor):
    """Runs ``encode_segment`` tasks on the cluster of a connected Dask ``client`` (the
    client stays the caller's to close). ``waiting`` hears when the job starts and stops
    waiting on the cluster (see ``batch.cluster.run_packed``); ``label`` names the job in
    the tasks' keys (the dashboard, the task stream). ``ran`` lists ``(segment, worker
    address)`` for each segment encoded."""

    def __init__(self, client: Any, waiting: Waiting | None = None, label: str = "") -> None:
        self.client = client
        self.label = label
        self.ran: list[tuple[str, str]] = []
        self._waiting = waiting or (lambda away: None)
        self._lock = threading.Lock()
        self._out: dict[Future[Any], Any] = {}  # our future -> the cluster's
        self._digests: dict[tuple[str, int, int], str] = {}
        self._scattered: dict[str, Any] = {}  # digest -> scattered future
        self._closed = False

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        if fn is not encode_segment or kwargs or len(args) != 1 \
                or not isinstance(args[0], SegmentTask):
            raise TypeError("ClusterSegments runs encode_segment(task) only")
        task: SegmentTask = args[0]
        if self._closed:
            raise RuntimeError("cannot schedule new futures after shutdown")
        out: Future[str] = Future()
        out.set_running_or_notify_cancel()
        with self._lock:
            self._out[out] = None
            if len(self._out) == 1:
                self._waiting(True)
        try:
            shipment, blobs = self._pack(task)
            key = "-".join([task.name, *([self.label] if self.label else []), uuid.uuid4().hex])
            remote = self.client.submit(run_shipped, shipment, blobs, key=KEY_PREFIX + key,
                                        priority=PRIORITY, pure=False)
        except BaseException:
            self._settled(out)
            raise
        with self._lock:
            self._out[out] = remote

        def settle(done: Any) -> None:
            try:
                encoded: Encoded = done.result()
                write_atomic(task.out, encoded.data)
                with self._lock:
                    self.ran.append((encoded.name, encoded.worker))
                out.set_result(encoded.name)
            except BaseException as exc:  # the segment's own error, or the cluster's
                out.set_exception(exc)
            finally:
                self._settled(out)

        remote.add_done_callback(settle)
        return cast(Future[T], out)

    def _settled(self, out: Future[str]) -> None:
        with self._lock:
            self._out.pop(out, None)
            if not self._out:
                self._waiting(False)

    def _pack(self, task: SegmentTask) -> tuple[Shipment, dict[str, Any]]:
        files: list[tuple[str, str]] = []
        blobs: dict[str, Any] = {}
        for path in task.inputs():
            stat = path.stat()
            key = (str(path), stat.st_mtime_ns, stat.st_size)
            digest = self._digests.get(key) or self._digests.setdefault(key, sha256_file(path))
            files.append((str(path), digest))
            if digest in self._scattered:
                blobs[digest] = self._scattered[digest]
            elif stat.st_size >= SCATTER_BYTES:
                blobs[digest] = self._scattered[digest] = self.client.scatter(
                    path.read_bytes(), hash=False)
            else:
                blobs[digest] = path.read_bytes()
        return Shipment(task, tuple(files)), blobs

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._closed = True
        with self._lock:
            pending = dict(self._out)
        if cancel_futures:
            self.client.cancel([r for r in pending.values() if r is not None])
        if wait:
            wait_all(list(pending))
        self._scattered.clear()  # the cluster may forget them


# --- on a worker ------------------------------------------------------------------------

def run_shipped(shipment: Shipment, blobs: Mapping[str, bytes]) -> Encoded:
    """Encode a shipped segment on this Dask worker, in a scratch folder of its own."""
    from distributed import get_worker

    worker = get_worker()
    task = shipment.task
    with tempfile.TemporaryDirectory(prefix="storyreel-segment-",
                                     dir=worker.local_directory) as tmp:
        scratch = Path(tmp)
        folders: dict[Path, Path] = {}  # each folder of the job's -> one scratch folder
        mapping: dict[Path, Path] = {}
        for name, digest in shipment.files:
            path = Path(name)
            if path.name in ("", ".", ".."):
                raise ValueError(f"refusing to write {name}")
            folder = folders.setdefault(path.parent, scratch / f"in{len(folders)}")
            folder.mkdir(exist_ok=True)
            mapping[path] = folder / path.name
            mapping[path].write_bytes(blobs[digest])
        here = task.relocated(mapping, scratch / f"{task.name}.mp4")
        try:
            encode_segment(here)
        except StoryreelError as exc:
            back = {str(new): str(old) for old, new in folders.items()}
            back[str(scratch)] = str(task.out.parent)  # ffmpeg writes beside the output
            raise _renamed(exc, back) from None
        return Encoded(task.name, str(worker.address), here.out.read_bytes())


def _renamed(error: StoryreelError, back: Mapping[str, str]) -> StoryreelError:
    """``error`` (same type, same fields) naming the job's files instead of the scratch
    copies: in its line and in its text fields (ffmpeg's command and stderr)."""
    def swap(value: object) -> object:
        if isinstance(value, str):
            for new, old in sorted(back.items(), key=lambda kv: -len(kv[0])):
                value = value.replace(new, old)
            return value
        if isinstance(value, Path):
            return Path(cast(str, swap(str(value))))
        if isinstance(value, tuple | list):
            return type(value)(swap(v) for v in value)
        return value

    renamed = copy.copy(error)
    renamed.args = (swap(str(error)),)
    renamed.__dict__.update({k: swap(v) for k, v in error.__dict__.items()})
    return renamed
