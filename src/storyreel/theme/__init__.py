"""Themes: colours, type, logo, caption style and sound, from ``themes/<name>.yaml``.

Below the storyboard stage (a storyboard's theme and overrides are validated when it
loads); the layouts turn a theme into pixels. To add a theme, add a YAML file beside
``themes/default.yaml``.
"""

from storyreel.theme.captions import FONT_FAMILY, CaptionStyle, ass_font_size
from storyreel.theme.model import (
    PATH_FIELDS,
    RGBA,
    Style,
    Theme,
    ThemeError,
    available_themes,
    load_theme,
    parse_color,
    resolve_override_paths,
)

__all__ = [
    "FONT_FAMILY", "PATH_FIELDS", "RGBA", "CaptionStyle", "Style", "Theme", "ThemeError",
    "ass_font_size", "available_themes", "load_theme", "parse_color", "resolve_override_paths",
]
