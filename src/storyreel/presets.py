"""Platform presets: frame size, frame rate and the safe area text must stay inside."""

from __future__ import annotations

import math
from dataclasses import dataclass

from storyreel.errors import UnknownNameError


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels: left, top, right (exclusive), bottom (exclusive)."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top


@dataclass(frozen=True)
class Preset:
    """One output format. Insets are fractions of the frame kept clear of text."""

    name: str
    width: int
    height: int
    fps: int = 30
    inset_left: float = 0.05
    inset_top: float = 0.05
    inset_right: float = 0.05
    inset_bottom: float = 0.05
    cover_size: tuple[int, int] = (1280, 720)
    loudness_lufs: float = -16.0  # integrated loudness target (EBU R128)

    @property
    def safe(self) -> Box:
        """Where text and captions may go: the frame less the platform's overlays."""
        def px(size: int, fraction: float) -> int:  # never less than the fraction asks
            return math.ceil(size * fraction - 1e-9)

        return Box(
            px(self.width, self.inset_left),
            px(self.height, self.inset_top),
            self.width - px(self.width, self.inset_right),
            self.height - px(self.height, self.inset_bottom),
        )

    def fitted(self, width: int, height: int) -> Preset:
        """The same preset, as large as fits in ``width``×``height`` keeping its shape
        (even sizes, as yuv420p needs): a landscape box gives a square preset a square."""
        scale = min(width / self.width, height / self.height)
        return self.scaled(max(2, round(self.width * scale / 2) * 2),
                           max(2, round(self.height * scale / 2) * 2))

    def scaled(self, width: int, height: int) -> Preset:
        """The same preset at another frame size (previews and fast tests)."""
        return Preset(
            self.name, width, height, self.fps,
            self.inset_left, self.inset_top, self.inset_right, self.inset_bottom,
            self.cover_size, self.loudness_lufs,
        )


PRESETS: dict[str, Preset] = {
    "landscape": Preset("landscape", 1920, 1080, cover_size=(1280, 720)),
    # Short-video apps put their buttons on the right and their captions, author and
    # music lines in the bottom fifth: keep clear of both.
    "portrait": Preset(
        "portrait", 1080, 1920,
        inset_left=0.06, inset_top=0.08, inset_right=1 / 7, inset_bottom=0.2,
        cover_size=(1080, 1920),
    ),
    "square": Preset("square", 1080, 1080, cover_size=(1080, 1080)),
}


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise UnknownNameError("preset", name, list(PRESETS)) from None
