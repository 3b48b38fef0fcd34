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
import itertools
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from storyreel.ffmpeg_runner import run_ffmpeg
from storyreel.fileio import write_atomic
from storyreel.layout import SceneArt
from storyreel.presets import Box
from storyreel.render.graph import (
    Caption,
    Encoding,
    Frame,
    SceneLayers,
    base_shows,
    concat_list,
    join_args,
    moves_of,
    segment_args,
)
from storyreel.render.layers import save_layers, timed
from storyreel.render.mover import Move, frames
from storyreel.render.planes import planes
from storyreel.render.segments import (
    LayerDigests,
    SegmentCache,
    image_digest,
    segment_key,
    segment_of,
)
from storyreel.render.slots import Segments, at_most
from storyreel.storyboard.model import Motion
from storyreel.timeline.model import Cue, Timeline

DEFAULT_ENCODING = Encoding()
Progress = Callable[[float], None]  # fraction of the encoding done


@dataclass(frozen=True)
class SegmentTask:
    """One segment to encode: picklable, for any executor."""

    name: str
    args: tuple[str, ...]
    out: Path
    moves: tuple[Move, ...] = ()  # camera moves fed to ffmpeg as raw frames, in input order

    def inputs(self) -> tuple[Path, ...]:
        """Every file the task reads, for an executor whose workers see other folders:
        the files ffmpeg opens (``-i``: stills, text, reveals, captions) and the pictures
        the camera moves over (and the stills around them)."""
        found: list[Path] = []
        for token, value in itertools.pairwise(self.args):
            if token == "-i" and not value.startswith("pipe:"):
                found.append(Path(value))
            elif token == "-filter_complex" and _FILE_OPTION.search(value):
                raise ValueError(f"segment {self.name}: its filter graph reads a file of "
                                 "its own, which inputs() does not know")
        for move in self.moves:
            found += [move.plate] if move.base is None else [move.plate, move.base]
        return tuple(dict.fromkeys(found))

    def relocated(self, mapping: Mapping[Path, Path], out: Path) -> SegmentTask:
        """The same task reading each of :meth:`inputs` at ``mapping[path]`` and writing
        ``out``."""
        args = list(self.args)
        for k, (token, value) in enumerate(itertools.pairwise(self.args)):
            if token == "-i" and not value.startswith("pipe:"):
                args[k + 1] = str(mapping[Path(value)])
        args[-1] = str(out)
        moves = tuple(replace(move, plate=mapping[move.plate],
                              base=None if move.base is None else mapping[move.base])
                      for move in self.moves)
        return replace(self, args=tuple(args), out=out, moves=moves)


@dataclass(frozen=True)
class VideoReport:
    """What a render did: which segments it encoded and which it found in the cache, and
    how many it encoded on a slot borrowed from an idle job (:mod:`.slots`)."""

    encoded: tuple[str, ...]
    reused: tuple[str, ...]
    video_key: str
    borrowed: int = 0


# A filter option that names a file (``subtitles=filename=…``, ``fontsdir=…``).
_FILE_OPTION = re.compile(r"(?<=[=:])(filename|fontsdir)=")


def encode_segment(task: SegmentTask) -> str:
    """Encode one segment into the cache (atomically); returns its name. The camera's
    frames are computed at the lowest CPU priority, in the core time x264 leaves idle."""
    moving = [frames(move) for move in task.moves]  # on pipe_of(0), pipe_of(1)
    run_ffmpeg([*task.args[:-1], str(task.out)], what=f"encode segment {task.name}",
               out=task.out, stdin=moving[0] if moving else None, pipes=moving[1:],
               background_inputs=True)
    return task.name


def digests_of(art: SceneArt) -> LayerDigests:
    return LayerDigests(
        base=image_digest(art.base), overlay=image_digest(art.overlay),
        plate=image_digest(art.plate) if art.plate is not None else None,
        reveals=tuple(image_digest(r) for r in art.reveals),
    )


@dataclass(frozen=True)
class LayerCache:
    """Drawn scenes by the content of their drawing (a key the caller makes from all a
    drawing reads): ``<root>/<key[:2]>/<key>/``, the layer files and ``layers.json``
    (geometry and digests), made in a temporary folder and renamed into place whole.
    A re-render after an edit draws only the scenes the edit changed."""

    root: Path

    def has(self, key: str) -> bool:
        """Whether the scene drawn under ``key`` is kept (whole)."""
        return _read_entry(self.root / key[:2] / key) is not None

    def layers(self, key: str, index: int, timeline: Timeline,
               draw: Callable[[], SceneArt]) -> tuple[SceneLayers, LayerDigests]:
        """Scene ``index``'s layers, timed on ``timeline``: kept, or ``draw()`` now."""
        entry = self.root / key[:2] / key
        found = _read_entry(entry)
        if found is None:
            entry.parent.mkdir(parents=True, exist_ok=True)
            making = Path(tempfile.mkdtemp(prefix=f".{key[:12]}.", dir=entry.parent))
            try:
                art = draw()
                layers, digests = save_layers(art, making, index, timeline), digests_of(art)
                write_atomic(making / "layers.json", json.dumps(
                    _entry_json(layers, digests)).encode())
                making.rename(entry)
            except OSError:
                if not entry.is_dir():  # not another process's copy: a real failure
                    raise
            finally:
                shutil.rmtree(making, ignore_errors=True)
            found = _read_entry(entry)
            if found is None:
                raise OSError(f"{entry}: the drawn scene was not kept")
        return timed(found[0], index, timeline), found[1]


def _entry_json(layers: SceneLayers, digests: LayerDigests) -> dict[str, Any]:
    box = layers.plate_box
    return {
        "base": layers.base.name, "overlay": layers.overlay.name,
        "plate": layers.plate.name if layers.plate else None,
        "plate_box": [box.left, box.top, box.right, box.bottom] if box else None,
        "motion": layers.motion.value, "focus": list(layers.focus),
        "reveals": [r.name for r in layers.reveals], "overlay_xy": list(layers.overlay_xy),
        "reveal_xy": [list(xy) for xy in layers.reveal_xy],
        "digests": {"base": digests.base, "overlay": digests.overlay,
                    "plate": digests.plate, "reveals": list(digests.reveals)},
    }


def _read_entry(entry: Path) -> tuple[SceneLayers, LayerDigests] | None:
    """A kept scene, or None when it is not there (or not whole: drawn again)."""
    try:
        data = json.loads((entry / "layers.json").read_text(encoding="utf-8"))
        box = data["plate_box"]
        layers = SceneLayers(
            base=entry / data["base"], overlay=entry / data["overlay"],
            plate=entry / data["plate"] if data["plate"] else None,
            plate_box=Box(*box) if box else None, motion=Motion(data["motion"]),
            focus=(float(data["focus"][0]), float(data["focus"][1])),
            reveals=tuple(entry / name for name in data["reveals"]),
            overlay_xy=(int(data["overlay_xy"][0]), int(data["overlay_xy"][1])),
            reveal_xy=tuple((int(x), int(y)) for x, y in data["reveal_xy"]),
        )
        d = data["digests"]
        digests = LayerDigests(d["base"], d["overlay"], d["plate"], tuple(d["reveals"]))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    files = [layers.base, layers.overlay, *layers.reveals,
             *([layers.plate] if layers.plate else [])]
    return (layers, digests) if all(f.is_file() for f in files) else None


def render_video(
    timeline: Timeline,
    scenes: Iterable[tuple[SceneLayers, LayerDigests]],
    captions: Callable[[int, int], Sequence[Caption]],
    burned: Sequence[Cue],
    caption_style: str,
    sound: Callable[[], Path],
    out: Path,
    work: Path,
    *,
    cache: SegmentCache,
    code: str,
    encoding: Encoding = DEFAULT_ENCODING,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> VideoReport:
    """Encode ``timeline`` of ``scenes`` (see :class:`LayerCache`) into ``out`` (written
    atomically); ``work`` is a private folder.

    ``scenes`` may be drawn as they are asked for: a scene's segment is handed to the
    encoder as soon as it and the scene before are there, so drawing the next scenes
    overlaps encoding. ``captions(first, count)`` gives the cues burned in on those
    frames as libass drew them (:class:`storyreel.render.captions.CaptionDrawer`: asked
    for as each segment to encode is handed over), ``burned`` and ``caption_style``
    their cues and style for the keys.
    ``sound`` gives the encoded soundtrack (it runs while the segments are encoded:
    see :class:`storyreel.render.sound.SoundCache`). Segments run
    on ``executor`` when given (they only need to see ``work`` and the cache at the same
    paths), else on threads here, one at a time on the job's own encoder slot and one
    more on each slot it borrows from idle jobs of its batch (:mod:`.slots`)."""
    frame = Frame(timeline.width, timeline.height, timeline.fps, timeline.total_frames)
    with ThreadPoolExecutor(max_workers=1) as beside:
        encoding_sound = beside.submit(sound)
        planned, encoded, borrowed = _encode_segments(
            timeline, scenes, frame, _Burn(burned, caption_style, captions), cache, code,
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
    return VideoReport(tuple(encoded), reused, video_key, borrowed)


@dataclass(frozen=True)
class _Burn:
    """The captions burned in: their cues and style (for the keys), and the cues as
    libass drew them (perhaps still drawing: the first segment to encode waits)."""

    cues: Sequence[Cue]
    style: str
    drawn: Callable[[int, int], Sequence[Caption]]  # (first frame, count): those on them


def _encode_segments(
    timeline: Timeline, scenes: Iterable[tuple[SceneLayers, LayerDigests]], frame: Frame,
    burn: _Burn, cache: SegmentCache, code: str, encoding: Encoding,
    executor: Executor | None, progress: _Progress,
) -> tuple[list[tuple[str, int, str]], list[str], int]:
    """Key each scene's segment as it is drawn and hand those the cache lacks to the
    encoder; returns (name, frames, key) of every segment in video order, the names of
    those encoded, and how many of them were encoded on borrowed slots."""
    layers: list[SceneLayers] = []
    digests: list[LayerDigests] = []
    planned: list[tuple[str, int, str]] = []
    encoded: list[str] = []
    slots = Segments()
    local = ThreadPoolExecutor(max_workers=at_most()) if executor is None else None

    def submit(task: SegmentTask) -> Future[str]:
        if executor is not None:
            return executor.submit(encode_segment, task)
        assert local is not None
        return local.submit(slots.run, encode_segment, task)

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
            # Its stills as planes, converted here while the segment before is encoded;
            # the first to encode reads the PNGs (nothing encodes yet: converting first
            # would only delay it), and so does a segment shipped to other machines
            # (KiB, not MiB).
            pieces = segment.pieces if executor is not None or not encoded else tuple(
                replace(piece, layers=in_planes(piece.layers, (frame.width, frame.height)))
                for piece in segment.pieces)
            task = SegmentTask(segment.name, tuple(segment_args(
                pieces, segment.transition, segment.start_frame, frame,
                burn.drawn(segment.start_frame, segment.frames),
                cache.path(key), encoding)), cache.path(key),
                moves_of(pieces, (frame.width, frame.height)))
            progress.watch(submit(task), segment.frames)
            encoded.append(segment.name)
            progress.collect(wait=False)
        progress.collect(wait=True)
    finally:
        if local is not None:
            local.shutdown(wait=True, cancel_futures=True)
    if len(planned) != len(timeline.scenes):
        raise ValueError(f"{len(planned)} scenes drawn for {len(timeline.scenes)}")
    return planned, encoded, slots.borrowed


def in_planes(layers: SceneLayers, size: tuple[int, int]) -> SceneLayers:
    """``layers`` with each still a ``size`` frame shows as its planes file (converted
    now if need be); a base under a plate that fills the frame stays as it is."""
    base = base_shows(layers, size)
    plate = [(layers.plate, False)] if layers.plate is not None else []
    overlay, *rest = planes([(layers.overlay, True),
                             *((reveal, True) for reveal in layers.reveals), *plate,
                             *([(layers.base, False)] if base else [])])
    reveals = tuple(rest[:len(layers.reveals)])
    return replace(layers, overlay=overlay, reveals=reveals,
                   plate=rest[len(reveals)] if plate else None,
                   base=rest[-1] if base else layers.base)


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
