"""Captions drawn once per cue by the real libass, in two runs (the first scene's cues,
then the others), only when a segment needs them, and pixel for pixel what libass burns
on the frame."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from storyreel.render.captions import CaptionDrawer, draw_captions, shown_spans
from storyreel.render.graph import Caption
from storyreel.resources import ffmpeg_exe, fonts_dir
from storyreel.subtitles.files import write_subtitles
from storyreel.theme.captions import CaptionStyle
from storyreel.timeline.model import Cue

FPS = 30
SIZE = (640, 360)
CUES = (Cue(100, 900, ("The first line",), 0), Cue(1000, 1900, ("A second one",), 0),
        Cue(2100, 2900, ("And a third",), 1), Cue(3000, 3900, ("The last words",), 1))
FRAMES = 120
HEAD = 30  # the first scene's frames: cue 0 (frames 3-26) shows in them only


def _ass(folder: Path) -> Path:
    style = CaptionStyle(play_res=SIZE, font_size=28, margin_l=20, margin_r=20, margin_v=16)
    return write_subtitles(CUES, folder, "video", style, formats=("ass",))["ass"]


class Counted:
    """The real drawing, its runs recorded (the cues each drew)."""

    def __init__(self, ass: Path, work: Path) -> None:
        self.ass, self.work = ass, work
        self.runs: list[tuple[int, ...]] = []

    def __call__(self, only: Mapping[int, tuple[int, int]]) -> dict[int, Caption]:
        self.runs.append(tuple(only))
        return draw_captions(self.ass, CUES, SIZE, FPS, FRAMES, fonts_dir(), self.work, only)

    def drawer(self, pool: Executor) -> CaptionDrawer:
        return CaptionDrawer(pool, self, shown_spans(CUES, FRAMES, FPS), HEAD)


def _on(captions: tuple[Caption, ...], first: int, count: int) -> list[Caption]:
    """The captions on frames [first, first+count), as a segment's graph takes them."""
    return [c for c in captions if c.first < first + count and c.last >= first]


def test_a_segment_waits_for_the_run_of_its_own_cues_only(tmp_path: Path) -> None:
    draw = Counted(_ass(tmp_path), tmp_path)
    with ThreadPoolExecutor(max_workers=1) as pool:
        drawer = draw.drawer(pool)
        first = _on(drawer.drawn(0, HEAD), 0, HEAD)  # the first scene: cue 0 only
        assert draw.runs == [(0,)]
        later = _on(drawer.drawn(HEAD, 90), HEAD, 90)
        again = _on(drawer.drawn(0, HEAD), 0, HEAD)
        every = drawer.drawn()
    assert draw.runs == [(0,), (1, 2, 3)]  # each cue drawn once
    assert [c.first for c in first] == [3] and [c.first for c in later] == [30, 63, 90]
    assert again == first
    assert [c.first for c in every] == [3, 30, 63, 90]


def test_a_segment_after_the_first_scene_draws_the_later_cues_only(tmp_path: Path) -> None:
    draw = Counted(_ass(tmp_path), tmp_path)
    with ThreadPoolExecutor(max_workers=1) as pool:
        drawer = draw.drawer(pool)
        assert [c.first for c in _on(drawer.drawn(60, 60), 60, 60)] == [63, 90]
    assert draw.runs == [(1, 2, 3)]


def test_started_ahead_it_draws_the_first_scene_and_each_run_once(tmp_path: Path) -> None:
    draw = Counted(_ass(tmp_path), tmp_path)
    with ThreadPoolExecutor(max_workers=1) as pool:
        drawer = draw.drawer(pool)
        drawer.start()
        drawer.start()
        drawer.drawn(0, HEAD)
        assert draw.runs == [(0,)]  # the later cues wait until a segment asks
        assert [c.first for c in _on(drawer.drawn(60, 60), 60, 60)] == [63, 90]
        assert [c.first for c in _on(drawer.drawn(0, HEAD), 0, HEAD)] == [3]
    assert draw.runs == [(0,), (1, 2, 3)]


def test_a_render_that_asks_for_nothing_draws_nothing(tmp_path: Path) -> None:
    draw = Counted(_ass(tmp_path), tmp_path)
    with ThreadPoolExecutor(max_workers=1) as pool:
        draw.drawer(pool)
    assert draw.runs == []


def test_a_cue_is_what_libass_burns_on_its_first_frame(tmp_path: Path) -> None:
    ass = _ass(tmp_path)
    drawn = draw_captions(ass, CUES, SIZE, FPS, FRAMES, fonts_dir(), tmp_path)
    assert sorted(drawn) == [0, 1, 2, 3]
    cue = drawn[2]
    # libass on its own: the whole transparent frame at that frame's time, as a PNG.
    frame = tmp_path / "frame.png"
    width, height = SIZE
    subprocess.run([
        ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
        f"color=c=black@0:s={width}x{height}:r={FPS}:d={FRAMES / FPS},format=rgba",
        "-vf", f"select=eq(n\\,{cue.first}),subtitles=filename={ass}:"
        f"fontsdir={fonts_dir()}:alpha=1", "-frames:v", "1", str(frame)], check=True)
    whole = np.asarray(Image.open(frame).convert("RGBA"))
    with Image.open(cue.image) as image:
        part = np.asarray(image.convert("RGBA"))
    x, y = cue.xy
    h, w = part.shape[:2]
    assert np.array_equal(whole[y:y + h, x:x + w], part)
    outside = whole.copy()
    outside[y:y + h, x:x + w] = 0
    assert outside[..., 3].max() == 0  # nothing drawn outside the cut
    assert part[..., 3].max() == 255  # an opaque glyph at least


def test_a_cue_drawn_in_a_run_of_its_own_is_the_same(tmp_path: Path) -> None:
    ass = _ass(tmp_path)
    (tmp_path / "every").mkdir()
    (tmp_path / "alone").mkdir()
    every = draw_captions(ass, CUES, SIZE, FPS, FRAMES, fonts_dir(), tmp_path / "every")
    alone = draw_captions(ass, CUES, SIZE, FPS, FRAMES, fonts_dir(), tmp_path / "alone",
                          only={2: shown_spans(CUES, FRAMES, FPS)[2]})
    assert sorted(alone) == [2]
    cue, same = alone[2], every[2]
    assert (cue.xy, cue.first, cue.last) == (same.xy, same.first, same.last)
    with Image.open(cue.image) as a, Image.open(same.image) as b:
        assert np.array_equal(np.asarray(a), np.asarray(b))
    assert not list((tmp_path / "alone").glob("*.rgba"))  # the raw frames are gone
