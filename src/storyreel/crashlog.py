"""Internal errors (bugs): the traceback goes to a log file, the user gets one line.

Every place that must survive a bug (the CLI, a batch job, a check worker) calls
:func:`internal_error_line`, so a bug always reads the same way and its details are kept.
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from pathlib import Path

from storyreel.resources import cache_dir


def write_crash_log(exc: BaseException) -> Path | None:
    """Write ``exc``'s traceback to ``<cache>/logs/``; the file written, or None."""
    text = "".join(traceback.format_exception(exc))
    name = f"internal-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    for folder in (cache_dir() / "logs", Path(tempfile.gettempdir()) / "storyreel-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def internal_error_line(exc: BaseException) -> str:
    """One line for a bug: what it was, where, and the log file that has the rest."""
    frames = traceback.extract_tb(exc.__traceback__)
    at = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    log = write_crash_log(exc)
    kept = f"traceback in {log}; " if log else ""
    return f"internal error {type(exc).__name__}: {exc}{at} ({kept}please report it)"
