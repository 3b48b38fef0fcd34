"""The segment graph builder: golden arguments, segments that tile the video, and a camera
path that is sub-pixel smooth."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from storyreel.presets import Box
from storyreel.render.graph import (
    Caption,
    Encoding,
    Frame,
    SceneLayers,
    join_args,
    moves_of,
    segment_args,
)
from storyreel.render.mover import ZOOM, Move, camera_window
from storyreel.render.segments import plan_segments
from storyreel.storyboard.model import Motion
from storyreel.timeline.model import SceneSpan, Timeline

GOLDEN = Path(__file__).parent / "golden" / "graph"
# Set STORYREEL_REGEN_GOLDEN=1 to rewrite the golden files after an intended change.
REGEN = os.environ.get("STORYREEL_REGEN_GOLDEN") == "1"


def timeline() -> Timeline:
    spans = (SceneSpan(0, 0, 90), SceneSpan(1, 90, 210, 12),
             SceneSpan(2, 210, 300, 12, "slide"))
    return Timeline("demo", "en", "landscape", 1920, 1080, 30, 300, spans, (), ())


def layers() -> list[SceneLayers]:
    w = Path("work")
    return [
        SceneLayers(base=w / "s0-base.png", overlay=w / "s0-overlay.png"),
        SceneLayers(
            base=w / "s1-base.png", overlay=w / "s1-overlay.png", plate=w / "s1-plate.png",
            plate_box=Box(0, 0, 1920, 1080), motion=Motion.ZOOM_IN, focus=(0.3, 0.6),
        ),
        SceneLayers(
            base=w / "s2-base.png", overlay=w / "s2-overlay.png", plate=w / "s2-plate.png",
            plate_box=Box(0, 0, 960, 1080), motion=Motion.PAN_RIGHT,
            reveals=(w / "s2-reveal0.png",), reveal_at=(1.5,),
        ),
    ]


FRAME = Frame(1920, 1080, 30, 300)
# Two cues as libass drew them: frames 30-100 and 101-250 of the video.
CAPTIONS = (Caption(Path("work/cue0000.png"), (400, 900), 30, 100),
            Caption(Path("work/cue0001.png"), (380, 880), 101, 250))


def segment_args_of(tl: Timeline, layer_list: list[SceneLayers]) -> dict[str, list[str]]:
    return {
        s.name: segment_args(s.pieces, s.transition, s.start_frame, FRAME, CAPTIONS,
                             Path(f"cache/{s.name}.mp4"), Encoding())
        for s in plan_segments(tl, layer_list)
    }


def test_arguments_match_golden() -> None:
    # One argument a line, and one filter chain a line, so a change reads as a small diff.
    text = ""
    for name, args in segment_args_of(timeline(), layers()).items():
        text += f"# {name}\n" + "\n".join(a.replace(";", ";\n  ") for a in args) + "\n"
    golden = GOLDEN / "three-scenes.args"
    if REGEN:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_segments_tile_the_video() -> None:
    segments = plan_segments(timeline(), layers())
    assert [(s.name, s.start_frame, s.frames) for s in segments] == [
        ("scene01", 0, 90), ("scene02", 90, 120), ("scene03", 210, 90)]
    # A scene entered by a transition mixes in the run-on of the scene before, then
    # runs its own frames from the first.
    third = segments[2]
    assert [(p.first, p.count, p.length) for p in third.pieces] == [(120, 12, 132),
                                                                    (0, 90, 90)]
    assert third.scenes == (1, 2) and third.transition == "slide"


def test_output_contract_options() -> None:
    a = segment_args_of(timeline(), layers())["scene02"]
    opts = {k: v for k, v in itertools.pairwise(a) if k.startswith("-")}
    assert a[-1] == "cache/scene02.mp4" and "-an" in a
    assert opts["-c:v"] == "libx264" and opts["-profile:v"] == "high"
    assert opts["-pix_fmt"] == "yuv420p" and opts["-r"] == "30"
    assert int(opts["-g"]) <= 60 and opts["-flags"] == "+cgop"
    assert opts["-frames:v"] == "120"
    for tag in ("-colorspace", "-color_primaries", "-color_trc"):
        assert opts[tag] == "bt709"
    join = join_args(Path("list.txt"), Path("sound.m4a"), Path("out.mp4"), FRAME)
    jopts = {k: v for k, v in itertools.pairwise(join) if k.startswith("-")}
    assert jopts["-c"] == "copy" and jopts["-f"] == "concat"  # joined without re-encoding
    assert jopts["-movflags"] == "+faststart" and jopts["-frames:v"] == "300"
    assert Encoding().output_args(30)["movflags"] == "+faststart"
    assert Encoding().audio_args() == {"c:a": "aac", "aac_coder": "fast", "b:a": "192k",
                                       "ar": 48000, "ac": 2}


def test_transitions_and_captions_in_segments() -> None:
    args = segment_args_of(timeline(), layers())
    graph = {name: a[a.index("-filter_complex") + 1] for name, a in args.items()}
    assert "xfade=duration=0.4:offset=0:transition=fade" in graph["scene02"]
    assert "xfade=duration=0.4:offset=0:transition=slideleft" in graph["scene03"]
    assert "xfade" not in graph["scene01"]
    # xfade mixes the transition's frames only; the rest of the scene is concatenated.
    assert "trim=end_frame=12" in graph["scene03"] and "concat=n=2" in graph["scene03"]
    # Frames carry their time in the whole video, for libass and the fades.
    assert "setpts=N+90" in graph["scene02"] and "setpts=N+210" in graph["scene03"]
    # Each cue over the frames of the segment it is on, timed in the segment.
    assert "cue0001" not in " ".join(args["scene01"])
    assert "loop=loop=59:size=1:start=0" in graph["scene01"]  # frames 30-89
    assert "setpts=(N+30)/30/TB" in graph["scene01"]
    assert "cue0000" in " ".join(args["scene02"]) and "cue0001" in " ".join(args["scene02"])
    assert "loop=loop=10:size=1:start=0" in graph["scene02"]  # frames 90-100
    assert "loop=loop=108:size=1:start=0" in graph["scene02"]  # frames 101-209
    assert "loop=loop=40:size=1:start=0" in graph["scene03"]  # frames 210-250
    assert "overlay=eof_action=pass:x=380:y=880" in graph["scene03"]
    assert all("subtitles" not in g for g in graph.values())
    assert "fade=duration=0.5:start_time=0:type=in" in graph["scene01"]
    assert "type=out" in graph["scene03"] and "type=out" not in graph["scene02"]
    # The camera of scene 2 starts with the transition into it; its frames come from the
    # mover on standard input, tagged BT.709 like the stills laid over them. Into scene
    # 3, the run-on of scene 2's zoom comes on standard input and scene 3's pan (a plate
    # in a box, drawn over the scene's base by the mover) on pipe:3.
    segments = {s.name: s for s in plan_segments(timeline(), layers())}
    assert moves_of(segments["scene02"].pieces, (1920, 1080)) == (
        Move(Path("work/s1-plate.png"), 1920, 1080, Motion.ZOOM_IN, (0.3, 0.6), 132, 0, 120,
             canvas=(1920, 1080)),)
    assert "-i pipe:0" in " ".join(args["scene02"]) and "perspective" not in graph["scene02"]
    inputs = [b for a, b in itertools.pairwise(args["scene02"]) if a == "-i"]
    assert f"[{inputs.index('pipe:0')}]setparams=color_primaries=bt709" in graph["scene02"]
    into3 = moves_of(segments["scene03"].pieces, (1920, 1080))
    assert [(m.motion, m.base, m.at, m.size) for m in into3] == [
        (Motion.ZOOM_IN, None, (0, 0), (1920, 1080)),
        (Motion.PAN_RIGHT, Path("work/s2-base.png"), (0, 0), (1920, 1080))]
    joined = " ".join(args["scene03"])
    assert "-i pipe:0" in joined and "-i pipe:3" in joined and "s2-plate" not in joined
    assert "-i pipe:0" not in " ".join(args["scene01"])


def test_a_cut_has_no_transition_segment() -> None:
    spans = (SceneSpan(0, 0, 90), SceneSpan(1, 90, 300, 0, "cut"))
    tl = Timeline("demo", "en", "landscape", 1920, 1080, 30, 300, spans, (), ())
    segments = plan_segments(tl, layers()[:2])
    assert [(s.name, s.start_frame, s.frames) for s in segments] == [
        ("scene01", 0, 90), ("scene02", 90, 210)]


def window(motion: Motion, focus: tuple[float, float], frames: int, on: int) -> list[float]:
    """The camera's window at frame ``on``: left, top, right, bottom."""
    x0, y0, w, h = camera_window(motion, focus, frames, on, 1920.0, 1080.0)
    return [x0, y0, x0 + w, y0 + h]


@pytest.mark.parametrize("motion", [m for m in Motion if m is not Motion.NONE])
def test_camera_path_is_smooth_and_sub_pixel(motion: Motion) -> None:
    frames = 240
    path = [window(motion, (0.4, 0.6), frames, on) for on in range(frames)]
    for x0, y0, x3, y3 in path:
        # Never outside the plate, so no border shows.
        assert x0 >= -1e-6 and y0 >= -1e-6 and x3 <= 1920 + 1e-6 and y3 <= 1080 + 1e-6
        # The window keeps the frame's aspect ratio: no distortion.
        assert (x3 - x0) / (y3 - y0) == pytest.approx(1920 / 1080)
    steps = [
        max(abs(b[i] - a[i]) for i in range(4)) for a, b in itertools.pairwise(path)
    ]
    assert min(steps) > 0.01  # it moves on every frame ...
    assert max(steps) < 2.0  # ... by less than two pixels ...
    assert max(steps) / min(steps) < 1.5  # ... at an even pace, with no jumps
    fractional = [abs(v - round(v)) > 1e-3 for corners in path for v in corners]
    assert sum(fractional) > len(fractional) / 2  # positions are not whole pixels


def test_zoom_keeps_the_focal_point_in_place() -> None:
    fx, fy = 0.3, 0.7
    for on in (0, 100, 239):
        x0, y0, x3, y3 = window(Motion.ZOOM_IN, (fx, fy), 240, on)
        assert (fx * 1920 - x0) / (x3 - x0) == pytest.approx(fx)
        assert (fy * 1080 - y0) / (y3 - y0) == pytest.approx(fy)
    x0, _, x3, _ = window(Motion.ZOOM_IN, (fx, fy), 240, 239)
    assert (x3 - x0) == pytest.approx(1920 / ZOOM)


def _frames(video: object, count: int) -> bytes:
    """The raw yuv420p frames of a graph, run by the real ffmpeg."""
    import subprocess

    import ffmpeg

    from storyreel.resources import ffmpeg_exe

    args = ffmpeg.output(video, "pipe:", format="rawvideo", pix_fmt="yuv420p",
                         **{"frames:v": count}).get_args()
    return subprocess.run([ffmpeg_exe(), "-v", "error", *args], capture_output=True,
                          check=True).stdout


@pytest.mark.parametrize(("first", "count", "at", "out_at"), [
    (0, 60, 0.15, 1.5),    # a whole scene: fade in, shown, fade out
    (20, 30, 0.15, 1.5),   # a piece starting after the fade in, ending in the fade out
    (7, 10, 0.2, None),    # a piece starting in the middle of the fade in
    (0, 40, 0.5, 0.75),    # the fades meet: one run does both
    (0, 12, 0.6, None),    # the layer is not shown at all in these frames
])
def test_a_layer_laid_in_runs_gives_the_frames_of_one_faded_layer(
        tmp_path: Path, first: int, count: int, at: float, out_at: float | None) -> None:
    # ``lay`` fades only the frames a fade touches; the reference fades every frame, as
    # one layer through both fades: the pixels must be the same, frame by frame.
    from PIL import Image, ImageDraw

    from storyreel.render.graph import REVEAL_FADE_S, TEXT_OUT_S, _still, lay

    base, layer = tmp_path / "base.png", tmp_path / "layer.png"
    Image.linear_gradient("L").resize((64, 48)).convert("RGB").save(base)
    art = Image.new("RGBA", (40, 30), (0, 0, 0, 0))
    ImageDraw.Draw(art).rectangle((4, 4, 35, 25), fill=(250, 40, 90, 200))
    art.save(layer)
    fps = 30
    laid = lay(_still(base, count, fps), layer, (8, 6), at, REVEAL_FADE_S, out_at, first,
               count, fps)
    faded = _still(layer, count, fps, alpha=True, first=first).filter(
        "fade", type="in", start_time=at, duration=REVEAL_FADE_S, alpha=1)
    if out_at is not None:
        faded = faded.filter("fade", type="out", start_time=out_at, duration=TEXT_OUT_S,
                             alpha=1)
    reference = _still(base, count, fps).overlay(
        faded.filter("setpts", "PTS-STARTPTS"), x=8, y=6, eof_action="pass")
    got, want = _frames(laid, count), _frames(reference, count)
    assert len(got) == len(want) == count * 64 * 48 * 3 // 2
    assert got == want
    # and the fades did show: the frames are not all alike
    size = 64 * 48 * 3 // 2
    assert len({got[k * size:(k + 1) * size] for k in range(count)}) > (count > 12)


def test_the_base_shows_unless_the_plate_fills_the_frame() -> None:
    from storyreel.render.graph import base_shows

    still, full, half = layers()
    assert base_shows(still, (1920, 1080))  # no picture: the base is the frame
    assert not base_shows(full, (1920, 1080))  # the plate covers it: nothing reads it
    assert base_shows(half, (1920, 1080))  # around a plate on half the frame
    assert not base_shows(SceneLayers(Path("b.png"), Path("o.png"), plate=Path("p.png")),
                          (1920, 1080))  # a plate with no box fills the frame
    # and the camera streams the base only where it shows
    moves = moves_of(plan_segments(timeline(), layers())[2].pieces, (1920, 1080))
    assert [m.base for m in moves] == [None, Path("work/s2-base.png")]
