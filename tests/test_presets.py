"""Presets: sizes, safe areas, and smaller frames that keep each preset's shape."""

from __future__ import annotations

import pytest

from storyreel.errors import UnknownNameError
from storyreel.presets import PRESETS, get_preset


def test_the_three_platform_frames() -> None:
    assert {n: (p.width, p.height) for n, p in PRESETS.items()} == {
        "landscape": (1920, 1080), "portrait": (1080, 1920), "square": (1080, 1080)}
    assert all(p.fps == 30 and p.loudness_lufs == -16 for p in PRESETS.values())


def test_portrait_safe_area_keeps_clear_of_the_apps_buttons() -> None:
    safe = get_preset("portrait").safe
    assert safe.bottom <= 1920 * 4 / 5  # the bottom fifth is the app's
    assert safe.right <= 1080 * 6 / 7  # and the right seventh
    assert 0 < safe.left < safe.right and 0 < safe.top < safe.bottom


@pytest.mark.parametrize(("name", "size"), [
    ("landscape", (640, 360)), ("square", (360, 360)), ("portrait", (202, 360))])
def test_a_smaller_frame_keeps_the_preset_shape(name: str, size: tuple[int, int]) -> None:
    fitted = get_preset(name).fitted(640, 360)
    assert (fitted.width, fitted.height) == size
    assert fitted.name == name and fitted.safe.width < fitted.width


def test_unknown_preset() -> None:
    with pytest.raises(UnknownNameError, match="unknown preset 'tall'; choose from landscape") \
            as info:
        get_preset("tall")
    assert info.value.choices == tuple(PRESETS)
