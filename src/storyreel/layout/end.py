"""end: the closing card: the theme's logo, a call to action and credits. Reads optional
``heading`` (the call to action), ``text`` (credits; line breaks are kept) and an optional
``image`` (a darkened backdrop). The logo comes from the theme: an image file, or a
monogram badge drawn from its letters, with the wordmark beside it.

Example scene::

    - layout: end
      heading:
        zh: 关注我们，看更多企业公益故事
        en: Follow us for more stories of companies doing good
      text:
        zh: "出品：CSR 故事集\\n摄影：王芳"
        en: "Produced by the CSR Story Collection\\nPhotos: Wang Fang"
      narration: {zh: …, en: …}
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from storyreel.errors import AssetError
from storyreel.fonts import load_font, missing_glyphs
from storyreel.layout.base import Context, SceneArt
from storyreel.layout.text import composite
from storyreel.presets import Box


def _logo_image(ctx: Context, height: int) -> Image.Image | None:
    path = ctx.theme.logo_file()
    if path is None:
        return None
    try:
        with Image.open(path) as im:
            if im.width * im.height > 16_000_000:
                raise AssetError(f"{path}: logo larger than 16 MP; export it smaller")
            rgba = im.convert("RGBA")
    except (OSError, ValueError) as exc:
        raise AssetError(f"{path}: cannot read the theme's logo ({exc}); "
                         "use a PNG with transparency") from None
    width = max(1, round(rgba.width * height / rgba.height))
    return rgba.resize((width, height), Image.Resampling.LANCZOS)


def draw_logo(ctx: Context, on_image: bool, height: int) -> Image.Image:
    """The logo lock-up (badge + wordmark, or the logo file) as an RGBA image."""
    pic = _logo_image(ctx, height)
    if pic is not None:
        return pic
    logo = ctx.theme.logo
    name_font = load_font(round(height * 0.3), True)
    name = logo.name if not missing_glyphs(logo.name, True) else ""
    gap = round(height * 0.28)
    name_w = round(name_font.getlength(name)) if name else 0
    badge = height if logo.mark else 0
    width = badge + (gap + name_w if name and badge else name_w)
    out = Image.new("RGBA", (max(1, width), height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(out)
    if logo.mark:
        accent = ctx.theme.color("accent")
        if logo.shape == "circle":
            draw.ellipse((0, 0, height - 1, height - 1), fill=accent)
        else:
            draw.rounded_rectangle((0, 0, height - 1, height - 1), radius=round(height * 0.24),
                                   fill=accent)
        mark_font = load_font(round(height * (0.42 if len(logo.mark) <= 2 else 0.32)), True)
        draw.text((height / 2, height / 2 + 1), logo.mark, font=mark_font,
                  fill=ctx.theme.color("on_accent"), anchor="mm")
    if name:
        color = ctx.theme.color("on_image" if on_image else "text")
        draw.text((badge + (gap if badge else 0), height / 2), name, font=name_font,
                  fill=color, anchor="lm")
    return out


def draw(ctx: Context) -> SceneArt:
    on_image = ctx.scene.image is not None
    c = ctx.content()
    plate, focus, overlay = ctx.backdrop("up", 1.0)
    logo = draw_logo(ctx, on_image, ctx.px(0.11))
    if logo.width > c.width:
        logo = logo.resize((c.width, max(1, round(logo.height * c.width / logo.width))),
                           Image.Resampling.LANCZOS)
    gap = ctx.px(0.07)
    rule_h = max(ctx.floor(3), ctx.px(0.004))
    text_color, muted = ("on_image", "on_image_muted") if on_image else ("text", "muted")
    items = [
        ctx.item("heading", ctx.field_text("heading"), "cta", text_color),
        ctx.item("text", ctx.field_text("text"), "credits", muted, gap=2.4),
    ]
    width = round(c.width * 0.8) if ctx.landscape else c.width
    left = c.left + (c.width - width) // 2
    box = Box(left, c.top + logo.height + gap, left + width, c.bottom)
    fit = ctx.fit(items, box, align="center", valign="top")
    used = fit.bottom - c.top if fit.placed else logo.height
    shift = max(0, (c.height - used) // 2)
    if shift:
        box = Box(box.left, box.top + shift, box.right, box.bottom)
        fit = ctx.fit(items, box, align="center", valign="top")
    logo_top = (fit.top if fit.placed else c.top + shift + logo.height + gap) - gap - logo.height
    composite(overlay, logo, (box.left + box.right - logo.width) // 2, logo_top)
    heading = [p for p in fit.placed if p.item.field == "heading"]
    credits = [p for p in fit.placed if p.item.field == "text"]
    if heading and credits:
        y = (heading[0].bottom + credits[0].top) // 2 - rule_h // 2
        cx = (box.left + box.right) // 2
        ctx.bar(overlay, cx - ctx.px(0.04), y, ctx.px(0.08))
    ctx.draw_fit(overlay, fit, shadow=0.4 if on_image else 0.0)
    return ctx.result(ctx.card_background(), overlay, plate, focus=focus)
