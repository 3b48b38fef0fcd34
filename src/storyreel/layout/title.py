"""title: the opening card. Reads ``heading`` (the title), optional ``text`` (a subtitle)
and an optional ``image`` (a full-bleed picture; the title then sits on a dark gradient
at the bottom, or at the top when the picture's subject is low in the frame).

Example scene::

    - layout: title
      image: images/river.jpg          # optional
      focus: [0.7, 0.4]
      heading: {zh: 让河流重新清澈, en: Making the River Run Clear}
      text: {zh: 一家企业与三个村庄的十年, en: "One company, three villages, ten years"}
      narration: {zh: …, en: …}
"""

from __future__ import annotations

from storyreel.layout.base import Context, SceneArt
from storyreel.layout.text import Fit
from storyreel.presets import Box


def brand(ctx: Context) -> str:
    """The small brand line over a title or cover: the theme's logo name."""
    name = ctx.theme.logo.name
    return name.upper() if name.isascii() else name


def draw_brand(ctx: Context, on_image: bool) -> Fit | None:
    """Fit the brand line at the top of the content area (drawn by the caller)."""
    text = brand(ctx)
    if not text:
        return None
    item = ctx.item("brand", text, "kicker", "on_image" if on_image else "accent")
    return ctx.fit([item], ctx.content(), check_text=[ctx.theme.logo.name])


# The least height of the content area a title over a picture may take with a subtitle.
SUBTITLE_FLOOR = 0.5


def _hint(ctx: Context, subtitle: bool) -> str:
    """What helps a title card that overflows: with a subtitle under the title, it is
    the subtitle, the type step or the title's line count, not the title's length."""
    if not subtitle:
        return ""
    role = ctx.theme.type.title
    return (f"shorten the subtitle (or leave it out), set a smaller type step "
            f"(theme type.title.min, now {role.min:g}), or make the title fit one line")


def draw(ctx: Context) -> SceneArt:
    on_image = ctx.scene.image is not None
    c = ctx.content()
    w, h = ctx.size
    overlay = ctx.layer()
    kick = draw_brand(ctx, on_image)
    top = kick.bottom + ctx.px(0.05) if kick and kick.placed else c.top
    head_color, sub_color = ("on_image", "on_image_muted") if on_image else ("text", "muted")
    items = [
        ctx.item("heading", ctx.field_text("heading"), "title", head_color),
        ctx.item("text", ctx.field_text("text"), "label", sub_color, gap=0.7),
    ]
    if on_image:
        plate, focus = ctx.plate(Box(0, 0, w, h), rise=0.3)
        ctx.scrim(overlay, Box(0, 0, w, top + ctx.px(0.2)), "up", 0.8)
        # A title with a subtitle takes the room two title lines and the subtitle need
        # (more of the picture than a lower third may), rather than overflow.
        subtitle = bool(ctx.field_text("text"))
        ctx.text_on_picture(overlay, items, focus, width=0.78 if ctx.landscape else 1.0,
                            height=0.62, top=top, floor=SUBTITLE_FLOOR if subtitle else 0.34,
                            hint=_hint(ctx, subtitle))
    else:
        plate, focus = None, (0.5, 0.5)
        bar_h, bar_gap = max(ctx.floor(4), ctx.px(0.009)), ctx.px(0.035)
        right = c.left + round(c.width * 0.78) if ctx.landscape else c.right
        fit = ctx.fit(items, Box(c.left, top + bar_h + bar_gap, right, c.bottom),
                      valign="center", hint=_hint(ctx, bool(ctx.field_text("text"))))
        ctx.bar(overlay, c.left, fit.top - bar_gap - bar_h)
        ctx.draw_fit(overlay, fit)
    if kick:
        ctx.draw_fit(overlay, kick, shadow=0.4 if on_image else 0.0)
    return ctx.result(ctx.card_background(), overlay, plate, focus=focus)
