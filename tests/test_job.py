"""The job's own decisions: voice choice, bullet reveal times, what makes a re-render."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from storyreel.batch.job import Job, RenderSettings, _fingerprint
from storyreel.layout import load_theme
from storyreel.pipeline.story import voice_for
from storyreel.storyboard.load import load_storyboard
from storyreel.timeline.model import Clip, SceneSpan, Timeline, reveal_times
from storyreel.tts import get_engine

DATA = Path(__file__).parent / "data" / "tiny"


@pytest.fixture
def story(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "tiny")
    return tmp_path / "tiny" / "tiny.yaml"


def test_storyboard_voice_overrides_the_engine_default(story: Path) -> None:
    engine = get_engine("espeak")
    board = load_storyboard(story)
    assert voice_for(board, engine, "en") == engine.default_voice("en")
    text = story.read_text(encoding="utf-8")
    story.write_text(text + "voices:\n  espeak: {en: en-gb}\n  edge: {zh: zh-CN-YunxiNeural}\n",
                     encoding="utf-8")
    board = load_storyboard(story)
    assert voice_for(board, engine, "en") == "en-gb"
    assert voice_for(board, engine, "zh") == engine.default_voice("zh")


def test_fingerprint_follows_the_inputs(story: Path) -> None:
    engine = get_engine("espeak")
    job = Job(story, "tiny", "en", "landscape")
    settings = RenderSettings()

    def fingerprint(job: Job = job, settings: RenderSettings = settings) -> str:
        board = load_storyboard(story)
        return _fingerprint(board, job, settings, engine, settings.preset(job.preset),
                            load_theme(board.theme))

    first = fingerprint()
    assert fingerprint() == first  # stable
    image = story.parent / "images" / "river.jpg"
    image.write_bytes(image.read_bytes() + b"\0")
    second = fingerprint()
    assert second != first  # an image changed
    assert fingerprint(job=Job(story, "tiny", "zh", "landscape")) != second
    assert fingerprint(settings=RenderSettings(bilingual=True)) != second
    assert fingerprint(settings=RenderSettings(frame_size=(640, 360))) != second


def test_bullets_are_revealed_with_the_narration() -> None:
    spans = (SceneSpan(0, 0, 60), SceneSpan(1, 60, 360, 12))
    # Scene 1 starts at 2000 ms; its clips start 0.5, 3.5, 6.5 s into it.
    clips = tuple(Clip(2000 + t, 2000, Path("c.wav"), "x", 1) for t in (500, 3500, 6500))
    tl = Timeline("t", "en", "landscape", 320, 180, 30, 360, spans, clips, ())
    assert reveal_times(tl, 1, 2) == (3.5, 6.5)
    assert reveal_times(tl, 1, 0) == ()
    times = reveal_times(tl, 0, 3)  # no clips to follow: evenly over the scene
    assert list(times) == sorted(times) and times[-1] < 2.0


def test_storyboard_overrides_parts_of_its_theme(story: Path) -> None:
    from storyreel.layout import draw_scene, theme_for
    from storyreel.presets import get_preset

    plain = load_storyboard(story)
    text = story.read_text(encoding="utf-8")
    story.write_text(text + "theme_overrides:\n  colors: {background: '#7a1020', "
                     "background_end: '#7a1020'}\n", encoding="utf-8")
    red = load_storyboard(story)
    assert theme_for(red).colors.background != theme_for(plain).colors.background
    preset = get_preset("landscape").scaled(320, 180)
    before = draw_scene(plain, 0, "en", preset, theme_for(plain)).base.getpixel((5, 170))
    after = draw_scene(red, 0, "en", preset, theme_for(red)).base.getpixel((5, 170))
    assert isinstance(after, tuple) and isinstance(before, tuple)
    assert after[0] > after[2] and before[0] < before[2]  # red card instead of navy


def test_a_bad_theme_override_is_a_storyboard_error(story: Path) -> None:
    from storyreel.storyboard.load import StoryboardInvalid

    text = story.read_text(encoding="utf-8")
    story.write_text(text + "theme_overrides:\n  captions: {size: 3}\n", encoding="utf-8")
    with pytest.raises(StoryboardInvalid) as info:
        load_storyboard(story)
    line = len(text.splitlines()) + 1
    assert str(info.value).startswith(f"{story}:{line}: theme_overrides: captions.size")
