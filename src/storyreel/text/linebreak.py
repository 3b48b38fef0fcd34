"""Subtitle line breaking: Chinese at phrase boundaries with 避头尾, English at words.

A cue shows at most :data:`MAX_LINES` lines of at most ``LIMITS[lang]`` characters.
Chinese counts display width: CJK and full-width characters (and the quotes, dots and
dashes a CJK font draws full-width) count 1, Latin letters, digits, half-width
punctuation and spaces count ½. English counts characters.

Where a line may break (:mod:`storyreel.text.breaks`):

* Chinese: between budoux phrases preferably, between any two CJK characters if need
  be, inside a word (jieba's dictionary, the field's terms, the storyboard's names)
  only when nothing else fits; never before closing punctuation (，。、；：？！…）》」』】”’
  and their half-width forms), never after opening punctuation (（《「『【“‘), never
  before a dash (——), never on either side of the interpunct of a name (约翰·史密斯)
  or of a range tilde, never inside a run of Latin letters, digits and half-width
  signs (COVID-19, 3.5%), never between a number and its unit (100吨, 2023年,
  5万立方米, 一百二十吨, 100 km, 第3). Inside a name further from the dot only if
  nothing else fits (where a transcribed name ends is a guess); before a particle
  (了, 的, 着) only reluctantly.
* English: only at spaces; never before closing punctuation or a dash, never after
  opening punctuation, never between a number and its unit (100 tonnes, fifty
  thousand cubic metres, USD 5) or a title and a name (Dr. Li).

Among the allowed breaks the best one is chosen: after a sentence end, then after
clause punctuation, then at a phrase boundary (or before an English conjunction or
preposition), with two-line cues balanced: a longer top line costs more than a longer
bottom one, and an English bottom line under half the top one much more.

Displayed Chinese follows the subtitle punctuation rules: ，and 。 inside a line become
a space and disappear at a line end (？ and ！ stay); half-width punctuation next to
Chinese becomes full-width and straight quotes become curly; ``...`` becomes …; runs
of whitespace collapse to one space. In both languages the characters subtitle files
read as markup show as look-alikes (``<b>`` as ＜b＞, ``{\\an8}`` as ｛＼an8｝, the colons
of 00:00:05,000 as ∶), so every format carries the text and nothing else.
:func:`subtitle_text` shows one line of that.

The analysis maps every character of the input to what it displays as, one to one, so
:mod:`storyreel.text.chunk` can cut a paragraph into cues with the very same rules
and widths that :func:`wrap` later applies to each cue.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Final

from storyreel.errors import LayoutError
from storyreel.text.breaks import Level, prepare
from storyreel.text.chars import display_width, is_content, zh_char_width

LIMITS: Final[dict[str, int]] = {"zh": 16, "en": 42}
MAX_LINES: Final = 2


class LineBreakError(LayoutError, ValueError):
    """Text that cannot be shown in :data:`MAX_LINES` lines under the width limit."""


_WRAP_COST: Final = {Level.SENTENCE: 0.0, Level.CLAUSE: 0.5, Level.ENUM: 1.5,
                     Level.PHRASE: 4.0, Level.WORD: 6.0, Level.WEAK: 10.0, Level.CHAR: 16.0,
                     Level.NAME: 40.0, Level.IN_WORD: 200.0}
# Extra cost of an English bottom line shorter than half the top line. (Chinese lines
# rather break at the comma: 赞比亚首都卢萨卡人口增长很快 / 供水却跟不上.)
_SHORT_BOTTOM_COST: Final = 20.0


# --- analysis ----------------------------------------------------------------------


@dataclass(frozen=True)
class Analysis:
    """One text prepared for breaking: what each character displays as, where it may
    break and how well. Positions are indices into ``text`` (a break at ``k`` puts
    ``text[k]`` first on the next line); ``breaks`` holds every allowed position."""

    text: str
    lang: str
    limit: int
    norm: str  # the text with subtitle punctuation applied, one character per character
    disp: tuple[str, ...]  # what each character displays as inside a line ("" = nothing)
    breaks: dict[int, Level]
    cuts: tuple[int, ...]  # the allowed positions, in order
    _cum: tuple[float, ...]  # prefix sums of the display width of disp
    _units: tuple[float, ...]  # prefix sums of the width of content characters
    _next_vis: tuple[int, ...]  # first visible index >= i (len(text) if none)
    _prev_vis: tuple[int, ...]  # last visible index < i (-1 if none)

    @property
    def n(self) -> int:
        return len(self.text)

    def _span(self, a: int, b: int) -> tuple[int, int]:
        return self._next_vis[a], self._prev_vis[b] + 1

    def width(self, a: int, b: int) -> float:
        """Display width of the line ``text[a:b]`` would show."""
        s, e = self._span(a, b)
        return self._cum[e] - self._cum[s] if s < e else 0.0

    def line(self, a: int, b: int) -> str:
        """The line ``text[a:b]`` shows: punctuation rules applied, ends trimmed."""
        s, e = self._span(a, b)
        return "".join(self.disp[s:e]).strip() if s < e else ""

    def units(self, a: int, b: int) -> float:
        """How much is read in ``text[a:b]``: the width of its letters, digits and CJK."""
        return self._units[b] - self._units[a]

    def break_cost(self, a: int, c: int, b: int) -> float | None:
        """Cost of showing ``text[a:b]`` as two lines broken at ``c``; None if it does
        not fit."""
        w1, w2 = self.width(a, c), self.width(c, b)
        if w1 > self.limit or w2 > self.limit or w1 == 0 or w2 == 0:
            return None
        # Imbalance in Chinese characters; a longer top line costs more than a longer
        # bottom one, and a bottom line under half the top one much more.
        d = (w1 - w2) / self.limit * 16
        cost = _WRAP_COST[self.breaks[c]] + (0.05 if d > 0 else 0.03) * d * d
        if self.lang == "en" and w2 < 0.5 * w1:
            cost += _SHORT_BOTTOM_COST
        return cost

    def best_break(self, a: int, b: int) -> tuple[float, int] | None:
        """The cost and place of the best break of ``text[a:b]`` in two lines; None
        if no break fits."""
        best: tuple[float, int] | None = None
        for i in range(bisect.bisect_right(self.cuts, a), bisect.bisect_left(self.cuts, b)):
            c = self.cuts[i]
            if self.width(a, c) > self.limit:
                break  # the top line only grows from here
            cost = self.break_cost(a, c, b)
            if cost is not None and (best is None or cost < best[0]):
                best = (cost, c)
        return best

    def lines(self, a: int, b: int) -> tuple[str, ...] | None:
        """The lines of ``text[a:b]`` as one cue; None if they cannot fit."""
        if self.units(a, b) == 0 and not self.line(a, b):
            return ()
        if self.width(a, b) <= self.limit:
            return (self.line(a, b),)
        best = self.best_break(a, b)
        if best is None:
            return None
        c = best[1]
        return (self.line(a, c), self.line(c, b))


def analyse(text: str, lang: str) -> Analysis:
    """Prepare ``text`` for breaking in ``lang`` ("zh" or "en")."""
    if lang not in LIMITS:
        raise ValueError(f"unsupported subtitle language {lang!r}: choose from zh, en")
    norm, disp, breaks = prepare(text, lang)
    n = len(text)
    cum = [0.0]
    units = [0.0]
    for k in range(n):
        cum.append(cum[-1] + display_width(disp[k], lang))
        ch = norm[k]
        u = (zh_char_width(ch) if lang == "zh" else 1.0) if is_content(ch) else 0.0
        units.append(units[-1] + u)
    vis = [bool(d.strip()) for d in disp]
    next_vis = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        next_vis[i] = i if vis[i] else next_vis[i + 1]
    prev_vis = [-1] * (n + 1)
    for i in range(1, n + 1):
        prev_vis[i] = i - 1 if vis[i - 1] else prev_vis[i - 1]
    return Analysis(text, lang, LIMITS[lang], norm, tuple(disp), breaks, tuple(sorted(breaks)),
                    tuple(cum), tuple(units), tuple(next_vis), tuple(prev_vis))


# --- public ------------------------------------------------------------------------


def subtitle_text(text: str, lang: str) -> str:
    """``text`` on one line with the subtitle punctuation rules applied (see module)."""
    a = analyse(text, lang)
    return a.line(0, a.n)


def cue_lines(text: str, lang: str) -> tuple[str, ...]:
    """The lines of one cue showing ``text``: one line if it fits, else the best two.

    Returns ``()`` for text with nothing to show. Raises :class:`LineBreakError` (a
    ``ValueError``) if the text cannot fit in :data:`MAX_LINES` lines.
    """
    a = analyse(text, lang)
    lines = a.lines(0, a.n)
    if lines is None:
        raise LineBreakError(
            f"subtitle does not fit in {MAX_LINES} lines of {a.limit} "
            f"({'Chinese characters' if lang == 'zh' else 'characters'}): "
            f"{subtitle_text(text, lang)!r} is {a.width(0, a.n):g} wide"
            + ("" if a.breaks else " and has no place to break")
        )
    return lines
