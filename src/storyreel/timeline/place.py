"""Place spoken chunks on an exact-length timeline: pure integer arithmetic, no I/O.

Each scene gets a lead-in, its narration clips separated by pauses, and a tail. The
pauses start short (a breath inside a sentence, a little more between sentences) and
whatever the target leaves over (the slack) lengthens them as a speaker would: more
between sentences and at the end of a scene than inside a sentence, each pause no longer
than ``Pacing.max_pause_ms`` (music alone inside a scene). How the slack is shared is
:mod:`storyreel.timeline.slack`: edit-stable, so that a few words changed in one scene
change that scene and one *sink* scene only, and scenes that merely move in time move by
whole grid units (a whole number of frames and of centiseconds: 3 frames at 30 fps) and
show the same pictures. Slack the bounded pauses cannot take (``Placement.excess_ms``: a
story too short for its target) is shared out beyond the bounds, in proportion to each
scene's length. Scene boundaries fall on the grid, and the total is exactly the target.
Captions follow the clips: a cue starts with its speech and stays up until a short hold
after it (through a pause to the next cue of the same scene), never shorter than 5/6 s
nor longer than 7 s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from storyreel.timeline.model import Clip, Cue, SceneSpan, frame_to_ms, ms_to_frame
from storyreel.timeline.slack import Pause, grid_ms, share_slack

MIN_CUE_MS = 840  # 5/6 s, rounded up to whole centiseconds
MAX_CUE_MS = 7000
MIN_CUE_GAP_MS = 70  # consecutive cues touch or leave at least two frames at 30 fps


@dataclass(frozen=True)
class Pacing:
    """The pauses a narrated slide video breathes with, in ms."""

    lead_in_ms: int = 500
    first_lead_in_ms: int = 800
    gap_ms: int = 300  # between sentences, at least
    clause_gap_ms: int = 150  # between the chunks of one sentence, at least
    tail_ms: int = 500
    last_tail_ms: int = 1400
    caption_hold_ms: int = 400
    transition_ms: int = 400
    # Slack lengthens pauses (and tails) up to these, sentence pauses and tails more than
    # pauses inside a sentence (and the sink scene's lead-in, see timeline.slack).
    max_pause_ms: int = 1500
    max_clause_gap_ms: int = 500


DEFAULT_PACING = Pacing()


@dataclass(frozen=True)
class SpokenChunk:
    """A caption chunk with its synthesized speech."""

    text: str
    lines: tuple[str, ...]
    audio: Path
    duration_ms: int


@dataclass(frozen=True)
class Placement:
    scenes: tuple[SceneSpan, ...]
    clips: tuple[Clip, ...]
    cues: tuple[Cue, ...]
    # Slack the bounded pauses could not take, shared out beyond their bounds (ms).
    excess_ms: int = 0
    # The scene that absorbed the rest of the slack, and the level every other scene took
    # (ms per unit of weight; None: exact shares): see timeline.slack.Shares.
    sink: int = 0
    level: int | None = None


class Overrun(Exception):
    """The narration needs more time than the target: ``needed_ms`` > ``target_ms``."""

    def __init__(self, needed_ms: int, target_ms: int, scene_speech_ms: Sequence[int]) -> None:
        self.needed_ms = needed_ms
        self.target_ms = target_ms
        self.scene_speech_ms = tuple(scene_speech_ms)
        super().__init__(f"needs {needed_ms} ms, target {target_ms} ms")


_SENTENCE_END = tuple("。！？!?.…；;")
_CLOSERS = "”’」』\"')）)"
# How eagerly each kind of pause takes slack: a breath inside a sentence least.
_WEIGHT = {"clause": 1, "lead": 2, "sentence": 3, "tail": 3}


def ends_sentence(text: str) -> bool:
    """Whether a chunk's text closes a sentence (a longer pause may follow it)."""
    return text.rstrip().rstrip(_CLOSERS).endswith(_SENTENCE_END)


def _gap_ms(chunk: SpokenChunk, pacing: Pacing) -> int:
    return pacing.gap_ms if ends_sentence(chunk.text) else pacing.clause_gap_ms


def _slot_ms(chunk: SpokenChunk, pacing: Pacing) -> int:
    """Time a chunk occupies before the next one may start: never less than a cue."""
    return max(chunk.duration_ms + _gap_ms(chunk, pacing), MIN_CUE_MS + MIN_CUE_GAP_MS)


def scene_minimum_ms(
    chunks: Sequence[SpokenChunk], index: int, count: int, pacing: Pacing
) -> int:
    """The shortest a scene can be: lead-in, clips with their pauses, tail."""
    lead = pacing.first_lead_in_ms if index == 0 else pacing.lead_in_ms
    tail = pacing.last_tail_ms if index == count - 1 else pacing.tail_ms
    if not chunks:
        return lead + tail
    body = sum(_slot_ms(c, pacing) for c in chunks[:-1]) + chunks[-1].duration_ms
    return lead + body + tail


def place(
    scenes: Sequence[Sequence[SpokenChunk]],
    *,
    target_ms: int,
    fps: int,
    pacing: Pacing = DEFAULT_PACING,
    transitions: Sequence[str] | None = None,
) -> Placement:
    """Lay the scenes out to exactly ``target_ms`` (which must be a whole number of frames).

    ``transitions[i]`` is how scene ``i`` enters ("cut" for none); default: all fades.
    """
    count = len(scenes)
    total_frames = ms_to_frame(target_ms, fps)
    minimum = [scene_minimum_ms(chunks, i, count, pacing) for i, chunks in enumerate(scenes)]
    needed = sum(minimum)
    if needed > target_ms:
        raise Overrun(needed, target_ms, [sum(c.duration_ms for c in s) for s in scenes])

    pauses = [_pauses(chunks, i, count, pacing) for i, chunks in enumerate(scenes)]
    unit = grid_ms(fps)
    shares = share_slack(target_ms - needed, pauses, minimum, unit, target_ms % unit)
    extras = shares.extras
    durations = [m + sum(e) for m, e in zip(minimum, extras, strict=True)]
    assert sum(durations) == target_ms, (durations, target_ms)

    transition_frames = ms_to_frame(pacing.transition_ms, fps)
    spans: list[SceneSpan] = []
    clips: list[Clip] = []
    boundary_ms = 0
    for index, chunks in enumerate(scenes):
        start_frame = ms_to_frame(boundary_ms, fps)
        boundary_ms += durations[index]
        end_frame = total_frames if index == count - 1 else ms_to_frame(boundary_ms, fps)
        kind = transitions[index] if transitions is not None else "fade"
        frames = transition_frames if index and kind != "cut" else 0
        spans.append(SceneSpan(index, start_frame, end_frame, frames, kind if frames else "cut"))
        at = frame_to_ms(start_frame, fps) + extras[index][0] + (
            pacing.first_lead_in_ms if index == 0 else pacing.lead_in_ms
        )
        for k, chunk in enumerate(chunks):
            clips.append(Clip(at, chunk.duration_ms, chunk.audio, chunk.text, index))
            if k + 1 < len(chunks):
                at += _slot_ms(chunk, pacing) + extras[index][k + 1]

    lines = [chunk.lines for chunks in scenes for chunk in chunks]
    cues = _cues(clips, lines, frame_to_ms(total_frames, fps), fps, pacing)
    return Placement(tuple(spans), tuple(clips), cues, shares.excess_ms, shares.sink,
                     shares.level)


def _pauses(chunks: Sequence[SpokenChunk], index: int, count: int, pacing: Pacing) -> list[Pause]:
    """The pauses of a scene, in order: the lead-in (which only the sink scene lengthens,
    see :mod:`storyreel.timeline.slack`), after each clip but the last, then the tail."""
    lead = pacing.first_lead_in_ms if index == 0 else pacing.lead_in_ms
    out = [Pause(max(0, pacing.max_pause_ms - lead), _WEIGHT["lead"], sink_only=True)]
    for chunk in chunks[:-1]:
        pause = _slot_ms(chunk, pacing) - chunk.duration_ms
        sentence = ends_sentence(chunk.text)
        cap = pacing.max_pause_ms if sentence else pacing.max_clause_gap_ms
        out.append(Pause(max(0, cap - pause), _WEIGHT["sentence" if sentence else "clause"]))
    tail = pacing.last_tail_ms if index == count - 1 else pacing.tail_ms
    out.append(Pause(max(0, pacing.max_pause_ms - tail), _WEIGHT["tail"]))
    return out


def _cues(
    clips: Sequence[Clip],
    lines: Sequence[tuple[str, ...]],
    end_ms: int,
    fps: int,
    pacing: Pacing,
) -> tuple[Cue, ...]:
    """One cue per clip, on a 10 ms grid: ASS files (burned in) keep only centiseconds,
    and the burned-in captions must have exactly the times of the SRT and VTT files.

    A start exactly on a frame's time moves 10 ms earlier: ffmpeg hands libass frame
    times truncated from floats (3700 ms arrives as 3699), which would show the cue a
    frame late. An end exactly on a frame's time moves off it too (earlier, or later if
    the cue would be too short): whether that frame shows the cue would depend on where
    the float happens to truncate, so a scene that merely moves in time could show its
    captions on other frames."""
    starts = [_floor_cs(clip.start_ms) for clip in clips]
    starts = [s - 10 if s >= 10 and s * fps % 1000 == 0 else s for s in starts]
    cues: list[Cue] = []
    for i, clip in enumerate(clips):
        start = starts[i]
        limit = starts[i + 1] if i + 1 < len(clips) else _floor_cs(end_ms)
        end = _ceil_cs(max(clip.end_ms + pacing.caption_hold_ms, start + MIN_CUE_MS))
        if i + 1 < len(clips) and clips[i + 1].scene == clip.scene:
            end = max(end, limit)  # stay up through the pause to the next cue
        end = min(end, start + MAX_CUE_MS, limit)
        if limit - end < MIN_CUE_GAP_MS:
            # Touch the next cue rather than flash a gap of a frame, unless that would
            # hold this one past the longest a cue may stay up.
            end = limit if limit - start <= MAX_CUE_MS else limit - MIN_CUE_GAP_MS
        if end < limit and end * fps % 1000 == 0:
            end = _off_frame(end, start, limit)
        cues.append(Cue(start, end, lines[i], clip.scene))
    return tuple(cues)


def _off_frame(end: int, start: int, limit: int) -> int:
    """A cue end 10 ms off a frame's time, within the cue rules: earlier if the cue
    stays long enough, else later if it still leaves a gap (or touches) before ``limit``,
    else touching ``limit`` (the next cue's start, never on a frame's time)."""
    if end - 10 - start >= MIN_CUE_MS:
        return end - 10
    if limit - (end + 10) >= MIN_CUE_GAP_MS and end + 10 - start <= MAX_CUE_MS:
        return end + 10
    return limit


def _floor_cs(ms: int) -> int:
    return ms // 10 * 10


def _ceil_cs(ms: int) -> int:
    return -(-ms // 10) * 10
