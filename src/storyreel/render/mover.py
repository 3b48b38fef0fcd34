"""The camera: a sub-pixel Ken Burns move of a picture plate, frame by frame.

The move is drawn here rather than in ffmpeg: ffmpeg's ``perspective`` (the one filter
of its own that moves sub-pixel) rebuilds a per-pixel map every frame and cost more than
the encoder itself (17.5 ms of CPU per 1080p frame); ``zoompan`` and ``crop`` step in
whole pixels and judder. Here the plate (and the scene's base still around it, when the
plate does not fill the frame) is read as BT.709 TV-range YUV 4:2:0 planes, converted
once by ffmpeg exactly as still layers are (:mod:`storyreel.render.planes`); each frame
is one bilinear resampling per plane (scale and sub-pixel shift: see :class:`_Sampler`)
into the plate's box of a canvas that already holds the base, and the whole frame is
streamed to the segment's ffmpeg as raw video. So ffmpeg neither converts nor blends the
plate.

:func:`camera_window` is the one definition of the camera's path: the render, the
preview stills and the tests all use it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from storyreel.render.planes import planes
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
    plate image ``plate`` (``width``×``height``, the size it is shown at), drawn at
    ``at`` (left, top) on a ``canvas`` (width, height) that shows ``base`` around it
    (``base`` is None when the plate fills the canvas)."""

    plate: Path
    width: int
    height: int
    motion: Motion
    focus: tuple[float, float]
    length: int
    first: int
    count: int
    base: Path | None = None
    canvas: tuple[int, int] = (0, 0)  # (0, 0): the plate's own size
    at: tuple[int, int] = (0, 0)

    @property
    def size(self) -> tuple[int, int]:
        """The size of the frames streamed: the canvas."""
        return self.canvas if self.base is not None else (self.width, self.height)


def _yuv(image: Path, width: int, height: int) -> tuple[Plane, Plane, Plane]:
    """A still's planes (see :mod:`storyreel.render.planes`)."""
    w, h = width, height
    cw, ch = (w + 1) // 2, (h + 1) // 2  # ffmpeg rounds chroma planes up
    data = np.fromfile(planes([(image, False)])[0], dtype=np.uint8)
    y = data[: w * h].reshape(h, w)
    u = data[w * h : w * h + cw * ch].reshape(ch, cw)
    v = data[w * h + cw * ch : w * h + 2 * cw * ch].reshape(ch, cw)
    return y, u, v


def frames(move: Move) -> Iterator[memoryview]:
    """Raw yuv420p frames of ``move``: the canvas with the moving plate in its box.

    Each frame is yielded as three views of buffers that the next frame overwrites
    (write them before asking for more): nothing is copied on the way to the pipe, and
    only the plate's box is drawn again from frame to frame."""
    import cv2

    cv2.setNumThreads(1)  # the encoder has the other cores
    samplers = [_Sampler(cv2, plane) for plane in _yuv(move.plate, move.width, move.height)]
    width, height = move.size
    if move.base is not None:
        canvas = [plane.copy() for plane in _yuv(move.base, width, height)]
    else:
        canvas = [np.empty_like(sampler.plane) for sampler in samplers]
    left, top = move.at
    w, h = move.width, move.height
    # The plate's box on each plane; a chroma sample covers two luma columns and rows,
    # so a box at an odd position starts half a chroma sample into its first sample.
    c_left, c_top = left // 2, top // 2
    cw = min((left + w + 1) // 2, (width + 1) // 2) - c_left
    ch = min((top + h + 1) // 2, (height + 1) // 2) - c_top
    odd_x, odd_y = left % 2, top % 2
    boxes = [canvas[0][top : top + h, left : left + w],
             canvas[1][c_top : c_top + ch, c_left : c_left + cw],
             canvas[2][c_top : c_top + ch, c_left : c_left + cw]]
    for k in range(move.count):
        x0, y0, ww, _ = camera_window(move.motion, move.focus, move.length, move.first + k,
                                      w, h)
        s = ww / w
        # Luma: output pixel (x, y) shows plate point (x0 + s·x, y0 + s·y). Chroma
        # samples sit at luma (2c, 2r + ½) (left-sited 4:2:0), hence their offsets.
        samplers[0].draw(s, x0, y0, boxes[0])
        cx0, cy0 = (x0 - s * odd_x) / 2, (y0 + s * (0.5 - odd_y) - 0.5) / 2
        samplers[1].draw(s, cx0, cy0, boxes[1])
        samplers[2].draw(s, cx0, cy0, boxes[2])
        yield from (canvas[0].data.cast("B"), canvas[1].data.cast("B"),
                    canvas[2].data.cast("B"))


class _Sampler:
    """Draws one plane, bilinearly scaled by 1/s and shifted by a real offset, into a
    box: ``box[y, x]`` shows the plane at (x0 + s·x, y0 + s·y), pixel centres on whole
    numbers, the plane's edge pixels repeated beyond it.

    ``cv2.warpAffine`` does exactly that (to 1/32 pixel) but costs 3 ms per 1080p luma
    plane; ``cv2.resize`` takes a third of that, but its grid starts at
    i + s·(c + ½) − ½ for the whole-pixel origin i of its input, c being the first
    output column kept (columns before it are computed for nothing; c ≥ 1, as column 0
    may fall before i, where resize repeats its edge). The smallest c in [1, SHIFTS]
    whose origin is within TOLERANCE of the wanted one is nearly always small, and then
    the plane is resized, from a copy with a margin so that i may lie before the
    plane's edge; otherwise (scales within about 1/250 of 1, at the start of a zoom) it
    is warped. On the samples' moves: 2 % of planes warped, 61.6 dB PSNR against the
    warp throughout, 1.5 ms of CPU per 1080p frame against 3.9."""

    SHIFTS = 256
    TOLERANCE = 1 / 48  # of a pixel; the warp's own rounding is up to 1/64

    def __init__(self, cv2: Any, plane: Plane) -> None:
        self.cv2 = cv2
        # Room before the plane for origins down to −s·SHIFTS, and after it for the
        # rounding of the window's end; the plane itself is a view of it.
        self.margin = m = self.SHIFTS + 2
        self.padded = cv2.copyMakeBorder(plane, m, 4, m, 4, cv2.BORDER_REPLICATE)
        self.plane = self.padded[m : m + plane.shape[0], m : m + plane.shape[1]]
        self.shifts = np.arange(1, self.SHIFTS + 1) + 0.5
        # What resize makes, kept from frame to frame: a new 1080p array each frame
        # would be a fresh mapping, faulted in page by page (see keep_heap_lean).
        self.scratch = np.empty((plane.shape[0] + self.SHIFTS + 8,
                                 plane.shape[1] + self.SHIFTS + 8), dtype=np.uint8)

    def draw(self, s: float, x0: float, y0: float, box: Plane) -> None:
        h, w = box.shape
        x, y, m = self._origin(s, x0), self._origin(s, y0), self.margin
        if x is not None and y is not None:
            (ix, cx), (iy, cy) = x, y
            # The input for output columns c .. c + w (and one more for the rounding).
            cols, rows = math.ceil(s * (cx + w)) + 2, math.ceil(s * (cy + h)) + 2
            window = self.padded[iy + m : iy + m + rows, ix + m : ix + m + cols]
            if ix + m >= 0 and iy + m >= 0 and window.shape == (rows, cols):
                # Made in place at the size resize gives for ``fx`` (rounded half to
                # even, as cvRound); were it another, resize would return a new array.
                fx = 1 / s
                made = self.scratch[: round(rows * fx), : round(cols * fx)]
                made = self.cv2.resize(window, None, dst=made, fx=fx, fy=fx,
                                       interpolation=self.cv2.INTER_LINEAR)
                box[:] = made[cy : cy + h, cx : cx + w]
                return
        self.cv2.warpAffine(self.plane, np.array([[s, 0, x0], [0, s, y0]]), (w, h),
                            dst=box, flags=self.cv2.INTER_LINEAR | self.cv2.WARP_INVERSE_MAP,
                            borderMode=self.cv2.BORDER_REPLICATE)

    def _origin(self, s: float, z: float) -> tuple[int, int] | None:
        """The first (i, c) with i + s·(c + ½) − ½ within TOLERANCE of ``z``, or None."""
        starts = z + 0.5 - s * self.shifts
        close = np.abs(starts - np.rint(starts)) <= self.TOLERANCE
        k = int(np.argmax(close))
        return (round(starts[k]), k + 1) if close[k] else None
