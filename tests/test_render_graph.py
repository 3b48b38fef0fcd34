"""The ffmpeg graph builder: golden arguments, and a camera path that is sub-pixel smooth."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pytest

from storyreel.presets import Box
from storyreel.render.graph import ZOOM, Encoding, SceneLayers, build, ken_burns
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


def args() -> list[str]:
    node = build(timeline(), layers(), Path("work/soundtrack.wav"), Path("out/demo.en.ass"),
                 Path("fonts"), Path("out/demo.en.landscape.mp4"), Encoding())
    result: list[str] = node.get_args()
    return result


def test_arguments_match_golden() -> None:
    # One argument a line, and one filter chain a line, so a change reads as a small diff.
    text = "\n".join(a.replace(";", ";\n  ") for a in args()) + "\n"
    golden = GOLDEN / "three-scenes.args"
    if REGEN:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_output_contract_options() -> None:
    a = args()
    opts = dict(zip(a[::2], a[1::2], strict=False))
    assert a[-1] == "out/demo.en.landscape.mp4"
    assert opts["-c:v"] == "libx264" and opts["-profile:v"] == "high"
    assert opts["-pix_fmt"] == "yuv420p" and opts["-r"] == "30"
    assert int(opts["-g"]) <= 60 and opts["-flags"] == "+cgop"
    assert opts["-frames:v"] == "300"
    assert opts["-c:a"] == "aac" and opts["-ar"] == "48000" and opts["-ac"] == "2"
    assert opts["-movflags"] == "+faststart"
    for tag in ("-colorspace", "-color_primaries", "-color_trc"):
        assert opts[tag] == "bt709"


def test_scenes_are_joined_at_their_boundaries() -> None:
    graph = args()[args().index("-filter_complex") + 1]
    joins = re.findall(r"xfade=duration=0\.4:offset=([\d.]+):transition=(\w+)", graph)
    assert joins == [("3.0", "fade"), ("7.0", "slideleft")]  # frames 90 and 210 at 30 fps
    # Each scene runs on under the transition into the next one.
    assert "trim=end_frame=102" in graph and "trim=end_frame=132" in graph
    assert "trim=end_frame=90" in graph
    assert "subtitles=filename=out/demo.en.ass:fontsdir=fonts" in graph


def test_a_cut_concatenates_without_overlap() -> None:
    spans = (SceneSpan(0, 0, 90), SceneSpan(1, 90, 300, 0, "cut"))
    tl = Timeline("demo", "en", "landscape", 1920, 1080, 30, 300, spans, (), ())
    node = build(tl, layers()[:2], Path("a.wav"), None, Path("fonts"), Path("o.mp4"))
    graph = node.get_args()[node.get_args().index("-filter_complex") + 1]
    assert "xfade" not in graph and "concat=a=0:n=2:v=1" in graph
    assert "trim=end_frame=90" in graph and "trim=end_frame=210" in graph


def window(motion: Motion, focus: tuple[float, float], frames: int, on: int) -> list[float]:
    """Evaluate the perspective corner expressions as ffmpeg would, at frame ``on``."""
    exprs = ken_burns(motion, focus, frames)
    env = {"W": 1920.0, "H": 1080.0, "on": float(on)}
    return [eval(exprs[k], {"__builtins__": {}}, env) for k in ("x0", "y0", "x3", "y3")]


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
