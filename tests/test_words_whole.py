"""No line of a caption, slide or cover breaks inside a word: a word of the segmenter's
dictionary (and of the field's terms) in Chinese, a storyboard's names in both languages.

Runs over every storyboard of the project (the samples) in both languages and every
preset: slides and covers as drawn, captions as planned with the real voice.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storyreel.layout import theme_for
from storyreel.pipeline.story import plan_narration
from storyreel.presets import PRESETS
from storyreel.storyboard.load import load_storyboard
from storyreel.storyboard.model import Storyboard
from storyreel.tts import get_engine

from wordcheck import broken_in_captions, broken_words, drawn_lines

ROOT = Path(__file__).resolve().parents[1]
STORYBOARDS = sorted((ROOT / "storyboards").glob("*.yaml"))


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
    problems = broken_in_captions(timeline.cues, lang)
    assert not problems, problems
