"""What every layout shares: the drawing context, the result type, problem reporting,
and the house elements (card background, picture plate, scrims, accent bars).

How to add a layout: write ``layout/<name>.py`` with ``def draw(ctx: Context) -> SceneArt``
(read the scene's fields from ``ctx.scene``; set text with ``ctx.text``; pictures with
``ctx.plate``), then add one line to ``LAYOUTS`` in ``layout/__init__.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np
from PIL import Image, ImageDraw

from storyreel.errors import AssetError, LayoutError
from storyreel.fonts import describe, missing_glyphs
from storyreel.layout.pictures import fit_picture, fitted_focus, open_image, picture_size
from storyreel.layout.text import Align, Fit, Item, VAlign, draw_placed, fit_stack
from storyreel.presets import Box, Preset
from storyreel.storyboard.model import Motion, Scene, Storyboard
from storyreel.theme import RGBA, Theme
from storyreel.theme.model import scaled_floor


@dataclass(frozen=True)
class TextBox:
    """Where one field's text was drawn (its glyphs' ink), for tests and checks."""

    field: str
    box: Box
    size: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class SceneArt:
    """The stills of one scene, drawn once; ffmpeg moves and joins them.

    ``base`` is under everything; ``plate`` (if any) is the picture the camera moves
    over, exactly ``plate_box`` in size, placed there; ``overlay`` holds text and panels
    (faded in); ``reveals`` are further layers shown in turn (one per extra bullet).
    ``text_boxes`` records where each text went.
    """

    base: Image.Image
    plate: Image.Image | None
    plate_box: Box
    focus: tuple[float, float]
    motion: Motion
    overlay: Image.Image
    reveals: tuple[Image.Image, ...] = ()
    text_boxes: tuple[TextBox, ...] = ()

    def composite(self, reveals: int | None = None) -> Image.Image:
        """The scene as it looks when everything (or ``reveals`` layers) is shown."""
        frame = self.base.convert("RGBA")
        if self.plate is not None:
            frame.paste(self.plate, (self.plate_box.left, self.plate_box.top))
        frame.alpha_composite(self.overlay)
        for layer in self.reveals[: len(self.reveals) if reveals is None else reveals]:
            frame.alpha_composite(layer)
        return frame.convert("RGB")


@dataclass(frozen=True)
class LayoutProblem:
    """Text that cannot be drawn as written: it overflows, or the font lacks glyphs."""

    where: str  # "scene 3 (stat)" or "cover"
    lang: str
    field: str
    preset: str
    kind: str  # "overflow" or "glyphs"
    overflow_px: int = 0
    min_size: int = 0
    missing: tuple[str, ...] = ()
    source: str = ""
    scene: int = -1  # 0-based; -1 for the cover
    hint: str = ""  # what helps, when "shorten it" would not say it

    @property
    def message(self) -> str:
        head = f"{self.source}: " if self.source else ""
        head += f"{self.where} {self.lang} {self.field}: "
        if self.kind == "glyphs":
            return head + (
                f"the font has no glyph for {describe(set(self.missing))}; "
                "replace or remove it (it would draw as a box)"
            )
        return head + (
            f"overflows its box by {self.overflow_px} px in {self.preset} "
            f"at the minimum size {self.min_size} px; {self.hint or 'shorten it'}"
        )

    def __str__(self) -> str:
        return self.message


class LayoutProblemError(LayoutError):
    """A :class:`LayoutError` carrying the :class:`LayoutProblem` it reports."""

    def __init__(self, problem: LayoutProblem) -> None:
        self.problem = problem
        super().__init__(problem.message)


class DrawLayout(Protocol):
    """A layout: draws one scene of a storyboard in one language and preset."""

    def __call__(self, ctx: Context) -> SceneArt: ...


@dataclass
class Context:
    """One drawing: the scene, language, preset and theme, and what has been drawn.

    ``strict`` raises the first problem as a :class:`LayoutProblemError`; otherwise
    problems are collected (``check``) and drawing goes on at the minimum size. With
    ``pictures`` off, images are not opened (a text-only check).
    """

    board: Storyboard
    scene: Scene
    index: int
    lang: str
    preset: Preset
    theme: Theme
    strict: bool = True
    pictures: bool = True
    cover: bool = False  # drawing the cover (of ``scene``), not the scene itself
    captions: bool = True  # keep the caption band free
    problems: list[LayoutProblem] = field(default_factory=list)
    text_boxes: list[TextBox] = field(default_factory=list)

    @property
    def where(self) -> str:
        return "cover" if self.cover else f"scene {self.index + 1} ({self.scene.layout.value})"

    # --- geometry ---------------------------------------------------------------------

    @property
    def size(self) -> tuple[int, int]:
        return (self.preset.width, self.preset.height)

    @property
    def unit(self) -> int:
        """The frame's shorter side: theme sizes are fractions of it."""
        return min(self.preset.width, self.preset.height)

    @property
    def portrait(self) -> bool:
        return self.preset.height > self.preset.width * 1.2

    @property
    def landscape(self) -> bool:
        return self.preset.width > self.preset.height * 1.2

    def px(self, fraction: float) -> int:
        return round(fraction * self.unit)

    def floor(self, px: int) -> int:
        """A floor of ``px`` pixels at full size, scaled down with a smaller frame."""
        return scaled_floor(px, self.unit)

    def content(self) -> Box:
        """The safe area less the theme's margin, and less the caption band at the
        bottom (captions are burnt in over the scene: text must not collide with them)."""
        s, m = self.preset.safe, self.theme.margin_px(self.preset)
        band = self.theme.caption_band(self.preset) if self.captions else 0
        return Box(s.left + m, s.top + m, s.right - m, s.bottom - max(m, band))

    # --- text -------------------------------------------------------------------------

    def field_text(self, name: str) -> str:
        value = getattr(self.scene, name)
        return "" if value is None else str(value.get(self.lang))

    def item(
        self, field_name: str, text: str, role: str, color: str, gap: float = 0.0,
        indent: float = 0.0, inline: bool = False,
    ) -> Item:
        """An :class:`Item` in the theme's ``role`` and palette ``color``."""
        style = self.theme.style(role, self.preset, color)
        return Item(field_name, text, style, gap, indent, inline)

    def report(self, problem: LayoutProblem) -> None:
        if self.strict:
            raise LayoutProblemError(problem)
        self.problems.append(problem)

    def _problem(
        self, field_name: str, kind: str, overflow_px: int = 0, min_size: int = 0,
        missing: tuple[str, ...] = (), hint: str = "",
    ) -> LayoutProblem:
        return LayoutProblem(
            self.where, self.lang, field_name, self.preset.name, kind, overflow_px, min_size,
            missing, str(self.board.source), -1 if self.cover else self.index, hint,
        )

    def fit(
        self, items: Sequence[Item], box: Box, align: Align = "left", valign: VAlign = "top",
        check_text: Sequence[str] | None = None, hint: str = "",
    ) -> Fit:
        """Set ``items`` in ``box`` (see :func:`fit_stack`), reporting missing glyphs
        (checked on ``check_text``, the texts as written, if given) and overflow."""
        originals = check_text if check_text is not None else [i.text for i in items]
        for it, original in zip(items, originals, strict=True):
            missing = missing_glyphs(original, it.style.bold)
            if missing:
                self.report(self._problem(it.field, "glyphs", missing=tuple(sorted(missing))))
        fit = fit_stack(items, box, self.lang, align, valign, self.theme.type.cjk_leading)
        if not fit.fits and fit.culprit is not None:
            culprit = fit.culprit
            size = next(p.size for p in fit.placed if p.item is culprit)
            self.report(self._problem(culprit.field, "overflow", overflow_px=fit.overflow_px,
                                      min_size=size, hint=hint))
        return fit

    def draw_fit(self, layer: Image.Image, fit: Fit, shadow: float = 0.0) -> list[TextBox]:
        boxes = []
        for p in fit.placed:
            ink = draw_placed(layer, p, self.lang, shadow=shadow)
            tb = TextBox(p.item.field, ink, p.size, p.lines)
            self.text_boxes.append(tb)
            boxes.append(tb)
        return boxes

    # --- pictures ---------------------------------------------------------------------

    def plate(self, box: Box, rise: float = 0.5) -> tuple[Image.Image, tuple[float, float]]:
        """The scene's picture fitted to ``box``, and its focal point in the result.

        A picture shown whole on a blurred fill sits ``rise`` of the way down the free
        space (0.5 centres it; less lifts it clear of text at the bottom)."""
        focus = self.scene.focus or (0.5, 0.5)
        size = (box.width, box.height)
        if not self.pictures:
            return Image.new("RGB", size, (96, 96, 96)), self.picture_focus(size, rise)
        fitted = fit_picture(self.picture(), size, focus, self.theme.fill_darken, rise=rise)
        return fitted.image, fitted.focus

    def picture_focus(self, size: tuple[int, int], rise: float = 0.5) -> tuple[float, float]:
        """Where the subject of the scene's picture lands once fitted to ``size``, from the
        picture's size alone (text is laid out around it: checks must place it as
        drawing does). A picture that cannot be read keeps the scene's focus."""
        focus = self.scene.focus or (0.5, 0.5)
        path = self.board.image_path(self.scene)
        try:
            return focus if path is None else fitted_focus(picture_size(path), size, focus,
                                                           rise=rise)
        except AssetError:
            return focus  # reported when the picture is opened

    def picture(self) -> Image.Image:
        """The scene's picture, opened (see ``open_image``); a problem with it names the
        storyboard and the scene."""
        path = self.board.image_path(self.scene)
        assert path is not None
        try:
            return open_image(path)
        except AssetError as exc:
            raise picture_error(self.board, self.index, exc) from None

    def motion(self, has_plate: bool) -> Motion:
        if not has_plate:
            return Motion.NONE
        return self.scene.motion or Motion.ZOOM_IN

    # --- house elements -----------------------------------------------------------------

    def card_background(self) -> Image.Image:
        """The theme's card: a diagonal gradient, a soft glow and faint rings in a corner."""
        w, h = self.size
        t = self.theme
        return gradient_card(w, h, t.color("background"), t.color("background_end"),
                             t.color("accent"), t.glow).copy()

    def layer(self) -> Image.Image:
        return Image.new("RGBA", self.size, (0, 0, 0, 0))

    def backdrop(
        self, scrim_from: str, strength: float
    ) -> tuple[Image.Image | None, tuple[float, float], Image.Image]:
        """A card's optional picture (full frame) and the empty text layer over it, with
        the picture darkened from the bottom and from ``scrim_from`` so text reads on it:
        ``(plate, focus, overlay)``; no plate for a card without a picture."""
        overlay = self.layer()
        if self.scene.image is None:
            return None, (0.5, 0.5), overlay
        frame = Box(0, 0, *self.size)
        plate, focus = self.plate(frame)
        self.scrim(overlay, frame, "down", 1.0)
        self.scrim(overlay, frame, scrim_from, strength)
        return plate, focus, overlay

    def scrim(self, layer: Image.Image, box: Box, direction: str, strength: float = 1.0) -> None:
        """A gradient of the scrim colour over ``box``, opaque towards ``direction``
        ("down": darkest at the bottom, "up", "left", "right")."""
        draw_scrim(layer, box, self.theme.color("scrim"),
                   self.theme.scrim_opacity * strength, direction)

    def bar(self, layer: Image.Image, x: int, y: int, width: int | None = None,
            color: str = "accent") -> Box:
        """The accent bar that marks a heading: a short thick rule with rounded ends."""
        w = width if width is not None else self.px(0.07)
        h = max(self.floor(4), self.px(0.009))
        box = Box(x, y, x + w, y + h)
        ImageDraw.Draw(layer).rounded_rectangle(
            (box.left, box.top, box.right - 1, box.bottom - 1), radius=h // 2,
            fill=self.theme.color(color))
        return box

    def text_on_picture(
        self, layer: Image.Image, items: Sequence[Item], focus: tuple[float, float],
        width: float = 1.0, height: float = 0.5, top: int | None = None,
        check_text: Sequence[str] | None = None, floor: float = 0.34, hint: str = "",
    ) -> Fit:
        """Set ``items`` over a full-frame picture on a gradient scrim, with an accent bar.

        The block goes at the bottom of the content area (a lower third), or at the top
        when the picture's subject (``focus``, fractions of the frame) is low in the
        frame; it takes at most ``width`` of the content width and ``height`` of its
        height (``top``: where the content starts, under a brand line)."""
        c = self.content()
        w, h = self.size
        top = c.top if top is None else top
        bar_h, bar_gap = max(self.floor(4), self.px(0.009)), self.px(0.03)
        right = c.left + round(c.width * width)
        room = round((c.bottom - top) * height)
        subject = focus[1] * h
        at_top = subject > top + (c.bottom - top) * 0.58
        # Keep clear of the subject (about an eighth of the frame around the focal
        # point) when that leaves the text a reasonable room; else let it shrink less.
        clear = subject - top - self.px(0.14) if at_top else c.bottom - subject - self.px(0.14)
        room = max(min(room, round(clear)), round((c.bottom - top) * floor))
        if at_top:
            box = Box(c.left, top + bar_h + bar_gap, right, top + room)
        else:
            box = Box(c.left, c.bottom - room + bar_h + bar_gap, right, c.bottom)
        fit = self.fit(items, box, valign="top" if at_top else "bottom", check_text=check_text,
                       hint=hint)
        if at_top:
            self.scrim(layer, Box(0, 0, w, min(h, fit.bottom + self.px(0.3))), "up")
            self.scrim(layer, Box(0, c.bottom - self.px(0.1), w, h), "down", 0.5)
        else:
            self.scrim(layer, Box(0, max(0, fit.top - self.px(0.3)), w, h), "down")
        self.bar(layer, c.left, fit.top - bar_gap - bar_h)
        self.draw_fit(layer, fit, shadow=0.45)
        return fit

    def result(
        self, base: Image.Image, overlay: Image.Image, plate: Image.Image | None = None,
        plate_box: Box | None = None, focus: tuple[float, float] = (0.5, 0.5),
        reveals: Sequence[Image.Image] = (),
    ) -> SceneArt:
        return SceneArt(
            base=base, plate=plate,
            plate_box=plate_box or Box(0, 0, self.preset.width, self.preset.height),
            focus=focus, motion=self.motion(plate is not None), overlay=overlay,
            reveals=tuple(reveals), text_boxes=tuple(self.text_boxes),
        )


def picture_error(board: Storyboard, index: int, exc: AssetError) -> AssetError:
    """``exc`` (a bad picture) told as a problem of scene ``index`` of ``board``."""
    scene = board.scenes[index]
    return AssetError(f"{board.source}: scene {index + 1} ({scene.layout.value}) image: {exc}")


@lru_cache(maxsize=12)
def gradient_card(
    w: int, h: int, start: RGBA, end: RGBA, accent: RGBA, amount: float,
) -> Image.Image:
    """A diagonal two-colour gradient, a soft light glow at the top right, and faint
    concentric rings of the accent colour around that corner (cached: do not modify).

    The smooth parts are computed small and scaled up; the rings are drawn at full size.
    """
    sw, sh = max(2, w // 8), max(2, h // 8)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    t = (xx / (sw - 1) * 0.45 + yy / (sh - 1) * 0.55)[..., None]
    a = np.array(start[:3], np.float32)
    b = np.array(end[:3], np.float32)
    rgb = a * (1 - t) + b * t
    cx, cy = 0.96, 0.04  # glow and ring centre, fractions of the frame
    if amount > 0:
        light = b + (255 - b) * 0.22 if b.mean() < 128 else b * 0.92
        r = np.hypot(xx - sw * cx, yy - sh * cy)
        g = (np.clip(1 - r / (0.8 * max(sw, sh)), 0, 1) ** 2.0 * amount)[..., None]
        rgb = rgb * (1 - g) + light * g
    small = Image.fromarray(np.clip(rgb + 0.5, 0, 255).astype(np.uint8), "RGB")
    card = small.resize((w, h), Image.Resampling.BILINEAR)
    if amount > 0:
        unit = min(w, h)
        mask = Image.new("L", (w, h), 0)
        draw = ImageDraw.Draw(mask)
        line = max(1, round(unit / 640))
        for k in range(1, 5):
            radius = unit * (0.2 + 0.16 * k)
            level = round(255 * amount * 0.5 * (1 - k * 0.17))
            x0, y0 = w * cx, h * cy
            draw.ellipse((x0 - radius, y0 - radius, x0 + radius, y0 + radius),
                         outline=level, width=line)
        card.paste(accent[:3], mask=mask)
    return card


def draw_scrim(layer: Image.Image, box: Box, color: RGBA, opacity: float, direction: str) -> None:
    """Composite a smooth gradient of ``color`` over ``box`` of ``layer``."""
    w, h = box.width, box.height
    if w <= 0 or h <= 0:
        return
    n = h if direction in ("down", "up") else w
    t = np.linspace(0.0, 1.0, n, dtype=np.float32)
    if direction in ("up", "left"):
        t = t[::-1]
    eased = t * t * (3 - 2 * t)  # smoothstep: no visible edge where the scrim starts
    alpha = (eased * opacity * 255).clip(0, 255).astype(np.uint8)
    a = np.broadcast_to(alpha[:, None], (h, w)) if direction in ("down", "up") \
        else np.broadcast_to(alpha[None, :], (h, w))
    shade = Image.new("RGBA", (w, h), (*color[:3], 0))
    shade.putalpha(Image.fromarray(np.ascontiguousarray(a), "L"))
    layer.alpha_composite(shade, (box.left, box.top))
