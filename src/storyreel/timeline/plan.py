"""Plan one video: speak every caption chunk, then fit the whole to the exact target.

Too much narration is first spoken faster through the engine's own rate control, up to
``MAX_RATE``; past that planning fails with a message that says how much to cut, per
scene. Too little leaves pauses longer than the pacing allows, or much of the video to
the music alone: the narration is then spoken a little slower, down to ``MIN_RATE``,
before the pauses stretch beyond their bounds. Rates are whole steps of ``RATE_STEP``, so
that a few words more or less seldom change the rate (and with it every clip).
The speaking itself is passed in (``speak``), so the planner never knows which engine or
cache is behind it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from storyreel.errors import FitError, LayoutError, StoryboardError, TTSError
from storyreel.presets import Preset
from storyreel.storyboard.model import Storyboard
from storyreel.text import LineBreakError, chunk_narration, cue_lines, split_chunk
from storyreel.timeline.model import Timeline
from storyreel.timeline.place import (
    DEFAULT_PACING,
    MAX_CUE_MS,
    Overrun,
    Pacing,
    Placement,
    SpokenChunk,
    place,
)
from storyreel.tts.base import Speech

MAX_RATE = 1.2
MIN_RATE = 0.9
# Rates are chosen on this grid: a few words more or less rarely change the rate (which
# would change every clip, and so every scene, of the video).
RATE_STEP = 0.05
# Narration filling less of the video than this is spoken slower (down to MIN_RATE).
SLOW_BELOW = 0.82
# Speech is split until each clip (plus its caption hold) fits in the longest cue.
MAX_CLIP_MS = MAX_CUE_MS - 400


class Speak(Protocol):
    def __call__(self, text: str, rate: float) -> Speech: ...


def plan(
    board: Storyboard,
    lang: str,
    preset: Preset,
    speak: Speak,
    *,
    pacing: Pacing = DEFAULT_PACING,
    on_rate: Callable[[float], None] | None = None,
) -> Timeline:
    """The Timeline of ``board`` in ``lang`` for ``preset``, exactly ``target_seconds`` long."""
    target_ms = board.target_seconds * 1000
    with _scene_errors(board, lang) as at:
        texts = []
        for at.index, scene in enumerate(board.scenes):
            narration = scene.narration.get(lang)
            if not any(ch.isalnum() for ch in narration):
                raise StoryboardError(
                    board.source, None, f"scenes[{at.index}].narration.{lang}",
                    f"'{narration}' has nothing to say (no words or numbers); write the "
                    "narration",
                )
            texts.append(_chunks(narration, lang))
    rate = 1.0
    slower: tuple[float, Placement] | None = None  # the slowest speech that still fit
    while True:
        with _scene_errors(board, lang) as at:
            spoken = []
            for at.index, chunks in enumerate(texts):
                spoken.append(_speak_scene(chunks, lang, rate, speak))
        try:
            placement = place(
                spoken, target_ms=target_ms, fps=preset.fps, pacing=pacing,
                transitions=[scene.transition.value for scene in board.scenes],
            )
        except Overrun as over:
            if slower is not None:  # slowing down overshot: keep the last that fit
                rate, placement = slower
                if on_rate is not None:
                    on_rate(rate)
                break
            if rate >= MAX_RATE:
                raise _fit_error(board, lang, over, rate) from None
            speech = sum(over.scene_speech_ms)
            fixed = over.needed_ms - speech
            wanted = speech / max(1, over.target_ms - fixed)
            # Rate control is not exactly linear: aim a little beyond, never backwards.
            rate = min(MAX_RATE, _on_grid(max(rate + RATE_STEP, rate * wanted * 1.01), up=True))
            if on_rate is not None:
                on_rate(rate)
            continue
        speech = sum(c.duration_ms for c in placement.clips)
        sparse = speech < SLOW_BELOW * target_ms
        if (placement.excess_ms <= 0 and not sparse) or rate <= MIN_RATE or rate > 1.0:
            break
        # Pauses would stretch beyond the pacing's bounds, or music would fill much of
        # the video: speak a little slower.
        slower = (rate, placement)
        wanted = rate * speech / max(speech + placement.excess_ms,
                                     round(SLOW_BELOW * target_ms))
        rate = max(MIN_RATE, _on_grid(min(rate - RATE_STEP, wanted * 1.01), up=False))
        if on_rate is not None:
            on_rate(rate)
    return Timeline(
        story_id=board.id,
        lang=lang,
        preset=preset.name,
        width=preset.width,
        height=preset.height,
        fps=preset.fps,
        total_frames=placement.scenes[-1].end_frame,
        scenes=placement.scenes,
        clips=placement.clips,
        cues=placement.cues,
        speech_rate=round(rate, 3),
    )


def _on_grid(rate: float, *, up: bool) -> float:
    """``rate`` rounded up (or down) to a whole number of ``RATE_STEP``."""
    steps = rate / RATE_STEP
    whole = math.ceil(steps - 1e-6) if up else math.floor(steps + 1e-6)
    return round(whole * RATE_STEP, 3)


@dataclass
class _At:
    index: int = 0


@contextmanager
def _scene_errors(board: Storyboard, lang: str) -> Iterator[_At]:
    """Name the storyboard and scene in a caption or speech error raised in the block
    (the block sets ``at.index`` to the scene it is working on)."""
    at = _At()
    try:
        yield at
    except (LineBreakError, TTSError) as exc:
        scene = board.scenes[at.index]
        where = f"{board.source}: scene {at.index + 1} ({scene.layout.value}) {lang} narration"
        if isinstance(exc, LineBreakError):
            raise LayoutError(f"{where}: {exc}; shorten or split the words it cannot break "
                              "between (a long web address, a long number)") from None
        raise TTSError(f"{where}: {exc}") from None


def _chunks(narration: str, lang: str) -> list[str]:
    return [c for c in chunk_narration(narration, lang) if c.strip()]


def _speak_scene(
    chunks: Sequence[str], lang: str, rate: float, speak: Speak
) -> list[SpokenChunk]:
    out: list[SpokenChunk] = []
    pending = list(chunks)
    while pending:
        text = pending.pop(0)
        speech = speak(text, rate)
        if speech.duration_ms > MAX_CLIP_MS:
            try:
                first, second = split_chunk(text, lang)
            except ValueError:  # nowhere to split: keep it whole, the cue is capped
                first = second = ""
            if first.strip() and second.strip():
                pending[:0] = [first, second]
                continue
        out.append(SpokenChunk(text, cue_lines(text, lang), speech.audio, speech.duration_ms))
    return out


def _fit_error(board: Storyboard, lang: str, over: Overrun, rate: float) -> FitError:
    excess_ms = over.needed_ms - over.target_ms
    speech_total = max(1, sum(over.scene_speech_ms))
    cuts = []
    for index, (scene, speech_ms) in enumerate(
        zip(board.scenes, over.scene_speech_ms, strict=True)
    ):
        share_ms = excess_ms * speech_ms / speech_total
        if share_ms < 100:
            continue
        text = scene.narration.get(lang)
        cuts.append((index + 1, share_ms / 1000, round(len(text) * share_ms / max(1, speech_ms))))
    total_chars = round(
        sum(len(s.narration.get(lang)) for s in board.scenes) * excess_ms / speech_total
    )
    return FitError(board.source, lang, board.target_seconds, rate, excess_ms, total_chars, cuts)
