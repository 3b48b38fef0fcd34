"""Bilingual captions: the second language's narration under the first, scene by scene.

The two languages are spoken separately, so their chunks do not line up one to one.
Within each scene, the second-language narration is cut into as many parts as the scene
has cues, each part as long (in read characters) as its cue is in time, at the best
break near that point (a sentence end beats a comma, a comma beats a bare word gap).
"""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Sequence
from dataclasses import replace

from storyreel.text import (
    LIMITS,
    MAX_LINES,
    Level,
    LineBreakError,
    analyse,
    chunk_narration,
    cue_lines,
    subtitle_text,
)
from storyreel.timeline.model import Cue
from storyreel.timeline.place import MIN_CUE_MS

_MISFIT = 1000.0  # a part that does not fit two lines
# How much a break of each level is worth giving up, in per cent of the scene's text.
_LEVEL_COST = {Level.SENTENCE: 0.0, Level.CLAUSE: 2.0, Level.ENUM: 3.0, Level.PHRASE: 5.0,
               Level.WORD: 6.0, Level.WEAK: 9.0, Level.CHAR: 12.0, Level.NAME: 30.0,
               Level.IN_WORD: 40.0}


def split_by_weights(text: str, lang: str, weights: Sequence[float]) -> list[str]:
    """``text`` cut into ``len(weights)`` parts sized like the weights, at good breaks,
    each part fitting two subtitle lines where any cutting allows (dynamic programming
    over the allowed breaks)."""
    count = len(weights)
    if count <= 1:
        return [text.strip()] * count
    a = analyse(text, lang)
    total_units = a.units(0, a.n) or 1.0
    total_weight = sum(weights) or 1.0
    targets = [sum(weights[: i + 1]) / total_weight for i in range(count - 1)]
    places = [0, *sorted(a.breaks), a.n]

    def misfit(start: int, end: int) -> float:
        return 0.0 if a.lines(start, end) is not None else _MISFIT

    def cut_cost(i: int, k: int) -> float:
        level = _LEVEL_COST[a.breaks[k]] if k in a.breaks else 0.0
        return abs(a.units(0, k) / total_units - targets[i]) * 100 + level

    # best[j]: (cost, cuts) of the cheapest way to end the cuts so far at places[j].
    best: dict[int, tuple[float, list[int]]] = {0: (0.0, [])}
    for i in range(count - 1):
        step: dict[int, tuple[float, list[int]]] = {}
        for j, (cost, cuts) in best.items():
            for m in range(j, len(places)):
                total = cost + cut_cost(i, places[m]) + misfit(places[j], places[m])
                if m not in step or total < step[m][0]:
                    step[m] = (total, [*cuts, places[m]])
        best = step
    _, cuts = min((cost + misfit(places[j], a.n), cuts) for j, (cost, cuts) in best.items())
    bounds = [0, *cuts, a.n]
    return [text[s:e].strip() for s, e in itertools.pairwise(bounds)]


def lines_of(text: str, lang: str) -> tuple[str, ...]:
    """Cue lines for ``text``: the subtitle rules when it fits two lines, else more lines."""
    if not text:
        return ()
    try:
        return _no_bare_number_last(list(cue_lines(text, lang)), lang)
    except LineBreakError:
        limit = LIMITS[lang]
        if lang == "en":
            raw = textwrap.wrap(text, limit)
        else:
            raw = [text[i : i + limit] for i in range(0, len(text), limit)]
        # Shown with the subtitle rules too (markup look-alikes above all): see files.py.
        lines = [line for line in (subtitle_text(r, lang) for r in raw) if line]
        return _no_bare_number_last(lines, lang)


def _no_bare_number_last(lines: list[str], lang: str) -> tuple[str, ...]:
    """The second language ends a cue in the files: a last line of digits alone would be
    read by SRT readers as the next cue's number (even as full-width digits). It joins
    the line before, or, alone, is followed by a zero-width space, which no reader takes
    for part of a number and shaping (HarfBuzz, in libass and Pillow) does not draw."""
    if lines and lines[-1].isascii() and lines[-1].isdigit():
        if len(lines) > 1:
            lines[-2:] = [lines[-2] + (" " if lang == "en" else "") + lines[-1]]
        else:
            lines[-1] += "\u200b"
    return tuple(lines)


def add_secondary(
    cues: Sequence[Cue], scene_texts: Sequence[str], lang: str
) -> tuple[Cue, ...]:
    """``cues`` with ``secondary`` lines: scene ``i``'s ``scene_texts[i]`` in ``lang``.

    Where a cue's share of the second language needs more than two lines, the cue is cut
    in time into as many cues as that share has chunks, each showing the same primary
    lines over the next chunk (when each still lasts at least 5/6 s)."""
    out: list[Cue] = []
    for scene, text in enumerate(scene_texts):
        mine = [cue for cue in cues if cue.scene == scene]
        parts = split_by_weights(text, lang, [cue.duration_ms for cue in mine])
        for cue, part in zip(mine, parts, strict=True):
            out += _with_part(cue, part, lang)
    return tuple(out)


def _with_part(cue: Cue, part: str, lang: str) -> list[Cue]:
    lines = lines_of(part, lang)
    if len(lines) <= MAX_LINES:
        return [replace(cue, secondary=lines)]
    pieces = chunk_narration(part, lang)
    if cue.duration_ms // len(pieces) < MIN_CUE_MS + 10:
        return [replace(cue, secondary=lines)]
    total = sum(len(p) for p in pieces)
    bounds = [cue.start_ms]
    for piece in pieces[:-1]:
        share = cue.duration_ms * len(piece) // total
        bounds.append(max(bounds[-1] + MIN_CUE_MS, (bounds[-1] + share) // 10 * 10))
    bounds.append(cue.end_ms)
    if any(b - a < MIN_CUE_MS for a, b in itertools.pairwise(bounds)):
        return [replace(cue, secondary=lines)]
    return [replace(cue, start_ms=a, end_ms=b, secondary=lines_of(piece, lang))
            for (a, b), piece in zip(itertools.pairwise(bounds), pieces, strict=True)]
