"""bullets: two to four short points revealed one after another, under an optional
heading. Reads ``points`` (required), ``heading`` and an optional ``image`` (darkened
backdrop; in portrait, a picture above the points instead, so they never sit on it).
The first point is in the overlay; each further point is a reveal layer, so the text
never moves as points appear.

Example scene::

    - layout: bullets
      heading: {zh: 项目做了什么, en: What the project did}
      points:
        - {zh: 修复十二公里河岸, en: Restored 12 km of riverbank}
        - {zh: 建起三座污水站, en: Built three wastewater stations}
        - {zh: 培训两百名护河员, en: Trained 200 river wardens}
      narration: {zh: …, en: …}
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from storyreel.fonts import load_font
from storyreel.layout.base import Context, SceneArt
from storyreel.layout.text import Placed
from storyreel.presets import Box

MARKER = 1.45  # marker diameter, in ems of the point text
INDENT = 2.2  # text indent right of the marker's left edge, in ems


def _marker(ctx: Context, layer: Image.Image, p: Placed, number: int) -> None:
    d = round(p.size * MARKER)
    x = p.left - round(INDENT * p.size)
    cy = p.baseline(0) - round(0.36 * p.size)
    draw = ImageDraw.Draw(layer)
    draw.ellipse((x, cy - d // 2, x + d, cy + d - d // 2), fill=ctx.theme.color("accent"))
    font = load_font(round(d * 0.55), True)
    draw.text((x + d / 2, cy + 0.5), str(number), font=font,
              fill=ctx.theme.color("on_accent"), anchor="mm")


PORTRAIT_PICTURE = 0.38  # of the frame's height: the picture above portrait bullets


def draw(ctx: Context) -> SceneArt:
    on_image = ctx.scene.image is not None
    c = ctx.content()
    plate_box: Box | None = None
    plate: Image.Image | None
    if on_image and ctx.portrait:
        # Portrait: the picture on top, the points under it, never over it.
        w, h = ctx.size
        plate_box = Box(0, 0, w, round(h * PORTRAIT_PICTURE))
        plate, focus = ctx.plate(plate_box)
        overlay = ctx.layer()
        c = Box(c.left, max(c.top, plate_box.bottom + ctx.px(0.06)), c.right, c.bottom)
        on_image = False
    else:
        plate, focus, overlay = ctx.backdrop("left", 0.8)
    text_color = "on_image" if on_image else "text"
    heading = ctx.field_text("heading")
    points = [p.get(ctx.lang) for p in ctx.scene.points or []]
    items = [ctx.item("heading", heading, "heading", text_color)] if heading else []
    for n, point in enumerate(points, 1):
        gap = (1.3 if n == 1 else 0.95) if heading or n > 1 else 0.0
        items.append(ctx.item(f"point {n}", point, "point", text_color, gap=gap,
                              indent=INDENT))
    bar_h, bar_gap = max(ctx.floor(4), ctx.px(0.009)), ctx.px(0.03)
    width = round(c.width * 0.78) if ctx.landscape else c.width
    box = Box(c.left, c.top + bar_h + bar_gap, c.left + width, c.bottom)
    fit = ctx.fit(items, box, valign="center")
    ctx.bar(overlay, c.left, fit.top - bar_gap - bar_h)
    shadow = 0.4 if on_image else 0.0
    reveals: list[Image.Image] = []
    for p in fit.placed:
        if p.item.field.startswith("point "):
            number = int(p.item.field.split()[1])
            layer = overlay if number == 1 else ctx.layer()
            _marker(ctx, layer, p, number)
            ctx.draw_fit(layer, fit.only(p), shadow)
            if number > 1:
                reveals.append(layer)
        else:
            ctx.draw_fit(overlay, fit.only(p), shadow)
    return ctx.result(ctx.card_background(), overlay, plate, plate_box, focus=focus,
                      reveals=reveals)
