"""The platform table: where each video goes and what each platform takes.

The table is data (``platforms.yaml`` beside this module, with its sources in comments);
a project's own ``platforms.yaml`` (at its root, beside ``storyboards/``) overrides any
field of any platform or adds platforms. :func:`measure` counts text the way a platform
counts it.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from storyreel.errors import PlatformTableError
from storyreel.presets import PRESETS

TABLE = Path(__file__).with_name("platforms.yaml")
PROJECT_TABLE = "platforms.yaml"

Count = Literal["chars", "utf16", "bytes", "weighted", "halfwidth"]
TagForm = Literal["hashtag", "weibo", "field"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextLimit(_Model):
    """The longest text a field takes, counted the platform's way."""

    max: int = Field(gt=0)
    count: Count = "chars"


class TagRule(_Model):
    """How a platform takes tags: as #hashtags in the text or in a field of their own."""

    form: TagForm
    max_items: int = Field(ge=0)
    max_each: int = Field(gt=0)
    max_total: int | None = Field(default=None, gt=0)


class Platform(_Model):
    """One row of the table (see ``platforms.yaml`` for what each field means)."""

    key: str
    name: str
    preset: str
    langs: tuple[str, ...] = Field(min_length=1)
    max_seconds: int | None = Field(gt=0)
    max_bytes: int | None = Field(gt=0)
    title: TextLimit | None
    description: TextLimit
    tags: TagRule
    cover: tuple[int, int]
    subtitles: tuple[Literal["srt", "vtt"], ...]


@dataclass(frozen=True)
class Platforms:
    """The whole table, in file order, and where it came from."""

    platforms: tuple[Platform, ...]
    sources: tuple[Path, ...]

    def __iter__(self) -> Any:
        return iter(self.platforms)

    def __len__(self) -> int:
        return len(self.platforms)

    def get(self, key: str) -> Platform:
        for platform in self.platforms:
            if platform.key == key:
                return platform
        raise PlatformTableError(self.sources[-1], key, "unknown platform; choose from "
                                 + ", ".join(self.keys()))

    def keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.platforms)

    def taking(self, lang: str, preset: str) -> tuple[Platform, ...]:
        """The platforms that take the render of ``lang`` in ``preset``."""
        return tuple(p for p in self.platforms if p.preset == preset and lang in p.langs)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (OSError, YAMLError) as exc:
        raise PlatformTableError(path, "", f"cannot read it: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise PlatformTableError(path, "", "expected a mapping of platform names to fields")
    return {str(k): dict(v) for k, v in data.items()}


def _validate(key: str, fields: Mapping[str, Any], path: Path) -> Platform:
    try:
        platform = Platform.model_validate({"key": key, **fields})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PlatformTableError(path, f"{key}.{where}", first["msg"].lower()) from None
    if platform.preset not in PRESETS:
        raise PlatformTableError(path, f"{key}.preset", f"unknown preset '{platform.preset}'; "
                                 "choose from " + ", ".join(PRESETS))
    if any(lang not in ("zh", "en") for lang in platform.langs):
        raise PlatformTableError(path, f"{key}.langs", "languages are zh and en")
    if min(platform.cover) < 16:
        raise PlatformTableError(path, f"{key}.cover", "give [width, height] in pixels")
    return platform


def load_platforms(project: Path | None = None) -> Platforms:
    """The package's table, with ``project``'s ``platforms.yaml`` over it if there is one."""
    return _load(project.resolve() if project is not None else None)


@cache
def _load(project: Path | None) -> Platforms:
    merged = _read(TABLE)
    sources = [TABLE]
    override = project / PROJECT_TABLE if project is not None else None
    if override is not None and override.is_file():
        sources.append(override)
        for key, fields in _read(override).items():
            merged[key] = {**merged.get(key, {}), **fields}
    path = sources[-1]
    return Platforms(tuple(_validate(k, v, path) for k, v in merged.items()), tuple(sources))


# --- counting --------------------------------------------------------------------------

# twitter-text v3 (docs.x.com counting-characters): these ranges weigh 1, all else 2.
_X_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


def _x_weight(ch: str) -> int:
    o = ord(ch)
    return 1 if any(lo <= o <= hi for lo, hi in _X_LIGHT) else 2


def _half(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("Na", "H", "N")


def measure(text: str, count: Count) -> int:
    """The length of ``text`` as a platform counting ``count`` sees it."""
    if count == "chars":
        return len(text)
    if count == "utf16":
        return len(text.encode("utf-16-le")) // 2
    if count == "bytes":
        return len(text.encode("utf-8"))
    if count == "weighted":
        return sum(_x_weight(ch) for ch in unicodedata.normalize("NFC", text))
    return math.ceil(sum(0.5 if _half(ch) else 1.0 for ch in text))
