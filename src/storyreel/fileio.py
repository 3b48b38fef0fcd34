"""Atomic file writes: a final name only ever holds a complete file."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """A temporary path beside ``final`` to write to; renamed onto ``final`` on success.

    The temporary name is hidden, unique and keeps the extension (so tools that guess
    the format from it still work). If the block raises, it is removed and ``final`` is
    left as it was. The file gets the usual permissions (0666 less the umask), not the
    0600 of a temporary file.
    """
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".{final.stem}.", suffix=f".part{final.suffix}", dir=final.parent
        )
    except OSError as exc:
        raise _naming(exc, final) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, final)
    except OSError as exc:
        if exc.filename not in (None, str(tmp), name):
            raise  # about another file the block was using
        raise _naming(exc, final) from None
    finally:
        tmp.unlink(missing_ok=True)


def _naming(exc: OSError, final: Path) -> OSError:
    """``exc`` naming the file being written: a full disk's error names no file, and the
    temporary name means nothing to a user."""
    if exc.errno is None:
        return exc  # not the system's: keep its own words
    return OSError(exc.errno, exc.strerror, str(final))


def write_atomic(final: Path, data: bytes) -> None:
    with atomic_path(final) as tmp:
        tmp.write_bytes(data)


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks (videos are large)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()
