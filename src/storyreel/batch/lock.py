"""One run at a time per story and language in an output folder, and a failed job
leaves nothing of its own behind.

Two runs on the same output folder (two editors, a cron job and a person) would both
find a job not done yet and both render it. :func:`claim` takes an exclusive ``flock``
on ``<out>/.storyreel-<id>.<lang>.lock`` around a job; a second run waits for the first
to finish the job, then finds it up to date and skips it. The lock covers a story and
language, not just one preset, because a language's subtitle files (``<id>.<lang>.srt``,
``.vtt``, ``<id>.zh-en.srt``) are shared by its presets: while a job holds it, no other
job writes any file of that story and language, so the files that appeared meanwhile
are the job's own, and :func:`claim` removes them if the job fails (a full disk while
writing the cover leaves no subtitle files either).

The lock belongs to the open file, so the kernel releases it if a run dies. The file is
removed when the job is done (while still locked), so no lock file stays behind; a run
that locked a file that was removed meanwhile takes the lock again on the new one.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


def lock_path(out_root: Path, story_id: str, lang: str) -> Path:
    return out_root / f".storyreel-{story_id}.{lang}.lock"


def own_files(out_root: Path, story_id: str, lang: str) -> set[Path]:
    """The files of ``story_id`` in ``lang`` in its output folder (every preset's, and
    the subtitle files the presets share)."""
    folder = out_root / story_id
    if not folder.is_dir():
        return set()
    shared = {f"{story_id}.zh-en.srt"} if lang == "zh" else set()
    return {p for p in folder.iterdir()
            if (p.name.startswith(f"{story_id}.{lang}.") or p.name in shared) and p.is_file()}


@contextmanager
def claim(out_root: Path, story_id: str, lang: str,
          waiting: Callable[[], None] | None = None) -> Iterator[bool]:
    """Hold the lock of ``story_id`` in ``lang`` for the block (yields whether another
    run held it first); if the block raises, remove the files of that story and
    language that appeared during it."""
    with job_lock(lock_path(out_root, story_id, lang), waiting) as waited:
        before = own_files(out_root, story_id, lang)
        try:
            yield waited
        except BaseException:
            for path in own_files(out_root, story_id, lang) - before:
                with suppress(OSError):
                    path.unlink()
            raise


@contextmanager
def job_lock(path: Path, waiting: Callable[[], None] | None = None) -> Iterator[bool]:
    """Hold the lock ``path`` for the block; yields whether another run held it first
    (``waiting`` is called once, before waiting for it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    waited = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not waited and waiting is not None:
                    waiting()
                waited = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            if _same_file(fd, path):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the holder removed it as we waited: lock the new one
    try:
        yield waited
    finally:
        with suppress(OSError):
            os.unlink(path)
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False
