"""Every layout draws its example scene in every preset and language, inside the safe
area, without overflow; covers have their sizes; reveals and plates are well formed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PIL import Image
from ruamel.yaml import YAML

from storyreel.layout import (
    LAYOUTS,
    SceneArt,
    check_text,
    draw_cover,
    draw_scene,
    load_theme,
    missing_glyphs,
)
from storyreel.layout.cover import cover_context, draw_cover_in
from storyreel.presets import PRESETS, Box, Preset
from storyreel.storyboard.model import Layout, Motion, Storyboard
from storyreel.theme import Theme

DATA = Path(__file__).parent / "data" / "layout"
LANGS = ("zh", "en")


def load_board(path: Path = DATA / "story.yaml") -> Storyboard:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return Storyboard.model_validate(data).with_source(path)


@pytest.fixture(scope="module")
def board() -> Storyboard:
    return load_board()


@pytest.fixture(scope="module")
def theme() -> Theme:
    return load_theme("default")


def inside(inner: Box, outer: Box) -> bool:
    return (inner.left >= outer.left and inner.top >= outer.top
            and inner.right <= outer.right and inner.bottom <= outer.bottom)


def test_the_example_storyboard_has_one_scene_per_layout(board: Storyboard) -> None:
    assert sorted(s.layout for s in board.scenes) == sorted(Layout)
    assert set(LAYOUTS) == set(Layout)


@pytest.mark.parametrize("preset_name", list(PRESETS))
@pytest.mark.parametrize("lang", LANGS)
def test_each_layout_draws_its_example_inside_the_safe_area(
    board: Storyboard, theme: Theme, preset_name: str, lang: str,
) -> None:
    preset = PRESETS[preset_name]
    band_top = preset.safe.bottom - theme.caption_band(preset)
    for index, scene in enumerate(board.scenes):
        art = draw_scene(board, index, lang, preset, theme)  # raises on any overflow
        assert art.base.mode == "RGB" and art.base.size == (preset.width, preset.height)
        assert art.overlay.mode == "RGBA" and art.overlay.size == art.base.size
        assert art.text_boxes, f"{scene.layout} drew no text"
        for tb in art.text_boxes:
            assert inside(tb.box, preset.safe), (scene.layout, tb)
            # Slide text keeps clear of the captions burnt in at the bottom.
            assert tb.box.bottom <= band_top, (scene.layout, tb)
            assert not missing_glyphs("".join(tb.lines))


@pytest.mark.parametrize("preset_name", list(PRESETS))
def test_plates_fill_their_box_and_motion_is_resolved(
    board: Storyboard, theme: Theme, preset_name: str,
) -> None:
    preset = PRESETS[preset_name]
    for index, scene in enumerate(board.scenes):
        art = draw_scene(board, index, "en", preset, theme)
        if scene.image is None:
            assert art.plate is None and art.motion is Motion.NONE
            continue
        assert art.plate is not None and art.plate.mode == "RGB"
        assert art.plate.size == (art.plate_box.width, art.plate_box.height)
        assert inside(art.plate_box, Box(0, 0, preset.width, preset.height))
        assert 0 <= art.focus[0] <= 1 and 0 <= art.focus[1] <= 1
        assert art.motion is (scene.motion or Motion.ZOOM_IN)


def test_split_puts_the_picture_beside_in_landscape_and_above_in_portrait(
    board: Storyboard, theme: Theme,
) -> None:
    index = next(i for i, s in enumerate(board.scenes) if s.layout is Layout.SPLIT)
    wide = draw_scene(board, index, "en", PRESETS["landscape"], theme)
    tall = draw_scene(board, index, "en", PRESETS["portrait"], theme)
    assert wide.plate_box.height == 1080 and wide.plate_box.width == 960
    assert tall.plate_box.width == 1080 and tall.plate_box.top == 0
    assert tall.plate_box.height < 1920 / 2 + 1
    text = [tb.box for tb in tall.text_boxes]
    assert all(b.top >= tall.plate_box.bottom for b in text)


def test_subject_stays_in_the_plate(board: Storyboard, theme: Theme) -> None:
    # The test pictures have a red disc at the focal point: it must survive the crop.
    for preset in PRESETS.values():
        for index, scene in enumerate(board.scenes):
            if scene.image is None:
                continue
            art = draw_scene(board, index, "zh", preset, theme)
            assert art.plate is not None
            fx = round(art.focus[0] * (art.plate.width - 1))
            fy = round(art.focus[1] * (art.plate.height - 1))
            r, g, b = art.plate.getpixel((fx, fy))  # type: ignore[misc]
            assert r > 200 and b < 140, (preset.name, scene.layout, (r, g, b))


def test_bullets_reveal_one_point_per_layer(board: Storyboard, theme: Theme) -> None:
    index = next(i for i, s in enumerate(board.scenes) if s.layout is Layout.BULLETS)
    points = board.scenes[index].points
    assert points is not None
    for preset in PRESETS.values():
        art = draw_scene(board, index, "en", preset, theme)
        assert len(art.reveals) == len(points) - 1
        for layer in art.reveals:
            assert layer.mode == "RGBA" and layer.size == art.overlay.size
            assert layer.getbbox() is not None
        fields = [tb.field for tb in art.text_boxes]
        assert fields == ["heading"] + [f"point {n}" for n in range(1, len(points) + 1)]


@pytest.mark.parametrize("preset_name", list(PRESETS))
@pytest.mark.parametrize("lang", LANGS)
def test_covers_have_the_preset_cover_size(
    board: Storyboard, theme: Theme, preset_name: str, lang: str,
) -> None:
    preset = PRESETS[preset_name]
    cover = draw_cover(board, lang, preset, theme)
    assert cover.mode == "RGB" and cover.size == preset.cover_size
    ctx = cover_context(board, lang, preset, theme)
    draw_cover_in(ctx)
    safe = preset.scaled(*preset.cover_size).safe
    assert {tb.field for tb in ctx.text_boxes} == {"brand", "title"}
    assert all(inside(tb.box, safe) for tb in ctx.text_boxes)


def test_cover_sizes() -> None:
    assert {n: p.cover_size for n, p in PRESETS.items()} == {
        "landscape": (1280, 720), "portrait": (1080, 1920), "square": (1080, 1080)}


@pytest.mark.parametrize("theme_name", ["default", "daylight"])
def test_examples_have_no_text_problems_in_either_theme(
    board: Storyboard, theme_name: str,
) -> None:
    theme = load_theme(theme_name)
    for preset in PRESETS.values():
        for lang in LANGS:
            assert check_text(board, lang, preset, theme) == []


def test_the_two_themes_look_different(board: Storyboard) -> None:
    index = next(i for i, s in enumerate(board.scenes) if s.layout is Layout.STAT)
    preset = PRESETS["square"]
    dark = draw_scene(board, index, "en", preset, load_theme("default")).composite()
    light = draw_scene(board, index, "en", preset, load_theme("daylight")).composite()

    def brightness(im: Image.Image) -> float:
        value = im.convert("L").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
        assert isinstance(value, int)
        return float(value)

    assert brightness(dark) < 80 < 160 < brightness(light)


def test_composite_layers(board: Storyboard, theme: Theme) -> None:
    art: SceneArt = draw_scene(board, 0, "en", PRESETS["square"], theme)
    frame = art.composite()
    assert frame.size == (1080, 1080) and frame.mode == "RGB"


def test_drawing_is_fast_enough(board: Storyboard, theme: Theme) -> None:
    preset: Preset = PRESETS["landscape"]
    draw_scene(board, 0, "en", preset, theme)  # warm the caches
    start = time.perf_counter()
    for index in range(len(board.scenes)):
        draw_scene(board, index, "en", preset, theme)
    per_scene = (time.perf_counter() - start) / len(board.scenes)
    assert per_scene < 0.5, f"{per_scene * 1000:.0f} ms a scene"
