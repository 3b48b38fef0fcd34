"""Draw the corpus stories' pictures: simple flat illustrations, made at test time.

``draw_pictures(story_id, folder)`` writes the story's pictures (small JPEGs, named for
what they show, so a draft can match them to paragraphs) into ``folder`` and returns
their paths. Fixed seeds: every run draws the same pictures.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from PIL import Image, ImageDraw

W, H = 960, 640

# Per story: the picture names (what they show) in a deliberately shuffled order, so
# matching by name, not by order, puts them with their paragraphs.
PICTURES: dict[str, tuple[str, ...]] = {
    "coffee-practices": ("coffee-cup.jpg", "farmer-support-center.jpg",
                         "seedlings-leaf-rust.jpg", "coffee-farm-hillside.jpg"),
    "green-parcels": ("reusable-box.jpg", "parcels-pile.jpg", "courier-door.jpg",
                      "forest.jpg", "warehouse-chain.jpg"),
    "earth-shareholder": ("climbing-rock.jpg", "open-letter.jpg", "mountain-river.jpg",
                          "nature-trust.jpg"),
    "village-sellers": ("village-road.jpg", "seller-daily-goods.jpg", "women-income.jpg",
                        "home-clean.jpg"),
    "ant-forest": ("saxaul-roots.jpg", "phone-energy.jpg", "planting-desert.jpg",
                   "satellite-green.jpg", "rangers-patrol.jpg", "award.jpg"),
    "carbon-negative": ("data-center.jpg", "wind-solar-energy.jpg",
                        "electric-vehicle-fleet.jpg", "supply-chain-suppliers.jpg",
                        "carbon-removal-forest.jpg"),
}

_PALETTES = [
    ((250, 214, 165), (233, 137, 92), (74, 112, 67), (52, 79, 49)),
    ((176, 214, 236), (120, 170, 210), (196, 164, 112), (150, 118, 76)),
    ((255, 226, 190), (240, 170, 120), (112, 140, 96), (70, 96, 70)),
    ((40, 52, 94), (90, 84, 140), (60, 70, 90), (30, 36, 52)),
]


def _draw(name: str) -> Image.Image:
    seed = zlib.crc32(name.encode())
    sky, sky_low, hill, ground = _PALETTES[seed % len(_PALETTES)]
    im = Image.new("RGB", (W, H))
    d = ImageDraw.Draw(im)
    for y in range(H):  # sky gradient
        t = y / H
        d.line([(0, y), (W, y)], fill=tuple(round(a + (b - a) * t) for a, b in
                                             zip(sky, sky_low, strict=True)))
    sun_x = 140 + seed % 680
    d.ellipse((sun_x, 80, sun_x + 110, 190), fill=(255, 240, 200))
    d.polygon([(0, 420), (220, 330), (480, 400), (700, 310), (960, 380), (960, 640),
               (0, 640)], fill=hill)
    d.rectangle((0, 500, W, H), fill=ground)
    motif = seed % 4
    cx = 300 + (seed >> 8) % 360
    if motif == 0:  # trees
        for k in range(5):
            x = 120 + k * 170
            d.rectangle((x - 8, 430, x + 8, 520), fill=(90, 60, 40))
            d.ellipse((x - 60, 330, x + 60, 450), fill=(46, 110, 60))
    elif motif == 1:  # a house or a box
        d.rectangle((cx - 120, 360, cx + 120, 520), fill=(214, 186, 140))
        d.polygon([(cx - 140, 360), (cx, 260), (cx + 140, 360)], fill=(160, 70, 50))
        d.rectangle((cx - 30, 440, cx + 30, 520), fill=(90, 60, 40))
    elif motif == 2:  # a person
        d.ellipse((cx - 30, 300, cx + 30, 360), fill=(120, 80, 60))
        d.rounded_rectangle((cx - 50, 365, cx + 50, 520), radius=30, fill=(200, 80, 70))
    else:  # panels or towers
        for k in range(4):
            x = 150 + k * 200
            d.polygon([(x - 70, 520), (x + 70, 520), (x + 50, 450), (x - 50, 450)],
                      fill=(40, 70, 130))
    return im


def draw_pictures(story_id: str, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in PICTURES[story_id]:
        path = folder / name
        _draw(name).save(path, quality=80)
        paths.append(path)
    return paths


STORY_IDS = tuple(PICTURES)
SHORT = ("coffee-practices", "green-parcels", "earth-shareholder")
LONG = ("ant-forest", "carbon-negative")
TOO_SHORT = ("village-sellers",)
