"""Build the ffmpeg filter graph of one video from its Timeline: a pure function.

Nothing here runs ffmpeg or touches a file: :func:`build` returns an ffmpeg-python
output node whose ``get_args()`` tests read as they are. The graph, per scene: a still
image decoded once and held with the ``loop`` filter; for scenes with a picture, a
sub-pixel Ken Burns move with ``perspective`` (``zoompan`` rounds to whole pixels and
judders); the static text layer over it, faded in (and, before a transition, out: the outgoing
text is gone before the incoming text appears); then scenes joined with ``xfade``,
captions burned in by libass from the very ASS file that is written out, a fade from
and to black, and BT.709 TV-range conversion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from storyreel.presets import Box
from storyreel.storyboard.model import Motion
from storyreel.timeline.model import Timeline

ZOOM = 1.12  # how far the camera moves in: the plate is never shown beyond its edges
TEXT_FADE_S = 0.35
TEXT_IN_AT_S = 0.15  # after a cut
# Across a transition the outgoing scene's text fades out (ending this far into the
# transition) before the incoming scene's text fades in (starting this far after it).
TEXT_OUT_S = 0.2
TEXT_CLEAR_S = 0.1
REVEAL_FADE_S = 0.3
FADE_IN_S = 0.5
FADE_OUT_S = 0.8


# Timeline transition name -> ffmpeg xfade transition.
XFADE = {"fade": "fade", "slide": "slideleft", "wipe": "wipeleft"}


@dataclass(frozen=True)
class SceneLayers:
    """The drawn stills of one scene, as files (see ``layout.SceneArt``)."""

    base: Path
    overlay: Path
    plate: Path | None = None
    plate_box: Box | None = None
    motion: Motion = Motion.NONE
    focus: tuple[float, float] = (0.5, 0.5)
    reveals: tuple[Path, ...] = ()
    # Seconds into the scene at which each reveal layer appears.
    reveal_at: tuple[float, ...] = ()


@dataclass(frozen=True)
class Encoding:
    """Encoder settings of the output contract (``preview`` trades quality for speed)."""

    preset: str = "veryfast"
    crf: int = 21
    gop_seconds: int = 2
    audio_bitrate: str = "192k"

    def output_args(self, fps: int) -> dict[str, Any]:
        return {
            "c:v": "libx264",
            "preset": self.preset,
            "crf": self.crf,
            "profile:v": "high",
            "pix_fmt": "yuv420p",
            "r": fps,
            "g": fps * self.gop_seconds,
            "keyint_min": fps * self.gop_seconds,
            "sc_threshold": 0,
            "flags": "+cgop",
            "colorspace": "bt709",
            "color_primaries": "bt709",
            "color_trc": "bt709",
            "color_range": "tv",
            "c:a": "aac",
            "b:a": self.audio_bitrate,
            "ar": 48000,
            "ac": 2,
            "movflags": "+faststart",
        }


PREVIEW = Encoding(preset="ultrafast", crf=28, audio_bitrate="96k")


def ken_burns(motion: Motion, focus: tuple[float, float], frames: int) -> dict[str, str]:
    """``perspective`` corner expressions moving the camera window over ``frames``.

    The window is the part of the plate shown at output frame ``on``; its corners are
    the source points the output corners map to, so positions are real numbers and the
    move is sub-pixel smooth. Zooms keep the focal point where it is on screen; pans
    sweep across at a fixed zoom, toward the focal point's side.
    """
    p = f"(on/{max(1, frames - 1)})"
    fx, fy = focus
    span = 1 - 1 / ZOOM  # the part of the plate outside the window at full zoom
    if motion in (Motion.ZOOM_IN, Motion.ZOOM_OUT):
        z = f"(1+{ZOOM - 1:.4f}*{p})" if motion is Motion.ZOOM_IN else (
            f"({ZOOM:.4f}-{ZOOM - 1:.4f}*{p})"
        )
        left = f"({fx:.4f}*W*(1-1/{z}))"
        top = f"({fy:.4f}*H*(1-1/{z}))"
        width, height = f"(W/{z})", f"(H/{z})"
    else:
        width, height = f"(W/{ZOOM})", f"(H/{ZOOM})"
        frac = {
            Motion.PAN_LEFT: (f"(1-{p})", f"{fy:.4f}"),
            Motion.PAN_RIGHT: (p, f"{fy:.4f}"),
            Motion.PAN_UP: (f"{fx:.4f}", f"(1-{p})"),
            Motion.PAN_DOWN: (f"{fx:.4f}", p),
        }[motion]
        left = f"({frac[0]}*{span:.4f}*W)"
        top = f"({frac[1]}*{span:.4f}*H)"
    right, bottom = f"({left}+{width})", f"({top}+{height})"
    return {
        "x0": left, "y0": top, "x1": right, "y1": top,
        "x2": left, "y2": bottom, "x3": right, "y3": bottom,
    }


def _still(path: Path, frames: int, fps: int, alpha: bool = False) -> Any:
    """A still decoded and converted to BT.709 TV-range YUV once, held for ``frames``."""
    return (
        ffmpeg.input(str(path), framerate=fps)
        .filter("scale", out_color_matrix="bt709", out_range="tv")
        .filter("format", "yuva420p" if alpha else "yuv420p")
        .filter("loop", loop=frames - 1, size=1, start=0)
        .filter("setpts", f"N/{fps}/TB")
    )


def _scene(layers: SceneLayers, frames: int, fps: int, size: tuple[int, int],
           text_in: float = TEXT_IN_AT_S, text_out: float | None = None) -> Any:
    """One scene's stream of ``frames``; its text fades in at ``text_in`` seconds and,
    if given, out from ``text_out``."""
    width, height = size
    if layers.plate is None:
        video = _still(layers.base, frames, fps)
    else:
        plate = _still(layers.plate, frames, fps)
        if layers.motion is not Motion.NONE:
            plate = plate.filter(
                "perspective",
                interpolation="linear",
                eval="frame",
                **ken_burns(layers.motion, layers.focus, frames),
            )
        box = layers.plate_box
        if box is None or (box.width, box.height) == (width, height):
            video = plate
        else:
            video = _still(layers.base, frames, fps).overlay(
                plate, x=box.left, y=box.top, eof_action="pass"
            )
    text = _still(layers.overlay, frames, fps, alpha=True).filter(
        "fade", type="in", start_time=round(text_in, 3), duration=TEXT_FADE_S, alpha=1
    )
    if text_out is not None:
        text = text.filter("fade", type="out", start_time=round(text_out, 3),
                           duration=TEXT_OUT_S, alpha=1)
    video = video.overlay(text, eof_action="pass")
    for path, at in zip(layers.reveals, layers.reveal_at, strict=True):
        layer = _still(path, frames, fps, alpha=True).filter(
            "fade", type="in", start_time=round(at, 3), duration=REVEAL_FADE_S, alpha=1
        )
        if text_out is not None:
            layer = layer.filter("fade", type="out", start_time=round(text_out, 3),
                                 duration=TEXT_OUT_S, alpha=1)
        video = video.overlay(layer, eof_action="pass")
    return video.filter("trim", end_frame=frames).filter("setsar", 1)


def text_fades(timeline: Timeline) -> list[tuple[float, float | None]]:
    """Per scene, when its text starts to fade in and (before a transition out of it)
    to fade out, in seconds into the scene's own stream: the outgoing text is gone
    ``TEXT_CLEAR_S`` into a transition, the incoming text starts ``TEXT_CLEAR_S`` after
    it, so the two never show at once."""
    fps = timeline.fps
    spans = timeline.scenes
    out: list[tuple[float, float | None]] = []
    for i, span in enumerate(spans):
        leaving = i + 1 < len(spans) and spans[i + 1].transition_frames > 0
        text_out = span.frames / fps + TEXT_CLEAR_S - TEXT_OUT_S if leaving else None
        text_in = (max(TEXT_IN_AT_S, span.transition_frames / fps + TEXT_CLEAR_S)
                   if span.transition_frames else TEXT_IN_AT_S)
        out.append((text_in, text_out))
    return out


def build(
    timeline: Timeline,
    scenes: Sequence[SceneLayers],
    audio: Path,
    captions: Path | None,
    fonts_dir: Path,
    out: Path,
    encoding: Encoding = Encoding(),
) -> Any:
    """The whole render as an ffmpeg-python output node (call ``.get_args()`` to read it)."""
    if len(scenes) != len(timeline.scenes):
        raise ValueError(f"{len(scenes)} scene layers for {len(timeline.scenes)} scenes")
    fps = timeline.fps
    size = (timeline.width, timeline.height)
    spans = timeline.scenes
    video: Any = None
    for i, (span, layers) in enumerate(zip(spans, scenes, strict=True)):
        # A scene runs on under the next one for the length of the transition into it.
        overlap = spans[i + 1].transition_frames if i + 1 < len(spans) else 0
        text_in, text_out = text_fades(timeline)[i]
        stream = _scene(layers, span.frames + overlap, fps, size, text_in, text_out)
        if video is None:
            video = stream
        elif span.transition_frames:
            video = ffmpeg.filter(
                [video, stream], "xfade", transition=XFADE[span.transition],
                duration=round(span.transition_frames / fps, 4),
                offset=round(span.start_frame / fps, 4),
            )
        else:
            video = ffmpeg.concat(video, stream, v=1, a=0)
    duration = timeline.total_frames / fps
    if captions is not None:
        video = video.filter("subtitles", filename=str(captions), fontsdir=str(fonts_dir))
    video = video.filter("fade", type="in", start_time=0, duration=FADE_IN_S).filter(
        "fade", type="out", start_time=round(duration - FADE_OUT_S, 4), duration=FADE_OUT_S
    ).filter("format", "yuv420p").filter(
        # Tag the frames themselves: recent ffmpeg takes colour tags from the frames.
        "setparams", range="tv", color_primaries="bt709", color_trc="bt709",
        colorspace="bt709",
    )
    sound = ffmpeg.input(str(audio)).audio
    return ffmpeg.output(
        video, sound, str(out),
        **{"frames:v": timeline.total_frames, "t": f"{duration:.4f}"},
        **encoding.output_args(fps),
    )
