"""Stills as raw planes: converted once, exactly as a segment would convert them (a
render's segments reading them: ``test_segments``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import ffmpeg
import pytest
from PIL import Image, ImageDraw

from storyreel.errors import FFmpegError
from storyreel.render.graph import _still
from storyreel.render.planes import planes, planes_format
from storyreel.resources import ffmpeg_exe


def _frame(still: Path, alpha: bool) -> bytes:
    """One frame of ``still`` as a segment's graph shows it, raw."""
    args = ffmpeg.output(_still(still, 1, 30, alpha=alpha), "pipe:", format="rawvideo",
                         pix_fmt="yuva420p" if alpha else "yuv420p").get_args()
    return subprocess.run([ffmpeg_exe(), "-v", "error", *args], capture_output=True,
                          check=True).stdout


def _stills(tmp_path: Path) -> tuple[Path, Path]:
    base = tmp_path / "base.png"
    Image.linear_gradient("L").resize((66, 50)).convert("RGB").save(base)
    layer = tmp_path / "text.png"
    art = Image.new("RGBA", (42, 30), (0, 0, 0, 0))
    ImageDraw.Draw(art).ellipse((3, 3, 38, 26), fill=(240, 200, 20, 170))
    art.save(layer)
    return base, layer


def test_planes_show_the_same_pixels_as_the_pngs(tmp_path: Path) -> None:
    base, layer = _stills(tmp_path)
    base_planes, layer_planes = planes([(base, False), (layer, True)])
    assert planes_format(base_planes) == (66, 50, "yuv420p")
    assert planes_format(layer_planes) == (42, 30, "yuva420p")
    assert base_planes.parent == base.parent and layer_planes.parent == layer.parent
    for still, converted, alpha in ((base, base_planes, False), (layer, layer_planes, True)):
        png = _frame(still, alpha)
        assert len(png) == converted.stat().st_size  # one frame of raw planes
        assert _frame(converted, alpha) == png


def test_planes_are_converted_once_and_stand_for_themselves(tmp_path: Path) -> None:
    base, layer = _stills(tmp_path)
    first = planes([(base, False), (layer, True)])
    stamps = [p.stat().st_mtime_ns for p in first]
    assert planes([(layer, True), (base, False)]) == first[::-1]
    assert planes([(first[0], False)]) == [first[0]]  # planes are their own planes
    assert [p.stat().st_mtime_ns for p in first] == stamps  # nothing converted again


def test_a_still_ffmpeg_cannot_read_leaves_no_planes(tmp_path: Path) -> None:
    base, _ = _stills(tmp_path)
    broken = tmp_path / "broken.png"
    data = base.read_bytes()
    broken.write_bytes(data[:60])  # a header, then the picture cut short
    with pytest.raises(FFmpegError, match=r"broken\.png"):
        planes([(base, False), (broken, False)])
    # the good picture's planes are whole; the broken one left nothing, not even a part
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "base.66x50.yuv420p", "base.png", "broken.png", "text.png"]
