"""Run a batch of jobs: select storyboards, expand jobs, run them, never let one stop the rest.

Jobs run one after another in this process by default (ffmpeg already keeps both cores
busy); ``workers > 1`` runs them on a process pool through ``concurrent.futures`` (its
jobs share ``workers`` encoder slots: a job borrows the idle ones, see
:mod:`storyreel.render.slots`), and any other ``Executor`` (a Dask ``distributed``
client, say) can be passed in instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)
from dataclasses import dataclass, replace
from multiprocessing import Manager, Semaphore
from pathlib import Path
from queue import Empty
from typing import Any

from storyreel.batch.faults import place_error
from storyreel.batch.job import Job, JobResult, RenderSettings, run_job
from storyreel.batch.lock import claim
from storyreel.crashlog import internal_error_line
from storyreel.errors import StoryreelError
from storyreel.ffmpeg_runner import die_with_parent
from storyreel.package.catalog import refresh
from storyreel.package.outputs import StoryFiles, read_json, write_manifest
from storyreel.package.platforms import Platforms, load_platforms
from storyreel.package.posts import render_findings, texts_of
from storyreel.project import project_root_of
from storyreel.render import slots
from storyreel.storyboard.load import load_storyboard

# Events the UI hears: (job label, stage, fraction done), and each result as it ends.
Listener = Callable[[str, str, float], None]
Finished = Callable[[JobResult], None]


@dataclass(frozen=True)
class Selection:
    jobs: tuple[Job, ...]
    failures: tuple[JobResult, ...]  # storyboards that did not load


def find_storyboards(paths: Sequence[Path], default_dir: Path = Path("storyboards")) -> list[Path]:
    """The storyboard files named, with folders expanded; all of ``default_dir`` if none.

    A ``*.yaml`` in a folder that is not a regular file (a FIFO, a link to a device or to
    nothing) is kept, so loading reports it in one line rather than skipping it."""
    roots = list(paths) or [default_dir]
    found: list[Path] = []
    for root in roots:
        if root.is_dir():
            found += sorted(p for p in root.glob("*.yaml") if not p.is_dir())
        else:
            found.append(root)
    return found


def select(paths: Iterable[Path], langs: Sequence[str], presets: Sequence[str]) -> Selection:
    """Load every storyboard once and expand it into jobs; bad ones become failures."""
    jobs: list[Job] = []
    failures: list[JobResult] = []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            board = load_storyboard(path)
        except StoryreelError as exc:
            failures.append(JobResult(Job(path, path.stem, "-", "-"), "failed", error=str(exc)))
            continue
        except Exception as exc:  # a storyboard that breaks the loader costs only itself
            failures.append(JobResult(Job(path, path.stem, "-", "-"), "failed",
                                      error=f"{path}: {internal_error_line(exc)}"))
            continue
        if board.id in seen:
            error = duplicate_id(path, board.id, seen[board.id])
            failures.append(JobResult(Job(path, board.id, "-", "-"), "failed", error=error))
            continue
        seen[board.id] = path
        jobs += [Job(path, board.id, lang, preset) for preset in presets for lang in langs]
    return Selection(tuple(jobs), tuple(failures))


def duplicate_id(path: Path, story_id: str, first: Path) -> str:
    """The one line for a storyboard whose id an earlier one already has."""
    return (f"{path}: id: '{story_id}' is already the id of {first}; "
            "give each story its own id")


def guarded(job: Job, settings: RenderSettings, listen: Listener | None = None,
            segments: Executor | None = None) -> JobResult:
    """Run one job and turn any failure into a failed result with one clear line; its
    scene segments run on ``segments`` when given (see ``run_job``)."""
    def progress(stage: str, done: float) -> None:
        if listen is not None:
            listen(job.label, stage, done)

    try:
        with claim(settings.out_root, job.story_id, job.lang,
                   lambda: progress("waiting", 0.0)) as waited:
            # Another run had it: it is done now, unless that run failed.
            return run_job(job, replace(settings, force=False) if waited else settings,
                           progress, segments)
    except StoryreelError as exc:
        return JobResult(job, "failed", error=str(exc))
    except OSError as exc:  # the machine's fault (a full disk, say), not the story's
        fault = place_error(exc, settings.out_root, settings.cache_root)
        return JobResult(job, "failed", error=str(fault))
    except Exception as exc:  # a bug must not take the batch down with it
        return JobResult(job, "failed", error=internal_error_line(exc))


def _worker(free: Any, size: int) -> None:
    """A pool worker: it dies with the batch and shares the batch's encoder slots."""
    die_with_parent()
    slots.share(free, size)


def _queued(job: Job, settings: RenderSettings, queue: Any) -> JobResult:
    with slots.held():
        return guarded(job, settings,
                       lambda label, stage, done: queue.put((label, stage, done)))


def run_batch(
    jobs: Sequence[Job],
    settings: RenderSettings,
    *,
    workers: int = 1,
    executor: Executor | None = None,
    listen: Listener | None = None,
    finished: Finished | None = None,
    submit: Submit | None = None,
    poll: Callable[[], None] | None = None,
) -> list[JobResult]:
    """Run every job, then update each story's manifest; results in the order of ``jobs``
    (then a failed result for each manifest that could not be written). A job another
    run is rendering into the same output folder is waited for, then skipped as up to
    date (:mod:`storyreel.batch.lock`).

    ``finished`` hears each result as its job ends. ``submit`` puts a job on
    ``executor`` (default: :func:`guarded` on a worker that sees the same files); a
    cluster whose workers do not passes its own (``batch.cluster``), and ``poll``,
    called in this thread while waiting, to pass on the stages its workers report."""
    def ended(result: JobResult) -> None:
        if finished is not None:
            finished(result)

    if executor is not None:
        put = submit or _submit_shared
        futures = [put(executor, job, settings) for job in jobs]
        results = _collect(futures, jobs, poll or (lambda: None), ended)
    elif min(workers, len(jobs)) <= 1:  # one job needs no pool
        results = []
        for job in jobs:
            results.append(guarded(job, settings, listen))
            ended(results[-1])
    else:
        size = min(workers, len(jobs))
        with Manager() as manager, \
                ProcessPoolExecutor(max_workers=size, initializer=_worker,
                                    initargs=(Semaphore(size), size)) as pool:
            queue = manager.Queue()
            futures = [pool.submit(_queued, job, settings, queue) for job in jobs]
            results = _collect(futures, jobs, lambda: _drain(queue, listen), ended)
    firsts: dict[str, Job] = {}
    for job in jobs:
        firsts.setdefault(job.story_id, job)
    for story_id, first in firsts.items():
        files = StoryFiles(settings.out_root, story_id)
        done = any(r.status != "failed" for r in results if r.job.story_id == story_id)
        if not files.folder.is_dir() or not (done or files.manifest.exists()):
            continue  # a story that failed outright gets no manifest of nothing
        try:
            write_manifest(files)
        except OSError as exc:
            fault = place_error(exc, settings.out_root, settings.cache_root)
            results.append(JobResult(replace(first, lang="-", preset="manifest"), "failed",
                                     error=str(fault)))
    if not jobs:
        return results
    project = project_root_of(jobs[0].storyboard)
    platforms = load_platforms(project)
    results = [_platform_warnings(r, settings, platforms) for r in results]
    refresh(settings.out_root, platforms, project)
    return results


def _platform_warnings(result: JobResult, settings: RenderSettings,
                       platforms: Platforms) -> JobResult:
    """A finished render's problems on the platforms that take it (too long, too large,
    texts that cannot fit), added to its warnings for the batch summary."""
    if result.status == "failed":
        return result
    job = result.job
    files = StoryFiles(settings.out_root, job.story_id)
    meta = read_json(files.metadata(job.lang, job.preset))
    video = files.video(job.lang, job.preset)
    if meta is None or not video.is_file():
        return result
    try:
        texts = texts_of(load_storyboard(job.storyboard), job.lang)
    except StoryreelError:
        return result
    found = render_findings(meta, video.stat().st_size, platforms, texts)
    return replace(result, warnings=(*result.warnings, *(f"platform {f}" for f in found)))


# Puts one job on an executor: (executor, job, settings) -> a future of its result.
Submit = Callable[[Executor, Job, RenderSettings], "Future[JobResult]"]


def _submit_shared(executor: Executor, job: Job, settings: RenderSettings) -> Future[JobResult]:
    """A job on an executor whose workers see the storyboards and the output folder at
    the same paths (a process pool, a cluster on a shared mount); it reports when it
    ends, not stage by stage."""
    return executor.submit(guarded, job, settings)


def _collect(
    futures: Sequence[Future[JobResult]], jobs: Sequence[Job], tick: Callable[[], None],
    ended: Finished,
) -> list[JobResult]:
    """Every future's result in job order, calling ``tick`` while waiting and ``ended``
    as each future completes."""
    pending = set(futures)
    index = {id(f): i for i, f in enumerate(futures)}
    results: dict[int, JobResult] = {}
    while pending:
        done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
        tick()
        for future in sorted(done, key=lambda f: index[id(f)]):
            i = index[id(future)]
            results[i] = _result(future, jobs[i])
            ended(results[i])
    tick()
    return [results[i] for i in range(len(futures))]


def _result(future: Future[JobResult], job: Job) -> JobResult:
    try:
        return future.result()
    except Exception as exc:  # the worker process itself died
        return JobResult(job, "failed", error=f"worker failed: {type(exc).__name__}: {exc}")


def _drain(queue: Any, listen: Listener | None) -> None:
    while True:
        try:
            event = queue.get_nowait()
        except Empty:
            return
        if listen is not None:
            listen(*event)
