"""Run an ffmpeg command built by :mod:`storyreel.render.graph`, with progress.

The output is written under a temporary name beside its final one and renamed only when
ffmpeg succeeded, so a final name never holds half a file.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from storyreel.errors import RenderError
from storyreel.fileio import atomic_path
from storyreel.resources import ffmpeg_exe

Progress = Callable[[int], None]


def run_ffmpeg(
    args: Sequence[str],
    out: Path,
    *,
    on_frame: Progress | None = None,
    what: str = "render",
) -> None:
    """Run ffmpeg with ``args`` (whose last argument is ``out``) writing ``out`` atomically."""
    if not args or args[-1] != str(out):
        raise ValueError("the last ffmpeg argument must be the output path")
    with atomic_path(out) as tmp, tempfile.TemporaryFile() as err:
        cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error",
               "-progress", "pipe:1", "-nostats", *args[:-1], "-y", str(tmp)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        assert proc.stdout is not None
        reader = threading.Thread(target=_read_progress, args=(proc.stdout, on_frame))
        reader.start()
        code = proc.wait()
        reader.join()
        if code != 0:
            err.seek(0)
            stderr = err.read().decode(errors="replace")
            raise RenderError(f"ffmpeg failed to {what} {out.name} (exit {code})", stderr)


def _read_progress(stream: IO[bytes], on_frame: Progress | None) -> None:
    for raw in stream:
        key, _, value = raw.decode(errors="replace").strip().partition("=")
        if key == "frame" and on_frame is not None and value.isdigit():
            on_frame(int(value))
