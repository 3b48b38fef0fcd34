"""Captions drawn once per cue by the real libass: in two runs when a first segment asks
(its own cues first, the rest beside it), pixel for pixel what one run draws."""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from storyreel.render.captions import CaptionDrawer, draw_captions
from storyreel.render.graph import Caption
from storyreel.resources import fonts_dir
from storyreel.subtitles.files import write_subtitles
from storyreel.theme.captions import CaptionStyle
from storyreel.timeline.model import Cue

FPS = 30
SIZE = (640, 360)
CUES = (Cue(100, 900, ("The first line",), 0), Cue(1000, 1900, ("A second one",), 0),
        Cue(2100, 2900, ("And a third",), 1), Cue(3000, 3900, ("The last words",), 1))
FRAMES = 120


def _ass(folder: Path) -> Path:
    style = CaptionStyle(play_res=SIZE, font_size=28, margin_l=20, margin_r=20, margin_v=16)
    return write_subtitles(CUES, folder, "video", style, formats=("ass",))["ass"]


def _pixels(caption: Caption) -> np.ndarray:
    with Image.open(caption.image) as image:
        return np.asarray(image.convert("RGBA"))


def test_the_first_segment_waits_for_its_own_cues_only(tmp_path: Path) -> None:
    ass = _ass(tmp_path)
    runs: list[list[int] | None] = []

    def draw(only: Collection[int] | None) -> dict[int, Caption]:
        runs.append(sorted(only) if only is not None else None)
        work = tmp_path / f"run{len(runs)}"
        work.mkdir()
        return draw_captions(ass, CUES, SIZE, FPS, FRAMES, fonts_dir(), work, only)

    with ThreadPoolExecutor(max_workers=1) as pool:
        drawer = CaptionDrawer(pool, CUES, FPS, draw)
        first = drawer.within(0, 30)  # frames 0-29 (to 0.97 s): the first cue
        assert runs == [[0]]
        later = drawer.within(30, 90)  # the others, drawn beside
        again = drawer.within(0, 30)
    assert runs == [[0], [1, 2, 3]]
    assert [c.first for c in first] == [3] and [c.first for c in later] == [30, 63, 90]
    assert again == first
    # The same pictures, at the same places, as one run over every cue draws.
    (tmp_path / "all").mkdir()
    whole = draw_captions(ass, CUES, SIZE, FPS, FRAMES, fonts_dir(), tmp_path / "all")
    assert sorted(whole) == [0, 1, 2, 3]
    for mine, theirs in zip([*first, *later], [whole[k] for k in range(4)], strict=True):
        assert (mine.xy, mine.first, mine.last) == (theirs.xy, theirs.first, theirs.last)
        assert np.array_equal(_pixels(mine), _pixels(theirs))
        assert _pixels(mine)[..., 3].max() == 255  # drawn: an opaque glyph at least


def test_started_beside_the_mix_it_draws_everything_in_one_run(tmp_path: Path) -> None:
    ass = _ass(tmp_path)
    runs: list[list[int] | None] = []

    def draw(only: Collection[int] | None) -> dict[int, Caption]:
        runs.append(sorted(only) if only is not None else None)
        return draw_captions(ass, CUES, SIZE, FPS, FRAMES, fonts_dir(), tmp_path, only)

    with ThreadPoolExecutor(max_workers=1) as pool:
        drawer = CaptionDrawer(pool, CUES, FPS, draw)
        drawer.start()
        assert [c.first for c in drawer.within(60, 60)] == [63, 90]
    assert runs == [[0, 1, 2, 3]]


def test_a_render_that_asks_for_nothing_draws_nothing(tmp_path: Path) -> None:
    runs: list[object] = []

    def draw(only: Collection[int] | None) -> dict[int, Caption]:
        runs.append(only)
        return {}

    with ThreadPoolExecutor(max_workers=1) as pool:
        CaptionDrawer(pool, CUES, FPS, draw)
    assert runs == []
