"""``storyreel new``: a storyboard drafted from a story's text and pictures, ready to edit.

:func:`new_story` reads the story files, copies the pictures into the project
(``storyboards/images/<id>/``, hard-linked where it can), condenses a story too long for
its target (timing every sentence with the real engine, through the speech cache), drafts
the scenes, trims slide text that would overflow a layout in any language or preset,
writes the storyboard (loaded back first: always valid) and times the narration as a
render plans it, reporting how well it fills the video.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyreel.editor.draft import (
    IMAGE_SUFFIXES,
    LIMITS,
    Draft,
    DraftError,
    Story,
    condense,
    draft,
    read_story,
    shorten,
    write_draft,
)
from storyreel.errors import StoryreelError
from storyreel.layout import check_text, theme_for
from storyreel.layout.base import LayoutProblem
from storyreel.pipeline.story import Speaker, speaker
from storyreel.presets import PRESETS, get_preset
from storyreel.project import project_root_of
from storyreel.resources import cache_dir
from storyreel.storyboard.model import LANGS, Storyboard
from storyreel.timeline.fill import fill_of, shortfall
from storyreel.timeline.plan import plan
from storyreel.tts import SpeechCache, get_engine, project_lexicon

# Past this speed-up a story is condensed rather than rushed.
FAST = 1.15
# Condensing: the speech budget (a fraction of the target) moves in these steps, at most
# this many times, to keep as much of the story as still fits.
_STEP = 0.04
_TRIES = 8


@dataclass(frozen=True)
class Estimate:
    """How a language's narration fills the target: spoken seconds, the speed the plan
    needs (1.0 = normal), what to add when it fills too little, or why it does not fit."""

    lang: str
    speech_s: float
    target_s: int
    rate: float
    error: str = ""
    shortfall: str = ""

    @property
    def fill(self) -> float:
        return self.speech_s / self.target_s

    def __str__(self) -> str:
        if self.error:
            return f"{self.lang}: does not fit: {self.error}"
        pace = "at normal speed" if self.rate == 1.0 else f"spoken at {self.rate:.2f}×"
        return (f"{self.lang}: {self.speech_s:.1f} s of narration for {self.target_s} s: "
                f"fits {pace}; narration fill {self.fill:.0%}")


@dataclass(frozen=True)
class NewStory:
    path: Path
    board: Storyboard
    notes: tuple[str, ...]
    left_out: tuple[str, ...]
    estimates: tuple[Estimate, ...]


def find_images(folder: Path) -> list[Path]:
    """The pictures in ``folder``, in name order."""
    if not folder.is_dir():
        raise DraftError(f"{folder}: not a folder of pictures")
    return sorted(p.resolve() for p in folder.iterdir()
                  if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())


def import_pictures(images: Sequence[Path], folder: Path, *, force: bool = False
                    ) -> tuple[list[Path], list[Path]]:
    """Copy (hard-link where possible) ``images`` and their captions (``NAME.txt``) into
    ``folder``: ``(the pictures there, the files this call created)``. A different file
    already there under the same name is an error unless ``force``."""
    folder = folder.resolve()
    out, created = [], []
    clashes = [folder / p.name for p in images if p.parent.resolve() != folder
               and (folder / p.name).exists() and not filecmp.cmp(p, folder / p.name,
                                                                   shallow=False)]
    if clashes and not force:
        raise DraftError(
            f"{clashes[0]}: another picture already has this name", [
                f"{c}: another picture already has this name; rename it, choose another "
                "id, or --force to replace it" for c in clashes])
    for image in images:
        caption = image.with_suffix(".txt")
        for source in (image, caption) if caption.is_file() else (image,):
            target = folder / source.name
            if source.parent.resolve() == folder:
                continue
            if target.exists() and filecmp.cmp(source, target, shallow=False):
                continue
            folder.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.part")
            partial.unlink(missing_ok=True)
            try:
                os.link(source, partial)
            except OSError:
                shutil.copyfile(source, partial)
            partial.replace(target)
            created.append(target)
        out.append(folder / image.name)
    return out, created


def _speech_ms(project: Path, engine_name: str, cache_root: Path | None
               ) -> Callable[[str, str], int]:
    engine = get_engine(engine_name)
    cache = SpeechCache((cache_root or cache_dir()) / "tts")
    lexicon = project_lexicon(project)
    speakers = {lang: Speaker(engine, cache, lang, engine.default_voice(lang), lexicon)
                for lang in LANGS}

    def speech_ms(text: str, lang: str) -> int:
        return speakers[lang](text, 1.0).duration_ms

    return speech_ms


def estimate(board: Storyboard, lang: str, engine: str = "espeak",
             cache_root: Path | None = None) -> Estimate:
    """Time ``board``'s narration in ``lang`` as a render plans it."""
    target = board.target_seconds
    try:
        timeline = plan(board, lang, get_preset("landscape"),
                        speaker(board, lang, get_engine(engine), cache_root))
    except StoryreelError as exc:  # too long, or a word captions cannot break
        return Estimate(lang, 0.0, target, 0.0, str(exc))
    fill = fill_of(timeline)
    return Estimate(lang, fill.speech_ms / 1000, target, timeline.speech_rate,
                    shortfall=shortfall(board, timeline))


def _board(data: dict[str, Any], path: Path) -> Storyboard:
    try:
        return Storyboard.model_validate(data).with_source(path)
    except ValueError as exc:
        raise DraftError(f"{path}: the draft is not a valid storyboard ({exc}); please "
                         "report it") from None


def new_story(story_id: str, files: dict[str, Path], images_dir: Path | None, path: Path,
              *, target_seconds: int = 100, engine: str = "espeak", force: bool = False,
              cache_root: Path | None = None) -> NewStory:
    """Draft, check and write ``path`` (see the module); nothing is left behind when it
    fails."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", story_id):
        raise DraftError(f"{path}: id: use lower-case letters, digits and hyphens (e.g. "
                         f"solar-lamps), not '{story_id}'")
    if path.exists() and not force:
        raise DraftError(f"{path}: already exists; choose another id or --out, or --force")
    stories = {lang: read_story(f, lang) for lang, f in files.items()}
    images = find_images(images_dir) if images_dir is not None else []
    folder = path.parent.resolve()
    pictures, created = import_pictures(images, folder / "images" / story_id, force=force)
    try:
        return _new(story_id, stories, pictures, path, target_seconds, engine, force,
                    cache_root, tuple(files))
    except BaseException:
        for made in created:
            made.unlink(missing_ok=True)
        raise


def _new(story_id: str, stories: dict[str, Story], pictures: list[Path], path: Path,
         target_seconds: int, engine: str, force: bool, cache_root: Path | None,
         given: tuple[str, ...]) -> NewStory:
    folder = path.parent.resolve()
    drafted = draft(story_id, stories, pictures, folder, target_seconds)
    board = _board(drafted.board, path)
    speech_ms = _speech_ms(project_root_of(path), engine, cache_root)
    # Far too long (paragraphs spoken whole, with a second a scene): no need to plan it.
    too_long = len(given) == len(LANGS) and any(
        sum(speech_ms(s.narration.get(lang), lang) + 1000 for s in board.scenes)
        > target_seconds * 1000 * FAST * 1.1 for lang in given)
    found = [] if too_long else [estimate(board, lang, engine, cache_root) for lang in given]
    left_out: tuple[str, ...] = ()
    if too_long or (len(given) == len(LANGS) and any(e.error or e.rate > FAST for e in found)):

        def attempt(budget: float) -> tuple[Draft, list[Estimate], tuple[str, ...]] | None:
            condensed = condense(stories, round(target_seconds * 1000 * budget), speech_ms)
            made = draft(story_id, condensed.stories, pictures, folder, target_seconds)
            times = [estimate(_board(made.board, path), lang, engine, cache_root)
                     for lang in given]
            if any(e.error or e.rate > FAST for e in times):
                return None
            return made, times, condensed.left_out

        # The most the story keeps while every language still fits: step the budget up
        # from where it first fits, or down until it does.
        budget, best = 1.0, attempt(1.0)
        step = _STEP if best is not None else -_STEP
        for _ in range(_TRIES):
            budget += step
            tried = attempt(budget)
            if step > 0 and tried is None:
                break
            if tried is not None:
                best = tried
                if step < 0:
                    break
        if best is None:
            raise DraftError(f"{path}: the story does not fit {target_seconds} s even "
                             "condensed; give a longer --target or a shorter story")
        drafted, found, left_out = best[0], best[1], best[2]
    data, trimmed = fit_slides(drafted.board, path)
    written = write_draft(Draft(data, drafted.notes), path, force=force)
    return NewStory(path, written, (*drafted.notes, *trimmed), left_out, tuple(found))


# --- slide text that fits -------------------------------------------------------------------

def fit_slides(data: dict[str, Any], path: Path, rounds: int = 4
               ) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The draft with slide text that overflows its box (in any language or preset)
    shortened or, where it is optional, left out; notes for what still overflows."""
    problems: list[LayoutProblem] = []
    for _ in range(rounds):
        board = _board(data, path)
        theme = theme_for(board)
        problems = [p for lang in LANGS for preset in PRESETS.values()
                    for p in check_text(board, lang, preset, theme) if p.kind == "overflow"]
        if not problems:
            return data, ()
        changed = False
        for problem in problems:
            changed |= _trim(data, problem)
        if not changed:
            break
    return data, tuple(f"{p.where} {p.lang} {p.field} overflows in {p.preset}: shorten it"
                       for p in problems)


def _trim(data: dict[str, Any], problem: LayoutProblem) -> bool:
    """Make the overflowing text of ``problem`` shorter, or drop it when optional."""
    head = problem.where.split()
    if head[:1] != ["scene"] or not head[1].isdigit():
        return False  # the cover: the title is the story's own
    scene = data["scenes"][int(head[1]) - 1]
    field, lang = problem.field, problem.lang
    layout = scene["layout"]
    if (field == "text" and layout != "end") or field == "attribution":
        if layout == "quote" and field == "text":
            return False
        return scene.pop(field, None) is not None
    if field == "heading" and layout == "title" and "text" in scene:
        return scene.pop("text", None) is not None  # a subtitle crowds the title out
    if field == "heading" and layout != "title" and layout != "end":
        value = scene["heading"][lang]
        shorter = shorten(value, lang, max(4, len(value) * 3 // 4))
        if shorter and shorter != value:
            scene["heading"][lang] = shorter
            return True
        return scene.pop("heading", None) is not None
    if field.startswith("point "):
        k = int(field.split()[1]) - 1
        value = scene["points"][k][lang]
        shorter = shorten(value, lang, max(4, min(len(value) * 3 // 4,
                                                  LIMITS["point"][lang])))
        if shorter and shorter != value:
            scene["points"][k][lang] = shorter
            return True
    return False
