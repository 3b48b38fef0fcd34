"""How well narration fills a video: speech seconds over video seconds, and what to add.

A slide video that is mostly music with the odd sentence feels empty: ``check`` warns
below :data:`GOOD_FILL` and says how many seconds (and roughly how many characters) of
narration to add, scene by scene, favouring the scenes with the most silence.
"""

from __future__ import annotations

from dataclasses import dataclass

from storyreel.storyboard.model import Storyboard
from storyreel.timeline.model import Timeline, frame_to_ms

GOOD_FILL = 0.8


@dataclass(frozen=True)
class Fill:
    """Narration time against video time in one language (``rate``: the speed it is
    spoken at, 1.0 normal)."""

    lang: str
    speech_ms: int
    video_ms: int
    rate: float = 1.0

    @property
    def ratio(self) -> float:
        return self.speech_ms / max(1, self.video_ms)

    def __str__(self) -> str:
        pace = "" if self.rate == 1.0 else f", spoken at {self.rate:.2f}×"
        return (f"{self.lang} narration fill {self.ratio:.0%} ({self.speech_ms / 1000:.1f} s "
                f"of speech in {self.video_ms / 1000:.0f} s{pace})")

    def to_json(self) -> dict[str, float | str]:
        return {"lang": self.lang, "speech_s": round(self.speech_ms / 1000, 2),
                "video_s": round(self.video_ms / 1000, 2), "fill": round(self.ratio, 3),
                "rate": self.rate}


def fill_of(timeline: Timeline) -> Fill:
    speech = sum(c.duration_ms for c in timeline.clips)
    return Fill(timeline.lang, speech, timeline.duration_ms, timeline.speech_rate)


def silences_ms(timeline: Timeline) -> list[list[int]]:
    """Per scene, every stretch without speech inside it (music alone): before the first
    clip, between clips, after the last; a scene without speech is one silence."""
    out: list[list[int]] = []
    for span in timeline.scenes:
        start = frame_to_ms(span.start_frame, timeline.fps)
        end = frame_to_ms(span.end_frame, timeline.fps)
        clips = [c for c in timeline.clips if c.scene == span.index]
        edges = [start, *(t for c in clips for t in (c.start_ms, c.end_ms)), end]
        out.append([edges[k + 1] - edges[k] for k in range(0, len(edges), 2)])
    return out


def shortfall(board: Storyboard, timeline: Timeline, good: float = GOOD_FILL) -> str:
    """What to add so the narration fills ``good`` of the video ("" when it does):
    seconds and characters in all, and which scenes could take them."""
    fill = fill_of(timeline)
    if fill.ratio >= good:
        return ""
    lang = timeline.lang
    # Added text is spoken at normal speed again: count at rate 1.0.
    at_normal = fill.speech_ms * fill.rate
    missing = good * fill.video_ms - at_normal
    chars = sum(len(s.narration.get(lang)) for s in board.scenes)
    per_ms = chars / max(1.0, at_normal)
    quiet = [sum(s) for s in silences_ms(timeline)]
    room = max(1, sum(quiet))
    parts = []
    for index, silence in sorted(enumerate(quiet), key=lambda x: -x[1]):
        share = missing * silence / room
        if share >= 1000:
            parts.append((index, f"scene {index + 1} ~{share / 1000:.1f} s "
                                 f"(~{round(share * per_ms)} characters)"))
    parts.sort()
    unit = "characters" if lang == "zh" else "characters, about "\
        f"{round(missing * per_ms / 5.5)} words"
    return (f"{fill}: below {good:.0%}; add about {missing / 1000:.1f} s of "
            f"narration (~{round(missing * per_ms)} {unit})"
            + (": " + ", ".join(p for _, p in parts) if parts else ""))
