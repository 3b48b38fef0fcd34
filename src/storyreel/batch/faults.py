"""Faults of the machine, not of a story: a file where the output folder should be, a
read-only cache, a full disk. Each becomes one line that says what and where
(:class:`~storyreel.errors.PlaceError`), never an "internal error".

:func:`check_folders` tries the output folder and the cache before a batch starts (one
line for the batch instead of one per job); :func:`place_error` describes an ``OSError``
met while a job runs.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from storyreel.errors import PlaceError
from storyreel.package.staging import final_path
from storyreel.resources import cache_dir

OUTPUT = ("output folder", "choose another --out")
CACHE = ("cache", "set STORYREEL_CACHE to a writable folder")


def _places(out_root: Path | None, cache_root: Path | None) -> list[tuple[str, str, Path]]:
    """(place, how to fix, folder) of the output folder (if any) and the cache."""
    places = [(*CACHE, cache_root or cache_dir())]
    return [(*OUTPUT, out_root), *places] if out_root is not None else places


def check_folders(out_root: Path | None, cache_root: Path | None = None) -> None:
    """Make the output folder (if any) and the cache (default: ``cache_dir()``) if
    missing and write a file in each; raise :class:`PlaceError` for the first that
    cannot take files."""
    for place, hint, folder in _places(out_root, cache_root):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(prefix=".storyreel-probe-", dir=folder)
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            raise _described(exc, folder, place, hint, inside=False) from None


def place_error(exc: OSError, out_root: Path | None,
                cache_root: Path | None = None) -> PlaceError:
    """``exc`` (met writing or reading ``exc.filename``) as one line naming the place."""
    path = final_path(Path(exc.filename)) if exc.filename else Path("?")
    for place, hint, folder in _places(out_root, cache_root):
        where, root = path.absolute(), folder.absolute()
        if where.is_relative_to(root):
            return _described(exc, path, place, hint, inside=where != root)
    return _described(exc, path, "", "", inside=False)


def _blocking_file(path: Path) -> Path | None:
    """The nearest of ``path`` and its parents that exists and is not a folder."""
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return None if candidate.is_dir() else candidate
    return None


def _described(exc: OSError, path: Path, place: str, hint: str, inside: bool) -> PlaceError:
    code = exc.errno

    def error(problem: str, fix: str = hint) -> PlaceError:
        return PlaceError(path, problem, fix, place, inside)

    if code in (errno.ENOTDIR, errno.EEXIST):
        blocker = _blocking_file(path)
        if blocker is not None:
            return error("is a file, not a folder" if blocker == path
                         else f"cannot be made: {blocker} is a file, not a folder")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return error("no space left on the device; nothing was left under this name",
                     f"free some space or {hint}" if hint else "free some space")
    if code == errno.EROFS:
        return error("is on a read-only file system")
    if code in (errno.EACCES, errno.EPERM):
        return error("permission denied")
    return error(exc.strerror or str(exc))
