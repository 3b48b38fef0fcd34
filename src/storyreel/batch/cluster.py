"""Jobs on a Dask ``distributed`` cluster whose workers share no folder with the client.

The client packs each job: the files it reads (the storyboard, its pictures, music and
override files, the project's ``storyreel.toml`` and lexicon, the fonts), each sent once
per batch by content digest (``client.scatter``), with the job and its settings. A
worker (:func:`run_packed`) writes them into a scratch project of its own, renders the
job in a child process pointed at the shipped fonts and music, forwards the job's stages
as Dask events (``log_event`` on a topic the client subscribes to), and returns the
finished files. The job's scene segments run on the same cluster, on any worker
(:mod:`storyreel.batch.remote_segments`), so one video uses many machines. The client
publishes the files under its output folder, atomically, metadata last, and records its
own fingerprint, so a re-run skips what is done without asking the cluster. Jobs go
through the client's ``concurrent.futures`` executor and the batch runner like any other
executor's.

The module is also the child's entry point: ``python -m storyreel.batch.cluster SPEC``.
"""

from __future__ import annotations

import json
import os
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from storyreel.batch.job import Job, JobResult, RenderSettings, fingerprint_of, is_up_to_date
from storyreel.batch.runner import Finished, Listener, guarded, run_batch
from storyreel.errors import StoryreelError
from storyreel.fileio import sha256_file, write_atomic
from storyreel.layout import theme_for
from storyreel.project import PROJECT_FILE
from storyreel.resources import FONT_FILES, fonts_dir, music_dir
from storyreel.storyboard.load import load_storyboard
from storyreel.storyboard.model import NO_MUSIC
from storyreel.tts.lexicon import LEXICON_FILE

_MARK = "@@storyreel-stage "  # the child's progress lines on its standard output
_AWAY = "@@storyreel-segments "  # the child waits on the cluster's segments (1) or not (0)


@dataclass(frozen=True)
class Package:
    """One job as it travels: ``files`` maps where each input goes in the worker's
    scratch folder (``project/…``, ``fonts/…``, ``music/…``) to its content digest."""

    job: Job
    storyboard: str  # project-relative
    settings: RenderSettings
    files: dict[str, str] = field(default_factory=dict)
    root: str = ""  # the project's folder on the client, to name files in messages


@dataclass(frozen=True)
class Shipped:
    """A job's result as it comes back: files relative to the output folder, and their
    contents."""

    result: JobResult
    contents: dict[str, bytes] = field(default_factory=dict)


# --- the client side -------------------------------------------------------------------

def _relative(path: Path, root: Path) -> str | None:
    rel = os.path.relpath(os.path.normpath(path), root)
    return None if rel.startswith("..") or os.path.isabs(rel) else rel


def job_inputs(job: Job) -> dict[str, Path]:
    """Every file ``job`` reads, by where it goes in a worker's scratch folder."""
    board = load_storyboard(job.storyboard)
    root = board.project_root
    source = board.source.resolve()
    here = source.parent
    out: dict[str, Path] = {}

    def project_file(path: Path) -> None:
        rel = _relative(path, root) or _relative(path.resolve(), root)
        if rel is None:
            raise StoryreelError(f"{board.source}: '{path}' lies outside the project "
                                 f"{root}; it cannot be sent to the cluster")
        out[f"project/{PurePosixPath(*Path(rel).parts)}"] = path

    project_file(source)
    for name in (PROJECT_FILE, LEXICON_FILE):
        if (root / name).is_file():
            project_file(root / name)
    for scene in board.scenes:
        if scene.image is not None:
            project_file(Path(os.path.normpath(here / scene.image)))
    overrides = board.theme_overrides or {}
    named = [board.music if board.music not in (None, NO_MUSIC) else None,
             (overrides.get("sound") or {}).get("music"), theme_for(board).sound.music]
    for value in (v for v in named if isinstance(v, str)):
        beside = Path(os.path.normpath(here / value))
        if beside.is_file() and beside.resolve().is_relative_to(root):
            project_file(beside)
        elif "/" not in value and (music_dir() / value).is_file():
            out[f"music/{value}"] = music_dir() / value
    logo = (overrides.get("logo") or {}).get("path")
    if isinstance(logo, str):
        project_file(Path(os.path.normpath(here / logo)))
    for font in FONT_FILES.values():
        out[f"fonts/{font}"] = fonts_dir() / font
    return out


class Cluster:
    """A connected Dask client that runs batches (see the module)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.executor: Executor = client.get_executor()
        self._digests: dict[tuple[str, int, int], str] = {}
        self._blobs: dict[str, Any] = {}  # digest -> scattered future

    def _digest(self, path: Path) -> str:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        if key not in self._digests:
            self._digests[key] = sha256_file(path)
        return self._digests[key]

    def pack(self, job: Job, settings: RenderSettings) -> tuple[Package, dict[str, Any]]:
        """The job's package and the scattered blobs it needs, by digest."""
        inputs = job_inputs(job)
        files = {name: self._digest(path) for name, path in inputs.items()}
        for name, digest in files.items():
            if digest not in self._blobs:
                self._blobs[digest] = self.client.scatter(inputs[name].read_bytes(),
                                                          hash=False)
        storyboard = next(n for n, p in inputs.items()
                          if p == Path(job.storyboard).resolve()).removeprefix("project/")
        root = str(load_storyboard(job.storyboard).project_root)
        package = Package(job, storyboard, settings, files, root)
        return package, {d: self._blobs[d] for d in set(files.values())}

    def run(self, jobs: Sequence[Job], settings: RenderSettings, *,
            listen: Listener | None = None,
            finished: Finished | None = None) -> list[JobResult]:
        """Run ``jobs`` on the cluster; results in the order of ``jobs``."""
        topic = f"storyreel-progress-{uuid.uuid4().hex}"
        events: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self.client.subscribe_topic(topic, lambda event: events.put(event[1]))

        def poll() -> None:
            while True:
                try:
                    msg = events.get_nowait()
                except queue.Empty:
                    return
                if listen is not None:
                    listen(str(msg["label"]), str(msg["stage"]), float(msg["done"]))

        def submit(executor: Executor, job: Job, settings: RenderSettings
                   ) -> Future[JobResult]:
            return self._submit(executor, job, settings, topic)

        try:
            return run_batch(jobs, settings, executor=self.executor, listen=listen,
                             finished=finished, submit=submit, poll=poll)
        finally:
            self.client.unsubscribe_topic(topic)

    def _submit(self, executor: Executor, job: Job, settings: RenderSettings,
                topic: str) -> Future[JobResult]:
        out: Future[JobResult] = Future()
        try:
            if is_up_to_date(job, settings):
                out.set_result(JobResult(job, "skipped"))
                return out
            fingerprint, _ = fingerprint_of(job, settings)
            package, blobs = self.pack(job, settings)
        except StoryreelError as exc:
            out.set_result(JobResult(job, "failed", error=str(exc)))
            return out
        remote = executor.submit(run_packed, package, blobs, topic)

        def settle(done: Future[Shipped]) -> None:
            try:
                out.set_result(publish(done.result(), settings, fingerprint))
            except StoryreelError as exc:
                out.set_result(JobResult(job, "failed", error=str(exc)))
            except Exception as exc:  # the worker died, or the files could not be written
                out.set_result(JobResult(job, "failed", error=f"cluster: {type(exc).__name__}"
                                         f": {exc}"))

        remote.add_done_callback(settle)
        return out


def publish(shipped: Shipped, settings: RenderSettings, fingerprint: str) -> JobResult:
    """Write a shipped job's files under the output folder (each atomically, its
    metadata last, recording ``fingerprint``); the result with the local paths."""
    result = shipped.result
    if result.status != "rendered":
        return replace(result, files=())
    written: list[Path] = []
    names = sorted(shipped.contents, key=lambda n: n.endswith(".json"))
    for name in names:
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts or len(rel.parts) != 2:
            raise StoryreelError(f"cluster: a worker sent back '{name}'; refused")
        data = shipped.contents[name]
        if rel.suffix == ".json":
            meta = json.loads(data)
            meta["fingerprint"] = fingerprint
            data = (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode()
        path = settings.out_root / Path(*rel.parts)
        write_atomic(path, data)
        written.append(path)
    return replace(result, files=tuple(written))


# --- the worker side --------------------------------------------------------------------

def run_packed(package: Package, blobs: dict[str, bytes], topic: str) -> Shipped:
    """Render a packed job on a Dask worker (see the module)."""
    from distributed import get_worker, rejoin, secede

    worker = get_worker()
    local = Path(worker.local_directory)
    job = package.job

    def forward(stage: str, done: float) -> None:
        worker.log_event(topic, {"label": job.label, "stage": stage, "done": done})

    # The child sends the job's segments to this same cluster and waits for them. While
    # it waits, this task must not hold its worker thread: with every thread held by a
    # job waiting on segments, no segment could run (with one thread per worker, two
    # jobs would already deadlock two workers). So it leaves the worker's thread pool
    # (``secede``) while the child's segments are out, and the worker runs segments (or
    # a new job) in its place; it takes a thread again (``rejoin``, once one is free)
    # when they are back. Only while they are out: a job's own drawing and speaking
    # keep their thread, and segments go before new jobs (``remote_segments.PRIORITY``),
    # so a batch does not open every job at once.
    seceded = False

    def waiting(away: bool) -> None:
        nonlocal seceded
        if away and not seceded:
            secede()  # type: ignore[no-untyped-call]
        elif seceded and not away:
            rejoin()  # type: ignore[no-untyped-call]
        seceded = away

    with tempfile.TemporaryDirectory(prefix="storyreel-job-", dir=local) as tmp:
        scratch = Path(tmp)
        for name in ("project", "fonts", "music", "out"):
            (scratch / name).mkdir()
        for name, digest in package.files.items():
            rel = PurePosixPath(name)
            if rel.is_absolute() or ".." in rel.parts:
                raise ValueError(f"refusing to write {name}")
            dest = scratch / Path(*rel.parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(blobs[digest])
        here = replace(job, storyboard=scratch / "project" / package.storyboard)
        settings = replace(package.settings, out_root=scratch / "out",
                           cache_root=local / "storyreel-cache")
        result = _run_child(here, settings, scratch, forward, worker.scheduler.address,
                            waiting)
        # Messages name the client's files, not the worker's scratch copies.
        copies = str(scratch / "project")
        result = replace(result, error=result.error.replace(copies, package.root),
                         warnings=tuple(w.replace(copies, package.root)
                                        for w in result.warnings))
        if result.status != "rendered":
            return Shipped(replace(result, job=job, files=()))
        out = scratch / "out"
        contents = {p.relative_to(out).as_posix(): p.read_bytes() for p in result.files}
        return Shipped(replace(result, job=job, files=tuple(Path(n) for n in contents)),
                       contents)


def _run_child(job: Job, settings: RenderSettings, scratch: Path,
               forward: Callable[[str, float], None], scheduler: str | None = None,
               waiting: Callable[[bool], None] | None = None) -> JobResult:
    """Run the job in a child process whose fonts and music are the shipped ones; its
    segments run on the cluster of ``scheduler`` (``waiting`` hears when the child waits
    on them), else in the child."""
    spec = scratch / "spec.pickle"
    spec.write_bytes(pickle.dumps((job, settings, scheduler)))
    env = {**os.environ, "STORYREEL_FONTS": str(scratch / "fonts"),
           "STORYREEL_MUSIC": str(scratch / "music")}
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "storyreel.batch.cluster", str(spec)],
            cwd=scratch / "project", env=env, stdout=subprocess.PIPE, stderr=err, text=True,
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(_MARK):
                stage, done = json.loads(line[len(_MARK):])
                forward(str(stage), float(done))
            elif line.startswith(_AWAY) and waiting is not None:
                waiting(line[len(_AWAY):].strip() == "1")
        code = proc.wait()
        answer = spec.with_name("result.pickle")
        if code != 0 or not answer.is_file():
            err.seek(0)
            tail = err.read().decode(errors="replace").strip().splitlines()[-1:]
            return JobResult(job, "failed", error=f"worker process exited {code}: "
                             + (tail[0] if tail else "no message"))
    result: JobResult = pickle.loads(answer.read_bytes())
    return result


def _child(spec: Path) -> None:
    job, settings, scheduler = pickle.loads(spec.read_bytes())
    lock = threading.Lock()

    def say(line: str) -> None:  # stage lines and segment lines come from two threads
        with lock:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def listen(label: str, stage: str, done: float) -> None:
        say(_MARK + json.dumps([stage, done]))

    if scheduler is None:
        result = guarded(job, settings, listen)
    else:
        result = _with_cluster_segments(job, settings, listen, scheduler,
                                        lambda away: say(_AWAY + ("1" if away else "0")))
    write_atomic(spec.with_name("result.pickle"), pickle.dumps(result))


def _with_cluster_segments(job: Job, settings: RenderSettings, listen: Listener,
                           scheduler: str, waiting: Callable[[bool], None]) -> JobResult:
    """Run the job with its segments on the cluster of ``scheduler``."""
    from distributed import Client

    from storyreel.batch.remote_segments import ClusterSegments

    try:
        client = Client(scheduler, timeout=30, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        return JobResult(job, "failed", error=f"cluster: cannot reach the scheduler "
                         f"{scheduler} for the segments: {exc}")
    with client:
        segments = ClusterSegments(client, waiting, f"{job.story_id}.{job.lang}.{job.preset}")
        try:
            return guarded(job, settings, listen, segments)
        finally:  # a failed job's other segments are not waited for
            segments.shutdown(wait=False, cancel_futures=True)


if __name__ == "__main__":
    _child(Path(sys.argv[1]))
