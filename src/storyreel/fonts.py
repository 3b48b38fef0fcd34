"""Fonts for drawing: cached Pillow fonts, shaping options, and glyph coverage.

The shipped Noto Sans CJK SC is a subset (GB 2312, Latin-1, punctuation): a character
outside it would draw as a box, so every text is checked with :func:`missing_glyphs`
before it is drawn.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from fontTools.ttLib import TTFont
from PIL import ImageFont, features

from storyreel.resources import font_path

Font = ImageFont.FreeTypeFont

# Characters that never need a glyph: they are layout, not ink.
_INVISIBLE = frozenset(" \t\n\r\u00a0\u200b\u200c\u200d\u2060\ufeff")


@lru_cache(maxsize=256)
def load_font(size: int, bold: bool = False) -> Font:
    """The shipped font at ``size`` pixels (cached: fonts are reused across scenes)."""
    return ImageFont.truetype(str(font_path(bold)), max(1, int(size)))


@cache
def _cmap(bold: bool) -> frozenset[int]:
    with TTFont(str(font_path(bold)), lazy=True) as font:
        table = font.getBestCmap()
        return frozenset(table) if table else frozenset()


def missing_glyphs(text: str, bold: bool = False) -> set[str]:
    """The characters of ``text`` the font cannot draw (they would show as boxes)."""
    cmap = _cmap(bold)
    return {ch for ch in text if ch not in _INVISIBLE and ord(ch) not in cmap}


@cache
def _has_raqm() -> bool:
    return bool(features.check("raqm"))


def shaping(lang: str) -> dict[str, Any]:
    """Keyword arguments for Pillow's text calls in ``lang``.

    The CJK font's curly quotes and dashes are full-width, which leaves holes in English;
    its ``pwid`` feature swaps in proportional forms (needs libraqm, which Pillow's wheels
    bundle; without it the full-width forms are used).
    """
    if lang == "zh" or not _has_raqm():
        return {}
    return {"features": ["pwid"]}


def describe(chars: set[str]) -> str:
    """``'😀' (U+1F600), '€' (U+20AC)`` in a stable order."""
    return ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in sorted(chars))
