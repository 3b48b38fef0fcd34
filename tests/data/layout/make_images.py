"""Regenerate the small test pictures: ``python tests/data/layout/make_images.py``.

Each is a simple landscape (sky, hills) with a red-and-yellow disc, the subject, at the
focal point the test storyboard names, so a crop that loses the subject shows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent / "images"

# name: (width, height, focus)
PICTURES: dict[str, tuple[int, int, tuple[float, float]]] = {
    "wide.jpg": (960, 540, (0.72, 0.42)),
    "classic.jpg": (800, 600, (0.28, 0.55)),
    "tall.jpg": (540, 810, (0.5, 0.32)),
}


def make(path: Path, w: int, h: int, focus: tuple[float, float]) -> None:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    sky = np.stack([150 + 70 * yy / h, 185 + 40 * yy / h, 235 - 30 * yy / h], -1)
    ridge = 0.6 + 0.07 * np.sin(xx / w * 6.5 + w / 300)
    ground = np.stack([70 + 50 * xx / w, 125 + 25 * np.sin(yy / 23), 80 + 20 * yy / h], -1)
    pixels = np.where((yy / h > ridge)[..., None], ground, sky)
    im = Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(im)
    r = min(w, h) / 9
    fx, fy = focus[0] * w, focus[1] * h
    draw.ellipse((fx - r, fy - r, fx + r, fy + r), fill=(214, 40, 40))
    draw.ellipse((fx - r / 2.5, fy - r / 2.5, fx + r / 2.5, fy + r / 2.5), fill=(255, 226, 80))
    im.save(path, quality=85)


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    for name, (w, h, focus) in PICTURES.items():
        make(HERE / name, w, h, focus)
