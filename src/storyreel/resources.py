"""Where storyreel finds its own files: fonts, music, the ffmpeg binary, the cache."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from storyreel.errors import AssetError

# src/storyreel/resources.py -> the repository root (an editable install or a checkout).
PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent

FONT_FILES = {False: "NotoSansCJKsc-Regular.otf", True: "NotoSansCJKsc-Bold.otf"}


def fonts_dir() -> Path:
    """The folder with the shipped fonts (``STORYREEL_FONTS`` overrides)."""
    return Path(os.environ.get("STORYREEL_FONTS", REPO_ROOT / "fonts"))


def font_path(bold: bool = False) -> Path:
    path = fonts_dir() / FONT_FILES[bold]
    if not path.is_file():
        raise AssetError(
            f"{path}: font file missing; storyreel ships it in fonts/ "
            "(set STORYREEL_FONTS to the folder that holds it)"
        )
    return path


def music_dir() -> Path:
    return Path(os.environ.get("STORYREEL_MUSIC", REPO_ROOT / "music"))


def cache_dir() -> Path:
    """Content-addressed cache (``STORYREEL_CACHE`` overrides)."""
    return Path(os.environ.get("STORYREEL_CACHE", Path.cwd() / ".storyreel-cache"))


@cache
def ffmpeg_exe() -> str:
    """The ffmpeg binary: ``STORYREEL_FFMPEG`` or the one imageio-ffmpeg ships."""
    override = os.environ.get("STORYREEL_FFMPEG")
    if override:
        return override
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())
