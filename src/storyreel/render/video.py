"""Render one video from its Timeline, drawn scenes, captions and soundtrack, by segments.

1. Plan the segments (:mod:`storyreel.render.segments`) and key each by its content.
2. Encode the segments the cache lacks, each as its own ffmpeg run, on an executor
   (the batch's: a process pool, a Dask cluster) or on local threads; only their layers
   are written out as images.
3. Encode the soundtrack once (cached by the audio's own digest).
4. Join the segments with the concat demuxer by stream copy and mux the soundtrack.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from storyreel.ffmpeg_runner import run_ffmpeg
from storyreel.fileio import write_atomic
from storyreel.layout import SceneArt
from storyreel.render.graph import (
    Encoding,
    Frame,
    SceneLayers,
    audio_args,
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
    plan_segments,
    segment_key,
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
    scenes: Sequence[tuple[SceneLayers, LayerDigests]],
    captions: Path,
    burned: Sequence[Cue],
    caption_style: str,
    audio: Path,
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

    ``captions`` is the ASS file burned in (``burned`` its cues, ``caption_style`` the
    style it was written with, for the cache keys). Segments run on ``executor`` when
    given (they only need to see ``work`` and the cache at the same paths), else one
    after another here: each x264 at 1080p keeps both cores busy and needs about 330 MiB,
    so a job stays under 600 MiB with one at a time."""
    say = progress or (lambda done: None)
    frame = Frame(timeline.width, timeline.height, timeline.fps, timeline.total_frames)
    layers = [layer for layer, _ in scenes]
    digests = [digest for _, digest in scenes]
    segments = plan_segments(timeline, layers)
    keys = [segment_key(s, digests, burned, caption_style, frame, encoding, code)
            for s in segments]
    missing = [(s, k) for s, k in zip(segments, keys, strict=True) if not cache.has(k)]
    size = (frame.width, frame.height)
    tasks = [SegmentTask(s.name, tuple(segment_args(
        s.pieces, s.transition, s.start_frame, frame, captions, fonts_dir, cache.path(k),
        encoding)), cache.path(k), moves_of(s.pieces, size)) for s, k in missing]
    _encode_all(tasks, {s.name: s.frames for s, _ in missing}, executor, say)

    sound = work / "soundtrack.m4a"
    run_ffmpeg(audio_args(audio, sound, encoding), what="encode the soundtrack", out=sound)
    listing = work / "segments.txt"
    write_atomic(listing, concat_list(
        [(cache.path(k), s.frames) for s, k in zip(segments, keys, strict=True)],
        timeline.fps).encode())
    run_ffmpeg(join_args(listing, sound, out, frame), what=f"join the segments of {out.name}",
               out=out)
    say(1.0)
    video_key = hashlib.sha256(" ".join(keys).encode()).hexdigest()
    encoded = tuple(s.name for s, _ in missing)
    reused = tuple(s.name for s in segments if s.name not in encoded)
    return VideoReport(encoded, reused, video_key)


def _encode_all(tasks: Sequence[SegmentTask], frames: dict[str, int],
                executor: Executor | None, say: Progress) -> None:
    if not tasks:
        return
    total = sum(frames.values())
    done = 0
    local = None
    if executor is None:
        local = ThreadPoolExecutor(max_workers=LOCAL_SEGMENTS)
        executor = local
    try:
        # Longest first: the pool stays busy to the end.
        ordered = sorted(tasks, key=lambda t: -frames[t.name])
        futures: list[Future[str]] = [executor.submit(encode_segment, t) for t in ordered]
        for future in as_completed(futures):
            done += frames[future.result()]
            say(done / total)
    finally:
        if local is not None:
            local.shutdown(wait=True, cancel_futures=True)
