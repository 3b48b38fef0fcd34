"""quote: a pull quote with its attribution. Reads ``text`` (the quote, required),
``attribution`` (who said it, optional) and an optional ``image`` (a darkened backdrop).

Example scene::

    - layout: quote
      text: {zh: 以前河里没有鱼，现在孩子们又能下河摸鱼了。,
             en: There were no fish in the river. Now the children catch them again.}
      attribution: {zh: 李阿姨，村民, en: Auntie Li, villager}
      narration: {zh: …, en: …}
"""

from __future__ import annotations

from PIL import ImageDraw

from storyreel.fonts import load_font
from storyreel.layout.base import Context, SceneArt
from storyreel.layout.text import composite
from storyreel.presets import Box


def draw(ctx: Context) -> SceneArt:
    on_image = ctx.scene.image is not None
    c = ctx.content()
    plate, focus, overlay = ctx.backdrop("up", 0.6)
    text_color, by_color = ("on_image", "accent") if on_image else ("text", "accent")
    mark_size = ctx.px(0.3)
    mark_font = load_font(mark_size, True)
    mx0, my0, mx1, my1 = (int(v) for v in mark_font.getbbox("“", anchor="ls"))
    mark_h = my1 - my0
    width = round(c.width * 0.8) if ctx.landscape else c.width
    box = Box(c.left, c.top + mark_h + ctx.px(0.035), c.left + width, c.bottom)
    dash = "——" if ctx.lang == "zh" else "— "
    attribution = ctx.field_text("attribution")
    items = [
        ctx.item("text", ctx.field_text("text"), "quote", text_color),
        ctx.item("attribution", dash + attribution if attribution else "", "attribution",
                 by_color, gap=1.1),
    ]
    fit = ctx.fit(items, box, valign="center",
                  check_text=[ctx.field_text("text"), attribution])
    # The opening quote mark, hung above the first line in the accent colour.
    mark = ctx.layer().crop((0, 0, mx1 - mx0 + 4, mark_h + 4))
    ImageDraw.Draw(mark).text((2 - mx0, 2 - my0), "“", font=mark_font,
                              fill=ctx.theme.color("accent"), anchor="ls")
    composite(overlay, mark, c.left - 2 - round(mark_size * 0.02),
              fit.top - mark_h - ctx.px(0.03) - 2)
    ctx.draw_fit(overlay, fit, shadow=0.4 if on_image else 0.0)
    return ctx.result(ctx.card_background(), overlay, plate, focus=focus)
