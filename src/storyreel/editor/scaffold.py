"""``storyreel init``: a new project anywhere, ready to render at once."""

from __future__ import annotations

from pathlib import Path

from storyreel.errors import StoryreelError
from storyreel.fileio import write_atomic
from storyreel.project import DEFAULT_CONFIG, PROJECT_FILE, STORYBOARDS

LEXICON = """\
# How the narration voice should say words it gets wrong: per language, {match, say}.
# Only what is spoken changes; captions keep the text as written.
en:
  - match: CSR
    say: C S R
zh:
  - match: CSR
    say: 企业社会责任
"""

EXAMPLE = """\
# yaml-language-server: $schema=../storyreel.schema.json
# A short example: render it with `storyreel render`, then write your own.
id: example
title:
  zh: 第一个故事
  en: A First Story
tags:
  - {zh: 示例, en: example}
target_seconds: 10
scenes:
  - layout: title
    heading:
      zh: 第一个故事
      en: A First Story
    narration:
      zh: 这是一个示例故事。
      en: This is an example story.
  - layout: image
    image: ../images/example.jpg
    text:
      zh: 河边的村庄
      en: A village by the river
    narration:
      zh: 把你的图片放进图片文件夹。
      en: Put your pictures in the images folder.
  - layout: end
    heading:
      zh: 谢谢观看
      en: Thanks for watching
    narration:
      zh: 谢谢。
      en: Thank you.
"""


class InitError(StoryreelError):
    """A project cannot be made where asked."""


def _picture() -> bytes:
    """A simple landscape drawn here (a sky, hills, a river), as JPEG bytes."""
    import io

    from PIL import Image, ImageDraw

    width, height = 1600, 900
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # dusk sky
        t = y / height
        draw.line([(0, y), (width, y)], fill=(int(40 + 180 * t), int(60 + 90 * t),
                                             int(120 + 40 * t)))
    draw.ellipse((1100, 180, 1260, 340), fill=(250, 220, 150))
    draw.polygon([(0, 620), (400, 420), (800, 600), (1200, 380), (1600, 580),
                  (1600, 900), (0, 900)], fill=(46, 82, 60))
    draw.polygon([(600, 900), (760, 640), (860, 640), (1100, 900)], fill=(70, 120, 170))
    for x in (220, 330, 1320, 1430):  # houses
        draw.rectangle((x, 640, x + 80, 710), fill=(200, 170, 120))
        draw.polygon([(x - 10, 640), (x + 40, 600), (x + 90, 640)], fill=(140, 60, 40))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def init_project(folder: Path, *, example: bool = True) -> list[Path]:
    """Make ``folder`` a project; returns the files and folders made. Refuses a folder
    that already is one; never overwrites a file."""
    if (folder / PROJECT_FILE).exists():
        raise InitError(f"{folder / PROJECT_FILE}: already a storyreel project; "
                        "nothing changed")
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder}: not a folder")
    made: list[Path] = []
    for sub in (folder / STORYBOARDS, folder / "images"):
        if not sub.is_dir():
            sub.mkdir(parents=True)
            made.append(sub)
    from storyreel.storyboard.schema import SCHEMA_FILE, schema_text

    files = {folder / "lexicon.yaml": LEXICON.encode(),
             folder / SCHEMA_FILE: schema_text().encode()}
    if example:
        files[folder / STORYBOARDS / "example.yaml"] = EXAMPLE.encode()
        files[folder / "images" / "example.jpg"] = _picture()
    files[folder / PROJECT_FILE] = DEFAULT_CONFIG.encode()  # last: a project when complete
    for path, data in files.items():
        if not path.exists():
            write_atomic(path, data)
            made.append(path)
    return made
