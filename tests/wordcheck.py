"""Whether lines keep words whole: shared by the sample and story-corpus tests."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from storyreel.layout import LAYOUTS, Context, theme_for
from storyreel.layout.cover import cover_context, draw_cover_in
from storyreel.presets import PRESETS
from storyreel.storyboard.model import Storyboard
from storyreel.text import display_width, inside_names, word_spans
from storyreel.timeline.model import Cue


def broken_words(lines: Sequence[str], lang: str) -> list[str]:
    """Words split between two of ``lines`` although they would fit on one line."""
    if len(lines) < 2:
        return []
    sep = "" if lang == "zh" else " "
    text = sep.join(lines)
    widest = max(display_width(line, "zh") for line in lines)
    cuts, at = [], 0
    for line in lines[:-1]:
        at += len(line) + len(sep)
        cuts.append(at - len(sep))
    found = []
    spans = word_spans(text) if lang == "zh" else []
    for a, b in spans:
        if display_width(text[a:b], "zh") <= widest and any(a < c < b for c in cuts):
            found.append(f"{text[a:b]} in {list(lines)}")
    names = inside_names(text)
    for c in cuts:
        if c in names or c + 1 in names:  # a space at c: the name runs on either side
            a, b = c, c + 1
            while a - 1 in names:
                a -= 1
            while b in names:
                b += 1
            name = text[a - 1:b]  # positions inside a name: from its 2nd character on
            if display_width(name, "zh") <= widest:
                found.append(f"{name} in {list(lines)}")
    return found


def drawn_lines(board: Storyboard, lang: str, preset: str) -> list[tuple[str, ...]]:
    theme = theme_for(board)
    frame = PRESETS[preset]
    contexts = [Context(board, scene, i, lang, frame, theme, strict=False, pictures=False)
                for i, scene in enumerate(board.scenes)]
    for ctx in contexts:
        LAYOUTS[ctx.scene.layout](ctx)
    cover = cover_context(board, lang, frame, theme, strict=False, pictures=False)
    draw_cover_in(cover)
    return [tb.lines for ctx in [*contexts, cover] for tb in ctx.text_boxes]


def broken_in_captions(cues: Sequence[Cue], lang: str) -> list[str]:
    """Words split between the lines of a cue, or between two cues of one scene."""
    problems = [p for cue in cues for p in broken_words(cue.lines, lang)]
    for prev, cue in itertools.pairwise(cues):
        if prev.scene == cue.scene and prev.lines and cue.lines:
            # Across two cues of one scene: the end of one and the start of the next.
            problems += broken_words((prev.lines[-1][-6:], cue.lines[0][:6]), lang)
    return problems
