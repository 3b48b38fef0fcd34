"""The Timeline: a frozen description of one video (one story, one language, one preset).

Everything after planning is a function of it, so tests assert on it without encoding
video. Times are integers: milliseconds for audio and captions, frames for pictures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Clip:
    """One narration clip (one caption chunk's speech) placed on the timeline."""

    start_ms: int
    duration_ms: int
    audio: Path
    text: str
    scene: int

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.duration_ms


@dataclass(frozen=True)
class Cue:
    """One caption: its lines as displayed, and when."""

    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    scene: int
    # A second language shown under the first (bilingual captions), if any.
    secondary: tuple[str, ...] = ()

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass(frozen=True)
class SceneSpan:
    """Where one scene is on screen, in frames; ``end_frame`` is exclusive.

    Scenes tile the video. A scene that enters with a transition does so over its first
    ``transition_frames``, while the previous scene's picture runs on under it; the
    transition takes no time of its own, so the total stays exact.
    """

    index: int
    start_frame: int
    end_frame: int
    transition_frames: int = 0
    transition: str = "fade"  # fade, slide, wipe; a cut has no transition frames

    @property
    def frames(self) -> int:
        return self.end_frame - self.start_frame


@dataclass(frozen=True)
class Timeline:
    story_id: str
    lang: str
    preset: str
    width: int
    height: int
    fps: int
    total_frames: int
    scenes: tuple[SceneSpan, ...]
    clips: tuple[Clip, ...]
    cues: tuple[Cue, ...]
    speech_rate: float = 1.0

    @property
    def duration_ms(self) -> int:
        return frame_to_ms(self.total_frames, self.fps)


def frame_to_ms(frame: int, fps: int) -> int:
    """The start of ``frame`` in whole milliseconds (rounded to nearest)."""
    return (frame * 1000 + fps // 2) // fps


def ms_to_frame(ms: int, fps: int) -> int:
    """The frame showing at ``ms`` (rounded to nearest frame boundary)."""
    return (ms * fps + 500) // 1000


def reveal_times(timeline: Timeline, index: int, count: int) -> tuple[float, ...]:
    """Seconds into scene ``index`` at which each of ``count`` further points appears.

    Points come in with the narration: spread over the scene's clips, each reveal lands on
    the start of a clip, so the voice and the point arrive together.
    """
    if count == 0:
        return ()
    span = timeline.scenes[index]
    start_ms = frame_to_ms(span.start_frame, timeline.fps)
    starts = [c.start_ms - start_ms for c in timeline.clips if c.scene == index]
    scene_ms = frame_to_ms(span.frames, timeline.fps)
    times: list[float] = []
    for k in range(1, count + 1):
        wanted = scene_ms * k / (count + 1)
        later = [s for s in starts[1:] if s >= wanted - 400] if len(starts) > 1 else []
        at = later[0] if later else wanted
        times.append(round(max(at, times[-1] * 1000 + 600 if times else 0) / 1000, 3))
    return tuple(times)
