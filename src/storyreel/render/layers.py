"""A scene's drawn stills written out as the files the ffmpeg graph reads."""

from __future__ import annotations

from pathlib import Path

from storyreel.layout import SceneArt
from storyreel.render.graph import SceneLayers
from storyreel.timeline.model import Timeline, reveal_times


def save_layers(art: SceneArt, work: Path, index: int, timeline: Timeline) -> SceneLayers:
    """Write a scene's drawn layers as PNGs and time its reveals to its narration."""
    base = work / f"scene{index:02d}-base.png"
    art.base.save(base, compress_level=1)
    overlay = work / f"scene{index:02d}-overlay.png"
    art.overlay.save(overlay, compress_level=1)
    plate = None
    if art.plate is not None:
        plate = work / f"scene{index:02d}-plate.png"
        art.plate.save(plate, compress_level=1)
    reveals = []
    for k, layer in enumerate(art.reveals):
        path = work / f"scene{index:02d}-reveal{k}.png"
        layer.save(path, compress_level=1)
        reveals.append(path)
    return SceneLayers(
        base=base, overlay=overlay, plate=plate, plate_box=art.plate_box,
        motion=art.motion, focus=art.focus, reveals=tuple(reveals),
        reveal_at=reveal_times(timeline, index, len(reveals)),
    )
