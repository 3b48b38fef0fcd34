"""Captions burned in as pictures drawn once per cue by libass, from the ASS file itself.

ffmpeg's ``subtitles`` filter has libass draw and blend every glyph's fill, outline and
shadow again on every frame: about 2.5 ms of CPU per 1080p frame, a sixth of what the
encoder spends. A cue looks the same on every frame it is on (the captions have no
animation), so here libass draws each cue once, from the very ASS file that is written
out, on a transparent frame at the time of its first frame (an ffmpeg run for the first
scene's cues, one for the others: :class:`CaptionDrawer`), and each segment lays the
cues it shows over its frames as stills: a blend of the caption's strip, on exactly the
frames libass would show it on (:func:`shown_frames`). Up to rounding at the glyphs'
anti-aliased edges the pixels are libass's own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future
from pathlib import Path

import ffmpeg
from PIL import Image

from storyreel.ffmpeg_runner import run_ffmpeg
from storyreel.render.graph import Caption
from storyreel.render.layers import shown_part
from storyreel.timeline.model import Cue


def shown_frames(cue: Cue, first: int, count: int, fps: int) -> tuple[int, int] | None:
    """The frames of ``[first, first+count)`` (relative to ``first``) that show ``cue``:
    libass is handed each frame's time truncated from ``pts * time_base * 1000``."""
    shown = [n - first for n in range(first, first + count)
             if cue.start_ms <= int(n * (1 / fps) * 1000) < cue.end_ms]
    return (shown[0], shown[-1]) if shown else None


def shown_spans(cues: Sequence[Cue], total_frames: int, fps: int) -> dict[int, tuple[int, int]]:
    """The first and last frame of each cue shown in a video of ``total_frames``, by cue
    index (a cue shown on no frame is left out)."""
    return {k: shown for k, cue in enumerate(cues)
            if (shown := shown_frames(cue, 0, total_frames, fps)) is not None}


def draw_captions(ass: Path, cues: Sequence[Cue], size: tuple[int, int], fps: int,
                  total_frames: int, fonts_dir: Path, work: Path,
                  only: Mapping[int, tuple[int, int]] | None = None) -> dict[int, Caption]:
    """Draw each of ``cues`` (the events of ``ass``, in order) once with libass, on a
    transparent ``size`` frame at its first frame's time; the pictures go in ``work``.
    By cue index; a cue shown on no frame is left out. ``only`` draws just those cues,
    given with their frames (a part of :func:`shown_spans`)."""
    spans = sorted((only if only is not None else shown_spans(cues, total_frames, fps)).items())
    if not spans:
        return {}
    width, height = size
    pattern = work / f"caption{spans[0][0]:04d}-%04d.rgba"  # a run's own names
    # The transparent frames up to the last one libass draws on, no further.
    frames = spans[-1][1][0] + 1
    transparent = ffmpeg.input(f"color=c=black@0:s={width}x{height}:r={fps}"
                               f":d={frames / fps:.6f},format=rgba", f="lavfi")
    # Only the first frame of each cue reaches libass, with its time in the video.
    chosen = transparent.filter("select", "+".join(f"eq(n,{first})" for _, (first, _) in spans))
    drawn_by_libass = chosen.filter("subtitles", filename=str(ass), fontsdir=str(fonts_dir),
                                    alpha=1)
    # Raw frames, a file each: cut here without a PNG encoded and decoded on the way
    # (a 1080p frame is 8 MiB, but only one is read at a time).
    args = ffmpeg.output(drawn_by_libass, str(pattern), fps_mode="passthrough",
                         start_number=0, f="image2", vcodec="rawvideo",
                         pix_fmt="rgba").get_args()
    run_ffmpeg(args, what=f"draw the captions of {ass.name}")
    out = {}
    for n, (k, (first, last)) in enumerate(spans):
        drawn = Path(str(pattern) % n)
        image = Image.frombuffer("RGBA", size, drawn.read_bytes(), "raw", "RGBA", 0, 1)
        part, xy = shown_part(image)
        path = work / f"cue{k:04d}.png"
        part.save(path, compress_level=1)
        drawn.unlink()
        out[k] = Caption(path, xy, first, last)
    return out


class CaptionDrawer:
    """The cues of one video as libass draws them (:func:`draw_captions`), on ``pool``,
    in two runs: the cues that first show before frame ``head`` (the first scene's),
    and the others. A segment to encode starts the runs its frames need when it asks,
    and waits for them; :meth:`start` starts the first scene's run ahead (beside the
    mixing of the soundtrack, or the drawing of that scene). So the first segment waits
    for a small run, and the others are drawn once it is encoding, when the next
    segment asks (not beside the drawing of the first scene, which the first segment
    waits for too). A render that encodes no segment draws none."""

    def __init__(self, pool: Executor,
                 draw: Callable[[Mapping[int, tuple[int, int]]], dict[int, Caption]],
                 spans: Mapping[int, tuple[int, int]], head: int) -> None:
        self._pool = pool
        self._draw = draw
        runs = ({k: s for k, s in spans.items() if s[0] < head},
                {k: s for k, s in spans.items() if s[0] >= head})
        self._runs = [run for run in runs if run]
        self._lock = threading.Lock()
        self._drawn: list[Future[dict[int, Caption]] | None] = [None] * len(self._runs)

    def start(self) -> None:
        """Draw the first scene's cues, on the pool (once)."""
        self._started(range(min(1, len(self._runs))))

    def _started(self, runs: Iterable[int]) -> list[Future[dict[int, Caption]]]:
        with self._lock:
            started = []
            for r in runs:
                future = self._drawn[r]
                if future is None:
                    future = self._drawn[r] = self._pool.submit(self._draw, self._runs[r])
                started.append(future)
            return started

    def drawn(self, first: int = 0, count: int | None = None) -> tuple[Caption, ...]:
        """The cues shown on frames ``[first, first+count)`` (every frame when ``count``
        is None), drawn, in order: with them perhaps others (a segment lays over those
        on its frames)."""
        end = first + count if count is not None else None
        needed = [r for r, run in enumerate(self._runs)
                  if any(last >= first and (end is None or start < end)
                         for start, last in run.values())]
        drawn: dict[int, Caption] = {}
        for future in self._started(needed):
            drawn.update(future.result())
        return tuple(drawn[k] for k in sorted(drawn))
