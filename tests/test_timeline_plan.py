"""Planning with the real offline voice: exact length, speed-up within 1.2×, clear overruns."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyreel.errors import FitError
from storyreel.presets import get_preset
from storyreel.storyboard.model import Storyboard
from storyreel.timeline.place import DEFAULT_PACING, SpokenChunk, scene_minimum_ms
from storyreel.timeline.plan import MAX_CLIP_MS, MAX_RATE, MIN_RATE, Speak, plan
from storyreel.tts import SpeechCache, get_engine
from storyreel.tts.base import Speech

EN = ("Volunteers carried solar lamps to the village school, and for the first time the "
      "children could read after dark. ")
ZH = "志愿者把太阳能灯送到村里的学校，孩子们第一次能在天黑以后读书。"


def board(target: int, repeat: int, scenes: int = 2) -> Storyboard:
    scene = {
        "layout": "end",
        "heading": {"zh": "标题", "en": "Title"},
        "narration": {"zh": ZH * repeat, "en": EN * repeat},
    }
    data = {"id": "plan", "title": {"zh": "标题", "en": "Title"}, "target_seconds": target,
            "scenes": [scene] * scenes}
    return Storyboard.model_validate(data).with_source(Path("storyboards/plan.yaml"))


@pytest.fixture(scope="module")
def speak_en(tmp_path_factory: pytest.TempPathFactory) -> Speak:
    cache = SpeechCache(tmp_path_factory.mktemp("tts"))
    engine = get_engine("espeak")

    def speak(text: str, rate: float) -> Speech:
        return cache.speak(engine, text, lang="en", rate=rate)

    return speak


def test_plan_is_exact_and_never_speeds_up_sparse_speech(speak_en: Speak) -> None:
    # Two sentences for 30 s: spoken slower (never below MIN_RATE), never faster.
    tl = plan(board(30, 1), "en", get_preset("landscape"), speak_en)
    assert tl.total_frames == 900 and tl.duration_ms == 30_000
    assert tl.speech_rate == MIN_RATE
    assert all(clip.duration_ms <= MAX_CLIP_MS for clip in tl.clips)
    assert " ".join(c.text for c in tl.clips).split() == (EN.strip() + " " + EN.strip()).split()


def test_tight_narration_is_spoken_faster_but_fits(speak_en: Speak) -> None:
    loose = plan(board(40, 2), "en", get_preset("landscape"), speak_en)
    # The chunks as spoken at normal speed (a loose plan may speak them slower).
    chunks = [[SpokenChunk(c.text, (), c.audio, speak_en(c.text, 1.0).duration_ms)
               for c in loose.clips if c.scene == s.index] for s in loose.scenes]
    speech = sum(c.duration_ms for ch in chunks for c in ch)
    needed = sum(scene_minimum_ms(ch, i, len(chunks), DEFAULT_PACING)
                 for i, ch in enumerate(chunks))
    # A target shorter than the narration needs at normal speed, by 6 %.
    target = needed * 94 // 100 // 1000
    rates: list[float] = []
    tl = plan(board(target, 2), "en", get_preset("landscape"), speak_en,
              on_rate=rates.append)
    assert 1.0 < tl.speech_rate <= MAX_RATE
    assert rates and rates[-1] == pytest.approx(tl.speech_rate, abs=1e-3)
    assert tl.duration_ms == target * 1000
    assert sum(c.duration_ms for c in tl.clips) < speech


def test_far_too_much_narration_says_what_to_cut(speak_en: Speak) -> None:
    with pytest.raises(FitError) as info:
        plan(board(10, 4), "en", get_preset("landscape"), speak_en)
    message = str(info.value)
    assert message.startswith("storyboards/plan.yaml: narration (en) does not fit 10 s")
    assert "scene 1 ~" in message and "scene 2 ~" in message and "characters" in message
