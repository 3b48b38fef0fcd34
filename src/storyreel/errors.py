"""One exception base for everything storyreel reports to a user.

Each subclass carries the data a message needs (a path, a line, a scene, ffmpeg's
stderr); ``str(error)`` is the one line the CLI prints.
"""

from __future__ import annotations

from pathlib import Path


class StoryreelError(Exception):
    """Base of every error storyreel turns into one line and a non-zero exit."""


class StoryboardError(StoryreelError):
    """A problem in a storyboard file: ``path:line: field: problem``."""

    def __init__(self, path: Path | str, line: int | None, field: str, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.field = field
        self.problem = problem
        super().__init__(self.format())

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        if self.field:
            return f"{where}: {self.field}: {self.problem}"
        return f"{where}: {self.problem}"


class AssetError(StoryreelError):
    """An image, font or music file that is missing, unreadable or unusable."""


class TTSError(StoryreelError):
    """Speech synthesis failed; names the engine, voice and chunk."""


class FitError(StoryreelError):
    """Narration does not fit the target length even at the fastest allowed rate."""


class LayoutError(StoryreelError):
    """Text that does not fit its box, or characters the font cannot draw."""


class RenderError(StoryreelError):
    """ffmpeg failed; carries the command's last stderr lines."""

    def __init__(self, message: str, stderr: str = "") -> None:
        self.stderr = stderr
        tail = " | ".join(line for line in stderr.strip().splitlines()[-3:] if line)
        super().__init__(f"{message}: {tail}" if tail else message)
