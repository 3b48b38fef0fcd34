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

import contextlib
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


def planes_args(conversions: Sequence[tuple[Path, Path, bool]]) -> list[str]:
    """One ffmpeg run converting each (still, planes file, alpha) as a segment would
    (:func:`converted`), a frame of raw planes each."""
    outputs = [ffmpeg.output(converted(ffmpeg.input(str(still)), alpha), str(planes),
                             format="rawvideo", **{"frames:v": 1})
               for still, planes, alpha in conversions]
    args: list[str] = ffmpeg.merge_outputs(*outputs).get_args()
    return args


def planes(stills: Sequence[tuple[Path, bool]]) -> list[Path]:
    """The planes file of each (still, with alpha), converting those not there yet in
    one ffmpeg run; a planes file stands for itself."""
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
    if todo:
        names = ", ".join(still.name for still, _ in todo.values())
        with contextlib.ExitStack() as stack:
            temporary = {target: stack.enter_context(atomic_path(target)) for target in todo}
            args = ["-y", *planes_args([(still, temporary[target], alpha)
                                        for target, (still, alpha) in todo.items()])]
            done = run_ffmpeg(args, what=f"read the pictures {names}")
            for target, made in temporary.items():  # a picture ffmpeg could not decode
                if made.stat().st_size != planes_size(target):  # gives no frame, exit 0
                    raise FFmpegError(f"ffmpeg could not read the picture "
                                      f"{todo[target][0]}", args, done.stderr)
    return out


def planes_size(path: Path) -> int:
    """The bytes of the planes file ``path`` (see :func:`planes_path`)."""
    found = planes_format(path)
    if found is None:
        raise ValueError(f"{path.name} is not named as planes")
    width, height, pix_fmt = found
    luma, chroma = width * height, ((width + 1) // 2) * ((height + 1) // 2)
    return luma * (2 if pix_fmt == "yuva420p" else 1) + 2 * chroma
