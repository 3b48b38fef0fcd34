"""The soundtrack: narration clips at their exact places, a ducked music bed, loudness.

Samples are placed with numpy at exact positions from the Timeline (48 kHz); ffmpeg only
resamples, decodes the music and measures and normalizes loudness (EBU R128, two-pass
``loudnorm``). The result is a WAV of exactly the video's length.
"""

from __future__ import annotations

import json
import re
import subprocess
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storyreel.errors import AssetError, RenderError
from storyreel.resources import ffmpeg_exe
from storyreel.timeline.model import Timeline

RATE = 48_000
Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Mix:
    """How the soundtrack is mixed; levels in dB, times in ms."""

    target_lufs: float = -16.0
    true_peak_db: float = -1.5  # aim under the contract's -1 dBTP
    music_db: float = -6.0  # the bed's level between narration, relative to the file
    duck_db: float = 12.0  # how far the bed drops under speech
    attack_ms: int = 250
    release_ms: int = 600
    fade_in_ms: int = 1500
    fade_out_ms: int = 2500


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_db: float


def _run(args: Sequence[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", *args],
        input=stdin, capture_output=True, check=False,
    )
    if proc.returncode != 0:
        raise RenderError("ffmpeg failed on the soundtrack", proc.stderr.decode(errors="replace"))
    return proc


def read_wav_mono(path: Path) -> tuple[npt.NDArray[np.int16], int]:
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2:
            raise AssetError(f"{path}: expected 16-bit PCM audio")
        data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
        channels = w.getnchannels()
        rate = w.getframerate()
    if channels > 1:
        data = data.reshape(-1, channels)[:, 0].copy()
    return data, rate


def narration_track(timeline: Timeline, samples: int) -> Samples:
    """All narration clips placed at their start, resampled to 48 kHz, mono."""
    clips = [(clip.start_ms, *read_wav_mono(clip.audio)) for clip in timeline.clips]
    rates = {rate for _, _, rate in clips}
    if not clips:
        return np.zeros(samples, dtype=np.float32)
    if len(rates) != 1:
        raise RenderError(f"narration clips have mixed sample rates {sorted(rates)}")
    native = rates.pop()
    track = np.zeros(round(samples * native / RATE) + native, dtype=np.int16)
    for start_ms, data, _ in clips:
        at = start_ms * native // 1000
        end = min(len(track), at + len(data))
        track[at:end] = data[: end - at]
    raw = _run([
        "-f", "s16le", "-ar", str(native), "-ac", "1", "-i", "pipe:0",
        "-af", f"aresample={RATE}:resampler=soxr", "-f", "f32le", "-ac", "1", "pipe:1",
    ], track.tobytes()).stdout
    out = np.frombuffer(raw, dtype=np.float32)[:samples]
    return np.pad(out, (0, samples - len(out))).astype(np.float32)


def music_track(path: Path, samples: int) -> Samples:
    """The music file looped or trimmed to ``samples`` at 48 kHz stereo, shape (n, 2)."""
    if not path.is_file():
        raise AssetError(f"music file '{path}' not found; put it in music/ or name another")
    raw = _run([
        "-stream_loop", "-1", "-i", str(path), "-t", f"{samples / RATE + 0.1:.3f}",
        "-f", "f32le", "-ac", "2", "-ar", str(RATE), "pipe:1",
    ]).stdout
    data = np.frombuffer(raw, dtype=np.float32).reshape(-1, 2)[:samples]
    if len(data) == 0:
        raise AssetError(f"music file '{path}' has no audio")
    return np.pad(data, ((0, samples - len(data)), (0, 0))).astype(np.float32)


def duck_envelope(
    intervals: Sequence[tuple[int, int]], total_ms: int, mix: Mix
) -> npt.NDArray[np.float64]:
    """Music gain per ms: 1 between narration, ``-duck_db`` under it, eased both ways.

    The bed starts down ``attack_ms`` before speech so the first syllable is clear, and
    comes back up over ``release_ms`` after it; fades at both ends of the video.
    """
    low = 10 ** (-mix.duck_db / 20)
    target = np.ones(total_ms + 1)
    for start, end in intervals:
        target[max(0, start - mix.attack_ms) : min(total_ms, end) + 1] = low
    # One-pole smoothing, run forward (release) and backward (attack), on a 1 ms grid.
    env = target.copy()
    for series, ms in ((env, mix.release_ms), (env[::-1], mix.attack_ms)):
        k = 1 - np.exp(-5.0 / max(1, ms))
        for i in range(1, len(series)):
            series[i] = min(series[i], series[i - 1] + k * (series[i] - series[i - 1]))
    fade = np.ones(total_ms + 1)
    ramp_in = min(mix.fade_in_ms, total_ms)
    ramp_out = min(mix.fade_out_ms, total_ms)
    fade[:ramp_in] = np.linspace(0, 1, ramp_in)
    fade[total_ms + 1 - ramp_out :] = np.minimum(
        fade[total_ms + 1 - ramp_out :], np.linspace(1, 0, ramp_out)
    )
    result: npt.NDArray[np.float64] = env * fade
    return result


def soundtrack(timeline: Timeline, out: Path, music: Path | None, mix: Mix = Mix()) -> Loudness:
    """Write the final WAV (48 kHz stereo, 16-bit) of exactly the video's length."""
    total_ms = timeline.duration_ms
    samples = timeline.total_frames * RATE // timeline.fps
    voice = narration_track(timeline, samples)
    stereo = np.repeat(voice[:, None], 2, axis=1)
    if music is not None:
        bed = music_track(music, samples) * np.float32(10 ** (mix.music_db / 20))
        env = duck_envelope([(c.start_ms, c.end_ms) for c in timeline.clips], total_ms, mix)
        gain = np.interp(np.arange(samples) * 1000 / RATE, np.arange(total_ms + 1), env)
        stereo = stereo + bed * gain[:, None].astype(np.float32)
    raw = np.ascontiguousarray(stereo, dtype=np.float32).tobytes()
    source = ["-f", "f32le", "-ar", str(RATE), "-ac", "2", "-i", "pipe:0"]
    norm = f"loudnorm=I={mix.target_lufs}:TP={mix.true_peak_db}:LRA=11"
    first = _run([*source, "-af", f"{norm}:print_format=json", "-f", "null", "-"], raw)
    measured = _loudnorm_json(first.stderr.decode(errors="replace"))
    second = (
        f"{norm}:linear=true:measured_I={measured['input_i']}:measured_TP={measured['input_tp']}"
        f":measured_LRA={measured['input_lra']}:measured_thresh={measured['input_thresh']}"
        f":offset={measured['target_offset']},aresample={RATE},"
        f"apad=whole_len={samples},atrim=end_sample={samples}"
    )
    tmp = out.with_name(out.name + ".part.wav")
    _run([*source, "-af", second, "-c:a", "pcm_s16le", "-ar", str(RATE), "-y", str(tmp)], raw)
    tmp.replace(out)
    return measure_loudness(out)


def _loudnorm_json(stderr: str) -> dict[str, str]:
    match = re.search(r"\{[^{}]*\"input_i\"[^{}]*\}", stderr)
    if match is None:
        raise RenderError("loudnorm printed no measurement", stderr)
    data: dict[str, str] = json.loads(match.group(0))
    if data["input_i"] in ("-inf", "inf"):
        # Silence: nothing to normalize; loudnorm wants finite numbers.
        data.update(input_i="-70", input_tp="-70", input_lra="0", input_thresh="-80")
    return data


def measure_loudness(path: Path) -> Loudness:
    """Integrated loudness (LUFS) and true peak (dBTP) by ffmpeg's ``ebur128`` filter."""
    proc = _run(["-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"])
    text = proc.stderr.decode(errors="replace")
    summary = text[text.rfind("Summary:") :]
    lufs = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if lufs is None or peak is None:
        raise RenderError("ebur128 printed no summary", text)
    return Loudness(float(lufs.group(1)), float(peak.group(1)))
