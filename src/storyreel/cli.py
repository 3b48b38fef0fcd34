"""The command line: read options, call the library, report. Nothing else lives here."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
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

console = Console(stderr=True, soft_wrap=True)  # one message, one line: never wrapped


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


class _Commands(click.Group):
    """The command group; the one place a :class:`StoryreelError` becomes one line and
    exit 1, and a bug one line naming the log file that holds its traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit,
                click.exceptions.Abort):
            raise
        except StoryreelError as exc:
            console.print(f"[red]error[/] {escape(str(exc))}", highlight=False)
            ctx.exit(1)
        except Exception as exc:
            from storyreel.crashlog import internal_error_line

            console.print(f"[red]error[/] {escape(internal_error_line(exc))}",
                          highlight=False)
            ctx.exit(1)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--size", default=None, help="Render smaller, fitting each preset's frame in "
              "WIDTHxHEIGHT (quick looks).")
@click.option("--draft", is_flag=True, help="Fast, low-quality encoding for a quick look.")
@click.option("--bilingual", is_flag=True,
              help="Burn the English line under the Chinese one in zh videos.")
@click.option("--scheduler", envvar="STORYREEL_SCHEDULER", default=None,
              help="Run the jobs on a Dask cluster at this scheduler address (workers must "
              "see the same project and output folders); needs storyreel[cluster].")
def render(
    storyboards: tuple[Path, ...], langs: tuple[str, ...], presets: tuple[str, ...],
    out_root: Path, engine: str, workers: int, force: bool, size: str | None, draft: bool,
    bilingual: bool, scheduler: str | None,
) -> None:
    """Render STORYBOARDS (files or folders; default: every storyboard in storyboards/)."""
    chosen = get_engine(engine)
    name = chosen.name  # decided once per batch: "auto" probes the service here
    reason = str(getattr(chosen, "reason", ""))
    if reason:
        console.print(f"[cyan]{reason}[/]", highlight=False)
    settings = RenderSettings(
        out_root=out_root, engine=name, frame_size=_size(size), force=force,
        encoding=PREVIEW if draft else Encoding(), bilingual=bilingual,
    )
    paths = find_storyboards(storyboards)
    if not paths:
        raise click.UsageError("no storyboards found; name a file or a folder of *.yaml")
    selection = select(paths, _split(langs, LANGS, "language"),
                       _split(presets, list(PRESETS), "preset"))
    for failure in selection.failures:
        console.print(f"[red]error[/] {escape(failure.error)}", highlight=False)
    results = list(selection.failures)
    if selection.jobs:
        results += _run_with_progress(selection.jobs, settings, workers, scheduler)
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


def _run_with_progress(jobs: Sequence[Job], settings: RenderSettings, workers: int,
                       scheduler: str | None = None) -> list[JobResult]:
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

        if scheduler:
            with _dask_client(scheduler) as client:
                results = run_batch(jobs, settings, executor=client.get_executor(),
                                    listen=listen)
        else:
            results = run_batch(jobs, settings, workers=workers, listen=listen)
        for result in results:
            label = result.job.label
            if result.status != "rendered":
                if label in tasks:
                    bar.update(tasks[label], stage=result.status)
                bar.advance(overall)
    for result in results:
        if result.status == "failed":
            console.print(f"[red]error[/] {result.job.label}: {escape(result.error)}",
                          highlight=False)
        for warning in result.warnings:
            console.print(f"[yellow]warning[/] {result.job.label}: {escape(warning)}",
                          highlight=False)
    return results


def _dask_client(address: str) -> Any:
    """A Dask client of the scheduler at ``address``, or one clear line of what is wrong."""
    try:
        from distributed import Client
    except ImportError:
        raise click.UsageError("--scheduler needs Dask: pip install 'storyreel[cluster]'") \
            from None
    try:
        return Client(address, timeout=10)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise click.UsageError(f"no Dask scheduler answers at {address}: {exc}") from None


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
    """The console script's entry point."""
    main(standalone_mode=True)


# --- editor tools: check, preview, schema, new ---------------------------------------------
# Kept apart from render and voices; each command reads its options, calls the library
# (storyreel.editor, storyreel.storyboard) and reports.

out = Console(soft_wrap=True, highlight=False)  # what a command produces goes to stdout


@main.command()
@click.argument("storyboards", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lang", "langs", multiple=True, default=["zh,en"], show_default=True,
              help="Languages to check, comma-separated.")
@click.option("--preset", "presets", multiple=True, default=[",".join(PRESETS)],
              show_default=True, help="Formats to check text in (comma-separated or repeated).")
@click.option("--engine", default="espeak", show_default=True,
              help="Speech engine to time the narration with.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: one line a problem; json: for machines.")
@click.option("--jobs", "workers", type=click.IntRange(1, 32), default=None,
              help="Processes to check with (default: one per core).")
def check(storyboards: tuple[Path, ...], langs: tuple[str, ...], presets: tuple[str, ...],
          engine: str, fmt: str, workers: int | None) -> None:
    """Check STORYBOARDS without rendering (files or folders; default: storyboards/).

    Reports every problem a render would stop at (errors: exit 1) and reading-speed
    warnings (exit 0 when there are only warnings)."""
    from storyreel.editor.check import check as run_check

    paths = find_storyboards(storyboards)
    if not paths:
        raise click.UsageError("no storyboards found; name a file or a folder of *.yaml")
    report = run_check(paths, _split(langs, LANGS, "language"),
                       _split(presets, list(PRESETS), "preset"), engine=engine,
                       workers=workers)
    if fmt == "json":
        import json

        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            colour = "red" if finding.severity == "error" else "yellow"
            out.print(f"[{colour}]{finding.severity}[/] {escape(finding.message)}")
        n, e, w = len(report.files), len(report.errors), len(report.warnings)
        verdict = "[red]failed[/]" if e else "[green]ok[/]"
        out.print(f"checked {n} storyboard{'s' * (n != 1)} in {report.seconds:.1f} s: "
                  f"{verdict}, {e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}")
    sys.exit(1 if report.errors else 0)


@main.command()
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("storyreel.schema.json"), show_default=True,
              help="Where to write it; '-' for standard output.")
def schema(out_path: Path) -> None:
    """Write the JSON Schema of the storyboard format (for editor completion).

    Storyboards point editors at it with a first line such as
    '# yaml-language-server: $schema=../storyreel.schema.json'."""
    from storyreel.storyboard.schema import schema_text, write_schema

    if str(out_path) == "-":
        click.echo(schema_text(), nl=False)
        return
    write_schema(out_path)
    console.print(f"wrote {out_path}", highlight=False)


def _scene_numbers(values: Sequence[str]) -> list[int]:
    """``--scene 3 --scene 5,7 --scene 2-4`` → [2, 3, 4, 5, 7]."""
    out: set[int] = set()
    for value in values:
        for item in (v.strip() for v in value.split(",") if v.strip()):
            first, _, last = item.partition("-")
            try:
                low, high = int(first), int(last or first)
            except ValueError:
                raise click.BadParameter(f"'{item}' is not a scene number or range "
                                         "(e.g. 3, 2-4)") from None
            out.update(range(low, high + 1))
    return sorted(out)


@main.command()
@click.argument("storyboard", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--scene", "scenes", multiple=True,
              help="Scene numbers (from 1) to preview: 3, 2,5 or 2-4 (default: all).")
@click.option("--lang", "langs", multiple=True, default=["zh"], show_default=True,
              help="Languages, comma-separated.")
@click.option("--preset", "presets", multiple=True, default=["landscape"], show_default=True,
              help="Formats: " + ", ".join(PRESETS) + " (comma-separated or repeated).")
@click.option("--contact-sheet", "sheet", is_flag=True,
              help="One PNG with the middle frame of every scene instead of stills.")
@click.option("--video", is_flag=True,
              help="A small, fast video of the chosen scenes, with narration.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="Folder to write to (default: output/<id>/preview).")
@click.option("--engine", default="espeak", show_default=True, help="Speech engine.")
@click.option("--bilingual", is_flag=True,
              help="Burn the English line under the Chinese one in zh previews.")
def preview(storyboard: Path, scenes: tuple[str, ...], langs: tuple[str, ...],
            presets: tuple[str, ...], sheet: bool, video: bool, out_dir: Path | None,
            engine: str, bilingual: bool) -> None:
    """Preview STORYBOARD without rendering it: PNG stills of the middle of the chosen
    scenes (captions included), a contact sheet, or a small video of some scenes."""
    import time

    from storyreel.editor.preview import PreviewSettings, contact_sheet, preview_video, stills

    settings = PreviewSettings(out_dir=out_dir, engine=get_engine(engine).name,
                               bilingual=bilingual)
    numbers = _scene_numbers(scenes)
    if sheet and numbers:
        raise click.UsageError("--contact-sheet shows every scene; leave out --scene")
    for preset in _split(presets, list(PRESETS), "preset"):
        for lang in _split(langs, LANGS, "language"):
            started = time.perf_counter()
            if video:
                written = [preview_video(storyboard, numbers, lang, preset, settings)]
            elif sheet:
                written = [contact_sheet(storyboard, lang, preset, settings)]
            else:
                written = stills(storyboard, numbers, lang, preset, settings)
            for path in written:
                out.print(str(path), markup=False)
            console.print(f"{lang} {preset}: {len(written)} file"
                          f"{'s' * (len(written) != 1)} in "
                          f"{time.perf_counter() - started:.1f} s", highlight=False)


@main.command()
@click.argument("story_id")
@click.option("--from-zh", "from_zh", type=click.Path(path_type=Path, dir_okay=False),
              help="The story in Chinese: plain text or Markdown, paragraphs apart.")
@click.option("--from-en", "from_en", type=click.Path(path_type=Path, dir_okay=False),
              help="The story in English, paragraph for paragraph.")
@click.option("--images", "images_dir", type=click.Path(path_type=Path, file_okay=False),
              help="A folder of pictures, assigned to scenes in name order.")
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Where to write it (default: storyboards/ID.yaml).")
@click.option("--target", "target_seconds", type=click.IntRange(5, 600), default=100,
              show_default=True, help="Length of the video, in seconds.")
@click.option("--engine", default="espeak", show_default=True,
              help="Speech engine to estimate the narration's length with.")
@click.option("--force", is_flag=True, help="Overwrite an existing storyboard.")
def new(story_id: str, from_zh: Path | None, from_en: Path | None, images_dir: Path | None,
        out_path: Path | None, target_seconds: int, engine: str, force: bool) -> None:
    """Draft storyboard STORY_ID from a story's text: scenes from paragraphs, narration
    from their sentences, pictures in order; prints how long each language's narration
    runs against the target."""
    from storyreel.editor.draft import (
        draft,
        estimate,
        find_images,
        read_story,
        write_draft,
    )

    if from_zh is None and from_en is None:
        raise click.UsageError("give the story: --from-zh FILE and/or --from-en FILE")
    path = out_path or Path("storyboards") / f"{story_id}.yaml"
    stories = {lang: read_story(f, lang)
               for lang, f in (("zh", from_zh), ("en", from_en)) if f is not None}
    images = find_images(images_dir) if images_dir is not None else []
    drafted = draft(story_id, stories, images, path.parent.resolve(), target_seconds)
    board = write_draft(drafted, path, force=force)
    out.print(str(path), markup=False)
    layouts = ", ".join(f"{i + 1} {s.layout.value}" for i, s in enumerate(board.scenes))
    console.print(f"{len(board.scenes)} scenes: {layouts}", highlight=False)
    for note in drafted.notes:
        console.print(f"[yellow]note[/] {escape(note)}", highlight=False)
    for lang in (lang for lang, f in (("zh", from_zh), ("en", from_en)) if f is not None):
        found = estimate(board, lang, get_engine(engine).name)
        colour = "red" if found.error else "green"
        console.print(f"[{colour}]{escape(str(found))}[/]", highlight=False)
