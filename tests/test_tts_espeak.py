"""The espeak engine and the speech cache, on the real libespeak-ng (no mocks)."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import subprocess
import sys
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storyreel.errors import TTSError, UnknownNameError
from storyreel.tts import ENGINES, SpeechCache, get_engine
from storyreel.tts import espeak as espeak_module
from storyreel.tts.base import Engine, Synthesis, VoiceInfo, WordEvent
from storyreel.tts.cache import SILENCE_THRESHOLD, cache_key, trim_silence
from storyreel.tts.espeak import EspeakEngine, tokens

ZH = "在云南的山区，一所乡村小学迎来了第一批志愿教师。"
EN = "In the mountains of Yunnan, a village school welcomed its first volunteer teachers."
ENGINE = EspeakEngine()


def synth(text: str, lang: str, rate: float = 1.0) -> Synthesis:
    return ENGINE.synthesize(text, lang=lang, voice=ENGINE.default_voice(lang), rate=rate)


@dataclass
class CountingEngine:
    """Wraps an engine and counts synthesize calls."""

    inner: Engine
    calls: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.inner.name

    def identity(self, voice: str) -> str:
        return self.inner.identity(voice)

    def default_voice(self, lang: str) -> str:
        return self.inner.default_voice(lang)

    def voices(self, lang: str | None = None) -> list[VoiceInfo]:
        return self.inner.voices(lang)

    def synthesize(self, text: str, *, lang: str, voice: str, rate: float) -> Synthesis:
        self.calls.append(text)
        return self.inner.synthesize(text, lang=lang, voice=voice, rate=rate)


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        return data, wav.getframerate()


# --- the engine --------------------------------------------------------------------


@pytest.mark.parametrize(("text", "lang"), [(ZH, "zh"), (EN, "en")])
def test_speaks_audible_audio_of_plausible_length(text: str, lang: str) -> None:
    result = synth(text, lang)
    assert result.sample_rate == 22050
    assert result.samples.dtype == np.int16
    peak = int(np.abs(result.samples.astype(np.int32)).max())
    assert peak > 3000
    seconds = result.duration_ms / 1000
    if lang == "zh":  # about 3.7 characters a second
        assert 0.15 * len(text) < seconds < 0.45 * len(text)
    else:  # about 19 characters (3 words) a second
        assert 0.03 * len(text) < seconds < 0.09 * len(text)


@pytest.mark.parametrize(("text", "lang"), [(ZH, "zh"), (EN, "en")])
def test_faster_rate_gives_proportionally_shorter_audio(text: str, lang: str) -> None:
    normal, _ = trim_silence(synth(text, lang, 1.0))
    fast, _ = trim_silence(synth(text, lang, 1.2))
    ratio = fast.duration_ms / normal.duration_ms
    assert 1 / 1.2 - 0.05 < ratio < 1 / 1.2 + 0.05


def test_rate_outside_espeak_range_is_refused() -> None:
    with pytest.raises(TTSError, match="rate"):
        synth(EN, "en", rate=3.0)


def test_unknown_voice_and_empty_text_are_clear_errors() -> None:
    with pytest.raises(TTSError, match="unknown voice 'xx-nope'"):
        ENGINE.synthesize("hello", lang="en", voice="xx-nope", rate=1.0)
    with pytest.raises(TTSError, match="nothing to say"):
        synth("  ", "en")
    with pytest.raises(TTSError, match="no default voice"):
        ENGINE.default_voice("fr")


def assert_words_well_formed(text: str, result: Synthesis) -> None:
    words = result.words
    assert words
    starts = {start for start, _ in tokens(text)}
    ends = {end for _, end in tokens(text)}
    for before, after in itertools.pairwise(words):
        assert before.start_ms <= after.start_ms
        assert before.text_pos + before.length <= after.text_pos
    for word in words:
        assert 0 <= word.start_ms < result.duration_ms
        assert word.text_pos in starts and word.text_pos + word.length in ends
        assert word.slice(text).strip() == word.slice(text)


def test_english_word_events_slice_the_words() -> None:
    text = "Green energy now powers every village, naïve “quoted” café."
    result = synth(text, "en")
    assert_words_well_formed(text, result)
    assert [w.slice(text) for w in result.words] == [
        "Green", "energy", "now", "powers", "every", "village", "naïve", "quoted", "café",
    ]  # fmt: skip
    assert result.words[0].start_ms < 100


def test_chinese_word_events_are_0_based_character_offsets() -> None:
    text = "我们发布了CSR报告，今天天气很好。"
    result = synth(text, "zh")
    assert_words_well_formed(text, result)
    slices = [w.slice(text) for w in result.words]
    assert slices[:8] == ["我", "们", "发", "布", "了", "CSR", "报", "告"]
    # espeak reads 很好 as one word and reports it with length 1: the event spans it
    assert "很好" in slices
    # offsets count characters, not UTF-8 bytes
    assert result.words[5].text_pos == text.index("CSR") == 5


def test_events_after_multibyte_characters_stay_aligned() -> None:
    text = "Hello 😀 world, café 2021 report."
    result = synth(text, "en")
    assert_words_well_formed(text, result)
    expected = ["Hello", "😀", "world", "café", "2021", "report"]
    assert [w.slice(text) for w in result.words] == expected


def test_numbers_read_as_several_words_give_one_event() -> None:
    text = "公司在2021年投入1,200万元。"
    result = synth(text, "zh")
    assert_words_well_formed(text, result)
    slices = [w.slice(text) for w in result.words]
    assert slices.count("2021") == 1
    assert "1,200" in slices


def test_exception_in_callback_is_raised_after_synthesis(monkeypatch: pytest.MonkeyPatch) -> None:
    class Exploding(list[bytes]):
        def append(self, item: bytes) -> None:
            raise RuntimeError("boom in callback")

    @dataclass
    class BrokenCollector(espeak_module._Collector):
        chunks: list[bytes] = field(default_factory=Exploding)

    monkeypatch.setattr(espeak_module, "_Collector", BrokenCollector)
    with pytest.raises(TTSError, match="boom in callback"):
        synth("hello there", "en")
    monkeypatch.undo()
    assert len(synth("still works", "en").samples) > 0


def test_voices_lists_the_defaults() -> None:
    zh = {voice.id for voice in ENGINE.voices("zh")}
    en = {voice.id for voice in ENGINE.voices("en")}
    assert "cmn" in zh and "en-us" not in zh
    assert "en-us" in en and "cmn" not in en
    assert len(ENGINE.voices()) > len(zh) + len(en)


# --- the registry ------------------------------------------------------------------


def test_registry_builds_engines_and_names_the_choices() -> None:
    assert isinstance(get_engine("espeak"), EspeakEngine)
    assert isinstance(get_engine("espeak"), Engine)
    with pytest.raises(UnknownNameError, match="unknown TTS engine 'nope'; choose from ") as info:
        get_engine("nope")
    assert set(info.value.choices) == set(ENGINES)
    for name in ENGINES:
        assert name in str(info.value)


# --- the cache ---------------------------------------------------------------------


def test_cache_hit_returns_the_same_speech_without_the_engine(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    engine = CountingEngine(EspeakEngine())
    first = cache.speak(engine, EN, lang="en")
    second = cache.speak(engine, EN, lang="en")
    assert engine.calls == [EN]
    assert second == first
    assert first.engine == "espeak" and first.voice == "en-us" and first.rate == 1.0
    samples, rate = read_wav(first.audio)
    assert rate == first.sample_rate == 22050
    assert abs(len(samples) * 1000 // rate - first.duration_ms) <= 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".locks", first.audio.name, first.audio.with_suffix(".json").name]
    )


def test_cache_hit_does_not_load_the_library(tmp_path: Path) -> None:
    SpeechCache(tmp_path).speak(EspeakEngine(), ZH, lang="zh")
    script = (
        "import sys; from pathlib import Path\n"
        "from storyreel.tts import SpeechCache, get_engine\n"
        "from storyreel.tts import espeak\n"
        f"s = SpeechCache(Path(sys.argv[1])).speak(get_engine('espeak'), {ZH!r}, lang='zh')\n"
        "print(espeak.library_loaded(), s.duration_ms)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True
    )
    loaded, duration = out.stdout.split()
    assert loaded == "False" and int(duration) > 0


def test_keys_differ_by_text_voice_rate_and_language() -> None:
    def key(text: str, lang: str = "en", voice: str = "en-us", rate: float = 1.0) -> str:
        return cache_key(ENGINE.name, ENGINE.identity(voice), lang, voice, rate, text)

    assert key(EN) == key(EN, rate=1.0004)
    others = {key(EN + " "), key(EN, voice="en-gb"), key(EN, rate=1.2), key(EN, lang="zh")}
    assert key(EN) not in others and len(others) == 4


def test_clips_are_trimmed_to_the_speech(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    for text, lang in [(ZH, "zh"), (EN, "en"), ("Hello.", "en")]:
        speech = cache.speak(ENGINE, text, lang=lang)
        samples, rate = read_wav(speech.audio)
        loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > SILENCE_THRESHOLD)
        assert loud[0] / rate < 0.060
        assert (len(samples) - 1 - loud[-1]) / rate < 0.060
        assert all(0 <= w.start_ms < speech.duration_ms for w in speech.words)


def test_trimming_shifts_word_events_by_the_lead() -> None:
    rate = 10_000
    tone = np.where(np.arange(rate) % 2 == 0, 8000, -8000).astype(np.int16)  # 1 s
    padded = np.concatenate([np.zeros(rate // 2, np.int16), tone, np.zeros(rate, np.int16)])
    words = (WordEvent(500, 0, 3), WordEvent(1200, 4, 2), WordEvent(2400, 7, 1))
    trimmed, lead = trim_silence(Synthesis(padded, rate, words))
    assert lead == 490
    assert trimmed.duration_ms == 1020
    assert [w.start_ms for w in trimmed.words] == [10, 710, 1019]
    with pytest.raises(TTSError, match="silence"):
        trim_silence(Synthesis(np.zeros(100, np.int16), rate))


def test_a_failed_write_leaves_no_entry_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = SpeechCache(tmp_path)

    def killed(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("storyreel.tts.cache.json.dumps", killed)
    with pytest.raises(KeyboardInterrupt):
        cache.speak(ENGINE, "Interrupted.", lang="en")
    monkeypatch.undo()
    assert not list(tmp_path.glob("*.json")) and not list(tmp_path.glob(".*.tmp"))
    counting = CountingEngine(ENGINE)
    speech = cache.speak(counting, "Interrupted.", lang="en")  # nothing was cached: speaks
    assert len(counting.calls) == 1 and len(list(tmp_path.glob("*.json"))) == 1
    assert cache.speak(counting, "Interrupted.", lang="en") == speech
    assert len(counting.calls) == 1
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_damaged_entry_is_synthesized_again(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    engine = CountingEngine(EspeakEngine())
    speech = cache.speak(engine, "Damaged.", lang="en")
    speech.audio.write_bytes(speech.audio.read_bytes()[:100])
    again = cache.speak(engine, "Damaged.", lang="en")
    # Spoken again into the same entry; espeak's output length varies by a few ms
    # between calls (RENDER-NOTES), so the clip is compared by place and rough length.
    assert len(engine.calls) == 2 and again.audio == speech.audio
    assert abs(again.duration_ms - speech.duration_ms) <= 10
    json_path = speech.audio.with_suffix(".json")
    json_path.write_text(json.dumps({"format": 999}))
    cache.speak(engine, "Damaged.", lang="en")
    assert len(engine.calls) == 3


_barrier: Any = None


def _speak_in_child(root: str, warm_up: int) -> tuple[int, int]:
    for _ in range(warm_up):  # leaves each worker's espeak in a different state
        synth(ZH, "zh", 1.1)
    _barrier.wait(timeout=20)  # all workers ask for the same clip at the same moment
    speech = SpeechCache(Path(root)).speak(EspeakEngine(), ZH, lang="zh", rate=1.1)
    samples, rate = read_wav(speech.audio)
    assert abs(len(samples) * 1000 // rate - speech.duration_ms) <= 1
    return os.getpid(), speech.duration_ms


def test_several_processes_share_the_library_state_and_the_cache(tmp_path: Path) -> None:
    global _barrier
    synth("load the library in the parent before forking", "en")
    context = multiprocessing.get_context("fork")
    _barrier = context.Barrier(3)
    with context.Pool(3) as pool:
        results = pool.starmap(_speak_in_child, [(str(tmp_path), i) for i in range(3)], 1)
    assert len({pid for pid, _ in results}) == 3
    # espeak's output varies by a few ms from call to call: equal durations show that
    # the racing processes synthesized the clip once (under the per-key lock)
    assert len({duration for _, duration in results}) == 1
    assert len(list(tmp_path.glob("*.wav"))) == len(list(tmp_path.glob("*.json"))) == 1
    assert not list(tmp_path.glob(".*.tmp"))
