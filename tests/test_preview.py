"""Previews: stills of the middle of scenes with the render's captions, the contact sheet,
and the short video; a still is the frame the render's own graph shows then."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import Result
from PIL import Image

from storyreel.editor.frames import (
    burn_captions,
    camera,
    cue_at,
    middle_frame,
    plan_story,
    scene_still,
)
from storyreel.editor.preview import excerpt
from storyreel.layout import draw_scene
from storyreel.render.mover import camera_window
from storyreel.storyboard.model import Motion
from storyreel.timeline.model import frame_to_ms

from clitools import invoke
from probe import probe

TINY = Path(__file__).parent / "data" / "tiny"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("preview")
    shutil.copytree(TINY, root / "storyboards")
    return root


def written(result: Result) -> list[Path]:
    """The files the command says it wrote (one path a line on standard output)."""
    return [Path(line) for line in result.stdout.splitlines() if line.endswith((".png", ".mp4"))]


def test_stills_of_chosen_scenes(project: Path, env: dict[str, str]) -> None:
    story = project / "storyboards" / "tiny.yaml"
    out = project / "stills"
    result = invoke(["preview", str(story), "--scene", "1,3", "--lang", "zh,en",
                     "--out", str(out)], env)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in written(result))
    assert names == ["tiny.en.landscape.scene01.png", "tiny.en.landscape.scene03.png",
                     "tiny.zh.landscape.scene01.png", "tiny.zh.landscape.scene03.png"]
    assert sorted(p.name for p in out.iterdir()) == names  # nothing half-written
    with Image.open(out / names[0]) as im:
        assert im.format == "PNG" and im.size == (1920, 1080)


def test_default_folder_and_portrait(project: Path, env: dict[str, str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    result = invoke(["preview", "storyboards/tiny.yaml", "--scene", "2", "--preset",
                     "portrait"], env)
    assert result.exit_code == 0, result.output
    path = project / "output" / "tiny" / "preview" / "tiny.zh.portrait.scene02.png"
    assert written(result) == [Path("output/tiny/preview/tiny.zh.portrait.scene02.png")]
    with Image.open(path) as im:
        assert im.size == (1080, 1920)


def test_the_still_shows_the_caption_on_screen(project: Path, env: dict[str, str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYREEL_CACHE", env["STORYREEL_CACHE"])
    story = plan_story(project / "storyboards" / "tiny.yaml", "en", "landscape",
                       size=(640, 360))
    frame = middle_frame(story.timeline, 1)
    cue = cue_at(story, frame)
    assert cue is not None and cue.scene == 1
    plain = scene_still(story, 1, frame)
    burnt = burn_captions(story, [plain], [frame])[0]
    changed = np.abs(np.asarray(burnt, np.int16) - np.asarray(plain, np.int16)).sum(axis=2)
    rows = np.flatnonzero(changed.max(axis=1) > 60)
    assert rows.size and rows.min() > 360 * 0.6  # white caption lines near the bottom
    # Between cues there is nothing to burn in.
    gap = next(c.end_ms for c in story.captions if c.end_ms < story.captions[-1].start_ms)
    quiet = next(f for f in range(story.timeline.total_frames)
                 if frame_to_ms(f, 30) > gap and cue_at(story, f) is None)
    still = scene_still(story, 2, max(quiet, story.timeline.scenes[2].start_frame))
    same = burn_captions(story, [still], [quiet])[0]
    assert np.abs(np.asarray(same, np.int16) - np.asarray(still, np.int16)).max() <= 3


def test_a_still_is_the_frame_the_render_shows(project: Path, env: dict[str, str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The --video preview goes through the render's own graph: its frame in the middle
    of the zooming picture scene is the still, up to compression."""
    story_path = project / "storyboards" / "tiny.yaml"
    out = project / "video"
    result = invoke(["preview", str(story_path), "--scene", "2", "--video", "--lang", "en",
                     "--out", str(out)], env)
    assert result.exit_code == 0, result.output
    video = out / "tiny.en.landscape.scenes-2.mp4"
    assert written(result) == [video]
    monkeypatch.setenv("STORYREEL_CACHE", env["STORYREEL_CACHE"])
    story = plan_story(story_path, "en", "landscape", size=(640, 360))
    span = story.timeline.scenes[1]
    facts = probe(video)
    assert facts.frames == span.frames and (facts.width, facts.height) == (640, 360)
    assert facts.audio_s == pytest.approx(span.frames / 30, abs=0.05)

    frame = middle_frame(story.timeline, 1)
    still = burn_captions(story, [scene_still(story, 1, frame)], [frame])[0]
    shown = _frame_of(video, frame - span.start_frame)
    art = draw_scene(story.board, 1, "en", story.preset, story.theme)
    unmoved = burn_captions(story, [art.composite()], [frame])[0]
    # Equal up to compression and the two movers' resampling (mean |Δ| of 0–255, at
    # 640×360); a frame of the unmoved picture differs more than twice as much.
    assert _diff(still, shown) < 3.0, (_diff(still, shown), _diff(unmoved, shown))
    assert _diff(still, shown) < _diff(unmoved, shown) - 0.5  # the camera had moved


def _frame_of(video: Path, index: int) -> Image.Image:
    import av

    with av.open(str(video)) as box:
        for k, frame in enumerate(box.decode(video=0)):
            if k == index:
                image: Image.Image = frame.to_image()  # type: ignore[no-untyped-call]
                return image.convert("RGB")
    raise AssertionError(f"no frame {index}")


def _diff(a: Image.Image, b: Image.Image) -> float:
    return float(np.abs(np.asarray(a, np.int16) - np.asarray(b, np.int16)).mean())


def test_contact_sheet(project: Path, env: dict[str, str]) -> None:
    out = project / "sheet"
    result = invoke(["preview", str(project / "storyboards" / "tiny.yaml"),
                     "--contact-sheet", "--out", str(out)], env)
    assert result.exit_code == 0, result.output
    assert written(result) == [out / "tiny.zh.landscape.sheet.png"]
    with Image.open(out / "tiny.zh.landscape.sheet.png") as sheet:
        assert sheet.width > sheet.height  # three landscape frames in a row
        assert 1000 < sheet.width < 2000


def test_camera_is_the_render_graphs_window() -> None:
    plate = Image.linear_gradient("L").convert("RGB").resize((320, 180))
    assert np.array_equal(np.asarray(camera(plate, Motion.ZOOM_IN, (0.5, 0.5), 0, 90)),
                          np.asarray(plate.resize(plate.size, box=(0, 0, 320, 180))))
    x0, _, w, _ = camera_window(Motion.PAN_RIGHT, (0.5, 0.5), 90, 89, 640, 360)
    assert x0 + w == pytest.approx(640)  # the pan ends at the plate's right edge
    end = camera(plate, Motion.ZOOM_IN, (0.5, 0.5), 89, 90)
    assert end.size == plate.size  # zoomed in on the centre, still the plate's size


def test_excerpt_moves_scenes_and_their_captions(project: Path, env: dict[str, str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYREEL_CACHE", env["STORYREEL_CACHE"])
    story = plan_story(project / "storyboards" / "tiny.yaml", "zh", "landscape")
    full = story.timeline
    both = excerpt(full, [1, 2])
    assert [s.frames for s in both.scenes] == [s.frames for s in full.scenes[1:]]
    assert both.scenes[0].start_frame == 0 and both.scenes[0].transition_frames == 0
    assert both.total_frames == both.scenes[-1].end_frame
    shift = frame_to_ms(full.scenes[1].start_frame, 30)
    moved = [c for c in full.cues if c.scene >= 1]
    assert [c.lines for c in both.cues] == [c.lines for c in moved]
    # Whole milliseconds of whole frames: within a millisecond of where they were.
    assert all(abs(a.start_ms + shift - b.start_ms) <= 1
               for a, b in zip(both.cues, moved, strict=True))
    apart = excerpt(full, [0, 2])  # not neighbours: a cut between them
    assert apart.scenes[1].transition_frames == 0 and apart.scenes[1].transition == "cut"
    assert apart.scenes[1].start_frame == full.scenes[0].frames
    assert all(c.end_ms <= frame_to_ms(apart.total_frames, 30) for c in apart.cues)
    assert excerpt(full, [0, 1, 2]) == full  # all of it: the story itself


def test_problems_are_one_line(project: Path, env: dict[str, str]) -> None:
    story = project / "storyboards" / "tiny.yaml"
    missing = invoke(["preview", str(story), "--scene", "9"], env)
    assert missing.exit_code == 1
    assert missing.output.splitlines()[-1] == (
        f"error {story}: no scene 9; it has scenes 1 to 3")
    broken = project / "storyboards" / "broken.yaml"
    broken.write_text(story.read_text(encoding="utf-8").replace("en: Thank you.",
                                                                 "en: Thank you 😀."))
    result = invoke(["preview", str(broken), "--lang", "en"], env)
    checked = invoke(["check", str(broken), "--lang", "en"], env)
    assert result.exit_code == checked.exit_code == 1
    assert [ln for ln in result.output.splitlines() if ln.startswith("error ")] == [
        ln for ln in checked.output.splitlines() if ln.startswith("error ")]
