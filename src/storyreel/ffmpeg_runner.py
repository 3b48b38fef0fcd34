"""The one way storyreel runs ffmpeg.

Every ffmpeg call (render segments, joins, the soundtrack, loudness, MP3 decoding,
preview stills) goes through :func:`run_ffmpeg`: the binary from ``resources``, stderr
collected, one :class:`~storyreel.errors.FFmpegError` carrying the command and stderr
on failure, and an output written under a temporary name and renamed only on success.

ffmpeg never outlives storyreel: each child asks the kernel to kill it when its parent
dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``, Linux) and runs in its own process group,
which is killed when the parent is interrupted while waiting.

Raw frames computed in Python (the camera's moves) are fed from threads of their own,
and may run at the lowest CPU priority (``background_inputs``): ffmpeg's encoder comes
first and the frames fill the core time it leaves idle.
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


Chunks = Iterable[bytes | memoryview]  # written to a pipe as they come (raw frames)


def run_ffmpeg(
    args: Sequence[str],
    *,
    what: str,
    out: Path | None = None,
    stdin: bytes | Chunks | None = None,
    pipes: Sequence[Chunks] = (),
    on_frame: Progress | None = None,
    background_inputs: bool = False,
) -> Completed:
    """Run ``ffmpeg ARGS``; what it was doing (``what``) names it in the error.

    With ``out``, the last argument must be ``out``: ffmpeg writes a temporary file
    beside it, renamed onto ``out`` only when ffmpeg succeeded. With ``on_frame``, it is
    called with the number of frames written as ffmpeg reports progress (stdout is then
    not returned). ``stdin`` is bytes, or chunks written as they come (raw frames).
    ``pipes`` are more such inputs, named ``pipe:3``, ``pipe:4``… in ``args``: each
    gets a pipe of its own, written from its own thread (ffmpeg reads its inputs side
    by side, so no input waits for another). With ``background_inputs``, those threads
    run at the lowest CPU priority while ffmpeg runs at the caller's: on a machine whose
    encoder leaves part of the cores idle (x264 keeps about 1.6 of 2 busy on slides),
    the frames are computed in that idle time instead of taking cores from the encoder
    (an encode fed by the camera took about 4 % less time).
    """
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error"]
    if on_frame is not None:
        cmd += ["-progress", "pipe:1", "-nostats"]
    if out is None:
        return _run([*cmd, *args], what, stdin, pipes, on_frame, background_inputs)
    if not args or args[-1] != str(out):
        raise ValueError("the last ffmpeg argument must be the output path")
    with atomic_path(out) as tmp:
        return _run([*cmd, *args[:-1], "-y", str(tmp)], what, stdin, pipes, on_frame,
                    background_inputs)


def _run(cmd: list[str], what: str, stdin: bytes | Chunks | None, pipes: Sequence[Chunks],
         on_frame: Progress | None, background: bool) -> Completed:
    extra = [os.pipe() for _ in pipes]
    # ``pipe:3``… become the descriptors the child inherits (same numbers as here).
    names = {f"pipe:{3 + k}": f"pipe:{read}" for k, (read, _) in enumerate(extra)}
    cmd = [names.get(arg, arg) for arg in cmd]
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=err, preexec_fn=die_with_parent,
                process_group=0, pass_fds=[read for read, _ in extra],
            )
        except OSError as exc:
            for read, write in extra:
                os.close(read)
                os.close(write)
            raise FFmpegError(f"cannot run ffmpeg to {what} ({cmd[0]}): {exc}", cmd) from exc
        for read, _ in extra:
            os.close(read)
        feeds = [(open(write, "wb", buffering=0), chunks)  # noqa: SIM115 (closed by _feed)
                 for (_, write), chunks in zip(extra, pipes, strict=True)]
        try:
            stdout = _talk(proc, stdin, feeds, on_frame, background)
        except BaseException:  # interrupted: take ffmpeg (and anything it started) down
            _kill(proc)
            raise
        finally:
            for pipe, _ in feeds:
                pipe.close()
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise FFmpegError(f"ffmpeg failed to {what} (exit {proc.returncode})", cmd, stderr)
    return Completed(stdout, stderr)


def _talk(proc: subprocess.Popen[bytes], stdin: bytes | Chunks | None,
          feeds: Sequence[tuple[IO[bytes], Chunks]], on_frame: Progress | None,
          background: bool) -> bytes:
    if on_frame is None and not feeds and stdin is None:
        stdout, _ = proc.communicate()
        return stdout
    # Input is written from here in big writes into a widened pipe (``communicate`` would
    # poll and write 4 KiB at a time: 0.4 s of CPU for 100 s of float samples).
    assert proc.stdout is not None
    chunks: list[bytes] = []
    reader = threading.Thread(
        target=_read_progress if on_frame is not None else _read_all,
        args=(proc.stdout, on_frame or chunks.append), daemon=True)
    reader.start()
    failed: list[BaseException] = []
    if stdin is not None and proc.stdin is not None:
        if isinstance(stdin, bytes):  # written from here
            _feed(proc.stdin, [stdin], failed)
        else:  # computed as it is written: a thread of its own, like the other pipes
            feeds = [(proc.stdin, stdin), *feeds]
    writers = [threading.Thread(target=_feed, args=(pipe, source, failed, background),
                                daemon=True)
               for pipe, source in feeds]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    proc.wait()
    reader.join()
    if failed:  # a frame source failed: ffmpeg saw a short input, the source's error tells
        raise failed[0]
    return b"".join(chunks)


def _feed(pipe: IO[bytes], source: Chunks, failed: list[BaseException],
          background: bool = False) -> None:
    """Write ``source`` into ``pipe`` and close it; a source's own error is kept in
    ``failed`` (ffmpeg then sees its input end early). ``background``: on a thread of
    its own, at the lowest CPU priority from now on."""
    if background:
        _lowest_priority()
    _widen(pipe)
    try:
        for chunk in source:
            pipe.write(chunk)
    except BrokenPipeError:  # ffmpeg stopped reading: its exit code tells why
        pass
    except Exception as exc:  # handed to the caller's thread
        failed.append(exc)
    finally:
        with contextlib.suppress(BrokenPipeError):
            pipe.close()


def _lowest_priority() -> None:
    """This thread at nice 19. Linux keeps a nice value per thread (``setpriority`` on a
    thread id), so the rest of the process and the ffmpeg it started are untouched;
    elsewhere, or where it is refused, the thread keeps its priority."""
    if not sys.platform.startswith("linux"):  # a thread id there is no process id
        return
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


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
