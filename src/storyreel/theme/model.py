"""Themes: colours, type, logo and caption style, read from ``theme/themes/<name>.yaml``.

Sizes are fractions of the frame's shorter side, so one theme serves every preset. A
storyboard names its theme and may override parts of it (a nested mapping merged over
the file before validation). To add a theme, add a YAML file beside ``default.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from storyreel.errors import AssetError, FileProblem, StoryreelError, UnknownNameError
from storyreel.fonts import load_font
from storyreel.presets import Preset
from storyreel.project import OutsideProject, inside
from storyreel.resources import music_dir
from storyreel.theme.captions import CaptionStyle, ass_font_size

THEMES_DIR = Path(__file__).resolve().parent / "themes"
REFERENCE_UNIT = 1080  # the shorter side of every preset's own frame

RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class Style:
    """How one kind of text looks, in pixels of the frame being drawn."""

    size: int
    min_size: int
    bold: bool
    leading: float  # line pitch as a multiple of the size
    color: RGBA


_HEX = re.compile(r"^#([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$")


def parse_color(value: str) -> RGBA:
    """``#rrggbb`` or ``#rrggbbaa`` to ``(r, g, b, a)``."""
    m = _HEX.match(value.strip())
    if not m:
        raise ValueError(f"'{value}' is not a colour: write #rrggbb or #rrggbbaa")
    h = m.group(1) + (m.group(2) or "ff")
    return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), int(h[6:8], 16))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Color = str


def _check_colors(value: str) -> str:
    parse_color(value)
    return value


class Colors(_Model):
    """The palette. Text over pictures always uses ``on_image`` on a dark scrim."""

    background: Color = Field(description="Card background, top-left of its gradient.")
    background_end: Color = Field(description="Card background, bottom-right.")
    text: Color = Field(description="Main text on cards.")
    muted: Color = Field(description="Secondary text on cards: labels, credits.")
    accent: Color = Field(description="Bars, figures, markers.")
    on_accent: Color = Field(description="Text drawn on the accent colour.")
    on_image: Color = Field(default="#ffffff", description="Text over pictures.")
    on_image_muted: Color = Field(default="#ffffffd9", description="Secondary text over pictures.")
    scrim: Color = Field(default="#000000", description="Gradient under text over pictures.")

    @field_validator("*")
    @classmethod
    def _hex(cls, value: str) -> str:
        return _check_colors(value)


class TypeRole(_Model):
    size: float = Field(gt=0, le=0.5, description="Size as a fraction of the shorter side.")
    min: float = Field(gt=0, le=0.5, description="Smallest size it may shrink to.")
    bold: bool = False
    leading: float = Field(default=1.2, ge=0.8, le=2.5, description="Line pitch / size.")


class Typography(_Model):
    title: TypeRole
    heading: TypeRole
    body: TypeRole
    kicker: TypeRole
    quote: TypeRole
    attribution: TypeRole
    figure: TypeRole
    unit: TypeRole
    label: TypeRole
    point: TypeRole
    cta: TypeRole
    credits: TypeRole
    cover_title: TypeRole
    cjk_leading: float = Field(
        default=0.15, ge=0, le=1, description="Extra line pitch for Chinese, in ems."
    )


class Logo(_Model):
    """The end card's logo: an image file, or a drawn monogram mark."""

    mark: str = Field(default="", max_length=4, description="Monogram letters drawn in a badge.")
    name: str = Field(default="", description="Wordmark beside the badge.")
    path: str | None = Field(
        default=None, description="Logo image (PNG with transparency), relative to the theme."
    )
    shape: Literal["circle", "rounded"] = "rounded"


class Captions(_Model):
    """Caption look; sizes are fractions of the shorter side."""

    size: float = Field(default=0.05, gt=0, le=0.2)
    bold: bool = True
    color: Color = "#ffffff"
    outline_color: Color = "#000000"
    outline: float = Field(default=0.003, ge=0, le=0.05)
    shadow: float = Field(default=0.001, ge=0, le=0.05)
    box: bool = Field(default=False, description="An opaque box behind the text, not an outline.")
    box_color: Color = "#000000a0"
    lift: float = Field(
        default=0.0, ge=0, le=0.3,
        description="Extra distance above the bottom of the safe area (fraction of height).",
    )

    @field_validator("color", "outline_color", "box_color")
    @classmethod
    def _hex(cls, value: str) -> str:
        return _check_colors(value)


class Sound(_Model):
    """The music bed a theme brings, and how it sits under the narration."""

    music: str | None = Field(
        default=None,
        description="Music bed (a file in music/) for storyboards that name none.",
    )
    music_db: float = Field(
        default=-6.0, ge=-40, le=6,
        description="Level of the bed between narration, relative to the file, in dB.",
    )
    duck_db: float = Field(
        default=12.0, ge=0, le=40, description="How far the bed drops under speech, in dB."
    )


class Theme(_Model):
    """A validated theme; helpers turn its fractions into pixels for one preset."""

    name: str
    description: str = ""
    colors: Colors
    type: Typography
    margin: float = Field(
        default=0.045, ge=0, le=0.2, description="Inner margin, of the shorter side."
    )
    scrim_opacity: float = Field(default=0.78, ge=0, le=1)
    fill_darken: float = Field(
        default=0.5, ge=0, le=1, description="How much the blurred fill behind a picture darkens."
    )
    glow: float = Field(default=0.18, ge=0, le=1, description="Accent glow on card backgrounds.")
    logo: Logo = Logo()
    captions: Captions = Captions()
    sound: Sound = Sound()
    source: Path | None = Field(default=None, exclude=True)

    def logo_file(self) -> Path | None:
        """The logo image, if the theme names one (relative to the theme file)."""
        if not self.logo.path:
            return None
        base = self.source.parent if self.source else Path.cwd()
        return (base / self.logo.path).resolve()

    def color(self, name: str) -> RGBA:
        value: str = getattr(self.colors, name)
        return parse_color(value)

    def style(self, role: str, preset: Preset, color: str = "text") -> Style:
        """The pixel style of a type role for ``preset``'s frame, in a palette colour."""
        r: TypeRole = getattr(self.type, role)
        unit = min(preset.width, preset.height)
        floor = scaled_floor(8, unit)
        size = max(floor, round(r.size * unit))
        return Style(size, min(size, max(floor, round(r.min * unit))), r.bold, r.leading,
                     self.color(color))

    def margin_px(self, preset: Preset) -> int:
        return round(self.margin * min(preset.width, preset.height))

    def caption_style(self, preset: Preset, lang: str | None = None) -> CaptionStyle:
        """Captions for ``preset``: inside its safe area, bottom-centred above the bottom
        inset, at the theme's size or smaller so a full line (16 CJK characters in zh, 42
        Latin in en; both when ``lang`` is None) fits the safe width."""
        c = self.captions
        safe = preset.safe
        unit = min(preset.width, preset.height)
        outline = round(c.outline * unit, 1)
        pad = round(outline * 2) + (round(0.012 * unit) if c.box else 0)
        room = safe.width - 2 * pad
        size = round(c.size * unit)
        probe = load_font(100, c.bold)
        if lang in (None, "zh"):
            size = min(size, int(room * 100 / probe.getlength("中" * 16)))
        if lang in (None, "en"):
            sample = "Planting trees on the plateau, year after ye"  # 44 chars, typical mix
            per_char = probe.getlength(sample) / len(sample)
            size = min(size, int(room * 100 / (per_char * 42)))
        box_rgba = parse_color(c.box_color)
        return CaptionStyle(
            play_res=(preset.width, preset.height),
            font_size=size,
            bold=c.bold,
            primary=parse_color(c.color),
            outline_colour=box_rgba if c.box else parse_color(c.outline_color),
            back_colour=box_rgba if c.box else (0, 0, 0, 128),
            outline=outline if not c.box else round(0.012 * unit, 1),
            shadow=round(c.shadow * unit, 1),
            box=c.box,
            margin_l=safe.left + pad,
            margin_r=preset.width - safe.right + pad,
            margin_v=preset.height - safe.bottom + round(c.lift * preset.height),
        )

    def caption_band(self, preset: Preset) -> int:
        """Height kept free for two caption lines at the bottom of the safe area."""
        style = self.caption_style(preset)
        unit = min(preset.width, preset.height)
        # libass gives each line the font's full ascender-to-descender height.
        return round(2 * ass_font_size(style) + 2 * style.outline
                     + self.captions.lift * preset.height + 0.03 * unit)


class ThemeError(FileProblem):
    """A theme file (with a storyboard's overrides, when ``overridden``) that is not valid."""

    kind = "theme"

    def __init__(self, path: Path, field: str, problem: str, overridden: bool = False) -> None:
        self.overridden = overridden
        note = " (with the storyboard's overrides)" if overridden else ""
        super().__init__(path, None, field, f"invalid theme{note}: {problem}")
        self.problem = problem


def scaled_floor(px: int, unit: int) -> int:
    """A floor of ``px`` pixels (the smallest legible text, the thinnest bar), scaled
    down with frames smaller than the presets' own (shorter side ``REFERENCE_UNIT``).

    Theme sizes are fractions of the frame; an absolute floor is not, and in a small
    frame (a quick look at 320x180, say) it would make small text and rules relatively
    larger than at full size, so text that fits at full size would overflow there.
    """
    return max(1, round(px * min(1.0, unit / REFERENCE_UNIT)))


def available_themes() -> list[str]:
    return sorted(p.stem for p in THEMES_DIR.glob("*.yaml"))


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


@lru_cache(maxsize=16)
def _read(path: Path) -> dict[str, Any]:
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (OSError, YAMLError) as exc:
        raise ThemeError(path, "", f"cannot read the theme: {exc}") from None
    if not isinstance(data, dict):
        raise ThemeError(path, "", "a theme is a mapping of settings")
    plain: dict[str, Any] = _plain(data)
    return plain


# The fields of a theme that name files: (section, key).
PATH_FIELDS: tuple[tuple[str, str], ...] = (("logo", "path"), ("sound", "music"))


def resolve_override_paths(
    overrides: dict[str, Any], base: Path, root: Path,
) -> tuple[dict[str, Any], list[tuple[list[str], str]]]:
    """A storyboard's ``overrides`` with their file fields resolved (relative to ``base``,
    the storyboard's folder, symlinks resolved, inside the project ``root``; music may
    also name a shipped bed), and the problems of those that cannot be, as
    ``(field path, problem)``."""
    resolved: dict[str, Any] = _plain(overrides)
    problems: list[tuple[list[str], str]] = []
    for section, key in PATH_FIELDS:
        part = resolved.get(section)
        if not isinstance(part, dict) or not isinstance(part.get(key), str):
            continue
        value: str = part[key]
        try:
            if key == "music":
                path = _music_file(value, base, root)
            else:
                path = inside(base, value, root)
                if not path.is_file():
                    raise AssetError(f"'{value}' not found (looked for {path}); the path "
                                     "is relative to the storyboard")
            path = path.resolve()
        except StoryreelError as exc:
            problems.append(([section, key], str(exc)))
            continue
        resolved[section] = {**part, key: str(path)}
    return resolved, problems


def _music_file(value: str, base: Path, root: Path) -> Path:
    """A music bed named by an override: a file inside the project (relative to
    ``base``), or a shipped bed by its plain name."""
    plain = not any(c in value for c in "/\\") and value not in (".", "..")
    if plain and not (base / value).exists():
        path = music_dir() / value
        if not path.is_file():
            raise AssetError(f"'{value}' not found beside the storyboard nor in {music_dir()}")
        return path
    path = inside(base, value, root)
    if not path.is_file():
        raise AssetError(f"'{value}' not found (looked for {path})")
    return path


def _check_own_paths(path: Path, data: dict[str, Any]) -> None:
    """A theme file's own logo lies beside it, its music among the shipped beds."""
    for (section, key), root in zip(PATH_FIELDS, (path.parent, music_dir()), strict=True):
        part = data.get(section)
        value = part.get(key) if isinstance(part, dict) else None
        if isinstance(value, str):
            try:
                inside(root, value, root)
            except OutsideProject as exc:
                raise ThemeError(path, f"{section}.{key}", str(exc)) from None


def load_theme(name: str, overrides: dict[str, Any] | None = None) -> Theme:
    """The theme ``name`` from ``theme/themes/``, with ``overrides`` merged over it."""
    path = THEMES_DIR / f"{name}.yaml"
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name) or not path.is_file():
        raise UnknownNameError("theme", name, available_themes())
    data = _read(path)
    _check_own_paths(path, data)
    if overrides:
        data = _merge(data, _plain(overrides))
    try:
        theme = Theme.model_validate({**data, "source": path})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ThemeError(path, "", problems, overridden=bool(overrides)) from None
    for role_name in Typography.model_fields:
        role = getattr(theme.type, role_name)
        if isinstance(role, TypeRole) and role.min > role.size:
            raise ThemeError(path, f"type.{role_name}", "min is larger than size")
    return theme
