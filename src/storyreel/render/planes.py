"""Drawn stills as raw YUV planes: converted once, read by every segment as they are.

A segment's ffmpeg would otherwise decode each PNG layer it shows and convert it to
BT.709 YUV before its first frame: about 0.1 s per segment, in one thread, while the
cores wait. Here each still a segment reads (base, plate, text, reveals) is converted
once, with the very conversion a segment would do (:func:`converted`), into a file
beside it named with its size and pixel format (:func:`planes_path`); the segments
read those as they are (``graph._decoded``), and so does the camera
(:mod:`storyreel.render.mover`). Stills in the layer cache keep their planes there, so
a re-render converts nothing. Segments shipped to a cluster carry the PNGs instead
(a few KiB against MiB of planes) and their workers convert as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ffmpeg
from PIL import Image

from storyreel.errors import FFmpegError
from storyreel.ffmpeg_runner import run_ffmpeg
from storyreel.fileio import atomic_path


def converted(image: Any, alpha: bool) -> Any:
    """The one conversion of a drawn still (RGB or RGBA) to BT.709 TV-range YUV 4:2:0."""
    return (image.filter("scale", out_color_matrix="bt709", out_range="tv")
            .filter("format", "yuva420p" if alpha else "yuv420p"))


def planes_path(image: Path, size: tuple[int, int], alpha: bool) -> Path:
    """Where the raw planes of the still ``image`` (``size``) go: beside it, named with
    their size and pixel format (``scene03-overlay.1920x1080.yuva420p``)."""
    return image.with_name(f"{image.stem}.{size[0]}x{size[1]}."
                           f"{'yuva420p' if alpha else 'yuv420p'}")


def planes_format(path: Path) -> tuple[int, int, str] | None:
    """(width, height, pixel format) of a planes file named by :func:`planes_path`;
    None for any other file."""
    found = re.fullmatch(r".+\.(\d+)x(\d+)\.(yuva?420p)", path.name)
    return (int(found[1]), int(found[2]), found[3]) if found else None


def planes_args(still: Path, planes: Path, alpha: bool) -> list[str]:
    """The ffmpeg arguments converting ``still`` into ``planes`` as a segment would (see
    :func:`converted`), decoded on one thread (the least memory)."""
    args: list[str] = ffmpeg.output(converted(ffmpeg.input(str(still), threads=1), alpha),
                                    str(planes), format="rawvideo",
                                    **{"frames:v": 1}).get_args()
    return args


def planes(stills: Sequence[tuple[Path, bool]]) -> list[Path]:
    """The planes file of each (still, with alpha), converting those not there yet; a
    planes file stands for itself."""
    out: list[Path] = []
    todo: dict[Path, tuple[Path, bool]] = {}
    for still, alpha in stills:
        if planes_format(still) is not None:
            out.append(still)
            continue
        with Image.open(still) as image:
            target = planes_path(still, image.size, alpha)
        out.append(target)
        if not target.is_file():
            todo[target] = (still, alpha)
    for target, (still, alpha) in todo.items():
        # One picture a run: a run holds what it decodes (a 1080p RGBA picture and its
        # planes), and runs beside an encoder; one for all the pictures of a scene held
        # 80 MiB against 45.
        with atomic_path(target) as made:
            args = ["-y", *planes_args(still, made, alpha)]
            done = run_ffmpeg(args, what=f"read the picture {still.name}")
            if made.stat().st_size != planes_size(target):  # a picture ffmpeg could not
                raise FFmpegError(f"ffmpeg could not read the picture {still}", args,
                                  done.stderr)  # decode gives no frame, and exit 0
    return out


def planes_size(path: Path) -> int:
    """The bytes of the planes file ``path`` (see :func:`planes_path`)."""
    found = planes_format(path)
    if found is None:
        raise ValueError(f"{path.name} is not named as planes")
    width, height, pix_fmt = found
    luma, chroma = width * height, ((width + 1) // 2) * ((height + 1) // 2)
    return luma * (2 if pix_fmt == "yuva420p" else 1) + 2 * chroma
