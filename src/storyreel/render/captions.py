"""Captions burned in as pictures drawn once per cue by libass, from the ASS file itself.

ffmpeg's ``subtitles`` filter has libass draw and blend every glyph's fill, outline and
shadow again on every frame: about 2.5 ms of CPU per 1080p frame, a sixth of what the
encoder spends. A cue looks the same on every frame it is on (the captions have no
animation), so here libass draws each cue once, from the very ASS file that is written
out, on a transparent frame at the time of its first frame (one ffmpeg run for the whole
video), and each segment lays the cues it shows over its frames as stills: a blend of
the caption's strip, on exactly the frames libass would show it on (:func:`shown_frames`).
Up to rounding at the glyphs' anti-aliased edges the pixels are libass's own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
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


def draw_captions(ass: Path, cues: Sequence[Cue], size: tuple[int, int], fps: int,
                  total_frames: int, fonts_dir: Path, work: Path) -> dict[int, Caption]:
    """Draw each of ``cues`` (the events of ``ass``, in order) once with libass, on a
    transparent ``size`` frame at its first frame's time; the pictures go in ``work``.
    By cue index; a cue shown on no frame is left out."""
    spans = [(k, shown) for k, cue in enumerate(cues)
             if (shown := shown_frames(cue, 0, total_frames, fps)) is not None]
    if not spans:
        return {}
    width, height = size
    pattern = work / "caption%04d.rgba"
    transparent = ffmpeg.input(f"color=c=black@0:s={width}x{height}:r={fps}"
                               f":d={total_frames / fps:.6f},format=rgba", f="lavfi")
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
        drawn = work / f"caption{n:04d}.rgba"
        image = Image.frombuffer("RGBA", size, drawn.read_bytes(), "raw", "RGBA", 0, 1)
        part, xy = shown_part(image)
        path = work / f"cue{k:04d}.png"
        part.save(path, compress_level=1)
        drawn.unlink()
        out[k] = Caption(path, xy, first, last)
    return out


class CaptionDrawer:
    """The cues of one video as libass draws them (:func:`draw_captions`), in one ffmpeg
    run on ``pool``: from :meth:`start` (beside the mixing of the soundtrack, or the
    drawing of the first scene), else when the first segment to be encoded asks (it
    waits for them). A render that encodes no segment draws none; none is drawn beside
    an encoder (a libass run at 1080p holds about 100 MiB)."""

    def __init__(self, pool: Executor, draw: Callable[[], dict[int, Caption]]) -> None:
        self._pool = pool
        self._draw = draw
        self._lock = threading.Lock()
        self._drawn: Future[dict[int, Caption]] | None = None

    def start(self) -> None:
        """Draw the cues, on the pool (once)."""
        with self._lock:
            if self._drawn is None:
                self._drawn = self._pool.submit(self._draw)

    def drawn(self) -> tuple[Caption, ...]:
        """Every cue shown in the video, drawn, in order (each segment lays over those
        on its frames)."""
        self.start()
        assert self._drawn is not None
        drawn = self._drawn.result()
        return tuple(drawn[k] for k in sorted(drawn))
