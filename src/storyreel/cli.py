"""The command line: read options, call the library, report. Nothing else lives here."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from storyreel.batch.job import Job, JobResult, RenderSettings
from storyreel.batch.runner import find_storyboards, run_batch, select
from storyreel.errors import StoryreelError
from storyreel.presets import PRESETS
from storyreel.render.graph import PREVIEW, Encoding
from storyreel.storyboard.model import LANGS
from storyreel.tts import get_engine

console = Console(stderr=True)


def _split(values: Sequence[str], allowed: Sequence[str], what: str) -> list[str]:
    out: list[str] = []
    for value in values:
        for item in (v.strip() for v in value.split(",")):
            if item not in allowed:
                raise click.BadParameter(f"unknown {what} '{item}'; choose from "
                                         + ", ".join(allowed))
            if item not in out:
                out.append(item)
    return out


def _size(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        w, h = (int(v) for v in value.lower().split("x"))
    except ValueError:
        raise click.BadParameter(f"'{value}' is not WIDTHxHEIGHT, e.g. 640x360") from None
    if w < 64 or h < 64 or w % 2 or h % 2:
        raise click.BadParameter("width and height must be even and at least 64")
    return w, h


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storyreel")
def main() -> None:
    """Turn bilingual storyboards into narrated, captioned short videos."""


@main.command()
@click.argument("storyboards", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lang", "langs", multiple=True, default=["zh,en"], show_default=True,
              help="Languages to render, comma-separated.")
@click.option("--preset", "presets", multiple=True, default=["landscape"], show_default=True,
              help="Formats: " + ", ".join(PRESETS) + " (comma-separated or repeated).")
@click.option("--out", "out_root", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Output folder; one subfolder per story.")
@click.option("--engine", default="espeak", show_default=True, help="Speech engine.")
@click.option("--jobs", "workers", type=click.IntRange(1, 32), default=1, show_default=True,
              help="Jobs to run at once (each ffmpeg already uses every core).")
@click.option("--force", is_flag=True, help="Render again even where outputs are up to date.")
@click.option("--size", default=None, help="Render at WIDTHxHEIGHT instead of the preset's "
              "frame (quick looks).")
@click.option("--draft", is_flag=True, help="Fast, low-quality encoding for a quick look.")
@click.option("--bilingual", is_flag=True,
              help="Burn the English line under the Chinese one in zh videos.")
def render(
    storyboards: tuple[Path, ...], langs: tuple[str, ...], presets: tuple[str, ...],
    out_root: Path, engine: str, workers: int, force: bool, size: str | None, draft: bool,
    bilingual: bool,
) -> None:
    """Render STORYBOARDS (files or folders; default: every storyboard in storyboards/)."""
    chosen = get_engine(engine)  # decided once per batch ("auto" probes here)
    reason = str(getattr(chosen, "reason", ""))
    if reason:
        console.print(f"[cyan]{reason}[/]", highlight=False)
    settings = RenderSettings(
        out_root=out_root, engine=chosen.name, frame_size=_size(size), force=force,
        encoding=PREVIEW if draft else Encoding(), bilingual=bilingual,
    )
    paths = find_storyboards(storyboards)
    if not paths:
        raise click.UsageError("no storyboards found; name a file or a folder of *.yaml")
    selection = select(paths, _split(langs, LANGS, "language"),
                       _split(presets, list(PRESETS), "preset"))
    for failure in selection.failures:
        console.print(f"[red]error[/] {failure.error}", highlight=False)
    results = list(selection.failures)
    if selection.jobs:
        results += _run_with_progress(selection.jobs, settings, workers)
    _summary(results)
    sys.exit(1 if any(r.status == "failed" for r in results) else 0)


@main.command()
@click.option("--engine", default="espeak", show_default=True, help="Speech engine.")
@click.option("--lang", default=None, type=click.Choice(LANGS), help="Only this language.")
def voices(engine: str, lang: str | None) -> None:
    """List the voices a speech engine offers."""
    found = get_engine(engine).voices(lang)
    table = Table(title=f"{engine} voices" + (f" ({lang})" if lang else ""))
    for name in ("voice", "lang", "description"):
        table.add_column(name)
    for voice in found:
        table.add_row(voice.id, voice.lang, voice.description)
    Console().print(table)
    console.print(f"{len(found)} voices")


def _run_with_progress(jobs: Sequence[Job], settings: RenderSettings,
                       workers: int) -> list[JobResult]:
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[stage]}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False,
                  disable=not console.is_terminal) as bar:
        overall = bar.add_task("all jobs", total=len(jobs), stage="")
        tasks: dict[str, TaskID] = {}

        def listen(label: str, stage: str, done: float) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=1.0, stage=stage)
            bar.update(tasks[label], completed=done, stage=stage)
            if stage == "done":
                bar.advance(overall)

        results = run_batch(jobs, settings, workers=workers, listen=listen)
        for result in results:
            label = result.job.label
            if result.status != "rendered":
                if label in tasks:
                    bar.update(tasks[label], stage=result.status)
                bar.advance(overall)
    for result in results:
        if result.status == "failed":
            console.print(f"[red]error[/] {result.job.label}: {result.error}", highlight=False)
        for warning in result.warnings:
            console.print(f"[yellow]warning[/] {result.job.label}: {warning}", highlight=False)
    return results


def _summary(results: Sequence[JobResult]) -> None:
    table = Table(title="storyreel render", show_lines=False)
    for name in ("story", "lang", "preset", "status", "seconds"):
        table.add_column(name, justify="right" if name == "seconds" else "left")
    colour = {"rendered": "green", "skipped": "cyan", "failed": "red"}
    for r in results:
        table.add_row(r.job.story_id, r.job.lang, r.job.preset,
                      f"[{colour[r.status]}]{r.status}[/]", f"{r.seconds:.1f}")
    console.print(table)
    counts = {s: sum(r.status == s for r in results) for s in colour}
    console.print(", ".join(f"{n} {s}" for s, n in counts.items()))


def run() -> None:
    """Entry point that turns any StoryreelError escaping a command into one line."""
    try:
        main(standalone_mode=True)
    except StoryreelError as exc:
        console.print(f"[red]error[/] {exc}", highlight=False)
        sys.exit(1)
