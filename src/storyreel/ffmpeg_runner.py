"""The one way storyreel runs ffmpeg.

Every ffmpeg call (render segments, joins, the soundtrack, loudness, MP3 decoding,
preview stills) goes through :func:`run_ffmpeg`: the binary from ``resources``, stderr
collected, one :class:`~storyreel.errors.FFmpegError` carrying the command and stderr
on failure, and an output written under a temporary name and renamed only on success.

ffmpeg never outlives storyreel: each child asks the kernel to kill it when its parent
dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``, Linux) and runs in its own process group,
which is killed when the parent is interrupted while waiting.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from storyreel.errors import FFmpegError
from storyreel.fileio import atomic_path
from storyreel.resources import ffmpeg_exe

Progress = Callable[[int], None]  # frames written so far

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Completed:
    stdout: bytes
    stderr: str


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux; elsewhere a
    no-op). Used before exec in every ffmpeg child and in worker processes."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: nothing more we can do
        pass


def run_ffmpeg(
    args: Sequence[str],
    *,
    what: str,
    out: Path | None = None,
    stdin: bytes | Iterable[bytes | memoryview] | None = None,
    on_frame: Progress | None = None,
) -> Completed:
    """Run ``ffmpeg ARGS``; what it was doing (``what``) names it in the error.

    With ``out``, the last argument must be ``out``: ffmpeg writes a temporary file
    beside it, renamed onto ``out`` only when ffmpeg succeeded. With ``on_frame``, it is
    called with the number of frames written as ffmpeg reports progress (stdout is then
    not returned). ``stdin`` is bytes, or chunks written as they come (raw frames).
    """
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error"]
    if on_frame is not None:
        cmd += ["-progress", "pipe:1", "-nostats"]
    if out is None:
        return _run([*cmd, *args], what, stdin, on_frame)
    if not args or args[-1] != str(out):
        raise ValueError("the last ffmpeg argument must be the output path")
    with atomic_path(out) as tmp:
        return _run([*cmd, *args[:-1], "-y", str(tmp)], what, stdin, on_frame)


def _run(cmd: list[str], what: str, stdin: bytes | Iterable[bytes | memoryview] | None,
         on_frame: Progress | None) -> Completed:
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=err, preexec_fn=die_with_parent,
                process_group=0,
            )
        except OSError as exc:
            raise FFmpegError(f"cannot run ffmpeg to {what} ({cmd[0]}): {exc}", cmd) from exc
        try:
            stdout = _talk(proc, stdin, on_frame)
        except BaseException:  # interrupted: take ffmpeg (and anything it started) down
            _kill(proc)
            raise
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise FFmpegError(f"ffmpeg failed to {what} (exit {proc.returncode})", cmd, stderr)
    return Completed(stdout, stderr)


def _talk(proc: subprocess.Popen[bytes], stdin: bytes | Iterable[bytes | memoryview] | None,
          on_frame: Progress | None) -> bytes:
    if on_frame is None and (stdin is None or isinstance(stdin, bytes)):
        stdout, _ = proc.communicate(stdin)
        return stdout
    assert proc.stdout is not None
    chunks: list[bytes] = []
    reader = threading.Thread(
        target=_read_progress if on_frame is not None else _read_all,
        args=(proc.stdout, on_frame or chunks.append), daemon=True)
    reader.start()
    if stdin is not None and proc.stdin is not None:
        _widen(proc.stdin)
        try:
            for chunk in [stdin] if isinstance(stdin, bytes) else stdin:
                proc.stdin.write(chunk)
            proc.stdin.close()
        except BrokenPipeError:  # ffmpeg stopped reading: its exit code tells why
            pass
    proc.wait()
    reader.join()
    return b"".join(chunks)


def _widen(pipe: IO[bytes]) -> None:
    """A 1 MiB pipe (Linux allows it unprivileged): raw frames cross in a few writes
    instead of dozens of 64 KiB ones."""
    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)


def _read_all(stream: IO[bytes], keep: Callable[[bytes], None]) -> None:
    for block in iter(lambda: stream.read(1 << 16), b""):
        keep(block)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _read_progress(stream: IO[bytes], on_frame: Callable[[int], object]) -> None:
    for raw in stream:
        key, _, value = raw.decode(errors="replace").strip().partition("=")
        if key == "frame" and value.isdigit():
            on_frame(int(value))
