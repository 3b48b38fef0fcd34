"""How a batch tells people how it goes: progress while it runs, a summary and
``report.json`` when it ends.

Four ways to show progress, chosen by :func:`reporter`:

* on a terminal, one live line per running job (story, language, preset, stage, percent,
  time left) under an overall bar with the batch's time left (``rich``);
* anywhere else (CI, cron, ``nohup``, a log file), one plain timestamped line per stage
  a job enters and per job that ends, nothing overwritten;
* ``--json``: one JSON object a line on standard output, for machines;
* ``--quiet``: nothing but the error lines.

Every reporter hears ``stage(label, stage, done)`` while jobs run and ``finished(result)``
as each ends, in the order they end.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from storyreel.batch.job import Job, JobResult
from storyreel.errors import OutputError
from storyreel.fileio import write_atomic

REPORT_FILE = "report.json"


class Reporter(Protocol):
    """What a batch tells as it runs. To add a way of showing progress, implement these."""

    def start(self, jobs: Sequence[Job]) -> None: ...
    def stage(self, label: str, stage: str, done: float) -> None: ...
    def finished(self, result: JobResult) -> None: ...
    def close(self) -> None: ...


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _label(job: Job) -> str:
    """A job's name in progress lines: a storyboard that did not load has only its id."""
    return job.story_id if job.lang == "-" else job.label


def _ending(result: JobResult) -> str:
    if result.status == "failed":
        return f"failed after {result.seconds:.1f} s: {result.error}"
    warned = len(result.warnings)
    extra = f", {warned} warning{'s' * (warned != 1)}" if warned else ""
    return f"{result.status} in {result.seconds:.1f} s{extra}"


class Quiet:
    """Nothing while the batch runs (errors are printed at the end)."""

    def start(self, jobs: Sequence[Job]) -> None:
        pass

    def stage(self, label: str, stage: str, done: float) -> None:
        pass

    def finished(self, result: JobResult) -> None:
        pass

    def close(self) -> None:
        pass


class Lines(Quiet):
    """One timestamped line per stage change and per finished job; never overwrites."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.current: dict[str, str] = {}
        self.total = 0
        self.ended = 0

    def _say(self, text: str) -> None:
        self.stream.write(f"{_now()} {text}\n")
        self.stream.flush()

    def start(self, jobs: Sequence[Job]) -> None:
        self.total = len(jobs)
        self._say(f"{self.total} job{'s' * (self.total != 1)} to run")

    def stage(self, label: str, stage: str, done: float) -> None:
        if stage == "done" or self.current.get(label) == stage:
            return
        self.current[label] = stage
        self._say(f"{label}: {stage}")

    def finished(self, result: JobResult) -> None:
        self.ended += 1
        self._say(f"{_label(result.job)}: {_ending(result)} [{self.ended}/{self.total}]")


class JsonLines(Quiet):
    """One JSON event a line: ``start``, ``stage`` (on each change and each percent of
    the encode), ``job`` (a job ended)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.last: dict[str, tuple[str, int]] = {}
        self.jobs: dict[str, Job] = {}

    def emit(self, event: dict[str, Any]) -> None:
        self.stream.write(json.dumps({"time": _now(), **event}, ensure_ascii=False) + "\n")
        self.stream.flush()

    def start(self, jobs: Sequence[Job]) -> None:
        self.jobs = {job.label: job for job in jobs}
        self.emit({"event": "start", "jobs": len(jobs)})

    def stage(self, label: str, stage: str, done: float) -> None:
        key = (stage, int(done * 100))
        if self.last.get(label) == key:
            return
        self.last[label] = key
        job = self.jobs.get(label)
        where = _job_json(job) if job else {"job": label}
        self.emit({"event": "stage", **where, "stage": stage, "done": round(done, 3)})

    def finished(self, result: JobResult) -> None:
        self.emit({"event": "job", **job_entry(result)})


class Live(Quiet):
    """Live lines on a terminal: one per running job and an overall bar, with ETAs."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True, soft_wrap=True)
        self.progress = Progress(
            TextColumn("{task.description}"), TextColumn("[cyan]{task.fields[stage]}"),
            BarColumn(), TaskProgressColumn(), TimeRemainingColumn(),
            console=self.console, transient=True,
        )
        self.tasks: dict[str, Any] = {}
        self.done: dict[str, float] = {}
        self.overall: Any = None

    def start(self, jobs: Sequence[Job]) -> None:
        self.progress.start()
        self.overall = self.progress.add_task(f"all {len(jobs)} jobs", total=len(jobs),
                                              stage="")

    def stage(self, label: str, stage: str, done: float) -> None:
        if label not in self.tasks:
            self.tasks[label] = self.progress.add_task(label, total=1.0, stage=stage)
        self.progress.update(self.tasks[label], completed=done, stage=stage)
        self.done[label] = done
        self._overall()

    def _overall(self) -> None:
        self.progress.update(self.overall, completed=sum(self.done.values()))

    def finished(self, result: JobResult) -> None:
        from rich.markup import escape

        label = _label(result.job)
        if label in self.tasks:
            self.progress.update(self.tasks[label], visible=False)
        self.done[label] = 1.0
        self._overall()
        colour = {"rendered": "green", "skipped": "cyan"}.get(result.status, "red")
        self.progress.console.print(f"[{colour}]{escape(label)}[/]: "
                                    f"{escape(_ending(result))}", highlight=False)

    def close(self) -> None:
        self.progress.stop()


def reporter(*, quiet: bool = False, as_json: bool = False,
             terminal: bool | None = None) -> Reporter:
    """The reporter for how the command was run (see the module)."""
    if as_json:
        return JsonLines(sys.stdout)
    if quiet:
        return Quiet()
    if terminal is None:
        terminal = sys.stderr.isatty()
    return Live() if terminal else Lines(sys.stderr)


# --- the end of a batch -------------------------------------------------------------------

def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _job_json(job: Job) -> dict[str, Any]:
    return {"story": job.story_id, "lang": job.lang, "preset": job.preset,
            "storyboard": str(job.storyboard)}


def job_entry(result: JobResult) -> dict[str, Any]:
    """One job of ``report.json`` (and of a ``job`` JSON event)."""
    return {
        **_job_json(result.job), "status": result.status,
        "seconds": round(result.seconds, 2), "error": result.error or None,
        "warnings": list(result.warnings),
        "files": [{"path": str(p), "bytes": _size(p)} for p in result.files],
    }


def counts(results: Sequence[JobResult]) -> dict[str, int]:
    return {s: sum(r.status == s for r in results) for s in ("rendered", "skipped", "failed")}


def write_report(out_root: Path, results: Sequence[JobResult], seconds: float) -> Path:
    """``<out>/report.json``: every job, its status, seconds, error line, output files."""
    path = out_root / REPORT_FILE
    data = {"finished": _now(), "seconds": round(seconds, 2), "counts": counts(results),
            "jobs": [job_entry(r) for r in results]}
    try:
        write_atomic(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode())
    except OSError as exc:
        raise OutputError(path, f"cannot write the batch report ({exc.strerror or exc}); "
                          "check the output folder") from None
    return path


def _megabytes(result: JobResult) -> str:
    videos = [p for p in result.files if p.suffix == ".mp4"]
    return f"{sum(_size(p) for p in videos) / 1e6:.1f}" if videos else "-"


def summary(results: Sequence[JobResult], report: Path | None, started: float) -> None:
    """The table at the end (story, language, preset, status, seconds, video size,
    warnings), then the error and warning lines, on standard error."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(stderr=True, soft_wrap=True)
    table = Table(title="storyreel render")
    for name in ("story", "lang", "preset", "status", "seconds", "MB", "warnings"):
        table.add_column(name, justify="right" if name in ("seconds", "MB", "warnings")
                         else "left")
    colour = {"rendered": "green", "skipped": "cyan", "failed": "red"}
    for r in results:
        table.add_row(r.job.story_id, r.job.lang, r.job.preset,
                      f"[{colour[r.status]}]{r.status}[/]", f"{r.seconds:.1f}",
                      _megabytes(r), str(len(r.warnings)))
    console.print(table)
    errors(results)
    for r in results:
        for warning in r.warnings:
            console.print(f"[yellow]warning[/] {escape(r.job.label)}: {escape(warning)}",
                          highlight=False)
    took = time.monotonic() - started
    line = ", ".join(f"{n} {s}" for s, n in counts(results).items())
    console.print(f"{line} in {took:.0f} s" + (f"; report: {report}" if report else ""),
                  highlight=False)


def errors(results: Sequence[JobResult]) -> None:
    """One line per failed job, on standard error."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True, soft_wrap=True)
    for r in results:
        if r.status == "failed":
            where = "" if r.job.lang == "-" else f"{r.job.label}: "
            console.print(f"[red]error[/] {escape(where)}{escape(r.error)}", highlight=False)
