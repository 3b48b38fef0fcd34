"""How captions look: the part of a theme the subtitle files and the burn-in share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

FONT_FAMILY: Final = "Noto Sans CJK SC"
# (ascender + descender) / em of the fonts libass may use: OS/2 winAscent + winDescent
# over unitsPerEm. libass (like VSFilter) makes that height equal to Fontsize.
ASS_SIZE_PER_EM: Final[dict[str, float]] = {FONT_FAMILY: 1.448}


@dataclass(frozen=True)
class CaptionStyle:
    """Caption look in pixels of one frame size (``play_res``).

    Colours are ``(r, g, b, a)`` with a = 255 opaque. ``box`` draws an opaque box behind
    the text (ASS BorderStyle 3) instead of an outline.
    """

    play_res: tuple[int, int] = (1920, 1080)
    font_name: str = FONT_FAMILY
    font_size: int = 54
    bold: bool = True
    primary: tuple[int, int, int, int] = (255, 255, 255, 255)
    outline_colour: tuple[int, int, int, int] = (0, 0, 0, 255)
    back_colour: tuple[int, int, int, int] = (0, 0, 0, 160)
    outline: float = 3.0
    shadow: float = 1.0
    box: bool = False
    margin_l: int = 96
    margin_r: int = 96
    margin_v: int = 60
    # Size of the second-language line in bilingual captions, relative to font_size.
    secondary_scale: float = 0.72


def ass_font_size(style: CaptionStyle, scale: float = 1.0) -> float:
    """The ASS ``Fontsize`` that draws ``style.font_size`` px em glyphs (× ``scale``)."""
    ratio = ASS_SIZE_PER_EM.get(style.font_name, 1.0)
    return round(style.font_size * scale * ratio, 1)
