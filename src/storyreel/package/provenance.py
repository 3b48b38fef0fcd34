"""Provenance of a render: what it is (sizes and SHA-256 of its files), what made it
(tool versions, the voice, the fonts) and from what (digests of its inputs).

Computed from the finished files, so it describes what is on disk, not what was meant.
"""

from __future__ import annotations

import platform as pyplatform
import re
import tempfile
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from storyreel.errors import FFmpegError
from storyreel.ffmpeg_runner import run_ffmpeg
from storyreel.fileio import sha256_file
from storyreel.resources import FONT_FILES, PACKAGE_DIR, fonts_dir

_CHUNK = 1 << 20


def file_record(path: Path, name: str | None = None) -> dict[str, Any]:
    return {"name": name or path.name, "bytes": path.stat().st_size, "sha256": sha256_file(path)}


def x264_version(video: Path) -> str | None:
    """The encoder string x264 writes into the stream (``x264 - core 165 r3222 b35605a``)."""
    with video.open("rb") as f:
        head = f.read(4 * _CHUNK)
    m = re.search(rb"x264 - core \d+(?: r\d+ [0-9a-f]+)?", head)
    return m.group(0).decode() if m else None


@cache
def ffmpeg_version() -> str:
    try:
        out = run_ffmpeg(["-version"], what="report its version").stdout.decode()
    except FFmpegError:
        return "unknown"
    return out.splitlines()[0].strip() if out else "unknown"


@cache
def libass_version() -> str:
    """libass's API version as the ffmpeg binary reports it when it loads the library."""
    with tempfile.TemporaryDirectory(prefix="storyreel-") as tmp:
        ass = Path(tmp) / "probe.ass"
        ass.write_text("[Script Info]\nScriptType: v4.00+\n[Events]\n"
                       "Format: Layer, Start, End, Style, Text\n", encoding="utf-8")
        try:
            stderr = run_ffmpeg(
                ["-v", "verbose", "-f", "lavfi", "-i", "color=s=16x16:d=0.04",
                 "-vf", f"subtitles={ass.as_posix()}", "-f", "null", "-"],
                what="report its libass version").stderr
        except FFmpegError:
            return "unknown"
    m = re.search(r"libass API version: (0x[0-9a-fA-F]+)", stderr)
    return m.group(1) if m else "unknown"


@cache
def _font(path: Path, size: int, mtime: int) -> dict[str, Any]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        name = font["name"].getDebugName(4) or path.stem
    return {"name": name, "file": path.name, "bytes": size, "sha256": sha256_file(path)}


def fonts() -> list[dict[str, Any]]:
    """The shipped fonts captions and slides are drawn with: name, file, digest."""
    out = []
    for file in FONT_FILES.values():
        path = fonts_dir() / file
        if path.is_file():
            stat = path.stat()
            out.append(_font(path, stat.st_size, stat.st_mtime_ns))
    return out


@cache
def _library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": pyplatform.python_version()}
    for dist in ("storyreel", "pillow", "pysubs2", "imageio-ffmpeg", "espeakng-loader",
                 "edge-tts", "budoux"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "not installed"
    return out


def _names(meta: Mapping[str, Any]) -> Iterable[str]:
    for key in ("video", "cover", "captions"):
        if meta.get(key):
            yield str(meta[key])
    for name in (meta.get("subtitles") or {}).values():
        yield str(name)


def provenance(folder: Path, meta: Mapping[str, Any], inputs: Iterable[Path | None],
               tts_identity: str, project: Path | None = None) -> dict[str, Any]:
    """What a render's metadata records about where it came from; see the module.

    ``meta`` names the finished files (video, cover, captions, subtitles) in ``folder``;
    ``inputs`` are the files it was made from (storyboard, theme, music, pictures),
    recorded relative to ``project`` where they lie inside it.
    """
    outputs = [file_record(folder / name) for name in _names(meta)
               if (folder / name).is_file()]
    recorded = []
    seen: set[Path] = set()
    for path in inputs:
        if path is None or not path.is_file() or path.resolve() in seen:
            continue
        seen.add(path.resolve())
        shown = path.resolve()
        if project is not None and shown.is_relative_to(project.resolve()):
            shown = shown.relative_to(project.resolve())
        elif shown.is_relative_to(PACKAGE_DIR.parent):  # a shipped theme or picture
            shown = shown.relative_to(PACKAGE_DIR.parent)
        recorded.append(file_record(path, str(shown)))
    video = folder / str(meta.get("video", ""))
    voice = dict(meta.get("voice") or {})
    return {
        "outputs": outputs,
        "inputs": recorded,
        "tools": {
            **_library_versions(),
            "ffmpeg": ffmpeg_version(),
            "x264": x264_version(video) if video.is_file() else None,
            "libass": libass_version(),
            "tts": {"engine": voice.get("engine"), "voice": voice.get("voice"),
                    "identity": tts_identity},
            "fonts": fonts(),
        },
    }
