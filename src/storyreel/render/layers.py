"""A scene's drawn stills written out as the files the ffmpeg graph reads."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PIL import Image

from storyreel.layout import SceneArt
from storyreel.render.graph import SceneLayers, text_fades
from storyreel.timeline.model import Timeline, reveal_times


def save_layers(art: SceneArt, work: Path, index: int, timeline: Timeline) -> SceneLayers:
    """Write a scene's drawn layers as PNGs and time its reveals to its narration.

    Transparent layers (text, reveals) are cut to the part that shows, on even pixels
    (4:2:0 chroma stays aligned), and placed there: ffmpeg blends every pixel of an
    overlay on every frame, so a bullet's strip costs a strip, not a frame."""
    def named(image: Image.Image, name: str) -> Path:
        path = work / f"scene{index:02d}-{name}.png"
        image.save(path, compress_level=1)
        return path

    base = named(art.base, "base")
    overlay, overlay_xy = shown_part(art.overlay)
    plate = named(art.plate, "plate") if art.plate is not None else None
    reveals = [shown_part(layer) for layer in art.reveals]
    return timed(SceneLayers(
        base=base, overlay=named(overlay, "overlay"), plate=plate, plate_box=art.plate_box,
        motion=art.motion, focus=art.focus,
        reveals=tuple(named(layer, f"reveal{k}") for k, (layer, _) in enumerate(reveals)),
        overlay_xy=overlay_xy, reveal_xy=tuple(xy for _, xy in reveals),
    ), index, timeline)


def timed(layers: SceneLayers, index: int, timeline: Timeline) -> SceneLayers:
    """``layers`` as scene ``index`` of ``timeline`` shows them: its text fades and its
    reveals on its narration (the drawing itself does not depend on time)."""
    text_in, text_out = text_fades(timeline)[index]
    return replace(layers, reveal_at=reveal_times(timeline, index, len(layers.reveals)),
                   text_in=text_in, text_out=text_out)


def shown_part(layer: Image.Image) -> tuple[Image.Image, tuple[int, int]]:
    """The smallest even-aligned part of ``layer`` that is not fully transparent, and
    where it goes."""
    box = layer.getchannel("A").getbbox() if layer.mode == "RGBA" else None
    if box is None:
        box = (0, 0, min(2, layer.width), min(2, layer.height))
    left, top, right, bottom = box
    left, top = left - left % 2, top - top % 2
    right = min(layer.width, right + right % 2)
    bottom = min(layer.height, bottom + bottom % 2)
    return layer.crop((left, top, right, bottom)), (left, top)
