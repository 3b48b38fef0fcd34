"""split: a picture beside a text panel (landscape) or above it (portrait and square).
Reads ``image`` (required), ``focus``, ``motion``, optional ``heading`` and ``text``.
In landscape, split scenes alternate sides (picture left on odd scene numbers, right on
even) so a run of them does not look repetitive, and the caption band at the bottom is
shaded over the picture too, so captions never run from the card onto the picture.

Example scene::

    - layout: split
      image: images/workshop.jpg
      focus: [0.4, 0.45]
      heading: {zh: 从废料到课桌, en: From scrap to school desks}
      text: {zh: 回收的塑料被压制成板材，送往山区学校。,
             en: Recycled plastic is pressed into boards and sent to mountain schools.}
      narration: {zh: …, en: …}
"""

from __future__ import annotations

from PIL import ImageDraw

from storyreel.layout.base import Context, SceneArt
from storyreel.presets import Box

BAND_ALPHA = 0.88  # the caption band over the picture side of a landscape split


def draw(ctx: Context) -> SceneArt:
    w, h = ctx.size
    c = ctx.content()
    gutter = ctx.px(0.055)
    seam = max(ctx.floor(4), ctx.px(0.006))
    if not ctx.landscape:
        split_y = round(h * (0.5 if ctx.portrait else 0.46))
        plate_box = Box(0, 0, w, split_y)
        text_box = Box(c.left, max(c.top, split_y + gutter), c.right, c.bottom)
        seam_box = Box(0, split_y, w, split_y + seam)
    else:
        left_side = ctx.index % 2 == 0
        split_x = round(w * 0.5)
        if left_side:
            plate_box = Box(0, 0, split_x, h)
            text_box = Box(max(c.left, split_x + gutter), c.top, c.right, c.bottom)
            seam_box = Box(split_x, 0, split_x + seam, h)
        else:
            plate_box = Box(w - split_x, 0, w, h)
            text_box = Box(c.left, c.top, min(c.right, w - split_x - gutter), c.bottom)
            seam_box = Box(w - split_x - seam, 0, w - split_x, h)
    plate, focus = ctx.plate(plate_box)
    base = ctx.card_background()
    overlay = ctx.layer()
    if ctx.landscape and ctx.captions:
        # Captions run across both halves: under them, a band of the panel colour over
        # the picture too, and the seam stops above it, so they read as on one card.
        band_top = c.bottom + ctx.px(0.01)
        seam_box = Box(seam_box.left, seam_box.top, seam_box.right, band_top)
        start, end = ctx.theme.color("background"), ctx.theme.color("background_end")
        r, g, b = ((x + y) // 2 for x, y in zip(start[:3], end[:3], strict=True))
        ImageDraw.Draw(overlay).rectangle((plate_box.left, band_top, plate_box.right - 1,
                                           h - 1), fill=(r, g, b, round(255 * BAND_ALPHA)))
    ImageDraw.Draw(overlay).rectangle(
        (seam_box.left, seam_box.top, seam_box.right - 1, seam_box.bottom - 1),
        fill=ctx.theme.color("accent"))
    bar_h, bar_gap = max(ctx.floor(4), ctx.px(0.009)), ctx.px(0.03)
    box = Box(text_box.left, text_box.top + bar_h + bar_gap, text_box.right, text_box.bottom)
    items = [
        ctx.item("heading", ctx.field_text("heading"), "heading", "text"),
        ctx.item("text", ctx.field_text("text"), "body", "muted", gap=0.6),
    ]
    fit = ctx.fit(items, box, valign="center" if ctx.landscape else "top")
    if fit.placed:
        ctx.bar(overlay, text_box.left, fit.top - bar_gap - bar_h)
        ctx.draw_fit(overlay, fit)
    return ctx.result(base, overlay, plate, plate_box, focus)
