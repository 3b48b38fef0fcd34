"""The ffmpeg runner's frame sources: fed from threads of their own, and with
``background_inputs`` at the lowest CPU priority while ffmpeg keeps the caller's."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import psutil

from storyreel.ffmpeg_runner import run_ffmpeg

SIZE = (16, 16)
FRAME = bytes(SIZE[0] * SIZE[1] * 3 // 2)  # one yuv420p frame


def _priority() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


class Watched:
    """A frame source that notes, while ffmpeg reads it, its thread and priority and
    the priority of the ffmpeg child."""

    def __init__(self) -> None:
        self.thread = 0
        self.priority = 0
        self.ffmpeg: list[int] = []

    def frames(self, count: int) -> Iterator[bytes]:
        self.thread = threading.get_native_id()
        self.priority = _priority()
        self.ffmpeg = [child.nice() for child in psutil.Process().children()]
        for _ in range(count):
            yield FRAME


def _args(inputs: list[str]) -> list[str]:
    args: list[str] = []
    for name in inputs:
        args += ["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{SIZE[0]}x{SIZE[1]}",
                 "-i", name]
    return [*args, "-filter_complex", f"concat=n={len(inputs)}", "-f", "null", "-"]


def test_background_inputs_run_at_the_lowest_priority_and_ffmpeg_at_the_callers() -> None:
    caller = _priority()
    stdin, other = Watched(), Watched()
    run_ffmpeg(_args(["pipe:0", "pipe:3"]), what="read two frame sources",
               stdin=stdin.frames(3), pipes=[other.frames(2)], background_inputs=True)
    for source in (stdin, other):
        assert source.thread != threading.get_native_id()  # a thread of its own
        assert source.priority == 19
        assert source.ffmpeg == [caller]
    assert _priority() == caller  # the calling thread is as it was


def test_inputs_keep_the_callers_priority_by_default() -> None:
    caller = _priority()
    source = Watched()
    run_ffmpeg(_args(["pipe:0"]), what="read a frame source", stdin=source.frames(2))
    assert source.thread != threading.get_native_id()
    assert source.priority == caller
