"""No line of a caption, slide or cover breaks inside a word: a word of the segmenter's
dictionary (and of the field's terms) in Chinese, a storyboard's names in both languages.

Runs over every storyboard of the project (the samples) in both languages and every
preset: slides and covers as drawn, captions as planned with the real voice.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from storyreel.batch.job import plan_narration
from storyreel.layout import LAYOUTS, Context, theme_for
from storyreel.layout.cover import cover_context, draw_cover_in
from storyreel.presets import PRESETS
from storyreel.storyboard.load import load_storyboard
from storyreel.storyboard.model import Storyboard
from storyreel.text import display_width, inside_names, word_spans
from storyreel.tts import get_engine

ROOT = Path(__file__).resolve().parents[1]
STORYBOARDS = sorted((ROOT / "storyboards").glob("*.yaml"))


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
    found += [f"a name at {c} in {list(lines)}" for c in cuts if c in names or c + 1 in names]
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


@pytest.fixture(scope="module", params=STORYBOARDS, ids=[p.stem for p in STORYBOARDS])
def board(request: pytest.FixtureRequest) -> Storyboard:
    path: Path = request.param
    return load_storyboard(path, ROOT)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("preset", list(PRESETS))
def test_slides_and_covers_keep_words_whole(board: Storyboard, lang: str, preset: str) -> None:
    lines = drawn_lines(board, lang, preset)
    assert any(len(item) > 1 for item in lines), "no text with several lines to test"
    problems = [p for item in lines for p in broken_words(item, lang)]
    assert not problems, problems


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_captions_keep_words_whole(board: Storyboard, lang: str, tmp_path: Path) -> None:
    timeline, _ = plan_narration(board, lang, PRESETS["landscape"], theme_for(board),
                                 get_engine("espeak"), tmp_path)
    problems = [p for cue in timeline.cues for p in broken_words(cue.lines, lang)]
    for prev, cue in zip(timeline.cues, timeline.cues[1:], strict=False):
        if prev.scene == cue.scene and prev.lines and cue.lines:
            # Across two cues of one scene: the end of one and the start of the next.
            window = (prev.lines[-1][-6:], cue.lines[0][:6])
            problems += broken_words(window, lang)
    assert not problems, problems
