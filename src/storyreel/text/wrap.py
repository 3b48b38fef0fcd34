"""Line breaking by measured width, for slides and covers.

The same break rules as captions (:func:`storyreel.text.breaks.prepare`: 避头尾, numbers
with their units, names, words), but lines are measured in pixels by the caller's
``measure`` and may be more than two. Among the ways to set a paragraph the cheapest is
chosen by dynamic programming: each line costs (fewer lines are better), each break by
its level (a sentence or clause end nothing, a break inside a Chinese phrase some,
inside a name or a word more than an extra line) and each line by how far it falls
short of the width, squared, so lines come out even and no word is left stranded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from storyreel.text.breaks import Level, prepare

_BREAK_COST: Final = {Level.SENTENCE: 0.0, Level.CLAUSE: 0.3, Level.ENUM: 0.6,
                      Level.PHRASE: 1.0, Level.WORD: 1.5, Level.WEAK: 5.0, Level.CHAR: 8.0,
                      Level.NAME: 30.0, Level.IN_WORD: 100.0}
_SLACK_COST: Final = 12.0  # times the squared fraction of the width a line leaves empty
_LINE_COST: Final = 20.0  # every line: fewer lines, unless that means splitting a name or word


@dataclass(frozen=True)
class Piece:
    """A run of text no line breaks inside; ``level`` says how good a break before it
    is, ``space`` whether a space separates it from the piece before."""

    text: str
    space: bool
    level: Level


def pieces(text: str, lang: str) -> list[Piece]:
    """The unbreakable pieces of one paragraph, in order."""
    _norm, _disp, breaks = prepare(text, lang)
    out: list[Piece] = []
    start, pending_space = 0, False
    for end in [*sorted(breaks), len(text)]:
        segment = text[start:end]
        words = segment.split()
        if words:
            level = breaks.get(start, Level.SENTENCE)
            out.append(Piece(" ".join(words), pending_space or segment[0].isspace(), level))
            pending_space = segment[-1].isspace()
        else:
            pending_space = pending_space or bool(segment)
        start = end
    return out


def fit_lines(
    text: str, lang: str, measure: Callable[[str], float], max_w: float,
    balance: bool = True,
) -> list[str]:
    """Break ``text`` into lines no wider than ``max_w`` where the rules allow.

    Explicit newlines are kept. A piece wider than ``max_w`` (a long word) stays whole on
    a line of its own: the caller sees the line is too wide and shrinks the text. With
    ``balance`` every line counts its empty space (even lines); without, only the lines
    before the last (fill each line, ragged last line).
    """
    out: list[str] = []
    for para in text.split("\n"):
        found = pieces(para, lang)
        out.extend(_set(found, measure, max_w, balance) if found else [""])
    return out


def _set(found: list[Piece], measure: Callable[[str], float], max_w: float,
         balance: bool) -> list[str]:
    widths = [measure(p.text) for p in found]
    space_w = measure(" ")
    m = len(found)
    # best[j]: (cost, start of the last line) for pieces[:j]
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * m
    for j in range(1, m + 1):
        width = 0.0
        for i in range(j - 1, -1, -1):
            width += widths[i] + (space_w if i < j - 1 and found[i + 1].space else 0.0)
            if width > max_w and i < j - 1:
                break
            cost = best[i][0]
            slack = max(0.0, max_w - width) / max_w if max_w > 0 else 0.0
            line_cost = _LINE_COST + (_SLACK_COST * slack * slack if balance or j < m else 0.0)
            if i > 0:
                line_cost += _BREAK_COST[found[i].level]
            if cost + line_cost < best[j][0]:
                best[j] = (cost + line_cost, i)
    lines_out: list[str] = []
    j = m
    while j > 0:
        i = best[j][1]
        lines_out.append(_join(found[i:j]))
        j = i
    return lines_out[::-1]


def _join(run: list[Piece]) -> str:
    return run[0].text + "".join((" " if p.space else "") + p.text for p in run[1:])
