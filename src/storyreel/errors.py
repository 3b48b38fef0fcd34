"""One exception base for everything storyreel reports to a user.

Each subclass carries the data its message is made of (a path, a line, a field, a scene,
the numbers, ffmpeg's stderr), so code that needs to know where or what (``check``,
the batch report) reads fields, never the message text. ``str(error)`` is the one
line the CLI prints.

To add an error: subclass the closest class here, take the data in ``__init__`` as
attributes, and build the line from them with ``super().__init__(line)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class StoryreelError(Exception):
    """Base of every error storyreel turns into one line and a non-zero exit."""

    #: What kind of problem this is, for machines (``check --format json``, reports).
    kind = "error"

    def __reduce__(self) -> tuple[object, ...]:
        # Errors travel back from worker processes; rebuild them from their fields.
        return (_rebuild, (type(self), self.__dict__, str(self)))


def _rebuild(cls: type[StoryreelError], fields: dict[str, object], line: str) -> StoryreelError:
    error = cls.__new__(cls)
    Exception.__init__(error, line)
    error.__dict__.update(fields)
    return error


class FileProblem(StoryreelError):
    """A problem in a file: ``path:line: field: problem``."""

    kind = "file"

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


class StoryboardError(FileProblem):
    """A problem in a storyboard file."""

    kind = "storyboard"


class UnknownNameError(StoryreelError):
    """A name that is not one of the choices: a preset, engine, theme, layout, platform."""

    kind = "unknown-name"

    def __init__(self, what: str, name: str, choices: Sequence[str]) -> None:
        self.what = what
        self.name = name
        self.choices = tuple(choices)
        super().__init__(f"unknown {what} '{name}'; choose from {', '.join(self.choices)}")


class AssetError(StoryreelError):
    """An image, font or music file that is missing, unreadable or unusable."""

    kind = "asset"


class TTSError(StoryreelError):
    """Speech synthesis failed; names the engine, voice and chunk."""

    kind = "speech"


class FitError(StoryreelError):
    """Narration does not fit the target length even at the fastest allowed rate.

    ``cuts`` holds ``(scene number, seconds, characters)`` to cut, scene by scene.
    """

    kind = "fit"

    def __init__(self, path: Path | str, lang: str, target_s: int, rate: float,
                 excess_ms: int, chars: int, cuts: Sequence[tuple[int, float, int]]) -> None:
        self.path = Path(path)
        self.lang = lang
        self.target_s = target_s
        self.rate = rate
        self.excess_ms = excess_ms
        self.chars = chars
        self.cuts = tuple(cuts)
        scenes = ", ".join(f"scene {n} ~{s:.1f} s (~{c} characters)" for n, s, c in self.cuts)
        super().__init__(
            f"{self.path}: narration ({lang}) does not fit {target_s} s even at {rate:.2f}× "
            f"speed: cut about {excess_ms / 1000:.1f} s (~{chars} characters): {scenes}"
        )


class LayoutError(StoryreelError):
    """Text that does not fit its box, or characters the font cannot draw."""

    kind = "layout"


class RenderError(StoryreelError):
    """ffmpeg failed; carries the command and its stderr."""

    kind = "render"

    def __init__(self, message: str, stderr: str = "",
                 command: Sequence[str] = ()) -> None:
        self.stderr = stderr
        self.command = tuple(command)
        tail = " | ".join(line for line in stderr.strip().splitlines()[-3:] if line)
        super().__init__(f"{message}: {tail}" if tail else message)


class OutputError(StoryreelError):
    """An output or cache folder that cannot be written: what and where."""

    kind = "output"

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class PlatformTableError(FileProblem):
    """A problem in a platform table (``platforms.yaml``): ``path: platform.field: problem``."""

    kind = "platforms"

    def __init__(self, path: Path | str, field: str, problem: str) -> None:
        super().__init__(path, None, field, problem)


class ReviewError(StoryreelError):
    """A review decision or publish request that cannot be carried out."""

    kind = "review"


class FFmpegError(RenderError):
    """An ffmpeg run failed: carries the command it ran and everything it wrote to stderr.

    Every ffmpeg call of storyreel goes through ``storyreel.ffmpeg_runner`` and fails with
    this one error; ``str(error)`` is what it was doing and stderr's last lines."""

    def __init__(self, message: str, command: Sequence[str], stderr: str = "") -> None:
        super().__init__(message, stderr, command)


class PlaceError(OutputError):
    """A folder or disk storyreel reads or writes cannot be used: a file where a folder
    should be, a read-only file system, a full disk. ``path`` says where, ``place`` what
    it is for (the output folder, the cache; ``inside`` when ``path`` is a file in it),
    ``problem`` what is wrong, ``hint`` how to fix it."""

    def __init__(self, path: Path | str, problem: str, hint: str = "", place: str = "",
                 inside: bool = False) -> None:
        self.path = Path(path)
        self.problem = problem
        self.hint = hint
        self.place = place
        if not place:
            head = str(self.path)
        else:
            head = f"{self.path} (in the {place})" if inside else f"{place} {self.path}"
        StoryreelError.__init__(self, f"{head}: {problem}" + (f"; {hint}" if hint else ""))
