"""image: a full-bleed picture with an optional lower third. Reads ``image`` (required),
``focus``, ``motion``, and optional ``heading`` and ``text`` for the lower third, which
sits on a dark gradient above the caption band.

Example scene::

    - layout: image
      image: images/volunteers.jpg
      focus: [0.62, 0.4]
      motion: zoom-in
      heading: {zh: 三百名志愿者, en: Three hundred volunteers}
      text: {zh: 每个周末清理河岸, en: Clearing the riverbanks every weekend}
      narration: {zh: …, en: …}
"""

from __future__ import annotations

from storyreel.layout.base import Context, SceneArt
from storyreel.presets import Box


def draw(ctx: Context) -> SceneArt:
    c = ctx.content()
    w, h = ctx.size
    plate, focus = ctx.plate(Box(0, 0, w, h), rise=0.3)
    overlay = ctx.layer()
    items = [
        ctx.item("heading", ctx.field_text("heading"), "heading", "on_image"),
        ctx.item("text", ctx.field_text("text"), "body", "on_image_muted", gap=0.55),
    ]
    if any(i.text for i in items):
        # A lower third (or upper, when the subject is low): not the full width of a
        # wide frame, and at most half the height, so the picture stays the point.
        ctx.text_on_picture(overlay, items, focus, width=0.66 if ctx.landscape else 1.0,
                            height=0.5)
    else:
        # Still shade the caption band a little so captions read on a bright picture.
        ctx.scrim(overlay, Box(0, c.bottom - ctx.px(0.1), w, h), "down", 0.5)
    return ctx.result(ctx.card_background(), overlay, plate, focus=focus)
