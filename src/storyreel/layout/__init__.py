"""The draw stage: Pillow draws each scene's stills once (and the covers); ffmpeg moves
and joins them.

Public API::

    draw_scene(board, index, lang, preset, theme) -> SceneArt
    draw_cover(board, lang, preset, theme) -> Image          # RGB at preset.cover_size
    load_theme(name, overrides=None) -> Theme
    check_text(board, lang, preset, theme) -> list[LayoutProblem]
    check_captions(board, lang, theme) -> list[LayoutProblem]

Layouts live one per module and register here: to add one, write ``layout/<name>.py``
with ``draw(ctx: Context) -> SceneArt`` (see ``base.py``) and add one line to
``LAYOUTS``.
"""

from __future__ import annotations

from PIL import Image

from storyreel.errors import AssetError, LayoutError
from storyreel.fonts import missing_glyphs
from storyreel.layout import bullets, end, image, quote, split, stat, title
from storyreel.layout.base import (
    Context,
    DrawLayout,
    LayoutProblem,
    LayoutProblemError,
    SceneArt,
    TextBox,
)
from storyreel.layout.cover import cover_context, draw_cover_in
from storyreel.presets import Preset
from storyreel.storyboard.model import Layout, Storyboard
from storyreel.theme import Theme, available_themes, load_theme, resolve_override_paths

LAYOUTS: dict[Layout, DrawLayout] = {
    Layout.TITLE: title.draw,
    Layout.IMAGE: image.draw,
    Layout.SPLIT: split.draw,
    Layout.QUOTE: quote.draw,
    Layout.STAT: stat.draw,
    Layout.BULLETS: bullets.draw,
    Layout.END: end.draw,
}

__all__ = [
    "LAYOUTS",
    "Context",
    "LayoutProblem",
    "LayoutProblemError",
    "SceneArt",
    "TextBox",
    "Theme",
    "available_themes",
    "check_captions",
    "check_text",
    "draw_cover",
    "draw_scene",
    "forget_pictures",
    "load_theme",
    "missing_glyphs",
    "theme_for",
]


def theme_for(board: Storyboard) -> Theme:
    """The theme a storyboard draws with (its own, else its project's default), with the
    storyboard's overrides merged in; the files they name must lie in its project."""
    if not board.theme_overrides:
        return load_theme(board.theme_name)
    overrides, problems = resolve_override_paths(
        board.theme_overrides, board.source.resolve().parent, board.project_root)
    if problems:
        loc, problem = problems[0]
        raise AssetError(f"{board.source}: theme_overrides.{'.'.join(loc)}: {problem}")
    return load_theme(board.theme_name, overrides)


def _layout(board: Storyboard, index: int) -> DrawLayout:
    kind = board.scenes[index].layout
    try:
        return LAYOUTS[kind]
    except KeyError:
        raise LayoutError(f"scene {index + 1}: no drawing registered for layout '{kind}'") \
            from None


def draw_scene(board: Storyboard, index: int, lang: str, preset: Preset, theme: Theme) -> SceneArt:
    """Draw scene ``index`` (0-based) of ``board`` in ``lang`` for ``preset``.

    Raises :class:`LayoutProblemError` (a ``LayoutError``) for the first text that
    overflows or has characters the font lacks, and ``AssetError`` for a bad picture.
    """
    ctx = Context(board, board.scenes[index], index, lang, preset, theme)
    return _layout(board, index)(ctx)


def forget_pictures() -> None:
    """Drop the decoded pictures and backgrounds kept for the next scene (tens of MiB at
    1080p): a render calls it once its scenes are drawn."""
    from storyreel.layout.base import gradient_card
    from storyreel.layout.pictures import forget_opened

    gradient_card.cache_clear()
    forget_opened()


def draw_cover(board: Storyboard, lang: str, preset: Preset, theme: Theme) -> Image.Image:
    """The cover for ``lang`` and ``preset``: RGB at ``preset.cover_size``."""
    return draw_cover_in(cover_context(board, lang, preset, theme))


def check_text(board: Storyboard, lang: str, preset: Preset, theme: Theme) -> list[LayoutProblem]:
    """Every overflow and missing glyph of every scene and the cover, without raising.

    Pictures are not opened (a text-only check: sizes of text boxes do not depend on
    them); a picture problem shows up when drawing.
    """
    problems: list[LayoutProblem] = []
    for index, scene in enumerate(board.scenes):
        ctx = Context(board, scene, index, lang, preset, theme, strict=False, pictures=False)
        _layout(board, index)(ctx)
        problems.extend(ctx.problems)
    ctx = cover_context(board, lang, preset, theme, strict=False, pictures=False)
    draw_cover_in(ctx)
    problems.extend(ctx.problems)
    return problems


def check_captions(board: Storyboard, lang: str, theme: Theme,
                   bilingual: bool = False) -> list[LayoutProblem]:
    """Characters of the narration in ``lang`` that the caption font cannot draw.

    Captions are the narration, burnt in by libass with the shipped font: a character it
    lacks would show as a box (or in whatever font a machine happens to have). With
    ``bilingual`` a Chinese video burns the English narration in under the Chinese, so
    every line drawn is checked: the English too.
    """
    langs = [lang, *(["en"] if bilingual and lang == "zh" else [])]
    problems: list[LayoutProblem] = []
    for shown in langs:
        for index, scene in enumerate(board.scenes):
            missing = missing_glyphs(scene.narration.get(shown), theme.captions.bold)
            if missing:
                problems.append(LayoutProblem(
                    f"scene {index + 1} ({scene.layout.value})", shown, "narration", "",
                    "glyphs", missing=tuple(sorted(missing)), source=str(board.source),
                    scene=index,
                ))
    return problems
