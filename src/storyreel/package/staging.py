"""Staged, atomic publishing of one render's set of files.

A job writes everything (video, subtitles, captions, cover, metadata) into its own hidden
staging folder beside the story's files, ``.staging.<id>.<lang>.<preset>.<pid>``. Only
when all of it is complete does :meth:`Staging.publish` move the set into place: it first
marks the folder ready (a list of the files), then renames each file onto its final name
(the metadata last), then removes the folder. A run killed before the mark leaves a
staging folder that the next run of the same outputs removes; one killed after it is
finished by that run (it rolls forward), so a set is never left half old, half new.

A file the set shares with others (``<id>.<lang>.srt`` serves every preset) whose
content is unchanged is not touched. The metadata records each file's digest, and the
manifest lists a render only when every file still has the digest its metadata names
(:func:`set_is_complete`): a shared subtitle file rewritten by another preset's render
drops the older renders from the manifest until they are rendered again.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from storyreel.fileio import sha256_file

READY = "READY.json"
HOST = "HOST"
PREFIX = ".staging."


def final_path(path: Path) -> Path:
    """Where a file written in a staging folder is published (``path`` itself if it is
    not in one): what a message about it should name."""
    if path.parent.name.startswith(PREFIX):
        return path.parent.parent / path.name
    return path


def set_is_complete(folder: Path, files: Mapping[str, str]) -> bool:
    """True when every file of ``files`` (name → digest) is in ``folder`` as recorded."""
    try:
        return all(sha256_file(folder / name) == digest for name, digest in files.items())
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(folder: Path, label: str, stems: tuple[str, ...] = ()) -> list[Path]:
    """Finish or remove what earlier killed runs of ``label`` left in ``folder``: staging
    folders of processes that are gone (rolled forward when they were ready, removed when
    not) and hidden ``.<stem>.*.part.*`` temporary files of the outputs' stems."""
    cleaned: list[Path] = []
    if not folder.is_dir():
        return cleaned
    for stage in folder.glob(f"{PREFIX}{label}.*"):
        pid = stage.name.rsplit(".", 1)[-1]
        host = stage / HOST
        if host.is_file() and host.read_text(encoding="utf-8") != socket.gethostname():
            continue  # another machine's run (a cluster worker): not ours to judge
        if not pid.isdigit() or (int(pid) != os.getpid() and _alive(int(pid))):
            continue
        if (stage / READY).is_file():
            _move_into_place(stage, folder)
        shutil.rmtree(stage, ignore_errors=True)
        cleaned.append(stage)
    for stem in (label, *stems):
        for part in folder.glob(f".{stem}.*.part*"):
            with contextlib.suppress(OSError):
                part.unlink()
                cleaned.append(part)
    return cleaned


class Staging:
    """The staging folder of one render; use as a context manager (removed on exit,
    published or not)."""

    def __init__(self, folder: Path, label: str) -> None:
        self.final = folder
        self.folder = folder / f"{PREFIX}{label}.{os.getpid()}"
        self.work = self.folder / "work"

    def __enter__(self) -> Staging:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.work.mkdir(parents=True)
        (self.folder / HOST).write_text(socket.gethostname(), encoding="utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        with contextlib.suppress(OSError):  # a story folder made only to stage in
            self.final.rmdir()

    def path(self, name: str) -> Path:
        return self.folder / name

    def digests(self, names: list[str]) -> dict[str, str]:
        return {name: sha256_file(self.path(name)) for name in names}

    def publish(self, names: list[str], last: str) -> None:
        """Move ``names`` and then ``last`` (the metadata) into place, as one set."""
        shutil.rmtree(self.work, ignore_errors=True)
        order = [n for n in names if n != last] + [last]
        ready = self.path(READY)
        tmp = ready.with_suffix(".tmp")
        tmp.write_text(json.dumps({"files": order}), encoding="utf-8")
        os.replace(tmp, ready)  # from here on the set will be published, even if killed
        _move_into_place(self.folder, self.final)


def _move_into_place(stage: Path, final: Path) -> None:
    listed: dict[str, Any] = json.loads((stage / READY).read_text(encoding="utf-8"))
    for name in listed["files"]:
        source = stage / name
        if not source.is_file():  # moved before a crash
            continue
        target = final / name
        if target.is_file() and _same(source, target):
            source.unlink()  # unchanged: leave the published file as it is
            continue
        os.chmod(source, 0o666 & ~_umask())
        os.replace(source, target)


def _same(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and sha256_file(a) == sha256_file(b)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def staging(folder: Path, label: str) -> Iterator[Staging]:
    with Staging(folder, label) as stage:
        yield stage
