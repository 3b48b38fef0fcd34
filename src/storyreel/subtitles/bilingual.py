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

from storyreel.subtitles.linebreak import LIMITS, Level, LineBreakError, analyse, wrap
from storyreel.timeline.model import Cue

# How much a break of each level is worth giving up, in per cent of the scene's text.
_LEVEL_COST = {Level.SENTENCE: 0.0, Level.CLAUSE: 2.0, Level.ENUM: 3.0, Level.PHRASE: 5.0,
               Level.WORD: 6.0, Level.WEAK: 9.0, Level.CHAR: 12.0, Level.NAME: 30.0}


def split_by_weights(text: str, lang: str, weights: Sequence[float]) -> list[str]:
    """``text`` cut into ``len(weights)`` parts sized like the weights, at good breaks."""
    count = len(weights)
    if count <= 1:
        return [text.strip()] * count
    a = analyse(text, lang)
    total_units = a.units(0, a.n) or 1.0
    total_weight = sum(weights) or 1.0
    cuts: list[int] = []
    acc = 0.0
    for w in weights[:-1]:
        acc += w
        target = acc / total_weight
        after = cuts[-1] if cuts else 0
        candidates = [k for k in a.breaks if k > after]
        if not candidates:
            cuts.append(a.n)
            continue
        cuts.append(min(candidates, key=lambda k: abs(a.units(0, k) / total_units - target)
                        * 100 + _LEVEL_COST[a.breaks[k]]))
    bounds = [0, *cuts, a.n]
    return [text[s:e].strip() for s, e in itertools.pairwise(bounds)]


def lines_of(text: str, lang: str) -> tuple[str, ...]:
    """Cue lines for ``text``: the subtitle rules when it fits two lines, else more lines."""
    if not text:
        return ()
    try:
        return wrap(text, lang)
    except LineBreakError:
        limit = LIMITS[lang]
        if lang == "en":
            return tuple(textwrap.wrap(text, limit))
        return tuple(text[i : i + limit] for i in range(0, len(text), limit))


def add_secondary(
    cues: Sequence[Cue], scene_texts: Sequence[str], lang: str
) -> tuple[Cue, ...]:
    """``cues`` with ``secondary`` lines: scene ``i``'s ``scene_texts[i]`` in ``lang``."""
    out: list[Cue] = []
    for scene, text in enumerate(scene_texts):
        mine = [cue for cue in cues if cue.scene == scene]
        parts = split_by_weights(text, lang, [cue.duration_ms for cue in mine])
        out += [replace(cue, secondary=lines_of(part, lang))
                for cue, part in zip(mine, parts, strict=True)]
    return tuple(out)
