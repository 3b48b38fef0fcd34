"""Text on slides: fitting a stack of texts into a box by shrinking them together, and
drawing it. Lines break by the rules of :mod:`storyreel.text` (measured with the font).

Fitting never cuts text: it shrinks every item of a stack by one common factor, each no
smaller than its minimum size; when even the minimum does not fit, :class:`Fit` says by
how many pixels and which item is to blame, and the caller reports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from PIL import Image, ImageDraw, ImageFilter

from storyreel.fonts import Font, load_font, shaping
from storyreel.presets import Box
from storyreel.text import OPEN_BRACKETS, fit_lines, is_wide
from storyreel.theme import RGBA, Style

Align = Literal["left", "center", "right"]
VAlign = Literal["top", "center", "bottom"]

# Vertical metrics of the font, in ems: ink reaches about this far above and below the
# baseline (CJK ideographs 0.88 / 0.12, Latin descenders 0.26).
ASCENT = 0.92
DESCENT = 0.27


@dataclass(frozen=True)
class Item:
    """One text of a stack: a field of the scene and how to set it.

    ``gap`` is the space before it and ``indent`` the space left of it, both in ems of
    its own size; an ``inline`` item continues on the last line of the item before it
    when there is room (a unit after a figure), else starts its own line.
    """

    field: str
    text: str
    style: Style
    gap: float = 0.0
    indent: float = 0.0
    inline: bool = False


@dataclass(frozen=True)
class Placed:
    """An item set at a size: its lines and where they go."""

    item: Item
    size: int
    lines: tuple[str, ...]
    line_widths: tuple[int, ...]
    left: int  # left edge of the item's column
    width: int  # column width
    top: int  # top of the first line's ink box (baseline - ASCENT * size)
    pitch: int
    align: Align
    inline_x: int | None = None  # x of an inline item's start on the previous baseline
    # Per line: how far it hangs left of the column (a full-width opening quote or
    # bracket, whose ink sits in the right half of its em, so the text aligns).
    hangs: tuple[int, ...] = ()

    @property
    def height(self) -> int:
        return text_height(len(self.lines), self.size, self.pitch)

    def baseline(self, i: int) -> int:
        return self.top + round(ASCENT * self.size) + i * self.pitch

    def line_x(self, i: int) -> int:
        if self.inline_x is not None:
            return self.inline_x
        slack = self.width - self.line_widths[i]
        if self.align == "center":
            return self.left + slack // 2
        if self.align == "right":
            return self.left + slack
        return self.left - (self.hangs[i] if i < len(self.hangs) else 0)

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass(frozen=True)
class Fit:
    """A stack of items set inside a box, and whether (by how much) it overflows."""

    placed: tuple[Placed, ...]
    box: Box
    overflow_px: int = 0
    culprit: Item | None = None

    @property
    def fits(self) -> bool:
        return self.overflow_px <= 0

    @property
    def bottom(self) -> int:
        return max((p.bottom for p in self.placed), default=self.box.top)

    @property
    def top(self) -> int:
        return min((p.top for p in self.placed), default=self.box.top)

    def only(self, placed: Placed) -> Fit:
        """The same fit with just one of its items (to draw it on a layer of its own)."""
        return Fit((placed,), self.box)


def text_height(lines: int, size: int, pitch: int) -> int:
    if lines == 0:
        return 0
    return round((ASCENT + DESCENT) * size) + (lines - 1) * pitch


# --- line breaking ---------------------------------------------------------------------


class Measurer:
    """Widths of pieces at one font, cached (line breaking measures each piece once)."""

    def __init__(self, font: Font, lang: str) -> None:
        self.font = font
        self.kwargs = shaping(lang)
        self._cache: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        w = self._cache.get(text)
        if w is None:
            w = float(self.font.getlength(text, **self.kwargs))
            self._cache[text] = w
        return w


def wrap_text(text: str, font: Font, lang: str, max_w: int) -> list[str]:
    """``text`` broken into lines no wider than ``max_w`` where the rules allow
    (:func:`storyreel.text.fit_lines`: the caption rules, measured with ``font``)."""
    return fit_lines(text, lang, Measurer(font, lang), max_w)


# --- fitting ---------------------------------------------------------------------------


def _leading(style: Style, lang: str, cjk_extra: float) -> float:
    return style.leading + (cjk_extra if lang == "zh" else 0.0)


def _set(
    items: Sequence[Item], sizes: Sequence[int], box: Box, lang: str, align: Align,
    valign: VAlign, cjk_extra: float,
) -> Fit:
    placed: list[Placed] = []
    y = 0  # relative to the stack's top
    worst_w, worst_w_item = 0, None
    for item, size in zip(items, sizes, strict=True):
        font = load_font(size, item.style.bold)
        kwargs = shaping(lang)
        indent = round(item.indent * size)
        col_w = box.width - indent
        pitch = round(size * _leading(item.style, lang, cjk_extra))
        prev = placed[-1] if placed else None
        if item.inline and prev is not None and len(prev.lines) >= 1 and "\n" not in item.text:
            gap = round(0.22 * size)
            last_w = prev.line_widths[-1]
            w = round(font.getlength(item.text, **kwargs))
            prev_x = prev.line_x(len(prev.lines) - 1)
            if prev_x - box.left + last_w + gap + w <= box.width:
                top = prev.baseline(len(prev.lines) - 1) - round(ASCENT * size)
                placed.append(Placed(item, size, (item.text,), (w,), box.left, box.width,
                                     top, pitch, "left", prev_x + last_w + gap))
                continue
        lines = wrap_text(item.text, font, lang, col_w)
        widths = tuple(round(font.getlength(line, **kwargs)) for line in lines)
        if placed:
            y += round(item.gap * size)
        over = max(widths, default=0) - col_w
        if over > worst_w:
            worst_w, worst_w_item = over, item
        hangs = tuple(_hang(line, size, item.style.bold) for line in lines)
        placed.append(Placed(item, size, tuple(lines), widths, box.left + indent, col_w, y,
                             pitch, align, hangs=hangs))
        y += placed[-1].height
    total = y
    slack = box.height - total
    shift = box.top
    if valign == "center":
        shift += max(0, slack) // 2
    elif valign == "bottom":
        shift += max(0, slack)
    moved = tuple(_moved(p, shift) for p in placed)
    if worst_w > 0 and worst_w >= -slack:
        return Fit(moved, box, worst_w, worst_w_item)
    if slack < 0:
        culprit = max(moved, key=lambda p: p.height).item
        return Fit(moved, box, -slack, culprit)
    return Fit(moved, box)


def _moved(p: Placed, dy: int) -> Placed:
    return replace(p, top=p.top + dy)


def _hang(line: str, size: int, bold: bool) -> int:
    """How much blank a full-width opening quote or bracket starting ``line`` has left
    of its ink, beyond an ideograph's."""
    if not line or line[0] not in OPEN_BRACKETS or not is_wide(line[0]):
        return 0
    return max(0, _ink_left(line[0], size, bold) - _ink_left("一", size, bold))


@lru_cache(maxsize=256)
def _ink_left(ch: str, size: int, bold: bool) -> int:
    """Pixels from the pen position to the first ink of ``ch`` (drawn, not estimated)."""
    mask = Image.new("L", (3 * size, 2 * size), 0)
    ImageDraw.Draw(mask).text((size, size), ch, fill=255, font=load_font(size, bold),
                              anchor="ls")
    box = mask.getbbox()
    return box[0] - size if box else 0


def fit_stack(
    items: Sequence[Item],
    box: Box,
    lang: str,
    align: Align = "left",
    valign: VAlign = "top",
    cjk_extra: float = 0.0,
) -> Fit:
    """Set ``items`` top to bottom in ``box`` at the largest common scale that fits.

    Sizes shrink together (each stops at its own minimum) so the hierarchy holds. The
    result fits, or is the set at minimum sizes with ``overflow_px`` > 0.
    """
    items = [i for i in items if i.text.strip()]
    if not items:
        return Fit((), box)
    scale = 1.0
    while True:
        sizes = [max(i.style.min_size, round(i.style.size * scale)) for i in items]
        fit = _set(items, sizes, box, lang, align, valign, cjk_extra)
        if fit.fits or all(s <= i.style.min_size for s, i in zip(sizes, items, strict=True)):
            return fit
        scale *= 0.96


# --- drawing ---------------------------------------------------------------------------


def ink_box(p: Placed, lang: str) -> Box:
    """The pixels ``p``'s glyphs cover, from the font's own glyph boxes."""
    font = load_font(p.size, p.item.style.bold)
    kwargs = shaping(lang)
    left = top = 1 << 30
    right = bottom = -(1 << 30)
    for i, line in enumerate(p.lines):
        if not line:
            continue
        x0, y0, x1, y1 = font.getbbox(line, anchor="ls", **kwargs)
        bx, by = p.line_x(i), p.baseline(i)
        left, top = min(left, bx + int(x0)), min(top, by + int(y0))
        right, bottom = max(right, bx + int(x1)), max(bottom, by + int(y1))
    if right < left:
        return Box(p.left, p.top, p.left, p.top)
    return Box(left, top, right, bottom)


def draw_placed(
    layer: Image.Image, p: Placed, lang: str, color: RGBA | None = None,
    shadow: float = 0.0,
) -> Box:
    """Draw ``p`` onto the RGBA ``layer``; returns its ink box.

    Glyphs are drawn into a coverage mask and composited in the text colour, so edges
    blend correctly over transparent and translucent pixels; ``shadow`` (0..1) adds a
    soft dark shadow under the text for legibility over pictures.
    """
    box = ink_box(p, lang)
    if box.width <= 0 or box.height <= 0:
        return box
    pad = max(4, round(p.size * 0.25)) if shadow else 2
    ox, oy = box.left - pad, box.top - pad
    mask = Image.new("L", (box.width + 2 * pad, box.height + 2 * pad), 0)
    draw = ImageDraw.Draw(mask)
    font = load_font(p.size, p.item.style.bold)
    kwargs = shaping(lang)
    for i, line in enumerate(p.lines):
        if line:
            draw.text((p.line_x(i) - ox, p.baseline(i) - oy), line, fill=255, font=font,
                      anchor="ls", **kwargs)
    rgba = color or p.item.style.color
    if shadow > 0:
        soft = mask.filter(ImageFilter.GaussianBlur(max(2.0, p.size * 0.08)))
        soft = soft.point(lambda v: round(v * shadow))
        dark = Image.new("RGBA", mask.size, (0, 0, 0, 0))
        dark.putalpha(soft)
        composite(layer, dark, ox, oy + max(1, round(p.size * 0.03)))
    ink = Image.new("RGBA", mask.size, (*rgba[:3], 0))
    ink.putalpha(mask if rgba[3] == 255 else mask.point(lambda v: v * rgba[3] // 255))
    composite(layer, ink, ox, oy)
    return box


def composite(layer: Image.Image, im: Image.Image, x: int, y: int) -> None:
    """``layer.alpha_composite(im, (x, y))``, clipped to the layer (x, y may be < 0)."""
    cx, cy = max(0, -x), max(0, -y)
    if cx >= im.width or cy >= im.height or x >= layer.width or y >= layer.height:
        return
    if cx or cy:
        im = im.crop((cx, cy, im.width, im.height))
    layer.alpha_composite(im, (x + cx, y + cy))
