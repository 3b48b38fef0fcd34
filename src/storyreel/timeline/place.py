"""Place spoken chunks on an exact-length timeline: pure integer arithmetic, no I/O.

Each scene gets a lead-in, its narration clips separated by short pauses, and a tail;
whatever the target leaves over (the slack) lengthens the tails in proportion to each
scene's length. Scene boundaries fall on whole frames, and the total is exactly the
target. Captions follow the clips: a cue starts with its speech and stays up until a
short hold after it, never shorter than 5/6 s nor longer than 7 s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from storyreel.timeline.model import Clip, Cue, SceneSpan, frame_to_ms, ms_to_frame

MIN_CUE_MS = 840  # 5/6 s, rounded up to whole centiseconds
MAX_CUE_MS = 7000
MIN_CUE_GAP_MS = 70  # consecutive cues touch or leave at least two frames at 30 fps


@dataclass(frozen=True)
class Pacing:
    """The pauses a narrated slide video breathes with, in ms."""

    lead_in_ms: int = 500
    first_lead_in_ms: int = 800
    gap_ms: int = 300
    tail_ms: int = 500
    last_tail_ms: int = 1500
    caption_hold_ms: int = 400
    transition_ms: int = 400


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


class Overrun(Exception):
    """The narration needs more time than the target: ``needed_ms`` > ``target_ms``."""

    def __init__(self, needed_ms: int, target_ms: int, scene_speech_ms: Sequence[int]) -> None:
        self.needed_ms = needed_ms
        self.target_ms = target_ms
        self.scene_speech_ms = tuple(scene_speech_ms)
        super().__init__(f"needs {needed_ms} ms, target {target_ms} ms")


def _slot_ms(chunk: SpokenChunk, pacing: Pacing) -> int:
    """Time a chunk occupies before the next one may start: never less than a cue."""
    return max(chunk.duration_ms + pacing.gap_ms, MIN_CUE_MS + MIN_CUE_GAP_MS)


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

    # Share the slack in proportion to each scene's minimum, in whole ms, exactly.
    slack = target_ms - needed
    durations = [m + slack * m // needed for m in minimum]
    durations[-1] += target_ms - sum(durations)

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
        at = frame_to_ms(start_frame, fps) + (
            pacing.first_lead_in_ms if index == 0 else pacing.lead_in_ms
        )
        for chunk in chunks:
            clips.append(Clip(at, chunk.duration_ms, chunk.audio, chunk.text, index))
            at += _slot_ms(chunk, pacing)

    lines = [chunk.lines for chunks in scenes for chunk in chunks]
    cues = _cues(clips, lines, frame_to_ms(total_frames, fps), fps, pacing)
    return Placement(tuple(spans), tuple(clips), cues)


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
    frame late."""
    starts = [_floor_cs(clip.start_ms) for clip in clips]
    starts = [s - 10 if s >= 10 and s * fps % 1000 == 0 else s for s in starts]
    cues: list[Cue] = []
    for i, clip in enumerate(clips):
        start = starts[i]
        limit = starts[i + 1] if i + 1 < len(clips) else _floor_cs(end_ms)
        end = _ceil_cs(max(clip.end_ms + pacing.caption_hold_ms, start + MIN_CUE_MS))
        end = min(end, start + MAX_CUE_MS, limit)
        if limit - end < MIN_CUE_GAP_MS:
            # Touch the next cue rather than flash a gap of a frame, unless that would
            # hold this one past the longest a cue may stay up.
            end = limit if limit - start <= MAX_CUE_MS else limit - MIN_CUE_GAP_MS
        cues.append(Cue(start, end, lines[i], clip.scene))
    return tuple(cues)


def _floor_cs(ms: int) -> int:
    return ms // 10 * 10


def _ceil_cs(ms: int) -> int:
    return -(-ms // 10) * 10
