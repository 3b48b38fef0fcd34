"""Check storyboards without rendering: every problem a render would stop at, and warnings.

:func:`check` reports, per storyboard, with the very functions a render calls
(``storyreel.pipeline``), so the two agree:

* the file itself: YAML, schema, image paths, theme, music (``load_storyboard``, which
  lists every problem);
* a story id an earlier storyboard already has (worded as ``batch.runner.select`` does);
* narration characters the caption font lacks (``layout.check_captions``);
* narration that does not fit the target length in a language (``timeline.plan.plan``
  speaking through the pipeline's own :func:`~storyreel.pipeline.story.speaker`: the real engine,
  through the speech cache), and the captions' reading speed (``check_cues``, warnings);
* how well the narration fills the video in each language (``timeline.fill``: reported
  for every storyboard; below 80 % a warning says what to add, scene by scene);
* pictures that are missing, empty, truncated, corrupt or too large
  (``layout.pictures.open_image``);
* text that overflows its box or has characters the font lacks, in every language and
  preset (``layout.check_text``);
* the platforms (``package.posts.story_findings``): per-platform overrides naming a
  platform the table does not know (errors), texts that cannot fit a platform and a
  target longer than a platform takes (warnings).

Errors are what would fail a render; warnings are worth a look. Findings are ordered as a
render meets them (language, then planning before drawing, the cover before the scenes),
so the first error is the one a render of the first language stops at.

Work is shared by content: storyboards with the same narration are planned once, the
same scenes in the same language and preset are laid out once, a picture is opened once.
The distinct pieces run on a process pool.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

from storyreel.batch.faults import place_error
from storyreel.batch.runner import duplicate_id
from storyreel.crashlog import internal_error_line
from storyreel.errors import AssetError, FitError, StoryboardError, StoryreelError
from storyreel.fileio import write_atomic
from storyreel.layout import LayoutProblem, check_captions, check_text, theme_for
from storyreel.layout.base import picture_error
from storyreel.layout.cover import key_scene
from storyreel.layout.pictures import open_image
from storyreel.package.platforms import load_platforms
from storyreel.package.posts import story_findings
from storyreel.pipeline.story import project_of, speaker, voice_for
from storyreel.presets import PRESETS
from storyreel.resources import cache_dir, code_identity
from storyreel.storyboard.load import StoryboardInvalid, load_storyboard
from storyreel.storyboard.model import LANGS, Storyboard
from storyreel.subtitles.quality import check_cues
from storyreel.timeline.fill import Fill, fill_of, shortfall
from storyreel.timeline.plan import plan
from storyreel.tts import Engine, get_engine, project_lexicon

Severity = Literal["error", "warning"]
T = TypeVar("T")
R = TypeVar("R")
W = TypeVar("W", "_Speech", "_Text", "_Picture")


@dataclass(frozen=True)
class Finding:
    """One problem: ``message`` is the one line a user sees (it names the file, and the
    line and field where known); the rest is for machines."""

    severity: Severity
    kind: str  # storyboard, duplicate-id, glyphs, overflow, fit, speech, image, captions…
    message: str
    line: int | None = None
    field: str = ""
    lang: str = ""
    preset: str = ""
    # Where a render meets it: sorts findings in render order.
    order: tuple[int, ...] = ()

    def __str__(self) -> str:
        return self.message

    def to_json(self) -> dict[str, Any]:
        return {"severity": self.severity, "kind": self.kind, "message": self.message,
                "line": self.line, "field": self.field or None, "lang": self.lang or None,
                "preset": self.preset or None}


@dataclass(frozen=True)
class FileReport:
    """Everything found in one storyboard, errors first, each in render order."""

    path: Path
    story_id: str | None
    findings: tuple[Finding, ...]
    fills: tuple[Fill, ...] = ()  # narration fill per language checked

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")


@dataclass(frozen=True)
class Report:
    files: tuple[FileReport, ...]
    langs: tuple[str, ...]
    presets: tuple[str, ...]
    seconds: float

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for r in self.files for f in r.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for r in self.files for f in r.errors)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for r in self.files for f in r.warnings)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": not self.errors,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "seconds": round(self.seconds, 3),
            "langs": list(self.langs),
            "presets": list(self.presets),
            "storyboards": [
                {"path": str(r.path), "id": r.story_id, "errors": len(r.errors),
                 "warnings": len(r.warnings), "fill": [f.to_json() for f in r.fills],
                 "problems": [f.to_json() for f in r.findings]}
                for r in self.files
            ],
        }


# --- work items: module-level so a process pool can run them ---------------------------

@dataclass(frozen=True)
class _Problem:
    """A storyboard problem as plain data (exceptions with their own ``__init__`` do not
    come back from a worker process)."""

    message: str
    line: int | None
    field: str


@dataclass(frozen=True)
class _Loaded:
    path: Path
    board: Storyboard | None
    problems: tuple[_Problem, ...] = ()


@dataclass(frozen=True)
class _Speech:
    """Plan ``board`` in ``lang`` (its narration, target and voice decide the result)."""

    board: Storyboard
    lang: str
    engine: str
    cache_root: Path | None


@dataclass(frozen=True)
class _Text:
    """Lay out every scene and the cover of ``board`` in ``lang`` and ``preset``."""

    board: Storyboard
    lang: str
    preset: str


@dataclass(frozen=True)
class _Picture:
    path: Path


@dataclass(frozen=True)
class _Outcome:
    """What a work item found: an error line (and its kind), warnings, layout problems."""

    error: str = ""
    kind: str = ""
    warnings: tuple[tuple[str, str], ...] = ()  # (severity, message) of caption rules
    layout: tuple[LayoutProblem, ...] = ()
    error_path: str = ""  # the storyboard path the error line names, if it names one
    fill: tuple[int, int, float] | None = None  # speech ms, video ms, rate
    fill_warning: str = ""  # what to add, when the narration fills too little


def _load(path: Path) -> _Loaded:
    try:
        return _Loaded(path, load_storyboard(path))
    except StoryboardError as exc:
        problems = exc.problems if isinstance(exc, StoryboardInvalid) else (exc,)
        return _Loaded(path, None, tuple(_Problem(str(p), p.line, p.field) for p in problems))


def _work(item: _Speech | _Text | _Picture) -> _Outcome:
    try:
        if isinstance(item, _Speech):
            return _speech(item)
        if isinstance(item, _Text):
            theme = theme_for(item.board)
            problems = check_text(item.board, item.lang, PRESETS[item.preset], theme)
            return _Outcome(layout=tuple(problems))
        open_image(item.path)
        return _Outcome()
    except FitError as exc:
        return _Outcome(str(exc), "fit", error_path=str(exc.path))
    except StoryreelError as exc:
        kind = "image" if isinstance(item, _Picture) else (
            "speech" if isinstance(item, _Speech) else "layout")
        path = getattr(exc, "path", None)
        return _Outcome(str(exc), kind, error_path=str(path) if path is not None else "")
    except OSError as exc:  # the machine's fault (a cache on a full disk, say)
        cache = item.cache_root if isinstance(item, _Speech) else None
        return _Outcome(str(place_error(exc, None, cache)), "output")
    except Exception as exc:  # a bug: report it as render's runner does, never a traceback
        return _Outcome(internal_error_line(exc), "internal")


def _speech(item: _Speech) -> _Outcome:
    board, lang = item.board, item.lang
    speak = speaker(board, lang, get_engine(item.engine), item.cache_root)
    timeline = plan(board, lang, PRESETS["landscape"], speak)
    problems = check_cues(timeline.cues, lang, timeline.duration_ms)
    fill = fill_of(timeline)
    return _Outcome(warnings=tuple((p.severity, p.message) for p in problems),
                    fill=(fill.speech_ms, fill.video_ms, fill.rate),
                    fill_warning=shortfall(board, timeline))


# --- the check ---------------------------------------------------------------------------

def check(
    paths: Sequence[Path],
    langs: Sequence[str] = LANGS,
    presets: Sequence[str] = tuple(PRESETS),
    *,
    engine: str = "espeak",
    cache_root: Path | None = None,
    workers: int | None = None,
    remember: bool = True,
) -> Report:
    """Check every storyboard in ``paths`` in ``langs`` × ``presets``; see the module.

    ``cache_root`` is the render's cache folder (default: ``.storyreel-cache``): speech
    comes from its ``tts/``, and with ``remember`` outcomes are kept in its ``check/``.
    """
    started = time.perf_counter()
    chosen = get_engine(engine).name  # "auto" decides once, as a batch does
    workers = workers or os.cpu_count() or 1
    with _Pool(workers) as pool:
        loaded = pool.map(_load, paths)
        boards = [x.board for x in loaded if x.board is not None]
        speech = _unique(_Speech(b, lang, chosen, cache_root) for b in boards for lang in langs)
        text = _unique(_Text(b, lang, p) for b in boards for lang in langs for p in presets)
        pictures = _unique(_Picture(path) for b in boards for path in _pictures(b))
        items: list[_Speech | _Text | _Picture] = [*text.values(), *speech.values(),
                                                   *pictures.values()]
        memo = _Memo((cache_root or cache_dir()) / "check" if remember else None,
                     get_engine(chosen))
        outcomes = {_key(i): memo.get(i) for i in items}
        todo = [i for i in items if outcomes[_key(i)] is None]
        for item, outcome in zip(todo, pool.map(_work, todo), strict=True):
            outcomes[_key(item)] = outcome
            memo.put(item, outcome)
    files = []
    first_of: dict[str, Path] = {}
    for entry in loaded:
        board = entry.board
        if board is None:
            files.append(FileReport(entry.path, None, tuple(
                Finding("error", "storyboard", p.message, p.line, p.field, order=(-2,))
                for p in entry.problems)))
            continue
        found: list[Finding] = []
        if board.id in first_of:
            found.append(Finding("error", "duplicate-id",
                                 duplicate_id(entry.path, board.id, first_of[board.id]),
                                 field="id", order=(-1,)))
        else:
            first_of[board.id] = entry.path
        found += _board_findings(board, langs, presets, outcomes, chosen, cache_root)
        fills = []
        for lang in langs:
            fill = _got(outcomes, _Speech(board, lang, chosen, cache_root)).fill
            if fill is not None:
                fills.append(Fill(lang, *fill))
        files.append(FileReport(entry.path, board.id, _ordered(found), tuple(fills)))
    return Report(tuple(files), tuple(langs), tuple(presets), time.perf_counter() - started)


def _board_findings(
    board: Storyboard, langs: Sequence[str], presets: Sequence[str],
    outcomes: dict[Any, _Outcome | None], engine: str, cache_root: Path | None,
) -> list[Finding]:
    found: list[Finding] = []
    source = str(board.source)
    theme = theme_for(board)
    for li, lang in enumerate(langs):
        for problem in check_captions(board, lang, theme):
            found.append(_layout_finding(problem, (li, 0, 0, problem.scene, 1)))
        outcome = _got(outcomes, _Speech(board, lang, engine, cache_root))
        if outcome.error:
            found.append(Finding("error", outcome.kind, _told_of(outcome, source),
                                 lang=lang, order=(li, 1)))
        if outcome.fill_warning:
            found.append(Finding("warning", "fill", f"{source}: {outcome.fill_warning}",
                                 lang=lang, order=(li, 8)))
        for severity, text in outcome.warnings:
            label = "" if severity == "warning" else f"{severity}: "
            found.append(Finding("warning", "captions", f"{source}: {lang} captions: "
                                 f"{label}{text}", lang=lang, order=(li, 9)))
        for pi, preset in enumerate(presets):
            outcome = _got(outcomes, _Text(board, lang, preset))
            if outcome.error:
                found.append(Finding("error", outcome.kind, outcome.error, lang=lang,
                                     preset=preset, order=(li, 2, pi, -2)))
            for problem in outcome.layout:
                problem = replace(problem, source=source)
                found.append(_layout_finding(problem, (li, 2, pi, problem.scene, 1)))
    # A bad picture stops a render where it is first drawn: on the cover (its key
    # scene's picture), else in the first scene that shows it.
    cover = key_scene(board)
    first = sorted(range(len(board.scenes)), key=lambda i: board.scenes[i] is not cover)
    reported: set[Path] = set()
    for index in first:
        path = board.image_path(board.scenes[index])
        if path is None or path in reported:
            continue
        reported.add(path)
        outcome = _got(outcomes, _Picture(path))
        if outcome.error:
            at = -1 if board.scenes[index] is cover else index
            message = str(picture_error(board, index, AssetError(outcome.error)))
            found.append(Finding("error", outcome.kind, message,
                                 field=f"scenes[{index}].image", order=(0, 2, 0, at, 0)))
    try:
        platforms = load_platforms(project_of(board))
    except StoryreelError as exc:
        return [*found, Finding("error", "platforms", str(exc), order=(-1,))]
    for f in story_findings(board, platforms, langs):
        found.append(Finding(f.severity, "platform", f.message, field=f"platforms.{f.platform}",
                             lang=f.lang, order=(9, 9)))
    return found


def _got(outcomes: dict[Any, _Outcome | None], item: _Speech | _Text | _Picture) -> _Outcome:
    outcome = outcomes[_key(item)]
    assert outcome is not None
    return outcome


def _layout_finding(problem: LayoutProblem, order: tuple[int, ...]) -> Finding:
    return Finding("error", problem.kind, problem.message, field=problem.field,
                   lang=problem.lang, preset=problem.preset if problem.kind == "overflow"
                   else "", order=order)


def _ordered(found: Iterable[Finding]) -> tuple[Finding, ...]:
    """Errors in render order, each once (a missing glyph shows in every preset), then
    warnings."""
    out: list[Finding] = []
    seen: set[str] = set()
    for finding in sorted(found, key=lambda f: (f.severity != "error", f.order)):
        if finding.message not in seen:
            seen.add(finding.message)
            out.append(finding)
    return tuple(out)


def _told_of(outcome: _Outcome, source: str) -> str:
    """A planning error found for a storyboard with the same narration, told of this
    one (the outcome says which path its line names)."""
    if outcome.error_path and outcome.error.startswith(outcome.error_path):
        return source + outcome.error[len(outcome.error_path):]
    return outcome.error


def _pictures(board: Storyboard) -> list[Path]:
    return [p for p in (board.image_path(s) for s in board.scenes) if p is not None]


def _key(item: _Speech | _Text | _Picture) -> Any:
    """What decides a work item's outcome, so equal items are done once."""
    if isinstance(item, _Picture):
        try:
            stat = item.path.stat()
            return ("picture", str(item.path), stat.st_mtime_ns, stat.st_size)
        except OSError:
            return ("picture", str(item.path), 0, 0)
    board = item.board
    if isinstance(item, _Text):
        # The id is the only field drawing never reads; text over a picture is laid out
        # around its subject, which depends on the picture's size: its file is in the key.
        return ("text", item.lang, item.preset, board.theme_name,
                board.model_dump_json(exclude={"id"}),
                tuple(_key(_Picture(p)) for p in _pictures(board)))
    return ("speech", item.lang, item.engine, str(item.cache_root), board.target_seconds,
            tuple(s.narration.get(item.lang) for s in board.scenes),
            repr(board.voices), str(project_of(board)))


def _unique(items: Iterable[W]) -> dict[Any, W]:
    out: dict[Any, W] = {}
    for item in items:
        out.setdefault(_key(item), item)
    return out


class _Pool:
    """``map`` on a process pool of ``workers`` (forked: workers inherit what is loaded),
    or in this process for one worker or one item."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: Executor | None = None

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown()

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if self.workers <= 1 or len(items) <= 1:
            return [fn(item) for item in items]
        if self._executor is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context)
        chunk = max(1, len(items) // (self.workers * 4))
        try:
            return list(self._executor.map(fn, items, chunksize=chunk))
        except BrokenProcessPool as exc:
            raise StoryreelError(f"check failed: a worker process died ({exc}); run "
                                 "again with --jobs 1 to see the problem") from None


class _Memo:
    """Outcomes kept on disk by content (``<cache>/check/<digest>.json``), so checking an
    unchanged story again is quick. The digest also covers storyreel's own code, themes
    and fonts, Pillow, the engine and voice, and the lexicon: when any changes, the
    work is done afresh. Internal errors are never kept."""

    def __init__(self, root: Path | None, engine: Engine) -> None:
        self.root = root
        self.engine = engine
        self._lexicons: dict[Path, str] = {}

    def _path(self, item: _Speech | _Text | _Picture) -> Path | None:
        if self.root is None:
            return None
        parts: list[Any] = [code_identity(), _key(item)]
        if isinstance(item, _Speech):
            voice = voice_for(item.board, self.engine, item.lang)
            project = project_of(item.board)
            if project not in self._lexicons:
                self._lexicons[project] = project_lexicon(project).digest
            parts += [voice, self.engine.identity(voice), self._lexicons[project]]
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()
        return self.root / digest[:2] / f"{digest}.json"

    def get(self, item: _Speech | _Text | _Picture) -> _Outcome | None:
        try:
            path = self._path(item)
            if path is None:
                return None
            data = json.loads(path.read_text(encoding="utf-8"))
            fill = data.get("fill")
            return _Outcome(
                data["error"], data["kind"], tuple((s, m) for s, m in data["warnings"]),
                tuple(LayoutProblem(**{**p, "missing": tuple(p["missing"])})
                      for p in data["layout"]),
                data["error_path"],
                (int(fill[0]), int(fill[1]), float(fill[2])) if fill else None,
                data.get("fill_warning", ""),
            )
        except (OSError, ValueError, KeyError, TypeError, StoryreelError):
            return None

    def put(self, item: _Speech | _Text | _Picture, outcome: _Outcome) -> None:
        if outcome.kind == "internal":
            return
        try:
            path = self._path(item)
            if path is None:
                return
            data = {"error": outcome.error, "kind": outcome.kind,
                    "warnings": [list(w) for w in outcome.warnings],
                    "layout": [asdict(p) for p in outcome.layout],
                    "error_path": outcome.error_path,
                    "fill": list(outcome.fill) if outcome.fill else None,
                    "fill_warning": outcome.fill_warning}
            write_atomic(path, json.dumps(data, ensure_ascii=False).encode())
        except (OSError, StoryreelError):
            pass  # a cache that cannot be written only makes the next check slower


