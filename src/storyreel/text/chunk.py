"""Cutting narration into caption chunks: one chunk is spoken as one clip and shown as one
cue, so each must fit :func:`~storyreel.text.linebreak.wrap` (at most two lines).

Chunks end preferably at sentence ends, then at clause punctuation, then at phrase (or
word) boundaries, and only at places where a line may break (no chunk starts with ，or
splits 100吨). Among the ways to cut a paragraph the cheapest is chosen by dynamic
programming: every chunk costs a little (fewer, fuller cues are better); every cut
costs by its kind, and so does the line break inside a two-line chunk (as
:func:`~storyreel.text.linebreak.wrap` will choose it); a sentence end inside a
chunk costs, more so when the chunk also starts or ends mid-sentence; sizes far from a
comfortable middle cost a little; and a very short chunk (under four Chinese
characters or about ten English ones: it would flash by) costs so much that it is
always merged with a neighbour when the merge still fits.

Chunks are the raw narration, punctuation included, as it is spoken: joined in order
they give back the text, apart from the whitespace at the joins.
"""

from __future__ import annotations

from typing import Final

from storyreel.text.breaks import Level
from storyreel.text.linebreak import Analysis, LineBreakError, analyse

# Cost of ending a chunk at a break of each level.
_CUT_COST: Final = {Level.SENTENCE: 0.0, Level.CLAUSE: 4.0, Level.ENUM: 8.0,
                    Level.PHRASE: 20.0, Level.WORD: 25.0, Level.WEAK: 40.0, Level.CHAR: 60.0,
                    Level.NAME: 150.0, Level.IN_WORD: 400.0}
# Cost of splitting one chunk in two at a break of each level (see split_chunk).
_SPLIT_COST: Final = {Level.SENTENCE: 0.0, Level.CLAUSE: 2.0, Level.ENUM: 4.0,
                      Level.PHRASE: 10.0, Level.WORD: 12.0, Level.WEAK: 20.0, Level.CHAR: 30.0,
                      Level.NAME: 60.0, Level.IN_WORD: 200.0}
_CHUNK_COST: Final = 4.0  # every chunk: prefer fewer, fuller cues
_INNER_SENTENCE_COST: Final = 6.0  # a sentence end inside a chunk: one sentence per cue reads best
_STRADDLE_COST: Final = 10.0  # ...and more for each end of that chunk that is mid-sentence
# Sizes are in Chinese characters (English: characters × 16/42).
VERY_SHORT: Final = 4.0
_VERY_SHORT_COST: Final = 200.0
_COMFORTABLE: Final = 20.0
_SHAPE_COST: Final = 0.015  # per squared character away from _COMFORTABLE
_SPLIT_BALANCE_COST: Final = 30.0  # times the squared imbalance fraction


def chunk_size(analysis: Analysis, a: int, b: int) -> float:
    """Display width of ``text[a:b]`` as one line, in Chinese characters."""
    return analysis.width(a, b) * 16 / analysis.limit


def _cue_cost(an: Analysis, a: int, b: int) -> float | None:
    """What showing ``text[a:b]`` as one cue costs in line breaking: 0 on one line, the
    best break's cost on two (much more if that splits a name); None if it cannot fit."""
    if not an.line(a, b):
        return None
    if an.width(a, b) <= an.limit:
        return 0.0
    best = an.best_break(a, b)
    if best is None:
        return None
    cost, c = best
    return cost + (_CUT_COST[an.breaks[c]] if an.breaks[c] >= Level.NAME else 0.0)


def chunk_narration(text: str, lang: str) -> list[str]:
    """Split a narration paragraph into chunks that each fit one cue.

    Raises :class:`~storyreel.subtitles.linebreak.LineBreakError` (a ``ValueError``) if
    some stretch of the text has no allowed break and is too wide for two lines.
    """
    an = analyse(text, lang)
    if not an.line(0, an.n):
        return []
    banned: set[tuple[int, int]] = set()
    while True:
        spans = _best_spans(an, banned)
        # The cuts were planned on the whole paragraph; a chunk alone can differ where
        # budoux sees other phrases near its ends. Re-plan without any chunk that then
        # no longer fits (rare).
        misfits = {(a, b) for a, b in spans if analyse(text[a:b], lang).lines(0, b - a) is None}
        if not misfits:
            return [text[a:b].strip() for a, b in spans]
        banned |= misfits


def _best_spans(an: Analysis, banned: set[tuple[int, int]]) -> list[tuple[int, int]]:
    n = an.n
    positions = [0, *an.cuts, n]
    sentence_ends = [0]
    for p in positions[1:]:
        inner = p in an.breaks and an.breaks[p] == Level.SENTENCE
        sentence_ends.append(sentence_ends[-1] + int(inner))

    best: dict[int, tuple[float, int]] = {0: (0.0, -1)}  # position index -> (cost, from)
    for i, a in enumerate(positions[:-1]):
        if i not in best:
            continue
        base = best[i][0]
        for j in range(i + 1, len(positions)):
            b = positions[j]
            if an.width(a, b) > 2 * an.limit + 2:
                break
            if (a, b) in banned:
                continue
            lines_cost = _cue_cost(an, a, b)
            if lines_cost is None:
                continue
            cost = (base + lines_cost
                    + _chunk_cost(an, a, b, sentence_ends[j - 1] - sentence_ends[i]))
            if j not in best or cost < best[j][0]:
                best[j] = (cost, i)

    last = len(positions) - 1
    if last not in best:
        start = positions[max(best)]
        raise LineBreakError(
            f"narration cannot be cut into subtitles of {an.limit} × 2: no fitting cut "
            f"after {an.text[start:start + 40].strip()!r}"
        )
    spans: list[tuple[int, int]] = []
    j = last
    while j > 0:
        i = best[j][1]
        spans.append((positions[i], positions[j]))
        j = i
    return spans[::-1]


def _chunk_cost(an: Analysis, a: int, b: int, inner_sentences: int) -> float:
    cost = _CHUNK_COST + inner_sentences * _INNER_SENTENCE_COST
    if inner_sentences:
        # The tail of one sentence with the head of the next reads worst of all.
        for edge in (a, b):
            if 0 < edge < an.n and an.breaks[edge] != Level.SENTENCE:
                cost += _STRADDLE_COST
    if b < an.n:
        cost += _CUT_COST[an.breaks[b]]
    size = chunk_size(an, a, b)
    cost += _SHAPE_COST * (size - _COMFORTABLE) ** 2
    if size < VERY_SHORT:
        cost += _VERY_SHORT_COST + (VERY_SHORT - size) * 10
    return cost


def split_chunk(chunk: str, lang: str) -> tuple[str, str]:
    """Split one chunk in two halves of similar spoken length, at the best place.

    Used when a chunk's speech runs longer than a cue may last. Sentence ends and
    clause punctuation are preferred; an uneven split is accepted for a much better
    place. Raises :class:`~storyreel.subtitles.linebreak.LineBreakError` (a
    ``ValueError``) if there is no place to split.
    """
    an = analyse(chunk, lang)
    n = an.n
    total = an.units(0, n)
    best: tuple[float, int] | None = None
    for c in sorted(an.breaks):
        u1, u2 = an.units(0, c), an.units(c, n)
        if u1 == 0 or u2 == 0:
            continue
        imbalance = abs(u1 - u2) / total
        cost = _SPLIT_COST[an.breaks[c]] + _SPLIT_BALANCE_COST * imbalance**2
        if best is None or cost < best[0]:
            best = (cost, c)
    if best is None:
        raise LineBreakError(f"cannot split subtitle chunk {chunk!r}: no place to break")
    c = best[1]
    return chunk[:c].strip(), chunk[c:].strip()
