"""Themes: loading, validation, overrides, caption styles inside the safe area."""

from __future__ import annotations

import pytest

from storyreel.errors import StoryreelError, UnknownNameError
from storyreel.fonts import load_font
from storyreel.layout import available_themes, load_theme
from storyreel.presets import PRESETS
from storyreel.theme import parse_color


def test_two_themes_ship_and_differ() -> None:
    assert {"default", "daylight"} <= set(available_themes())
    dark, light = load_theme("default"), load_theme("daylight")
    assert sum(dark.color("background")[:3]) < 200 < 600 < sum(light.color("background")[:3])
    assert dark.color("accent") != light.color("accent")
    assert light.captions.box and not dark.captions.box


def test_unknown_theme_lists_the_themes() -> None:
    with pytest.raises(UnknownNameError, match=r"unknown theme 'neon'; choose from .*daylight") \
            as info:
        load_theme("neon")
    assert (info.value.what, info.value.name) == ("theme", "neon")
    assert "default" in info.value.choices
    with pytest.raises(StoryreelError, match="unknown theme"):
        load_theme("../default")


def test_overrides_merge_and_validate() -> None:
    theme = load_theme("default", {"colors": {"accent": "#ff0000"}, "captions": {"box": True}})
    assert theme.color("accent") == (255, 0, 0, 255)
    assert theme.color("background") == load_theme("default").color("background")
    assert theme.captions.box
    with pytest.raises(StoryreelError, match=r"default\.yaml.*colors\.accent: .*not a colour"):
        load_theme("default", {"colors": {"accent": "orange"}})
    with pytest.raises(StoryreelError, match=r"type\.title\.size"):
        load_theme("default", {"type": {"title": {"size": -1}}})
    with pytest.raises(StoryreelError, match=r"colours: Extra inputs"):
        load_theme("default", {"colours": {}})


def test_parse_color() -> None:
    assert parse_color("#0a1b2c") == (10, 27, 44, 255)
    assert parse_color("#0a1b2c80") == (10, 27, 44, 128)


@pytest.mark.parametrize("theme_name", ["default", "daylight"])
@pytest.mark.parametrize("preset_name", list(PRESETS))
def test_caption_style_fits_a_full_line_inside_the_safe_area(
    theme_name: str, preset_name: str,
) -> None:
    theme, preset = load_theme(theme_name), PRESETS[preset_name]
    style = theme.caption_style(preset)
    safe = preset.safe
    assert style.play_res == (preset.width, preset.height)
    assert style.margin_l >= safe.left and style.margin_r >= preset.width - safe.right
    assert style.margin_v >= preset.height - safe.bottom
    room = preset.width - style.margin_l - style.margin_r
    font = load_font(style.font_size, style.bold)
    assert font.getlength("中" * 16) <= room
    assert font.getlength("Planting trees on the plateau, year after") <= room  # 42 chars
    assert style.font_size >= 30


def test_portrait_captions_keep_clear_of_the_app_overlays() -> None:
    preset = PRESETS["portrait"]
    style = load_theme("default").caption_style(preset)
    assert style.margin_v >= preset.height / 5  # the bottom fifth
    assert style.margin_r >= preset.width / 7  # the right seventh
