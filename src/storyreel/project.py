"""Projects: the one place that decides where a project's root is and what lies inside it.

A project is a folder holding ``storyreel.toml`` (its defaults), ``storyboards/``,
``images/`` and ``lexicon.yaml``. Commands find theirs by walking up from the current
folder to ``storyreel.toml`` (or take ``--project DIR``); a folder holding
``storyboards/`` but no project file is taken as a project too (older checkouts).

Every file a storyboard, theme or override names must resolve, symlinks resolved, inside
its project's root (:func:`inside`); a storyboard that lies in no project is confined to
its own folder. This module sits below every stage: it imports nothing heavy, and reads
``storyreel.toml`` with ``tomllib`` (validated by pydantic, imported when a file is read).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyreel.errors import FileProblem, StoryreelError

PROJECT_FILE = "storyreel.toml"
STORYBOARDS = "storyboards"
LANGS: tuple[str, ...] = ("zh", "en")

# The project file ``storyreel init`` writes; every key is optional.
DEFAULT_CONFIG = """\
# storyreel project: defaults for every command run in this folder or below it.
languages = ["zh", "en"]     # what `render` and `check` make (zh, en)
presets = ["landscape"]      # landscape, portrait, square
engine = "espeak"            # speech: espeak (offline), edge (online), auto
output = "output"            # where videos go, relative to this file
jobs = "auto"                # jobs at once: a number, or auto (from the core count)
theme = "default"            # the theme of storyboards that name none
"""


class ProjectError(FileProblem):
    """A problem in ``storyreel.toml``, or no project where one is needed."""

    kind = "project"


class OutsideProject(StoryreelError):
    """A file a storyboard, theme or override names that lies outside its project."""

    kind = "outside-project"

    def __init__(self, value: str, resolved: Path, root: Path) -> None:
        self.value = value
        self.resolved = resolved
        self.root = root
        super().__init__(f"'{value}' points outside the project folder {root}; "
                         "keep the files a story uses inside its project")


@dataclass(frozen=True)
class Config:
    """The defaults of a project (``storyreel.toml``)."""

    languages: tuple[str, ...] = ("zh", "en")
    presets: tuple[str, ...] = ("landscape",)
    engine: str = "espeak"
    output: str = "output"
    jobs: int | None = None  # None: auto
    theme: str = "default"


@dataclass(frozen=True)
class Project:
    """A project root (resolved) and its defaults."""

    root: Path
    config: Config = field(default_factory=Config)
    config_file: Path | None = None

    @property
    def storyboards(self) -> Path:
        return self.root / STORYBOARDS

    @property
    def output(self) -> Path:
        return self.root / self.config.output

    @property
    def cache(self) -> Path:
        """The content-addressed cache (``STORYREEL_CACHE`` overrides)."""
        override = os.environ.get("STORYREEL_CACHE")
        return Path(override) if override else self.root / ".storyreel-cache"

    def inside(self, base: Path, value: str) -> Path:
        return inside(base, value, self.root)


def inside(base: Path, value: str, root: Path) -> Path:
    """``value`` (relative to ``base``, or absolute) resolved with its symlinks; raise
    :class:`OutsideProject` unless it lies inside ``root``."""
    path = (base / value).resolve()
    root = root.resolve()
    if not path.is_relative_to(root):
        raise OutsideProject(value, path, root)
    return path


def _is_project(folder: Path) -> bool:
    return (folder / PROJECT_FILE).is_file()


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``storyreel.toml``; failing that,
    the nearest holding ``storyboards/`` (older projects); else None."""
    start = start.resolve()
    chain = [start, *start.parents]
    for folder in chain:
        if _is_project(folder):
            return folder
    for folder in chain:
        if (folder / STORYBOARDS).is_dir() and folder != Path(folder.anchor):
            return folder
    return None


def find_project(explicit: Path | None = None, start: Path | None = None) -> Project:
    """The project a command works in: ``explicit`` (``--project``), else found by walking
    up from ``start`` (the current folder)."""
    if explicit is not None:
        root = explicit.resolve()
        if not root.is_dir():
            raise ProjectError(explicit, None, "--project", "no such folder")
    else:
        here = (start or Path.cwd()).resolve()
        found = find_root(here)
        if found is None:
            raise ProjectError(here, None, "", f"not inside a storyreel project (no "
                               f"{PROJECT_FILE} here or above); run `storyreel init DIR` "
                               "or pass --project DIR")
        root = found
    return load_project(root)


def load_project(root: Path) -> Project:
    """The project at ``root`` with the defaults of its ``storyreel.toml`` (if any)."""
    root = root.resolve()
    config_file = root / PROJECT_FILE
    if not config_file.is_file():
        return Project(root)
    return Project(root, read_config(config_file), config_file)


def project_root_of(storyboard: Path) -> Path:
    """The root a storyboard's files must stay in: the nearest folder above it holding
    ``storyreel.toml``; else, for a storyboard in a ``storyboards/`` folder, the folder
    above that; else the storyboard's own folder (never a grandparent it happens to be
    in). The file system's root is never a project root."""
    folder = storyboard.resolve().parent
    for candidate in (folder, *folder.parents):
        if _is_project(candidate):
            return candidate
    if folder.name == STORYBOARDS and folder.parent != Path(folder.anchor):
        return folder.parent
    return folder


def project_of_storyboard(storyboard: Path) -> Project:
    return load_project(project_root_of(storyboard))


# --- storyreel.toml ---------------------------------------------------------------------

_FIELDS = ("languages", "presets", "engine", "output", "jobs", "theme")


def read_config(path: Path) -> Config:
    """Parse and validate a project file; problems are ``file:line: field: problem``."""
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(path, None, "", f"cannot read the project file ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+)", str(exc))
        problem = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise ProjectError(path, int(m.group(1)) if m else None, "",
                           f"TOML syntax error: {problem}") from None
    return _validate(path, text, data)


def _line_of(text: str, key: str) -> int | None:
    m = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", text, re.MULTILINE)
    return text[: m.start()].count("\n") + 1 if m else None


def _validate(path: Path, text: str, data: dict[str, Any]) -> Config:
    from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

    from storyreel.presets import PRESETS

    class Model(BaseModel):
        model_config = ConfigDict(extra="forbid")
        languages: list[str] = Field(default=["zh", "en"], min_length=1)
        presets: list[str] = Field(default=["landscape"], min_length=1)
        engine: str = "espeak"
        output: str = Field(default="output", min_length=1)
        jobs: int | str = "auto"
        theme: str = "default"

        @field_validator("languages")
        @classmethod
        def _langs(cls, value: list[str]) -> list[str]:
            bad = [v for v in value if v not in ("zh", "en")]
            if bad:
                raise ValueError(f"unknown language '{bad[0]}'; choose from zh, en")
            return value

        @field_validator("presets")
        @classmethod
        def _presets(cls, value: list[str]) -> list[str]:
            bad = [v for v in value if v not in PRESETS]
            if bad:
                raise ValueError(f"unknown preset '{bad[0]}'; choose from "
                                 + ", ".join(PRESETS))
            return value

        @field_validator("jobs")
        @classmethod
        def _jobs(cls, value: int | str) -> int | str:
            if value == "auto" or (isinstance(value, int) and 1 <= value <= 32):
                return value
            raise ValueError("must be a number from 1 to 32, or \"auto\"")

    try:
        model = Model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = [str(p) for p in err["loc"]]
        name = loc[0] if loc else ""
        problem = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            problem = "unknown setting; use " + ", ".join(_FIELDS)
        raise ProjectError(path, _line_of(text, name) if name else None,
                           ".".join(loc), problem) from None
    return Config(
        languages=tuple(dict.fromkeys(model.languages)),
        presets=tuple(dict.fromkeys(model.presets)),
        engine=model.engine, output=model.output,
        jobs=None if model.jobs == "auto" else int(model.jobs), theme=model.theme,
    )


MAX_AUTO_JOBS = 4
# What one job may hold at once, with room to spare: a 1080p job peaks at 500-540 MiB
# (storyreel and its ffmpeg, PSS; benchmarks/render.py).
JOB_MEMORY = 768 * 2**20


def auto_jobs(cores: int | None = None, memory: int | None = None) -> int:
    """How many jobs run at once under ``--jobs auto``: one per core, at most four, and
    no more than the memory available (``memory`` bytes; by default what the system
    says is available) holds at ``JOB_MEMORY`` a job.

    Measured with benchmarks/parallel.py on this 2-core machine: two jobs at once made
    242 videos/hour against 189 for one job at a time whose ffmpeg had both cores (the
    Python stages and ffmpeg's start and end leave cores idle that a second job fills)."""
    cores = cores or os.cpu_count() or 1
    memory = memory if memory is not None else available_memory()
    by_memory = memory // JOB_MEMORY if memory is not None else MAX_AUTO_JOBS
    return max(1, min(cores, MAX_AUTO_JOBS, by_memory))


def available_memory() -> int | None:
    """Bytes of memory available to new work (Linux's MemAvailable), None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None
