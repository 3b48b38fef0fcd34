"""Render one video from its Timeline, drawn scenes, captions and soundtrack, by segments.

1. As each scene is drawn, plan its segment (:mod:`storyreel.render.segments`) and key
   it by its content.
2. Hand each segment the cache lacks to the encoder at once (one ffmpeg run each, on an
   executor, the batch's, or on a thread here), so later scenes are drawn while the
   first are encoded; only their layers are written out as images.
3. Encode the soundtrack once.
4. Join the segments with the concat demuxer by stream copy and mux the soundtrack.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from storyreel.ffmpeg_runner import run_ffmpeg
from storyreel.fileio import write_atomic
from storyreel.layout import SceneArt
from storyreel.render.captions import draw_captions
from storyreel.render.graph import (
    Caption,
    Encoding,
    Frame,
    SceneLayers,
    concat_list,
    join_args,
    moves_of,
    segment_args,
)
from storyreel.render.layers import save_layers
from storyreel.render.mover import Move, frames
from storyreel.render.segments import (
    LayerDigests,
    SegmentCache,
    image_digest,
    segment_key,
    segment_of,
)
from storyreel.timeline.model import Cue, Timeline

DEFAULT_ENCODING = Encoding()
LOCAL_SEGMENTS = 1  # segments encoded at once without an executor (see render_video)
Progress = Callable[[float], None]  # fraction of the encoding done


@dataclass(frozen=True)
class SegmentTask:
    """One segment to encode: picklable, for any executor."""

    name: str
    args: tuple[str, ...]
    out: Path
    moves: tuple[Move, ...] = ()  # camera moves fed to ffmpeg as raw frames, in input order


@dataclass(frozen=True)
class VideoReport:
    """What a render did: which segments it encoded and which it found in the cache."""

    encoded: tuple[str, ...]
    reused: tuple[str, ...]
    video_key: str


def encode_segment(task: SegmentTask) -> str:
    """Encode one segment into the cache (atomically); returns its name."""
    moving = [frames(move) for move in task.moves]  # on pipe_of(0), pipe_of(1)
    run_ffmpeg([*task.args[:-1], str(task.out)], what=f"encode segment {task.name}",
               out=task.out, stdin=moving[0] if moving else None, pipes=moving[1:])
    return task.name


def digests_of(art: SceneArt) -> LayerDigests:
    return LayerDigests(
        base=image_digest(art.base), overlay=image_digest(art.overlay),
        plate=image_digest(art.plate) if art.plate is not None else None,
        reveals=tuple(image_digest(r) for r in art.reveals),
    )


def scene_layers(art: SceneArt, work: Path, index: int,
                 timeline: Timeline) -> tuple[SceneLayers, LayerDigests]:
    """A drawn scene as files in ``work`` and the digests its segments are keyed by; the
    images themselves need not be kept (a job holds one scene's pictures at a time)."""
    return save_layers(art, work, index, timeline), digests_of(art)


def render_video(
    timeline: Timeline,
    scenes: Iterable[tuple[SceneLayers, LayerDigests]],
    captions: Path,
    burned: Sequence[Cue],
    caption_style: str,
    sound: Callable[[], Path],
    out: Path,
    work: Path,
    *,
    fonts_dir: Path,
    cache: SegmentCache,
    code: str,
    encoding: Encoding = DEFAULT_ENCODING,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> VideoReport:
    """Encode ``timeline`` of ``scenes`` (see :func:`scene_layers`) into ``out`` (written
    atomically); ``work`` is a private folder.

    ``scenes`` may be drawn as they are asked for: a scene's segment is handed to the
    encoder as soon as it and the scene before are there, so drawing the next scenes
    overlaps encoding. ``captions`` is the ASS file burned in (``burned`` its cues,
    ``caption_style`` the style it was written with, for the cache keys): libass draws
    each cue once (:mod:`storyreel.render.captions`) while the first scene is drawn.
    ``sound`` gives the encoded soundtrack (it runs while the segments are encoded:
    see :class:`storyreel.render.sound.SoundCache`). Segments run
    on ``executor`` when given (they only need to see ``work`` and the cache at the same
    paths), else one after another on a thread here: each x264 at 1080p keeps both
    cores busy and needs about 330 MiB, so a job stays under 600 MiB with one at a
    time."""
    frame = Frame(timeline.width, timeline.height, timeline.fps, timeline.total_frames)
    with ThreadPoolExecutor(max_workers=2) as beside:
        drawing = beside.submit(draw_captions, captions, burned, (frame.width, frame.height),
                                frame.fps, frame.total_frames, fonts_dir, work)
        encoding_sound = beside.submit(sound)
        planned, encoded = _encode_segments(
            timeline, scenes, frame, _Burn(burned, caption_style, drawing), cache, code,
            encoding, executor, _Progress(timeline.total_frames, progress))
        soundtrack = encoding_sound.result()
    listing = work / "segments.txt"
    write_atomic(listing, concat_list([(cache.path(key), frames)
                                       for _, frames, key in planned], timeline.fps).encode())
    run_ffmpeg(join_args(listing, soundtrack, out, frame), what=f"join the segments of {out.name}",
               out=out)
    if progress is not None:
        progress(1.0)
    video_key = hashlib.sha256(" ".join(key for _, _, key in planned).encode()).hexdigest()
    reused = tuple(name for name, _, _ in planned if name not in encoded)
    return VideoReport(tuple(encoded), reused, video_key)


@dataclass(frozen=True)
class _Burn:
    """The captions burned in: their cues and style (for the keys), and the cues as
    libass draws them (being drawn: the first segment to encode waits for them)."""

    cues: Sequence[Cue]
    style: str
    drawn: Future[tuple[Caption, ...]]


def _encode_segments(
    timeline: Timeline, scenes: Iterable[tuple[SceneLayers, LayerDigests]], frame: Frame,
    burn: _Burn, cache: SegmentCache, code: str, encoding: Encoding,
    executor: Executor | None, progress: _Progress,
) -> tuple[list[tuple[str, int, str]], list[str]]:
    """Key each scene's segment as it is drawn and hand those the cache lacks to the
    encoder; returns (name, frames, key) of every segment in video order, and the names
    of those encoded."""
    layers: list[SceneLayers] = []
    digests: list[LayerDigests] = []
    planned: list[tuple[str, int, str]] = []
    encoded: list[str] = []
    local = ThreadPoolExecutor(max_workers=LOCAL_SEGMENTS) if executor is None else None
    pool = executor or local
    assert pool is not None
    try:
        for index, (layer, digest) in enumerate(scenes):
            layers.append(layer)
            digests.append(digest)
            segment = segment_of(timeline, index, layers[index - 1] if index else None,
                                 layer)
            key = segment_key(segment, digests, burn.cues, burn.style, frame, encoding, code)
            planned.append((segment.name, segment.frames, key))
            if cache.has(key):
                progress.add(segment.frames)
                continue
            task = SegmentTask(segment.name, tuple(segment_args(
                segment.pieces, segment.transition, segment.start_frame, frame,
                burn.drawn.result(), cache.path(key), encoding)), cache.path(key),
                moves_of(segment.pieces, (frame.width, frame.height)))
            progress.watch(pool.submit(encode_segment, task), segment.frames)
            encoded.append(segment.name)
            progress.collect(wait=False)
        progress.collect(wait=True)
    finally:
        if local is not None:
            local.shutdown(wait=True, cancel_futures=True)
    if len(planned) != len(timeline.scenes):
        raise ValueError(f"{len(planned)} scenes drawn for {len(timeline.scenes)}")
    return planned, encoded


class _Progress:
    """The share of a video's frames encoded or found in the cache, as segments end."""

    def __init__(self, total: int, say: Progress | None) -> None:
        self.total = max(1, total)
        self.done = 0
        self.say = say or (lambda done: None)
        self.running: dict[Future[str], int] = {}

    def add(self, frames: int) -> None:
        self.done += frames
        self.say(self.done / self.total)

    def watch(self, future: Future[str], frames: int) -> None:
        self.running[future] = frames

    def collect(self, *, wait: bool) -> None:
        """Count the segments that ended (all of them, with ``wait``); a failed one
        raises its error."""
        ended = list(as_completed(self.running)) if wait else [
            f for f in self.running if f.done()]
        for future in ended:
            future.result()
            self.add(self.running.pop(future))
