"""What a segment needs to travel to a worker that shares no folder with its job: the files
it reads, the same task reading them elsewhere, its errors naming the job's files.
(The segments on a real cluster are in tests/test_cluster.py.)"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from storyreel.batch.remote_segments import _renamed
from storyreel.errors import FFmpegError
from storyreel.presets import Box
from storyreel.render.graph import (
    Caption,
    Encoding,
    Frame,
    SceneLayers,
    moves_of,
    segment_args,
)
from storyreel.render.segments import plan_segments
from storyreel.render.video import SegmentTask
from storyreel.storyboard.model import Motion
from storyreel.timeline.model import SceneSpan, Timeline

FRAME = Frame(320, 180, 30, 300)
TIMELINE = Timeline("demo", "en", "landscape", 320, 180, 30, 300,
                    (SceneSpan(0, 0, 90), SceneSpan(1, 90, 210, 12),
                     SceneSpan(2, 210, 300, 12, "slide")), (), ())


def _tasks(root: Path) -> dict[str, SegmentTask]:
    """The segment tasks of a three-scene video whose files are all under ``root``."""
    w = root / "work"
    layers = [
        SceneLayers(base=w / "s0-base.png", overlay=w / "s0-overlay.png"),
        SceneLayers(base=w / "s1-base.png", overlay=w / "s1-overlay.png",
                    plate=w / "s1-plate.png", plate_box=Box(0, 0, 320, 180),
                    motion=Motion.ZOOM_IN),
        SceneLayers(base=w / "s2-base.png", overlay=w / "s2-overlay.png",
                    plate=w / "s2-plate.png", plate_box=Box(0, 0, 160, 180),
                    motion=Motion.PAN_RIGHT, reveals=(w / "s2-reveal0.png",),
                    reveal_at=(1.5,)),
    ]
    captions = [Caption(w / "cue0.png", (10, 150), 0, 100),
                Caption(w / "cue1.png", (10, 150), 101, 299)]
    tasks = {}
    for s in plan_segments(TIMELINE, layers):
        out = root / "cache" / f"{s.name}.mp4"
        args = segment_args(s.pieces, s.transition, s.start_frame, FRAME, captions, out,
                            Encoding())
        tasks[s.name] = SegmentTask(s.name, tuple(args), out, moves_of(s.pieces, (320, 180)))
    return tasks


def test_a_task_relocated_is_the_task_built_in_the_new_place(tmp_path: Path) -> None:
    # Characters that ffmpeg's syntax or a shell would trip on, in the job's folder.
    here = _tasks(tmp_path / "job's [1],a;b=c:d\\e")
    there = _tasks(tmp_path / "worker")
    assert here.keys() == {"scene01", "scene02", "scene03"}
    # The slide into scene 3: the end of scene 2 (its plate moves and fills the frame)
    # under the start of scene 3 (a plate that moves in a box on its base), scene 3's text.
    into3 = here["scene03"]
    root = tmp_path / "job's [1],a;b=c:d\\e"
    assert set(into3.inputs()) == {
        root / "work" / name for name in ("s1-overlay.png", "s1-plate.png", "s2-base.png",
                                          "s2-overlay.png", "s2-plate.png", "s2-reveal0.png",
                                          "cue1.png")}
    for (a, a_root), (b, b_root) in [((here, root), (there, tmp_path / "worker")),
                                     ((there, tmp_path / "worker"), (here, root))]:
        for name, task in a.items():
            mapping = {p: b_root / p.relative_to(a_root) for p in task.inputs()}
            assert task.relocated(mapping, b[name].out) == b[name], name
    # Every file must have a new place.
    with pytest.raises(KeyError):
        into3.relocated({}, tmp_path / "x.mp4")
    # A graph that reads a file of its own (libass's captions file) is refused: the file
    # would not travel.
    burning = into3.args.index("-filter_complex") + 1
    args = list(into3.args)
    args[burning] += ";[x]subtitles=filename=story.ass:fontsdir=fonts[y]"
    with pytest.raises(ValueError, match="scene03"):
        SegmentTask("scene03", tuple(args), into3.out).inputs()


def test_a_segment_error_names_the_jobs_files_and_keeps_its_type() -> None:
    scratch = "/w/storyreel-segment-x1/in0"
    error = FFmpegError("ffmpeg failed to encode segment scene02 (exit 1)",
                        ["ffmpeg", "-i", f"{scratch}/s1-base.png", "/w/storyreel-segment-x1/"
                         "scene02.mp4"], f"{scratch}/s1-base.png: No such file or directory")
    back = {scratch: "/job/work", "/w/storyreel-segment-x1/scene02.mp4": "/cache/ab.mp4"}
    renamed = pickle.loads(pickle.dumps(_renamed(error, back)))
    assert type(renamed) is FFmpegError
    assert str(renamed) == ("ffmpeg failed to encode segment scene02 (exit 1): "
                            "/job/work/s1-base.png: No such file or directory")
    assert renamed.command == ("ffmpeg", "-i", "/job/work/s1-base.png", "/cache/ab.mp4")
    assert renamed.stderr == "/job/work/s1-base.png: No such file or directory"
    assert str(error).count("storyreel-segment-") == 1  # the original is left as it was
