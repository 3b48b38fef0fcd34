"""Line breaking, shrinking, overflow and missing-glyph errors, and check_text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from ruamel.yaml import YAML

from storyreel.errors import LayoutError
from storyreel.fonts import load_font, missing_glyphs
from storyreel.layout import LayoutProblemError, check_text, draw_scene, load_theme
from storyreel.layout.stat import split_figure
from storyreel.layout.text import Fit, Item, draw_placed, fit_stack, wrap_text
from storyreel.presets import PRESETS, Box
from storyreel.storyboard.model import Localized, Storyboard
from storyreel.text import ZH_NO_LINE_END, ZH_NO_LINE_START, pieces
from storyreel.theme import Style

DATA = Path(__file__).parent / "data" / "layout"


def load_board(path: Path = DATA / "story.yaml") -> Storyboard:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return Storyboard.model_validate(data).with_source(path)


def with_field(board: Storyboard, index: int, name: str, zh: str, en: str) -> Storyboard:
    scenes = list(board.scenes)
    scenes[index] = scenes[index].model_copy(update={name: Localized(zh=zh, en=en)})
    return board.model_copy(update={"scenes": scenes}).with_source(board.source)


ZH = ("我们在2021年（春天）种下了“一百万棵”树——这是约翰·史密斯的梦想。"
      "以前河里没有鱼，现在孩子们又能下河摸鱼了！回收的塑料被压制成板材……送往《山区》的学校。")
EN = ("In 2021 the company planted one million trees across the “Loess Plateau”, "
      "restoring 100 tons of topsoil for 3,000,000 people (and counting).")


@pytest.mark.parametrize("width", [260, 400, 555, 800, 1200])
def test_chinese_lines_obey_the_punctuation_rules(width: int) -> None:
    font = load_font(48)
    lines = wrap_text(ZH, font, "zh", width)
    assert "".join(lines) == ZH
    for line in lines:
        assert line[0] not in ZH_NO_LINE_START, lines
        assert line[-1] not in ZH_NO_LINE_END, lines
        assert font.getlength(line) <= width + 1 or len(pieces(line, "zh")) == 1
    joined = "|".join(lines)
    for unsplit in ("——", "……", "翰·史", "2021"):
        assert unsplit in joined.replace("|", "") and unsplit in joined, lines


@pytest.mark.parametrize("width", [300, 500, 900])
def test_english_breaks_between_words_only(width: int) -> None:
    font = load_font(40)
    lines = wrap_text(EN, font, "en", width)
    assert " ".join(lines) == EN
    words = set(EN.split())
    for line in lines:
        assert all(word in words for word in line.split())


def test_explicit_line_breaks_are_kept() -> None:
    assert wrap_text("Produced by us\nPhotos: Wang", load_font(30), "en", 2000) == [
        "Produced by us", "Photos: Wang"]


def test_fit_shrinks_before_it_overflows() -> None:
    style = Style(size=100, min_size=40, bold=True, leading=1.2, color=(0, 0, 0, 255))
    box = Box(0, 0, 600, 300)
    fit = fit_stack([Item("heading", "Three hundred volunteers every weekend", style)], box, "en")
    assert fit.fits and 40 <= fit.placed[0].size < 100
    assert fit.placed[0].top >= 0 and fit.bottom <= 300
    tiny = Box(0, 0, 600, 60)
    over = fit_stack([Item("heading", "Three hundred volunteers every weekend", style)], tiny,
                     "en")
    assert not over.fits and over.placed[0].size == 40 and over.overflow_px > 0


def test_overflow_raises_a_layout_error_naming_everything() -> None:
    board = load_board()
    index = next(i for i, s in enumerate(board.scenes) if s.layout.value == "stat")
    long = "3,000,000,000,000,000,000,000,000,000"
    board = with_field(board, index, "figure", long + " 吨", long + " tons")
    with pytest.raises(LayoutError) as info:
        draw_scene(board, index, "en", PRESETS["portrait"], load_theme("default"))
    message = str(info.value)
    assert re.search(
        rf"scene {index + 1} \(stat\) en figure: overflows its box by \d+ px in portrait "
        r"at the minimum size \d+ px; shorten it", message), message
    assert message.startswith(str(board.source))
    assert isinstance(info.value, LayoutProblemError)
    problem = info.value.problem
    assert problem.overflow_px > 0 and problem.preset == "portrait" and problem.field == "figure"


def test_too_much_text_in_a_lower_third_names_the_field() -> None:
    board = load_board()
    index = next(i for i, s in enumerate(board.scenes) if s.layout.value == "image")
    board = with_field(board, index, "text", "河岸" * 300, "riverbank " * 200)
    with pytest.raises(LayoutError, match=rf"scene {index + 1} \(image\) zh text: overflows"):
        draw_scene(board, index, "zh", PRESETS["square"], load_theme("default"))


def test_missing_glyphs_are_an_error_naming_the_character() -> None:
    assert missing_glyphs("Clean water 💧 for 3 million") == {"💧"}
    assert missing_glyphs(ZH + EN) == set()
    board = load_board()
    index = next(i for i, s in enumerate(board.scenes) if s.layout.value == "quote")
    board = with_field(board, index, "text", "河水清了😀", "The river is clean 😀")
    with pytest.raises(LayoutError, match=r"quote\) en text: the font has no glyph for "
                       r"'😀' \(U\+1F600\)"):
        draw_scene(board, index, "en", PRESETS["landscape"], load_theme("default"))


def test_check_text_lists_every_problem_without_raising() -> None:
    board = load_board()
    stat = next(i for i, s in enumerate(board.scenes) if s.layout.value == "stat")
    quote = next(i for i, s in enumerate(board.scenes) if s.layout.value == "quote")
    long = "9" * 40
    board = with_field(board, stat, "figure", long, long)
    board = with_field(board, quote, "attribution", "李阿姨 ☺", "Auntie Li ☺")
    problems = check_text(board, "en", PRESETS["portrait"], load_theme("default"))
    kinds = sorted((p.where, p.field, p.kind) for p in problems)
    assert kinds == [(f"scene {quote + 1} (quote)", "attribution", "glyphs"),
                     (f"scene {stat + 1} (stat)", "figure", "overflow")]
    assert all(p.lang == "en" and p.preset == "portrait" for p in problems)
    assert check_text(load_board(), "zh", PRESETS["portrait"], load_theme("default")) == []


def test_cover_title_overflow_is_reported_as_the_cover() -> None:
    board = load_board()
    board = board.model_copy(update={"title": Localized(zh="长" * 400, en="long " * 300)})
    board = board.with_source(DATA / "story.yaml")
    problems = check_text(board, "zh", PRESETS["square"], load_theme("default"))
    assert [(p.where, p.field) for p in problems] == [("cover", "title")]


@pytest.mark.parametrize(("figure", "parts"), [
    ("100 tons", ("100", "tons")),
    ("100 吨", ("100", "吨")),
    ("7亿多人", ("7亿", "多人")),
    ("3,000,000 people", ("3,000,000", "people")),
    ("85%", ("85%", "")),
    ("700 million+", ("700", "million+")),
    ("Half", ("Half", "")),
])
def test_stat_figures_split_into_number_and_unit(figure: str, parts: tuple[str, str]) -> None:
    assert split_figure(figure) == parts


def test_a_heading_that_opens_with_a_quote_hangs_it_to_align_the_text() -> None:
    style = Style(size=80, min_size=40, bold=True, leading=1.2, color=(0, 0, 0, 255))
    box = Box(100, 0, 1100, 400)
    quoted = fit_stack([Item("heading", "“一颗种子”的力量", style)], box, "zh")
    plain = fit_stack([Item("heading", "一颗种子的力量", style)], box, "zh")
    def ink_left(fit: Fit) -> int:
        layer = Image.new("RGBA", (1200, 400), (0, 0, 0, 0))
        draw_placed(layer, fit.placed[0], "zh")
        box = layer.getchannel("A").getbbox()
        assert box is not None
        return box[0]

    # The quote's ink starts where an ideograph's does (it hangs into the margin by the
    # blank half of its em), so the heading lines up with the text below it.
    assert abs(ink_left(quoted) - ink_left(plain)) <= 3
    assert quoted.placed[0].hangs[0] > 0.3 * 80
