"""Build the ffmpeg commands of one video from its Timeline: pure functions.

A video is encoded scene by scene (see :mod:`storyreel.render.segments`): each segment is
one ffmpeg graph, built here, whose ``get_args()`` tests read as they are. Per scene: a
still image decoded once and held with the ``loop`` filter, or, for a picture that
moves, whole frames from :mod:`storyreel.render.mover` on a pipe; the static text layer
over it, faded in (and, before a transition, out: the outgoing text is gone before the
incoming text appears); reveals. A scene entered by a transition mixes the run-on of the
scene before into its first frames with ``xfade``. The captions are the cues libass drew
once each (:mod:`storyreel.render.captions`), laid over the frames they are on. Every
segment carries its frames' own video times, so the fades from and to black fall where
they would in one graph; BT.709 TV range. :func:`join_args` joins the segments with the
concat demuxer by stream copy and muxes the soundtrack, encoded once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from storyreel.presets import Box
from storyreel.render.mover import Move
from storyreel.render.planes import converted, planes_format
from storyreel.storyboard.model import Motion
from storyreel.timeline.model import Timeline

TEXT_FADE_S = 0.35
TEXT_IN_AT_S = 0.15  # after a cut
# Across a transition the outgoing scene's text fades out (ending this far into the
# transition) before the incoming scene's text fades in (starting this far after it).
TEXT_OUT_S = 0.2
TEXT_CLEAR_S = 0.1
REVEAL_FADE_S = 0.3
FADE_IN_S = 0.5
FADE_OUT_S = 0.8


BT709 = {"range": "tv", "color_primaries": "bt709", "color_trc": "bt709",
         "colorspace": "bt709"}  # what every frame of a video is, and is tagged as

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
    # Where the overlay and each reveal go (they are cut to what shows of them).
    overlay_xy: tuple[int, int] = (0, 0)
    reveal_xy: tuple[tuple[int, int], ...] = ()
    # When the text (and reveals) fade in and, before a transition, out (see text_fades).
    text_in: float = TEXT_IN_AT_S
    text_out: float | None = None


@dataclass(frozen=True)
class Caption:
    """One cue as libass drew it (:mod:`storyreel.render.captions`): ``image`` (cut to
    what shows) goes at ``xy`` on frames ``first``…``last`` of the video (both in)."""

    image: Path
    xy: tuple[int, int]
    first: int
    last: int


@dataclass(frozen=True)
class Encoding:
    """Encoder settings of the output contract (``preview`` trades quality for speed)."""

    preset: str = "veryfast"
    crf: int = 21
    gop_seconds: int = 2
    audio_bitrate: str = "192k"

    def output_args(self, fps: int) -> dict[str, Any]:
        """Every option of a finished video (the floor re-encode uses these too)."""
        return {**self.video_args(fps), **self.audio_args(), "movflags": "+faststart"}

    def video_args(self, fps: int) -> dict[str, Any]:
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
            # The lookahead in the encoding threads rather than a buffered thread of its
            # own: the same output, about 40 MiB less memory at 1080p, no slower here.
            "x264-params": "sync-lookahead=0",
            "flags": "+cgop",
            "colorspace": "bt709",
            "color_primaries": "bt709",
            "color_trc": "bt709",
            "color_range": "tv",
        }

    def audio_args(self) -> dict[str, Any]:
        # The "fast" coder: a quarter of the default's CPU (1.1 s against 4.1 s for 100 s
        # of a soundtrack here); at 192 kbit/s speech and a music bed lose nothing.
        return {"c:a": "aac", "aac_coder": "fast", "b:a": self.audio_bitrate, "ar": 48000,
                "ac": 2}


# Drafts trade picture quality for speed; their sound is the final one (the AAC coder
# costs the same at any rate), so a final render after a draft finds its soundtrack kept.
PREVIEW = Encoding(preset="ultrafast", crf=28)


def _still(path: Path, frames: int, fps: int, alpha: bool = False, first: int = 0) -> Any:
    """A still decoded and converted to BT.709 TV-range YUV once, held for ``frames``;
    its frames are timed from frame ``first`` of its scene (for fades in scene time)."""
    return _held(_decoded(path, fps, alpha), frames, fps, first)


def _decoded(path: Path, fps: int, alpha: bool) -> Any:
    """A still as one BT.709 TV-range YUV frame: read as it is when ``path`` holds its
    planes (see :func:`planes_path`), else decoded and converted here."""
    found = planes_format(path)
    if found is not None:
        width, height, pix_fmt = found
        return ffmpeg.input(str(path), format="rawvideo", pix_fmt=pix_fmt,
                            s=f"{width}x{height}", framerate=fps).filter("setparams", **BT709)
    return converted(ffmpeg.input(str(path), framerate=fps), alpha)


def _held(still: Any, frames: int, fps: int, first: int) -> Any:
    """The frame ``still`` repeated ``frames`` times, timed from frame ``first``."""
    return (still.filter("loop", loop=frames - 1, size=1, start=0)
            .filter("setpts", f"(N+{first})/{fps}/TB" if first else f"N/{fps}/TB"))


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


def lay(video: Any, path: Path, xy: tuple[int, int], at: float, duration: float,
        out_at: float | None, first: int, count: int, fps: int) -> Any:
    """``video`` (frames [first, first+count) of a scene, timed from 0) with the layer
    ``path`` laid over it at ``xy``, fading in at ``at`` s into the scene (and out at
    ``out_at``, if given).

    ``fade`` rewrites every frame it is given (ffmpeg copies each one first), so it only
    gets the frames a fade touches: the layer is laid as up to three runs, fading in,
    fully shown, fading out, and is absent where it is hidden. Each fading run carries
    one frame more at each end than the fade spans, so ``fade`` itself decides each
    frame at the edges: the frames are the ones a single faded layer gives."""
    end = first + count
    fade_in = (math.floor(at * fps), math.ceil((at + duration) * fps) + 1)
    fade_out = ((math.floor(out_at * fps), math.ceil((out_at + TEXT_OUT_S) * fps) + 1)
                if out_at is not None else (end, end))
    if fade_out[0] <= fade_in[1]:  # the fades meet: one run does both
        runs = [(fade_in[0], fade_out[1], True, True)]
    else:
        runs = [(fade_in[0], fade_in[1], True, False), (fade_in[1], fade_out[0], False, False),
                (fade_out[0], fade_out[1], False, True)]
    runs = [(max(start, first), min(stop, end), fades_in, fades_out)
            for start, stop, fades_in, fades_out in runs if max(start, first) < min(stop, end)]
    if not runs:  # hidden on all these frames
        return video
    still = _decoded(path, fps, alpha=True)
    if len(runs) > 1:  # decoded once for all its runs
        split = still.filter_multi_output("split", len(runs))
        stills = [split[k] for k in range(len(runs))]
    else:
        stills = [still]
    for (start, stop, fades_in, fades_out), still in zip(runs, stills, strict=True):
        if not (fades_in or fades_out):
            video = video.overlay(_held(still, stop - start, fps, start - first),
                                  x=xy[0], y=xy[1], eof_action="pass")
            continue
        layer = _held(still, stop - start, fps, start)  # timed in the scene, for the fades
        if fades_in:
            layer = layer.filter("fade", type="in", start_time=round(at, 3),
                                 duration=duration, alpha=1)
        if fades_out:
            layer = layer.filter("fade", type="out", start_time=round(out_at or 0, 3),
                                 duration=TEXT_OUT_S, alpha=1)
        layer = layer.filter("setpts", f"(N+{start - first})/{fps}/TB")  # then in the segment
        video = video.overlay(layer, x=xy[0], y=xy[1], eof_action="pass")
    return video


@dataclass(frozen=True)
class Piece:
    """Frames ``[first, first+count)`` of one scene's stream, which is ``length`` frames
    long in all (the scene and its run-on under the next transition)."""

    layers: SceneLayers
    length: int
    first: int
    count: int


def base_shows(layers: SceneLayers, size: tuple[int, int]) -> bool:
    """Whether a scene's base still shows in a ``size`` frame: not when its picture's
    plate fills the frame (then neither a segment nor the camera reads it)."""
    box = layers.plate_box
    return layers.plate is None or (
        box is not None and (box.left, box.top, box.width, box.height) != (0, 0, *size))


def moves_of(pieces: Sequence[Piece], size: tuple[int, int]) -> tuple[Move, ...]:
    """The camera moves a segment's pieces need (see :mod:`storyreel.render.mover`), in
    the order of their inputs: the first on standard input, the next on ``pipe:3``."""
    moves = []
    for piece in pieces:
        layers = piece.layers
        if layers.plate is not None and layers.motion is not Motion.NONE:
            box = layers.plate_box or Box(0, 0, *size)
            moves.append(Move(layers.plate, box.width, box.height, layers.motion,
                              layers.focus, piece.length, piece.first, piece.count,
                              base=layers.base if base_shows(layers, size) else None,
                              canvas=size, at=(box.left, box.top)))
    return tuple(moves)


def pipe_of(k: int) -> str:
    """The input the ``k``-th move of a segment comes in on (see ``run_ffmpeg``)."""
    return "pipe:0" if k == 0 else f"pipe:{2 + k}"


def _piece(piece: Piece, fps: int, size: tuple[int, int], moved: Any) -> Any:
    """The frames of ``piece``; ``moved`` is its moving picture from the mover (the
    whole frame: the base with the plate in its box), if it has one."""
    layers, first, count = piece.layers, piece.first, piece.count
    if moved is not None:
        video = moved
    elif layers.plate is None:
        video = _still(layers.base, count, fps)
    else:
        plate = _still(layers.plate, count, fps)
        box = layers.plate_box
        if box is None or not base_shows(layers, size):
            video = plate
        else:
            video = _still(layers.base, count, fps).overlay(
                plate, x=box.left, y=box.top, eof_action="pass"
            )
    stack = [(layers.overlay, layers.text_in, TEXT_FADE_S, layers.overlay_xy)]
    stack += [(path, at, REVEAL_FADE_S, xy) for path, at, xy in zip(
        layers.reveals, layers.reveal_at, layers.reveal_xy or [(0, 0)] * len(layers.reveals),
        strict=True)]
    for path, at, duration, xy in stack:
        video = lay(video, path, xy, at, duration, layers.text_out, first, count, fps)
    return video.filter("trim", end_frame=count).filter("setsar", 1)


def _moved(pieces: Sequence[Piece], size: tuple[int, int], fps: int) -> list[Any]:
    """Per piece, its moving picture as raw frames from the mover, if it moves."""
    moves = iter(enumerate(moves_of(pieces, size)))
    out: list[Any] = []
    for piece in pieces:
        layers = piece.layers
        if layers.plate is None or layers.motion is Motion.NONE:
            out.append(None)
            continue
        k, move = next(moves)
        width, height = move.size
        # Tagged as what it is (BT.709 TV range, as the stills are): untagged frames would
        # make ffmpeg convert every layer laid over them to its idea of "unknown". Two
        # frames queued at most between the pipe and the graph: the mover is faster than
        # the encoder, and ffmpeg's default queue (8) held 18 MiB more of 1080p frames.
        out.append(ffmpeg.input(pipe_of(k), format="rawvideo", pix_fmt="yuv420p",
                                s=f"{width}x{height}", framerate=fps, thread_queue_size=2)
                   .filter("setparams", **BT709)
                   .filter("setpts", f"N/{fps}/TB"))
    return out


@dataclass(frozen=True)
class Frame:
    """What every segment of one video shares."""

    width: int
    height: int
    fps: int
    total_frames: int  # of the whole video (where the fade to black falls)


def segment_args(
    pieces: Sequence[Piece],
    transition: str,
    start_frame: int,
    frame: Frame,
    captions: Sequence[Caption],
    out: Path,
    encoding: Encoding = Encoding(),
) -> list[str]:
    """The ffmpeg arguments that encode one segment: one scene's frames, entered (when
    there are two pieces) by ``transition``: the run-on of the scene before under
    ``xfade`` into the start of this one. ``start_frame`` is where the segment falls in
    the video. Moving pictures come from the mover (:func:`storyreel.render.mover.frames`
    of :func:`moves_of`) on the inputs :func:`pipe_of` names."""
    fps = frame.fps
    size = (frame.width, frame.height)
    count = pieces[-1].count
    moved = _moved(pieces, size, fps)
    video = _piece(pieces[-1], fps, size, moved[-1])
    if len(pieces) == 2:
        # xfade blends every frame it passes, even after the transition: it mixes only
        # the first frames, and the rest of the scene joins them by concatenation.
        entry = pieces[0].count
        start, rest = (video.filter_multi_output("split")[k] for k in range(2))
        video = ffmpeg.filter(
            [_piece(pieces[0], fps, size, moved[0]), start.filter("trim", end_frame=entry)],
            "xfade", transition=XFADE[transition], duration=round(entry / fps, 4), offset=0,
        ).filter("format", "yuv420p")  # xfade mixes in 4:4:4; the rest need not go there
        if count > entry:
            video = ffmpeg.concat(
                video, rest.filter("trim", start_frame=entry).filter("setpts", "PTS-STARTPTS"))
    # Each cue libass drew, over the frames of this segment it is on.
    for caption in captions:
        first = max(caption.first, start_frame) - start_frame
        last = min(caption.last, start_frame + count - 1) - start_frame
        if first <= last:
            layer = _still(caption.image, last - first + 1, fps, alpha=True, first=first)
            video = video.overlay(layer, x=caption.xy[0], y=caption.xy[1], eof_action="pass")
    # The frames carry their time in the video (time base 1/fps, as one graph would): the
    # fades from and to black fall where they do in the whole video.
    video = video.filter("settb", f"1/{fps}").filter("setpts", f"N+{start_frame}")
    if start_frame < round(FADE_IN_S * fps):
        video = video.filter("fade", type="in", start_time=0, duration=FADE_IN_S)
    duration = frame.total_frames / fps
    if start_frame + count > round((duration - FADE_OUT_S) * fps):
        video = video.filter("fade", type="out", start_time=round(duration - FADE_OUT_S, 4),
                             duration=FADE_OUT_S)
    video = video.filter("setpts", "PTS-STARTPTS").filter("format", "yuv420p").filter(
        # Tag the frames themselves: recent ffmpeg takes colour tags from the frames.
        "setparams", **BT709)
    node = ffmpeg.output(video, str(out), an=None, **{"frames:v": count},
                         **encoding.video_args(fps))
    # The graph on one thread: x264 keeps the cores busy, and slicing each overlay
    # across threads only added their hand-offs (the same frames; the nine segments of
    # the landscape sample took 5 % less CPU and 5-10 % less time).
    args: list[str] = ["-filter_complex_threads", "1", *node.get_args()]
    return args


def join_args(
    segment_list: Path, audio: Path, out: Path, frame: Frame,
) -> list[str]:
    """Join the segments listed in ``segment_list`` (a concat demuxer file) by stream copy,
    with the encoded soundtrack, as one MP4 with its index first."""
    duration = frame.total_frames / frame.fps
    return [
        "-f", "concat", "-safe", "0", "-i", str(segment_list), "-i", str(audio),
        "-map", "0:v", "-map", "1:a", "-c", "copy", "-frames:v", str(frame.total_frames),
        "-t", f"{duration:.4f}", "-movflags", "+faststart", str(out),
    ]


def concat_list(segments: Sequence[tuple[Path, int]], fps: int) -> str:
    """The concat demuxer's list: each file with its exact duration, so the joined
    timestamps are exact (MP4 durations of B-frame streams are not)."""
    lines = ["ffconcat version 1.0"]
    for path, frames in segments:
        quoted = str(path.resolve()).replace("'", "'\\''")
        lines += [f"file '{quoted}'", f"duration {frames / fps:.6f}"]
    return "\n".join(lines) + "\n"


def audio_args(wav: Path, out: Path, encoding: Encoding = Encoding()) -> list[str]:
    """Encode the soundtrack once (AAC-LC 48 kHz stereo in an MP4 audio file)."""
    opts: Mapping[str, Any] = encoding.audio_args()
    return ["-i", str(wav), *(x for k, v in opts.items() for x in (f"-{k}", str(v))),
            str(out)]
