"""The command line: read options, call the library, report. Nothing else lives here.

Only ``click`` and storyreel's light modules are imported here: each command imports the
stages it needs when it runs, so ``storyreel --help`` and ``--version`` start at once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from storyreel import __version__
from storyreel.errors import StoryreelError
from storyreel.presets import PRESETS
from storyreel.project import LANGS, Project, ProjectError, find_project

if TYPE_CHECKING:
    from rich.console import Console


class _Consoles:
    """rich consoles, made when first used (importing rich costs start-up time)."""

    def __init__(self, **options: Any) -> None:
        self.options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            # one message, one line: never wrapped
            self._console = Console(soft_wrap=True, **self.options)
        return getattr(self._console, name)


console: Any = _Consoles(stderr=True)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


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


MAX_SIZE = 3840  # --size: 4K UHD on the long side at most


def _size(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        w, h = (int(v) for v in value.lower().split("x"))
    except ValueError:
        raise click.BadParameter(f"'{value}' is not WIDTHxHEIGHT, e.g. 640x360") from None
    if w < 64 or h < 64 or w % 2 or h % 2:
        raise click.BadParameter("width and height must be even and at least 64")
    if max(w, h) > MAX_SIZE:
        raise click.BadParameter(f"{w}x{h} is larger than {MAX_SIZE} px on a side; --size is "
                                 "for quick looks: leave it out for the presets' full size")
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
            console.print(f"[red]error[/] {_escape(str(exc))}", highlight=False)
            ctx.exit(1)
        except OSError as exc:  # the machine's (a read-only --out, a full disk): where
            from storyreel.batch.faults import place_error

            console.print(f"[red]error[/] {_escape(str(place_error(exc, None)))}",
                          highlight=False)
            ctx.exit(1)
        except Exception as exc:
            from storyreel.crashlog import internal_error_line

            console.print(f"[red]error[/] {_escape(internal_error_line(exc))}",
                          highlight=False)
            ctx.exit(1)


def _jobs(value: str | None, project: Project) -> int:
    """``--jobs N`` or ``auto``; default: the project's setting, else auto."""
    from storyreel.project import auto_jobs

    if value is None:
        return project.config.jobs or auto_jobs()
    if value == "auto":
        return auto_jobs()
    if not value.isdigit() or not 1 <= int(value) <= 32:
        raise click.BadParameter(f"'{value}' is not a number from 1 to 32 nor 'auto'",
                                 param_hint="--jobs")
    return int(value)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="storyreel")
@click.option("--project", "project_dir", type=click.Path(path_type=Path, file_okay=False),
              envvar="STORYREEL_PROJECT", default=None,
              help="The project folder (default: the nearest folder at or above the current "
              "one holding storyreel.toml).")
@click.pass_context
def main(ctx: click.Context, project_dir: Path | None) -> None:
    """Turn bilingual storyboards into narrated, captioned short videos.

    Exit codes: 0 all good, 1 a job or a check failed, 2 bad usage."""
    ctx.obj = {"project_dir": project_dir}


def _project(ctx: click.Context) -> Project:
    """The project this command works in (found when first asked)."""
    obj = ctx.find_root().obj
    if obj is None:
        obj = ctx.find_root().obj = {"project_dir": None}
    if "project" not in obj:
        explicit = obj.get("project_dir")
        try:
            obj["project"] = find_project(explicit)
        except ProjectError as exc:
            if exc.path.name == "storyreel.toml":
                raise  # a broken project file: one line from run()
            raise click.UsageError(exc.problem if explicit is None
                                   else f"--project {explicit}: {exc.problem}") from None
    project: Project = obj["project"]
    return project


def _storyboard_paths(project: Project, storyboards: Sequence[Path],
                      patterns: Sequence[str]) -> list[Path]:
    from storyreel.batch.runner import find_storyboards
    from storyreel.batch.selection import choose

    paths = find_storyboards(storyboards, project.storyboards)
    if not paths:
        raise click.UsageError(f"no storyboards found (looked in "
                               f"{list(storyboards) or [project.storyboards]}); name a file "
                               "or a folder of *.yaml")
    named = [p for p in storyboards if not p.is_dir()]
    chosen = choose(paths, patterns, named)
    if not chosen:
        raise click.UsageError("no storyboard matches " + " ".join(
            f"--select '{p}'" for p in patterns) if patterns else
            "every storyboard found is a draft; name one to render it")
    return chosen


_SELECT_HELP = ("Only these storyboards: an id glob ('lusaka-*') or 'tag:NAME' (a tag in "
                "either language); repeat to combine. Drafts are left out unless named.")


@main.command()
@click.argument("storyboards", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", "patterns", multiple=True, help=_SELECT_HELP)
@click.option("--lang", "langs", multiple=True,
              help="Languages to render, comma-separated (default: the project's).")
@click.option("--preset", "presets", multiple=True,
              help="Formats: " + ", ".join(PRESETS) + " (comma-separated or repeated; "
              "default: the project's).")
@click.option("--out", "out_root", type=click.Path(path_type=Path), default=None,
              help="Output folder; one subfolder per story (default: the project's output).")
@click.option("--engine", default=None, help="Speech engine (default: the project's).")
@click.option("--jobs", "jobs", default=None,
              help="Jobs to run at once: a number or 'auto' (from the core count; default: "
              "the project's, else auto).")
@click.option("--force", is_flag=True, help="Render again even where outputs are up to date.")
@click.option("--size", default=None, help="Render smaller, fitting each preset's frame in "
              "WIDTHxHEIGHT (quick looks).")
@click.option("--draft", is_flag=True, help="Fast, low-quality encoding for a quick look.")
@click.option("--bilingual", is_flag=True,
              help="Burn the English line under the Chinese one in zh videos.")
@click.option("--scheduler", envvar="STORYREEL_SCHEDULER", default=None,
              help="Run the jobs on the Dask cluster at this scheduler address: inputs go to "
              "the workers and results come back; needs storyreel[cluster].")
@click.option("--quiet", "-q", is_flag=True, help="No progress; only error lines.")
@click.option("--json", "as_json", is_flag=True,
              help="Progress as JSON events, one a line, on standard output.")
@click.pass_context
def render(
    ctx: click.Context, storyboards: tuple[Path, ...], patterns: tuple[str, ...],
    langs: tuple[str, ...], presets: tuple[str, ...], out_root: Path | None,
    engine: str | None, jobs: str | None, force: bool, size: str | None, draft: bool,
    bilingual: bool, scheduler: str | None, quiet: bool, as_json: bool,
) -> None:
    """Render STORYBOARDS (files or folders; default: the project's storyboards/).

    Progress: live lines on a terminal, one timestamped line per stage otherwise. At the
    end a summary and OUT/report.json. Exit 0: all good; 1: a job failed; 2: bad usage."""
    import time

    from storyreel.batch.faults import check_folders
    from storyreel.batch.job import RenderSettings
    from storyreel.batch.report import errors, reporter, summary, write_report
    from storyreel.batch.runner import run_batch, select
    from storyreel.render.graph import PREVIEW, Encoding
    from storyreel.tts import get_engine

    started = time.monotonic()
    project = _project(ctx)
    config = project.config
    workers = _jobs(jobs, project)
    frame = _size(size)
    chosen_langs = _split(langs or config.languages, LANGS, "language")
    chosen_presets = _split(presets or config.presets, list(PRESETS), "preset")
    paths = _storyboard_paths(project, storyboards, patterns)
    chosen = get_engine(engine or config.engine)
    name = chosen.name  # decided once per batch: "auto" probes the service here
    reason = str(getattr(chosen, "reason", ""))
    if reason and not as_json:
        console.print(f"[cyan]{_escape(reason)}[/]", highlight=False)
    out = out_root if out_root is not None else project.output
    settings = RenderSettings(
        out_root=out, engine=name, frame_size=frame, force=force, cache_root=project.cache,
        encoding=PREVIEW if draft else Encoding(), bilingual=bilingual,
    )
    check_folders(settings.out_root, settings.cache_root)  # one line, not one per job
    selection = select(paths, chosen_langs, chosen_presets)
    show = reporter(quiet=quiet, as_json=as_json)
    results = list(selection.failures)
    show.start([*(f.job for f in selection.failures), *selection.jobs])
    for failure in selection.failures:
        show.finished(failure)
    try:
        if selection.jobs and scheduler:
            from storyreel.batch.cluster import Cluster

            with _dask_client(scheduler) as client:
                results += Cluster(client).run(selection.jobs, settings, listen=show.stage,
                                               finished=show.finished)
        elif selection.jobs:
            results += run_batch(selection.jobs, settings, workers=workers,
                                 listen=show.stage, finished=show.finished)
    finally:
        show.close()
    report = write_report(out, results, time.monotonic() - started)
    if as_json:
        import json

        from storyreel.batch.report import counts

        click.echo(json.dumps({"event": "summary", **counts(results), "report": str(report)}))
    elif quiet:
        errors(results)
    else:
        summary(results, report, started)
    sys.exit(1 if any(r.status == "failed" for r in results) else 0)


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


@main.command()
@click.option("--engine", default="espeak", show_default=True, help="Speech engine.")
@click.option("--lang", default=None, type=click.Choice(LANGS), help="Only this language.")
def voices(engine: str, lang: str | None) -> None:
    """List the voices a speech engine offers."""
    from rich.console import Console
    from rich.table import Table

    from storyreel.tts import get_engine

    found = get_engine(engine).voices(lang)
    table = Table(title=f"{engine} voices" + (f" ({lang})" if lang else ""))
    for name in ("voice", "lang", "description"):
        table.add_column(name)
    for voice in found:
        table.add_row(voice.id, voice.lang, voice.description)
    Console().print(table)
    console.print(f"{len(found)} voices")


def run() -> None:
    """The console script's entry point."""
    main(standalone_mode=True)


# --- editor tools: check, preview, schema, new ---------------------------------------------
# Kept apart from render and voices; each command reads its options, calls the library
# (storyreel.editor, storyreel.storyboard) and reports.

out: Any = _Consoles(highlight=False)  # what a command produces goes to stdout


@main.command()
@click.argument("storyboards", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", "patterns", multiple=True, help=_SELECT_HELP)
@click.option("--lang", "langs", multiple=True,
              help="Languages to check, comma-separated (default: the project's).")
@click.option("--preset", "presets", multiple=True, default=[",".join(PRESETS)],
              show_default=True, help="Formats to check text in (comma-separated or repeated).")
@click.option("--engine", default=None,
              help="Speech engine to time the narration with (default: the project's).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: one line a problem; json: for machines.")
@click.option("--jobs", "workers", type=click.IntRange(1, 32), default=None,
              help="Processes to check with (default: one per core).")
@click.pass_context
def check(ctx: click.Context, storyboards: tuple[Path, ...], patterns: tuple[str, ...],
          langs: tuple[str, ...], presets: tuple[str, ...], engine: str | None, fmt: str,
          workers: int | None) -> None:
    """Check STORYBOARDS without rendering (files or folders; default: the project's
    storyboards/).

    Reports every problem a render would stop at (errors: exit 1) and reading-speed
    warnings (exit 0 when there are only warnings)."""
    from storyreel.batch.faults import check_folders
    from storyreel.editor.check import check as run_check

    project = _project(ctx)
    paths = _storyboard_paths(project, storyboards, patterns)
    check_folders(None, project.cache)  # the speech cache: one line if it cannot take files
    report = run_check(paths, _split(langs or project.config.languages, LANGS, "language"),
                       _split(presets, list(PRESETS), "preset"),
                       engine=engine or project.config.engine, workers=workers,
                       cache_root=project.cache)
    if fmt == "json":
        import json

        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            colour = "red" if finding.severity == "error" else "yellow"
            out.print(f"[{colour}]{finding.severity}[/] {_escape(finding.message)}")
        for file in report.files:
            for fill in file.fills:
                out.print(f"[cyan]fill[/] {_escape(str(file.path))}: {_escape(str(fill))}")
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
    from storyreel.tts import get_engine

    project = _project(click.get_current_context())
    settings = PreviewSettings(out_root=Path(os.path.relpath(project.output)), out_dir=out_dir,
                               engine=get_engine(engine).name, bilingual=bilingual,
                               cache_root=project.cache)
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
    """Draft storyboard STORY_ID from a story's text: scenes from paragraphs with slide
    text and layouts, narration from their sentences (condensed when too long), pictures
    copied into the project; prints how well each language's narration fills the target."""
    from storyreel.editor.draft import DraftError
    from storyreel.editor.new import new_story
    from storyreel.tts import get_engine

    if from_zh is None and from_en is None:
        raise click.UsageError("give the story: --from-zh FILE and/or --from-en FILE")
    if out_path is None:  # the project's storyboards/, named from here
        folder = _project(click.get_current_context()).storyboards
        out_path = Path(os.path.relpath(folder / f"{story_id}.yaml"))
    path = out_path
    files = {lang: f for lang, f in (("zh", from_zh), ("en", from_en)) if f is not None}
    try:
        made = new_story(story_id, files, images_dir, path, target_seconds=target_seconds,
                         engine=get_engine(engine).name, force=force)
    except DraftError as exc:
        for problem in exc.problems:
            console.print(f"[red]error[/] {_escape(problem)}", highlight=False)
        sys.exit(1)
    out.print(str(path), markup=False)
    board = made.board
    layouts = ", ".join(f"{i + 1} {s.layout.value}" for i, s in enumerate(board.scenes))
    console.print(f"{len(board.scenes)} scenes: {layouts}", highlight=False)
    for note in made.notes:
        console.print(f"[yellow]note[/] {_escape(note)}", highlight=False)
    if made.left_out:
        console.print(f"condensed to fit {target_seconds} s; left out:", highlight=False)
        for line in made.left_out:
            console.print(f"  {_escape(line)}", highlight=False)
    for found in made.estimates:
        colour = "red" if found.error else ("yellow" if found.shortfall else "green")
        console.print(f"[{colour}]{_escape(str(found))}[/]", highlight=False)
        if found.shortfall:
            console.print(f"[yellow]warning[/] {_escape(str(path))}: {_escape(found.shortfall)}",
                          highlight=False)


# --- projects: init -----------------------------------------------------------------------

@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--no-example", is_flag=True, help="Leave storyboards/ empty.")
def init(folder: Path, no_example: bool) -> None:
    """Create a project in FOLDER (made if needed): storyreel.toml with its defaults,
    storyboards/ (with a short example story and its picture), images/, lexicon.yaml.
    Every command run in FOLDER or below it then works on this project."""
    from storyreel.editor.scaffold import init_project

    made = init_project(folder, example=not no_example)
    for path in made:
        out.print(str(path), markup=False)
    console.print(f"project ready in {folder}: cd there and run `storyreel render`",
                  highlight=False)


# --- distribution: publish, review ---------------------------------------------------------
# Thin layers over storyreel.package: the publish kit and the review gallery.


@main.command()
@click.option("--out", "out_root", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="The output folder (default: the project's output).")
@click.option("--all", "every", is_flag=True,
              help="Every complete render, not only those approved in review.")
def publish(out_root: Path | None, every: bool) -> None:
    """Build OUT/publish/<platform>/: per story the video (hard-linked), the cover at the
    platform's size, the subtitles it takes, post.json and post.txt within its limits."""
    from rich.table import Table

    from storyreel.package.catalog import refresh
    from storyreel.package.platforms import load_platforms
    from storyreel.package.publish import publish as build

    project = _project(click.get_current_context())
    out_root = out_root if out_root is not None else project.output
    if not out_root.is_dir():
        raise click.UsageError(f"{out_root} does not exist: render first")
    platforms = load_platforms(project.root)
    done = build(out_root, platforms, every=every, project=project.root)
    refresh(out_root, platforms, project.root)
    table = Table(title="storyreel publish")
    for name in ("platform", "videos", "linked"):
        table.add_column(name)
    for platform in platforms:
        mine = [d for d in done if d.platform == platform.key]
        table.add_row(platform.key, str(len(mine)), str(sum(d.linked for d in mine)))
    console.print(table)
    videos = len({d.render for d in done})
    which = "complete" if every else "approved"
    console.print(f"{videos} {which} video{'s' * (videos != 1)} in "
                  f"{out_root / 'publish'}", highlight=False)
    for d in done:
        post = (d.folder / "post.json").read_text(encoding="utf-8")
        if '"problems": []' not in post:
            console.print(f"[yellow]warning[/] {d.platform} {d.render}: a text does not "
                          "fit; see post.json", highlight=False)


@main.command()
@click.option("--out", "out_root", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="The output folder (default: the project's output).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; the default is this machine only.")
def review(out_root: Path | None, port: int, host: str) -> None:
    """Serve the review gallery of OUT: watch every video, read its platform texts, and
    approve it or ask for changes (decisions go to OUT/review.json)."""
    from storyreel.package.platforms import load_platforms
    from storyreel.package.review import make_server

    project = _project(click.get_current_context())
    out_root = out_root if out_root is not None else project.output
    if not out_root.is_dir():
        raise click.UsageError(f"{out_root} does not exist: render first")
    try:
        server = make_server(out_root, load_platforms(project.root), host, port,
                             project.root)
    except OSError as exc:
        raise click.UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    url = f"http://{host}:{server.server_address[1]}/"
    click.echo(f"reviewing {out_root} at {url} (Ctrl+C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
