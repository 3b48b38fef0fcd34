"""The camera: a sub-pixel Ken Burns move of a picture plate, frame by frame.

The move is drawn here rather than in ffmpeg: ffmpeg's ``perspective`` (the one filter of
its own that moves sub-pixel) rebuilds a per-pixel map every frame and cost more than
the encoder itself (17.5 ms of CPU per 1080p frame); ``zoompan`` and ``crop`` step in
whole pixels and judder. Here the plate is converted once to BT.709 TV-range YUV 4:2:0
by ffmpeg (exactly as still layers are), and each frame is one bilinear affine warp per
plane (OpenCV, 1/32-pixel precision, about 6.7 ms of CPU per 1080p frame), streamed to
the segment's ffmpeg as raw video. When a segment moves two plates (a transition between
two moving scenes), their frames are stacked one above the other in one stream and
ffmpeg crops them apart.

:func:`camera_window` is the one definition of the camera's path: the render, the
preview stills and the tests all use it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from storyreel.ffmpeg_runner import run_ffmpeg
from storyreel.storyboard.model import Motion

ZOOM = 1.12  # how far the camera moves in: the plate is never shown beyond its edges

Plane = npt.NDArray[np.uint8]


def camera_window(motion: Motion, focus: tuple[float, float], frames: int, on: int,
                  width: float, height: float) -> tuple[float, float, float, float]:
    """The part of a ``width``×``height`` plate the camera shows at frame ``on`` of a
    move over ``frames`` frames: (left, top, window width, window height), real numbers.

    Zooms keep the focal point where it is on screen; pans sweep across at a fixed
    zoom, toward the focal point's side."""
    p = on / max(1, frames - 1)
    fx, fy = focus
    if motion in (Motion.ZOOM_IN, Motion.ZOOM_OUT):
        z = 1 + (ZOOM - 1) * p if motion is Motion.ZOOM_IN else ZOOM - (ZOOM - 1) * p
        return fx * width * (1 - 1 / z), fy * height * (1 - 1 / z), width / z, height / z
    if motion is Motion.NONE:
        return 0.0, 0.0, width, height
    span = 1 - 1 / ZOOM  # the part of the plate outside the window
    fracs = {
        Motion.PAN_LEFT: (1 - p, fy),
        Motion.PAN_RIGHT: (p, fy),
        Motion.PAN_UP: (fx, 1 - p),
        Motion.PAN_DOWN: (fx, p),
    }[motion]
    return fracs[0] * span * width, fracs[1] * span * height, width / ZOOM, height / ZOOM


@dataclass(frozen=True)
class Move:
    """Frames ``[first, first+count)`` of a camera move over ``length`` frames across the
    plate image ``plate`` (``width``×``height``, the size it is shown at)."""

    plate: Path
    width: int
    height: int
    motion: Motion
    focus: tuple[float, float]
    length: int
    first: int
    count: int


def _slot(move: Move) -> int:
    return move.height + move.height % 2  # even, so chroma rows line up


def stacked_size(moves: Sequence[Move]) -> tuple[int, int]:
    """The raw frame that carries ``moves`` one above the other."""
    width = max(m.width for m in moves)
    return width + width % 2, sum(_slot(m) for m in moves)


def slot_tops(moves: Sequence[Move]) -> list[int]:
    """Where each move's frame starts in the stacked frame."""
    tops, top = [], 0
    for move in moves:
        tops.append(top)
        top += _slot(move)
    return tops


def _planes(move: Move) -> tuple[Plane, Plane, Plane]:
    """The plate as BT.709 TV-range YUV 4:2:0 planes, converted by ffmpeg as stills are,
    once per plate (kept beside it: a scene and the transitions at both ends share it)."""
    raw_path = move.plate.with_suffix(".yuv")
    if not raw_path.is_file():
        run_ffmpeg([
            "-i", str(move.plate), "-vf", "scale=out_color_matrix=bt709:out_range=tv,"
            "format=yuv420p", "-frames:v", "1", "-f", "rawvideo", str(raw_path),
        ], what=f"read the picture {move.plate.name}", out=raw_path)
    w, h = move.width, move.height
    cw, ch = (w + 1) // 2, (h + 1) // 2  # ffmpeg rounds chroma planes up
    data = np.fromfile(raw_path, dtype=np.uint8)
    y = data[: w * h].reshape(h, w)
    u = data[w * h : w * h + cw * ch].reshape(ch, cw)
    v = data[w * h + cw * ch : w * h + 2 * cw * ch].reshape(ch, cw)
    return y, u, v


def frames(moves: Sequence[Move]) -> Iterator[memoryview]:
    """Raw yuv420p frames of ``moves`` (all of the same count), stacked vertically.

    Each frame is yielded as three views of buffers that the next frame overwrites
    (write them before asking for more): nothing is copied on the way to the pipe."""
    import cv2

    cv2.setNumThreads(1)  # segments run side by side already
    planes = [_planes(m) for m in moves]
    width, height = stacked_size(moves)
    canvas_y = np.zeros((height, width), dtype=np.uint8)
    canvas_u = np.full((height // 2, width // 2), 128, dtype=np.uint8)
    canvas_v = np.full((height // 2, width // 2), 128, dtype=np.uint8)
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    tops = slot_tops(moves)
    for k in range(moves[0].count):
        for move, (y, u, v), top in zip(moves, planes, tops, strict=True):
            w, h = move.width, move.height
            cw, ch = (w + 1) // 2, (h + 1) // 2
            x0, y0, ww, _ = camera_window(move.motion, move.focus, move.length,
                                          move.first + k, w, h)
            s = ww / w
            # Luma: output pixel (x, y) shows plate point (x0 + s·x, y0 + s·y). Chroma
            # samples sit at luma (2c, 2r + ½) (left-sited 4:2:0), hence their offsets.
            luma = np.array([[s, 0, x0], [0, s, y0]])
            chroma = np.array([[s, 0, x0 / 2], [0, s, (y0 + 0.5 * s - 0.5) / 2]])
            _warp(cv2, y, luma, canvas_y, top, w, h, flags)
            _warp(cv2, u, chroma, canvas_u, top // 2, cw, ch, flags)
            _warp(cv2, v, chroma, canvas_v, top // 2, cw, ch, flags)
        yield from (canvas_y.data.cast("B"), canvas_u.data.cast("B"),
                    canvas_v.data.cast("B"))


def _warp(cv2: Any, plane: Plane, matrix: npt.NDArray[np.float64], canvas: Plane, top: int,
          w: int, h: int, flags: int) -> None:
    """Warp ``plane`` into rows ``top…`` of ``canvas``: straight into it when it is the
    whole canvas (one plate, the usual case), else through a copy."""
    if canvas.shape == (h, w):
        cv2.warpAffine(plane, matrix, (w, h), dst=canvas, flags=flags,
                       borderMode=cv2.BORDER_REPLICATE)
    else:
        canvas[top : top + h, :w] = cv2.warpAffine(plane, matrix, (w, h), flags=flags,
                                                   borderMode=cv2.BORDER_REPLICATE)
