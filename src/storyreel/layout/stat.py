"""stat: one big figure with its label, for the numbers CSR stories are full of. Reads
``figure`` (required: "100 吨", "3 million people"), ``text`` (the label under it),
optional ``heading`` (a small kicker above) and an optional ``image`` (darkened backdrop).

A figure that starts with a number is set as the number, very large in the accent
colour, followed by its unit on the same baseline when there is room, else under it.

Example scene::

    - layout: stat
      heading: {zh: 十年成果, en: Ten years on}
      figure: {zh: 100 吨, en: 100 tons}
      text: {zh: 从河道中清出的垃圾, en: of rubbish pulled from the river}
      narration: {zh: …, en: …}
"""

from __future__ import annotations

import re

from storyreel.layout.base import Context, SceneArt
from storyreel.presets import Box

# A leading number: optional sign or currency, digits with separators, decimals, % or +.
# Chinese magnitude characters (万, 亿) belong to the number: "7 亿多人" → "7 亿", "多人".
_NUMBER = re.compile(
    r"^\s*([~≈<>+\-−$¥￥€£]?\s?\d[\d,.\u202f ]*(?:[十百千万亿]+)?(?:%|\+|‰)?)\s*(.*)$", re.S
)


def split_figure(figure: str) -> tuple[str, str]:
    """``"100 tons"`` → ``("100", "tons")``, ``"7亿多人"`` → ``("7亿", "多人")``; a figure
    without a leading number stays whole."""
    m = _NUMBER.match(figure)
    if not m or (not m.group(2).strip() and not m.group(1).strip()):
        return figure.strip(), ""
    number, unit = m.group(1).strip(), m.group(2).strip()
    return number, unit


def draw(ctx: Context) -> SceneArt:
    on_image = ctx.scene.image is not None
    c = ctx.content()
    plate, focus, overlay = ctx.backdrop("up", 0.7)
    text_color = "on_image" if on_image else "text"
    figure = ctx.field_text("figure")
    number, unit = split_figure(figure)
    kicker = ctx.field_text("heading")
    items = [
        ctx.item("heading", kicker.upper() if ctx.lang == "en" else kicker, "kicker", "accent"),
        ctx.item("figure", number, "figure", "accent", gap=0.5),
        ctx.item("figure", unit, "unit", text_color, gap=0.15, inline=True),
        ctx.item("text", ctx.field_text("text"), "label", text_color, gap=0.6),
    ]
    originals = [kicker, number, unit, ctx.field_text("text")]
    keep = [i for i, it in enumerate(items) if it.text]
    bar_h, bar_gap = max(ctx.floor(4), ctx.px(0.009)), ctx.px(0.03)
    width = round(c.width * 0.8) if ctx.landscape else c.width
    box = Box(c.left, c.top + bar_h + bar_gap, c.left + width, c.bottom)
    fit = ctx.fit([items[i] for i in keep], box, valign="center",
                  check_text=[originals[i] for i in keep])
    ctx.bar(overlay, c.left, fit.top - bar_gap - bar_h)
    ctx.draw_fit(overlay, fit, shadow=0.4 if on_image else 0.0)
    return ctx.result(ctx.card_background(), overlay, plate, focus=focus)
