"""Covers: one still per language and preset: the story's title over its key picture
(the first title scene's image, else the first image in the storyboard), at the
preset's cover size (1280×720 for landscape; the frame size for portrait and square).
"""

from __future__ import annotations

from PIL import Image

from storyreel.layout.base import Context
from storyreel.layout.pictures import fit_picture
from storyreel.layout.title import draw_brand
from storyreel.presets import Box, Preset
from storyreel.storyboard.model import Layout, Scene, Storyboard
from storyreel.theme import Theme


def key_scene(board: Storyboard) -> Scene:
    """The scene whose picture the cover uses (the first scene when none has one)."""
    with_image = [s for s in board.scenes if s.image is not None]
    titles = [s for s in with_image if s.layout is Layout.TITLE]
    return (titles or with_image or board.scenes)[0]


def cover_context(
    board: Storyboard, lang: str, preset: Preset, theme: Theme, strict: bool = True,
    pictures: bool = True,
) -> Context:
    """A drawing context for the cover: the preset scaled to its cover size, no caption
    band (covers carry no captions)."""
    scene = key_scene(board)
    return Context(board, scene, board.scenes.index(scene), lang,
                   preset.scaled(*preset.cover_size), theme, strict=strict,
                   pictures=pictures, cover=True, captions=False)


def draw_cover_in(ctx: Context) -> Image.Image:
    """Draw the cover described by ``ctx`` (text boxes land in ``ctx.text_boxes``)."""
    w, h = ctx.size
    on_image = ctx.scene.image is not None
    focus = ctx.scene.focus or (0.5, 0.5)
    if on_image and ctx.pictures:
        fitted = fit_picture(ctx.picture(), (w, h), focus, ctx.theme.fill_darken, rise=0.3)
        frame, focus = fitted.image.convert("RGBA"), fitted.focus
    else:
        frame = ctx.card_background().convert("RGBA")
        if on_image:  # checking text only: place it as over the picture
            focus = ctx.picture_focus((w, h), rise=0.3)
    c = ctx.content()
    overlay = ctx.layer()
    kick = draw_brand(ctx, on_image)
    top = kick.bottom + ctx.px(0.05) if kick and kick.placed else c.top
    title = ctx.board.title.get(ctx.lang)
    if on_image:
        ctx.scrim(overlay, Box(0, 0, w, top + ctx.px(0.2)), "up", 0.8)
        item = ctx.item("title", title, "cover_title", "on_image")
        ctx.text_on_picture(overlay, [item], focus, width=0.8 if ctx.landscape else 1.0,
                            height=0.6, top=top)
    else:
        bar_h, bar_gap = max(ctx.floor(4), ctx.px(0.01)), ctx.px(0.035)
        right = c.left + round(c.width * 0.8) if ctx.landscape else c.right
        item = ctx.item("title", title, "cover_title", "text")
        fit = ctx.fit([item], Box(c.left, top + bar_h + bar_gap, right, c.bottom),
                      valign="center")
        ctx.bar(overlay, c.left, fit.top - bar_gap - bar_h, ctx.px(0.09))
        ctx.draw_fit(overlay, fit)
    if kick:
        ctx.draw_fit(overlay, kick, shadow=0.4 if on_image else 0.0)
    frame.alpha_composite(overlay)
    return frame.convert("RGB")
