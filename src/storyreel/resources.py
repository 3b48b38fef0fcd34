"""Where storyreel finds its own files: fonts, music, the ffmpeg binary, the cache."""

from __future__ import annotations

import contextlib
import hashlib
import os
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from storyreel.errors import AssetError

PACKAGE_DIR = Path(__file__).resolve().parent


def _data(name: str) -> Path:
    """A folder of the package's data (fonts, music), installed with the package."""
    return Path(str(files("storyreel").joinpath("data", name)))

FONT_FILES = {False: "NotoSansCJKsc-Regular.otf", True: "NotoSansCJKsc-Bold.otf"}


def fonts_dir() -> Path:
    """The folder with the shipped fonts (``STORYREEL_FONTS`` overrides)."""
    return Path(os.environ.get("STORYREEL_FONTS") or _data("fonts"))


def font_path(bold: bool = False) -> Path:
    path = fonts_dir() / FONT_FILES[bold]
    if not path.is_file():
        raise AssetError(
            f"{path}: font file missing; storyreel ships it in its data/fonts/ "
            "(set STORYREEL_FONTS to the folder that holds it)"
        )
    return path


def music_dir() -> Path:
    return Path(os.environ.get("STORYREEL_MUSIC") or _data("music"))


def cache_dir() -> Path:
    """Content-addressed cache (``STORYREEL_CACHE`` overrides)."""
    return Path(os.environ.get("STORYREEL_CACHE", Path.cwd() / ".storyreel-cache"))


@cache
def code_identity() -> str:
    """What outputs depend on besides their inputs: storyreel's code and data files, the
    fonts, Pillow and the ffmpeg binary. Part of every render fingerprint and check key,
    so an upgrade renders again rather than skipping on stale results."""
    import PIL

    from storyreel import __version__

    h = hashlib.sha256(f"{__version__} {PIL.__version__} {ffmpeg_exe()}".encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in (".py", ".yaml") and path.is_file():
            h.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0" + path.read_bytes())
    for path in sorted(fonts_dir().glob("*")):
        stat = path.stat()
        h.update(f"{path.name} {stat.st_size} {stat.st_mtime_ns}".encode())
    return h.hexdigest()


@cache
def ffmpeg_exe() -> str:
    """The ffmpeg binary: ``STORYREEL_FFMPEG`` or the one imageio-ffmpeg ships."""
    override = os.environ.get("STORYREEL_FFMPEG")
    if override:
        return override
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)


@cache
def _glibc() -> Any:
    """The C library when it is glibc (Linux), else None."""
    import ctypes
    import sys

    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            return ctypes.CDLL("libc.so.6")
    return None


@cache
def keep_heap_lean() -> None:
    """Have glibc give every block of 1 MiB or more its own mapping, handed back to the
    system as soon as it is freed (``mallopt(M_MMAP_THRESHOLD)``).

    By default glibc raises that threshold each time such a block is freed (up to
    32 MiB), so the arrays of a mix and the pictures of a drawing later come from the
    heap, where what is freed stays: measured on a Chinese 1080p render, Python held
    245-264 MiB beside the encoder instead of 178-228, and the job peaked at 695-785
    MiB instead of 560-598. Once per process; elsewhere than glibc a no-op."""
    with contextlib.suppress(AttributeError):
        if (libc := _glibc()) is not None:
            libc.mallopt(M_MMAP_THRESHOLD, 1 << 20)


def release_memory() -> None:
    """Give memory this process has freed back to the system (glibc's ``malloc_trim``).

    Drawing 1080p layers and mixing 100 s of audio free hundreds of MiB in blocks that
    glibc otherwise keeps for later; a job then runs ffmpeg, which needs it. Elsewhere a
    no-op."""
    with contextlib.suppress(AttributeError):
        if (libc := _glibc()) is not None:
            libc.malloc_trim(0)
