"""The mover draws whole frames: the scene's base, and the moving plate warped into its
box (at even and odd positions), streamed as raw YUV 4:2:0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from storyreel.render.mover import Move, frames
from storyreel.storyboard.model import Motion

W, H = 64, 48  # the canvas
PW, PH = 30, 20  # the plate


def planes(raw: list[bytes], width: int, height: int) -> list[np.ndarray]:
    y, u, v = (np.frombuffer(part, dtype=np.uint8) for part in raw)
    cw, ch = (width + 1) // 2, (height + 1) // 2
    return [y.reshape(height, width), u.reshape(ch, cw), v.reshape(ch, cw)]


def still_planes(image: Image.Image, tmp_path: Path, name: str) -> list[np.ndarray]:
    """The image as the mover sees it: one plate, no move, the canvas its own size."""
    path = tmp_path / f"{name}.png"
    image.save(path)
    move = Move(path, image.width, image.height, Motion.ZOOM_IN, (0.5, 0.5), 10, 0, 1)
    return planes([bytes(part) for part in frames(move)], image.width, image.height)


@pytest.mark.parametrize("at", [(10, 8), (11, 9)])
def test_the_plate_is_drawn_into_its_box_on_the_base(tmp_path: Path,
                                                     at: tuple[int, int]) -> None:
    base = Image.new("RGB", (W, H), (200, 40, 40))
    ramp = np.tile(np.linspace(0, 255, PW, dtype=np.uint8), (PH, 1))
    plate = Image.fromarray(np.dstack([ramp, 255 - ramp, np.full_like(ramp, 90)]))
    base.save(tmp_path / "base.png")
    plate.save(tmp_path / "plate.png")
    # Frame 0 of a zoom in shows the whole plate, pixel for pixel.
    move = Move(tmp_path / "plate.png", PW, PH, Motion.ZOOM_IN, (0.5, 0.5), 3, 0, 2,
                base=tmp_path / "base.png", canvas=(W, H), at=at)
    assert move.size == (W, H)
    out = [bytes(part) for part in frames(move)]  # each frame's views, copied in time
    assert len(out) == 6  # three planes a frame
    y, u, _ = planes(out[:3], W, H)
    base_y, base_u, _ = still_planes(base, tmp_path, "b")
    plate_y, plate_u, _ = still_planes(plate, tmp_path, "p")
    left, top = at
    box = np.zeros((H, W), dtype=bool)
    box[top:top + PH, left:left + PW] = True
    assert np.array_equal(y[box].reshape(PH, PW), plate_y)
    assert np.array_equal(y[~box], base_y[~box])
    # Chroma: the base's around the box; inside, the plate's (between two of its samples
    # when the box starts on an odd column).
    c_left, c_top = left // 2, top // 2
    inside = u[c_top + 1:c_top + PH // 2 - 1, c_left + 1:c_left + PW // 2 - 1].astype(int)
    if left % 2 == 0 and top % 2 == 0:
        assert np.array_equal(inside, plate_u[1:PH // 2 - 1, 1:PW // 2 - 1])
    else:
        assert np.abs(inside - plate_u[1:PH // 2 - 1, 1:PW // 2 - 1]).max() <= 12
    assert u[0, 0] == base_u[0, 0] and u[-1, -1] == base_u[-1, -1]
    # The second frame moves in: the box changes, the base around it does not.
    y2, _, _ = planes(out[3:], W, H)
    assert not np.array_equal(y2[box], y[box])
    assert np.array_equal(y2[~box], y[~box])


def bilinear(plane: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The plane at real points (pixel centres on whole numbers, edges repeated)."""
    h, w = plane.shape
    x0, y0 = np.floor(xs).astype(int), np.floor(ys).astype(int)
    fx, fy = xs - x0, ys - y0
    p = plane.astype(float)

    def at(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        picked: np.ndarray = p[np.clip(y, 0, h - 1), np.clip(x, 0, w - 1)]
        return picked

    value: np.ndarray = ((1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0))
                         + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1)))
    return value


@pytest.mark.parametrize(("motion", "most_warped"), [(Motion.ZOOM_IN, 12), (Motion.PAN_LEFT, 0)])
def test_each_frame_shows_the_plate_where_the_camera_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, motion: Motion,
        most_warped: int) -> None:
    """Every frame of a move, whichever way it is sampled (resized on a shifted grid,
    or warped where no grid is close enough: the first frames of a zoom), is the plate
    at the camera's window to within rounding, luma and chroma; the resize is the rule."""
    import cv2

    from storyreel.render.mover import _yuv, camera_window

    warped: list[int] = []
    warp = cv2.warpAffine

    def counted(*args: Any, **kwargs: Any) -> Any:
        warped.append(1)
        return warp(*args, **kwargs)

    monkeypatch.setattr(cv2, "warpAffine", counted)

    rng = np.random.default_rng(7)
    pw, ph, count = 160, 90, 40
    noise = rng.integers(0, 256, (ph // 6 + 2, pw // 6 + 2, 3), dtype=np.uint8)
    texture = Image.fromarray(noise).resize((pw, ph), Image.Resampling.BICUBIC)  # smooth, busy
    texture.save(tmp_path / "plate.png")
    move = Move(tmp_path / "plate.png", pw, ph, motion, (0.3, 0.6), count, 0, count)
    source = _yuv(move.plate, pw, ph)
    out = [bytes(part) for part in frames(move)]
    assert len(warped) <= most_warped  # planes drawn, of 3 × 40
    for k in range(count):
        x0, y0, ww, _ = camera_window(motion, (0.3, 0.6), count, k, pw, ph)
        s = ww / pw
        got = planes(out[3 * k : 3 * k + 3], pw, ph)
        for n, (plane, shown) in enumerate(zip(source, got, strict=True)):
            rows, cols = np.mgrid[0 : shown.shape[0], 0 : shown.shape[1]].astype(float)
            if n == 0:
                xs, ys = x0 + s * cols, y0 + s * rows
            else:  # chroma sited at luma (2c, 2r + ½)
                xs, ys = x0 / 2 + s * cols, (y0 + s / 2 - 0.5) / 2 + s * rows
            diff = np.abs(shown - bilinear(plane, xs, ys))
            assert diff.max() <= 3 and diff.mean() <= 0.6, (k, n, diff.max(), diff.mean())
