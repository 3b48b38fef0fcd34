"""The soundtrack, through the real mix: ducking depth, audible bed, loudness, exact length.

The narration here is silence of known length (a WAV written by the test), so the music
bed can be measured alone; the real music files and ffmpeg do the rest.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from storyreel.render.audio import RATE, Mix, duck_envelope, measure_loudness, soundtrack
from storyreel.resources import music_dir
from storyreel.timeline.model import Clip, SceneSpan, Timeline

SPEECH = [(2000, 5000), (6500, 9000), (11000, 14000)]  # ms


def silent_clip(path: Path, ms: int) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"\0\0" * (ms * 22050 // 1000))
    return path


def timeline(tmp_path: Path, seconds: int = 16) -> Timeline:
    clips = tuple(
        Clip(start, end - start, silent_clip(tmp_path / f"c{i}.wav", end - start), "x", 0)
        for i, (start, end) in enumerate(SPEECH)
    )
    return Timeline("t", "en", "landscape", 320, 180, 30, seconds * 30,
                    (SceneSpan(0, 0, seconds * 30),), clips, ())


def read(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (RATE, 2, 2)
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).reshape(-1, 2)


def db(samples: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean((samples.astype(np.float64) / 32768) ** 2)))
    return float(20 * np.log10(max(rms, 1e-9)))


@pytest.fixture(scope="module")
def music() -> Path:
    tracks = sorted(music_dir().glob("*.ogg"))
    assert tracks, "the project ships music beds in music/"
    return tracks[0]


def test_music_is_ducked_under_speech_and_audible_between(tmp_path: Path, music: Path) -> None:
    out = tmp_path / "mix.wav"
    soundtrack(timeline(tmp_path), out, music)
    audio = read(out)
    assert len(audio) == 16 * RATE  # exactly the video's length

    def level(start_ms: int, end_ms: int) -> float:
        return db(audio[start_ms * RATE // 1000 : end_ms * RATE // 1000])

    # Well inside each interval, clear of the attack and release ramps.
    under = [level(s + 300, e - 100) for s, e in SPEECH]
    between = [level(5000 + 700, 6500 - 350), level(9000 + 700, 11000 - 350)]
    for low in under:
        for high in between:
            assert high - low >= 8, (under, between)
    assert min(between) > -40  # audible: far above silence


def test_envelope_is_smooth_and_reaches_the_duck_depth() -> None:
    mix = Mix(duck_db=12)
    env = duck_envelope(SPEECH, 16_000, mix)
    assert env[3000] == pytest.approx(10 ** (-12 / 20), rel=0.01)
    assert env[5800] > 0.5  # coming back up after speech ...
    assert env[5050] < env[5300] < env[5800]  # ... gradually
    steps = np.abs(np.diff(env[1600:15000]))
    assert steps.max() < 0.02  # no clicks: at most 2 % gain change per ms
    assert env[0] == 0 and env[-1] == 0  # faded in and out


def test_loudness_meets_the_platform_target(tmp_path: Path, music: Path) -> None:
    out = tmp_path / "mix.wav"
    result = soundtrack(timeline(tmp_path), out, music)
    measured = measure_loudness(out)
    assert measured == result
    assert -17 <= measured.integrated_lufs <= -15
    assert measured.true_peak_db <= -1


@pytest.mark.parametrize(("step", "first", "n"), [(48, 0, 48_010), (240, 120, 47_983), (5, 2, 3)])
def test_ramps_are_what_interp_gives_on_their_grid(step: int, first: int, n: int) -> None:
    from storyreel.render.audio import _ramps

    points = np.random.default_rng(step).random(1 + n // step).astype(np.float32)
    grid = np.arange(len(points)) * step + first
    assert np.allclose(_ramps(points, step, first, n), np.interp(np.arange(n), grid, points),
                       atol=1e-6)
