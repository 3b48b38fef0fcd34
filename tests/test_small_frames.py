"""Quick looks at small frames (``render --size 320x180``): the samples lay out there as
they do at full size. Theme sizes are fractions of the frame; the absolute floors (the
smallest text, the thinnest bar) scale down with a frame smaller than the presets' own,
so they do not make small text relatively larger and push a heading out of its box."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyreel.layout import check_text, draw_scene, theme_for
from storyreel.presets import PRESETS, get_preset
from storyreel.storyboard.load import load_storyboard
from storyreel.storyboard.model import LANGS
from storyreel.theme.model import REFERENCE_UNIT, scaled_floor

SAMPLES = sorted((Path(__file__).parent.parent / "storyboards").glob("*.yaml"))


def test_there_are_samples() -> None:
    assert len(SAMPLES) >= 3


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
@pytest.mark.parametrize("preset_name", list(PRESETS))
def test_every_sample_lays_out_at_320x180(path: Path, preset_name: str) -> None:
    board = load_storyboard(path)
    theme = theme_for(board)
    preset = get_preset(preset_name).fitted(320, 180)
    assert max(preset.width, preset.height) <= 320 and min(preset.width, preset.height) < 181
    for lang in LANGS:
        assert [p.message for p in check_text(board, lang, preset, theme)] == []
    if preset_name == "landscape":  # the pictures too, as render draws them
        for lang in LANGS:
            for index in range(len(board.scenes)):
                art = draw_scene(board, index, lang, preset, theme)
                assert art.overlay.size == (preset.width, preset.height)


def test_floors_are_unchanged_at_full_size_and_shrink_below() -> None:
    assert scaled_floor(8, REFERENCE_UNIT) == 8
    assert scaled_floor(8, 2160) == 8
    assert scaled_floor(8, 180) == 1
    assert scaled_floor(4, 540) == 2
    theme = theme_for(load_storyboard(SAMPLES[0]))
    full = theme.style("kicker", get_preset("landscape"))
    small = theme.style("kicker", get_preset("landscape").fitted(320, 180))
    assert full.size == round(theme.type.kicker.size * 1080)
    # In proportion to the frame: 0.031 × 180 = 5.6 px, not the old 8 px floor.
    assert small.size == round(theme.type.kicker.size * 180) < 8
