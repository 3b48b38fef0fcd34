"""Text: line breaking (Chinese per character with 避头尾 rules, English per word),
fitting a stack of texts into a box by shrinking them together, and drawing.

Fitting never cuts text: it shrinks every item of a stack by one common factor, each no
smaller than its minimum size; when even the minimum does not fit, :class:`Fit` says by
how many pixels and which item is to blame, and the caller reports it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from PIL import Image, ImageDraw, ImageFilter

from storyreel.layout.fonts import Font, load_font, shaping
from storyreel.presets import Box

RGBA = tuple[int, int, int, int]
Align = Literal["left", "center", "right"]
VAlign = Literal["top", "center", "bottom"]

# A line may not start with these (closing punctuation, pauses, dashes and ellipses) ...
NO_START = frozenset(
    "，。、；：？！）》」』】〕〉〗”’…—·～%‰℃"
    ",.;:?!)]}>»"
)
# ... nor end with these (opening brackets and quotes, currency signs).
NO_END = frozenset("（《「『【〔〈〖“‘·([{<«$¥￥£")

# Vertical metrics of the font, in ems: ink reaches about this far above and below the
# baseline (CJK ideographs 0.88 / 0.12, Latin descenders 0.26).
ASCENT = 0.92
DESCENT = 0.27


@dataclass(frozen=True)
class Style:
    """How one kind of text looks, in pixels of the frame being drawn."""

    size: int
    min_size: int
    bold: bool
    leading: float  # line pitch as a multiple of the size
    color: RGBA


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
        return self.left

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass(frozen=True)
class Fit:
    """A stack of items set inside a box, and whether (by how much) it overflows."""

    placed: tuple[Placed, ...]
    box: Box
    overflow_px: int = 0
    overflow_axis: str = ""
    culprit: Item | None = None
    extra: dict[str, int] = field(default_factory=dict)

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


def _is_cjk(ch: str, lang: str) -> bool:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return True
    return lang == "zh" and (ch in NO_START or ch in NO_END)


@cache
def _phrases() -> Any:
    import budoux

    return budoux.load_default_simplified_chinese_parser()


def _phrase_starts(text: str) -> set[int]:
    """Offsets where a Chinese phrase starts (budoux): the preferred places to break."""
    starts, pos = set(), 0
    for phrase in _phrases().parse(text):
        starts.add(pos)
        pos += len(phrase)
    return starts


def chunks(text: str, lang: str) -> list[tuple[str, bool, bool]]:
    """Unbreakable pieces of one paragraph: ``(text, space before, phrase start)``.

    A CJK character is a piece of its own; a run of other characters (an English word, a
    number with its unit sign) is one piece. Closing punctuation is glued to the piece
    before it and opening punctuation to the piece after it, so no line starts with
    ``，`` or ends with ``《``; ``——``, ``……`` and ``·`` never split. In Chinese, a
    piece that starts a phrase (budoux) is a better place to break than one inside a
    phrase; elsewhere every piece starts a "phrase".
    """
    tokens: list[tuple[str, bool, int]] = []
    space = False
    word = False  # whether the last token is an open run of word characters
    for pos, ch in enumerate(text):
        if ch.isspace():
            space, word = True, False
            continue
        if _is_cjk(ch, lang):
            tokens.append((ch, space, pos))
            word = False
        elif word and tokens:
            prev, sp, at = tokens[-1]
            tokens[-1] = (prev + ch, sp, at)
        else:
            tokens.append((ch, space, pos))
            word = True
        space = False
    starts = _phrase_starts(text) if lang == "zh" and text.strip() else None
    glued: list[tuple[str, bool, bool]] = []
    for tok, sp, at in tokens:
        if glued and not sp and (tok[0] in NO_START or glued[-1][0][-1] in NO_END):
            prev, psp, strong = glued[-1]
            glued[-1] = (prev + tok, psp, strong)
        else:
            glued.append((tok, sp, sp or starts is None or at in starts))
    return glued


def _words(pieces: list[tuple[str, bool, bool]]) -> list[list[tuple[str, bool]]]:
    """Pieces grouped into words: runs with no phrase boundary inside."""
    words: list[list[tuple[str, bool]]] = []
    for tok, sp, strong in pieces:
        if strong or not words:
            words.append([(tok, sp)])
        else:
            words[-1].append((tok, sp))
    return words


class Measurer:
    """Widths of pieces at one font, cached (line breaking measures each piece once)."""

    def __init__(self, font: Font, lang: str) -> None:
        self.font = font
        self.kwargs = shaping(lang)
        self._cache: dict[str, float] = {}
        self.space = self.width(" ")

    def width(self, text: str) -> float:
        w = self._cache.get(text)
        if w is None:
            w = float(self.font.getlength(text, **self.kwargs))
            self._cache[text] = w
        return w


def _join(word: list[tuple[str, bool]]) -> tuple[str, bool]:
    text = word[0][0] + "".join((" " if sp else "") + tok for tok, sp in word[1:])
    return text, word[0][1]


def _greedy(words: list[list[tuple[str, bool]]], m: Measurer, max_w: float) -> list[str]:
    """Fill lines word by word. A word that does not fit breaks between its pieces when
    it is wider than a line, or when moving it whole would leave the line under 60 %
    full (phrases are preferred breaks, not required ones)."""
    lines: list[str] = []
    line, line_w = "", 0.0

    def add(tok: str, sp: bool) -> bool:
        nonlocal line, line_w
        w = m.width(tok)
        if not line:
            line, line_w = tok, w
            return True
        extra = (m.space if sp else 0.0) + w
        if line_w + extra > max_w:
            return False
        line, line_w = line + (" " if sp else "") + tok, line_w + extra
        return True

    for word in words:
        text, sp = _join(word)
        if add(text, sp):
            continue
        splittable = len(word) > 1 and (m.width(text) > max_w or line_w < 0.6 * max_w)
        if not splittable:
            lines.append(line)
            line, line_w = "", 0.0
            add(text, sp)
            continue
        for tok, tsp in word:
            if not add(tok, tsp):
                lines.append(line)
                line, line_w = "", 0.0
                add(tok, tsp)
    if line:
        lines.append(line)
    return lines


def wrap(text: str, font: Font, lang: str, max_w: int, balance: bool = True) -> list[str]:
    """Break ``text`` into lines no wider than ``max_w`` where it can.

    Explicit newlines are kept. A piece wider than ``max_w`` (a long word) stays whole on a
    line of its own: the caller sees the line is too wide and shrinks the text. With
    ``balance``, a paragraph of up to five lines is set as narrow as its line count
    allows, so lines come out even instead of ending in one orphaned word.
    """
    m = Measurer(font, lang)
    out: list[str] = []
    for para in text.split("\n"):
        pieces = chunks(para, lang)
        if not pieces:
            out.append("")
            continue
        words = _words(pieces)
        lines = _greedy(words, m, max_w)
        if balance and 1 < len(lines) <= 5:
            widest = max(m.width(tok) for tok, _, _ in pieces)
            lo, hi = max(widest, max_w / len(lines) * 0.9), float(max_w)
            while hi - lo > 2:
                mid = (lo + hi) / 2
                if len(_greedy(words, m, mid)) <= len(lines):
                    hi = mid
                else:
                    lo = mid
            lines = _greedy(words, m, hi)
        out.extend(lines)
    return out


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
        lines = wrap(item.text, font, lang, col_w)
        widths = tuple(round(font.getlength(line, **kwargs)) for line in lines)
        if placed:
            y += round(item.gap * size)
        over = max(widths, default=0) - col_w
        if over > worst_w:
            worst_w, worst_w_item = over, item
        placed.append(
            Placed(item, size, tuple(lines), widths, box.left + indent, col_w, y, pitch, align)
        )
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
        return Fit(moved, box, worst_w, "width", worst_w_item)
    if slack < 0:
        culprit = max(moved, key=lambda p: p.height).item
        return Fit(moved, box, -slack, "height", culprit)
    return Fit(moved, box)


def _moved(p: Placed, dy: int) -> Placed:
    return Placed(
        p.item, p.size, p.lines, p.line_widths, p.left, p.width, p.top + dy, p.pitch,
        p.align, p.inline_x,
    )


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
