"""Make the corpus's binary and oversized cases (kept out of the repository).

    python tests/corpus/make_assets.py DIR     # DIR: a copy of tests/corpus

Writes ``images/`` (a good picture and the bad ones the cases point at) and the
storyboards that cannot be plain UTF-8 text files in git: an empty file, a file saved as
GBK, a file over the 1 MB limit, a FIFO and a link to /dev/zero.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import zlib
from pathlib import Path

from PIL import Image, ImageDraw


def _picture(size: tuple[int, int]) -> Image.Image:
    """A dusk sky over a river bank with a lamp: enough detail to look like a picture."""
    w, h = size
    im = Image.new("RGB", size)
    draw = ImageDraw.Draw(im)
    for y in range(h):
        t = y / max(1, h - 1)
        draw.line([(0, y), (w, y)], fill=(round(40 + 180 * t), round(60 + 80 * t), 120))
    draw.rectangle([0, round(h * 0.7), w, h], fill=(30, 50, 40))
    draw.ellipse([round(w * 0.6), round(h * 0.3), round(w * 0.66), round(h * 0.4)],
                 fill=(255, 220, 120))
    return im


def _jpeg(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header for ``width``×``height`` grey pixels, with almost no data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


STORY = """\
id: {id}
title: {{zh: 河边的灯, en: Lights by the River}}
target_seconds: 10
scenes:
  - layout: end
    heading: {{zh: 谢谢观看, en: Thanks for watching}}
    narration: {{zh: 谢谢。, en: Thank you.}}
"""


def make_assets(root: Path) -> None:
    images = root / "images"
    images.mkdir(parents=True, exist_ok=True)
    (images / "ok.jpg").write_bytes(_jpeg(_picture((640, 360))))
    whole = _jpeg(_picture((640, 360)))
    (images / "truncated.jpg").write_bytes(whole[: len(whole) // 2])
    (images / "bomb.png").write_bytes(_png_claiming(50_000, 50_000))
    (images / "empty.jpg").write_bytes(b"")
    (images / "not-an-image.jpg").write_text("this is not a picture\n", encoding="utf-8")

    def story(case: str, data: bytes) -> None:
        (root / case).mkdir(exist_ok=True)
        (root / case / "story.yaml").write_bytes(data)

    story("empty-file", b"")
    story("non-utf8", ("# 保存成了 GBK 编码\n" + STORY.format(id="corpus-non-utf8")).encode("gbk"))
    padding = ("# " + "padding " * 12 + "\n") * 11_000
    story("too-large", (STORY.format(id="corpus-too-large") + padding).encode())
    # Not regular files: reading a FIFO blocks until a writer comes, /dev/zero never ends.
    for case, make in (("fifo-as-storyboard", os.mkfifo),
                       ("device-as-storyboard", lambda p: os.symlink("/dev/zero", p))):
        (root / case).mkdir(exist_ok=True)
        target = root / case / "story.yaml"
        target.unlink(missing_ok=True)
        make(target)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    make_assets(Path(sys.argv[1]))
