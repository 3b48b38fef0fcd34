"""Scene segments: a video cut into pieces that are encoded on their own and joined.

Each scene is one segment: its own frames, entered (unless by a cut) by the transition
from the scene before, whose run-on under the transition is mixed in, so the joined
video has exactly the frames one graph would give and every encoder start-up serves a
whole scene. A segment's cache key covers everything its pixels depend on: the drawn
layers (by content), the camera, its frames within the scene, the captions on its
frames, the fades of the whole video it touches, the encoder settings and the code; not
where it falls in the video. So an edit re-encodes only the segments it changes (a
scene's own, and the next one's when the change shows in the transition out of it), and
scenes that merely move in time are reused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from storyreel.render.captions import shown_frames
from storyreel.render.graph import (
    FADE_IN_S,
    FADE_OUT_S,
    Encoding,
    Frame,
    Piece,
    SceneLayers,
)
from storyreel.storyboard.model import Motion
from storyreel.timeline.model import Cue, Timeline


def image_digest(image: Image.Image) -> str:
    """The digest of a drawn layer's pixels."""
    h = hashlib.sha256(f"{image.mode} {image.size}".encode())
    h.update(image.tobytes())
    return h.hexdigest()


@dataclass(frozen=True)
class Segment:
    """``frames`` frames of the video from ``start_frame``: one scene (``name``:
    ``scene03``), entered by ``transition`` when it has two pieces (the run-on of the
    scene before, then its own)."""

    name: str
    start_frame: int
    frames: int
    pieces: tuple[Piece, ...]
    scenes: tuple[int, ...]  # the scenes whose layers it reads, as its pieces
    transition: str = ""


def plan_segments(timeline: Timeline, layers: Sequence[SceneLayers]) -> tuple[Segment, ...]:
    """The segments of ``timeline`` in video order; their frames tile the video."""
    if len(layers) != len(timeline.scenes):
        raise ValueError(f"{len(layers)} scene layers for {len(timeline.scenes)} scenes")
    return tuple(segment_of(timeline, i, layers[i - 1] if i else None, layers[i])
                 for i in range(len(layers)))


def segment_of(timeline: Timeline, index: int, before: SceneLayers | None,
               layers: SceneLayers) -> Segment:
    """Scene ``index``'s segment: it needs the layers of the scene ``before`` it only
    when a transition enters it (a render can encode it as soon as both are drawn)."""
    spans = timeline.scenes
    span = spans[index]

    def length(i: int) -> int:  # a scene's stream: its frames and its run-on
        return spans[i].frames + (spans[i + 1].transition_frames if i + 1 < len(spans) else 0)

    own = Piece(layers, length(index), 0, span.frames)
    name = f"scene{index + 1:02d}"
    entry = span.transition_frames
    if not entry:
        return Segment(name, span.start_frame, span.frames, (own,), (index,))
    if before is None:
        raise ValueError(f"scene {index + 1} is entered by a transition: give the scene before")
    prev = spans[index - 1]
    return Segment(name, span.start_frame, span.frames,
                   (Piece(before, length(index - 1), prev.frames, entry), own),
                   (index - 1, index), span.transition)


@dataclass(frozen=True)
class LayerDigests:
    """Content digests of one scene's drawn layers (see :func:`image_digest`)."""

    base: str
    overlay: str
    plate: str | None
    reveals: tuple[str, ...]


def segment_key(
    segment: Segment,
    digests: Sequence[LayerDigests],
    burned: Sequence[Cue],
    caption_style: str,
    frame: Frame,
    encoding: Encoding,
    code: str,
) -> str:
    """The content address of a segment: same key, same encoded pixels."""
    fps = frame.fps
    pieces = []
    for piece, scene in zip(segment.pieces, segment.scenes, strict=True):
        layers = piece.layers
        moving = layers.plate is not None and layers.motion is not Motion.NONE
        pieces.append({
            "layers": [digests[scene].base, digests[scene].overlay, digests[scene].plate,
                       *digests[scene].reveals],
            "plate_box": repr(layers.plate_box), "motion": layers.motion.value,
            "focus": list(layers.focus) if moving else None,
            "length": piece.length if moving else None,  # the camera's pace
            "first": piece.first, "count": piece.count,
            "reveal_at": list(layers.reveal_at),
            "xy": [list(layers.overlay_xy), *map(list, layers.reveal_xy)],
            "text": [layers.text_in, layers.text_out],
        })
    cues = []
    for cue in burned:
        frames = shown_frames(cue, segment.start_frame, segment.frames, fps)
        if frames is not None:
            cues.append([*frames, list(cue.lines), list(cue.secondary)])
    end = segment.start_frame + segment.frames
    fades = [segment.start_frame if segment.start_frame < round(FADE_IN_S * fps) else None,
             frame.total_frames - segment.start_frame
             if end > round((frame.total_frames / fps - FADE_OUT_S) * fps) else None]
    fields = {
        "pieces": pieces, "transition": segment.transition, "frames": segment.frames,
        "size": [frame.width, frame.height, fps], "cues": cues, "style": caption_style,
        "fades": fades, "encoding": repr(encoding), "code": code,
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class SegmentCache:
    """Encoded segments by key: ``<root>/<key[:2]>/<key>.mp4``, written atomically."""

    root: Path

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.mp4"

    def has(self, key: str) -> bool:
        path = self.path(key)
        if path.is_file() and path.stat().st_size > 0:
            path.touch()  # recently used: what a prune would keep
            return True
        return False
