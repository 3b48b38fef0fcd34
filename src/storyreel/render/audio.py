"""The soundtrack: narration clips at their exact places, a ducked music bed, loudness.

Samples are placed with numpy at exact positions from the Timeline (48 kHz); ffmpeg only
resamples, decodes the music and measures loudness (EBU R128, ``ebur128``); the gain
and a look-ahead peak limiter are applied in numpy. The result is a WAV of exactly the
video's length.
"""

from __future__ import annotations

import re
import wave
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storyreel.errors import AssetError, RenderError
from storyreel.ffmpeg_runner import Completed, run_ffmpeg
from storyreel.fileio import atomic_path
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


DEFAULT_MIX = Mix()


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_db: float


def _run(args: Sequence[str], stdin: bytes | None = None, what: str = "mix the soundtrack",
         ) -> Completed:
    return run_ffmpeg(["-loglevel", "info", *args], what=what, stdin=stdin)


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
    out = np.zeros(samples, dtype=np.float32)
    got = np.frombuffer(raw, dtype=np.float32)[:samples]
    out[: len(got)] = got
    return out


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
    out = np.zeros((samples, 2), dtype=np.float32)
    out[: len(data)] = data
    return out


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


def soundtrack(
    timeline: Timeline, out: Path, music: Path | None, mix: Mix = DEFAULT_MIX
) -> Loudness:
    """Write the final WAV (48 kHz stereo, 16-bit) of exactly the video's length."""
    total_ms = timeline.duration_ms
    samples = timeline.total_frames * RATE // timeline.fps
    with ThreadPoolExecutor(max_workers=1) as beside:
        # ffmpeg decodes the music while it resamples the narration.
        decoding = beside.submit(music_track, music, samples) if music is not None else None
        voice = narration_track(timeline, samples)
        stereo = np.repeat(voice[:, None], 2, axis=1)
        del voice
        if decoding is not None:
            # In place, in float32: 100 s of stereo is 37 MiB a copy.
            env = duck_envelope([(c.start_ms, c.end_ms) for c in timeline.clips], total_ms,
                                mix)
            gain = _ramps(env.astype(np.float32), RATE // 1000, 0, samples)
            gain *= np.float32(10 ** (mix.music_db / 20))
            bed = decoding.result()
            bed *= gain[:, None]
            del gain
            stereo += bed
            del bed
    final, loudness = normalize(stereo, mix)
    del stereo
    np.clip(final, -1, 1, out=final)
    final *= 32767
    pcm = np.round(final).astype("<i2")
    del final
    with atomic_path(out) as tmp, wave.open(str(tmp), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    return loudness


def normalize(stereo: Samples, mix: Mix) -> tuple[Samples, Loudness]:
    """Gain to the target loudness, and a look-ahead limiter under the true-peak ceiling.

    Measured with EBU R128 (ffmpeg's ``ebur128``), gained in numpy, measured again: the
    limiter takes a little loudness off the loudest moments, so a correction may follow.
    """
    measured = measure_samples(stereo, true_peak=False)  # only its loudness is used
    if measured.integrated_lufs <= -70:  # silence: nothing to normalize
        return stereo, measure_samples(stereo)
    # Sample peaks are kept a little under the true-peak ceiling: inter-sample peaks of
    # speech and soft music rise at most a few tenths of a dB above them.
    ceiling = np.float32(10 ** ((mix.true_peak_db - 0.5) / 20))
    gain_db = mix.target_lufs - measured.integrated_lufs
    out = stereo
    for _ in range(3):
        out = limit(stereo * np.float32(10 ** (gain_db / 20)), ceiling)
        measured = measure_samples(out)
        error = mix.target_lufs - measured.integrated_lufs
        if abs(error) <= 0.3 and measured.true_peak_db <= mix.true_peak_db + 0.4:
            break
        gain_db += error
    return out, measured


def limit(signal: Samples, ceiling: np.float32, block: int = 240) -> Samples:
    """Peaks above ``ceiling`` brought down smoothly: a gain per block (5 ms at 48 kHz),
    the lowest of the block and its neighbours, interpolated sample by sample."""
    n = len(signal)
    blocks = -(-n // block)
    padded = np.zeros((blocks * block, signal.shape[1]), dtype=np.float32)
    padded[:n] = signal
    peaks = np.abs(padded).reshape(blocks, block * signal.shape[1]).max(axis=1)
    gains = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-9))
    lowest = gains.copy()
    lowest[1:] = np.minimum(lowest[1:], gains[:-1])
    lowest[:-1] = np.minimum(lowest[:-1], gains[1:])
    per_sample = _ramps(lowest.astype(np.float32), block, block // 2, n)
    limited: Samples = signal * per_sample[:, None]
    return limited


def _ramps(points: npt.NDArray[np.float32], step: int, first: int,
           n: int) -> npt.NDArray[np.float32]:
    """``n`` samples of the straight lines through ``points``, one every ``step``
    samples from sample ``first`` (held flat before the first and after the last): what
    ``np.interp`` gives on such a grid, built a line at a time (a tenth of the time)."""
    a = points[:-1, None]
    lines = (a + (points[1:, None] - a) * (np.arange(step, dtype=np.float32) / step))
    out = np.concatenate([np.full(first, points[0], dtype=np.float32), lines.reshape(-1)])
    if len(out) < n:
        out = np.concatenate([out, np.full(n - len(out), points[-1], dtype=np.float32)])
    return out[:n]


def _parse_ebur128(text: str) -> Loudness:
    summary = text[text.rfind("Summary:") :]
    lufs = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if lufs is None or peak is None:
        raise RenderError("ebur128 printed no summary", text)
    return Loudness(max(-70.0, float(lufs.group(1))), max(-70.0, float(peak.group(1))))


def measure_samples(stereo: Samples, true_peak: bool = True) -> Loudness:
    """EBU R128 integrated loudness and true peak of 48 kHz stereo float samples (the
    sample peak without ``true_peak``: a third of the time, the 4× oversampling saved)."""
    raw = np.ascontiguousarray(stereo, dtype=np.float32).tobytes()
    peak = "true" if true_peak else "sample"
    proc = _run(["-f", "f32le", "-ar", str(RATE), "-ac", "2", "-i", "pipe:0",
                 "-af", f"ebur128=peak={peak}", "-f", "null", "-"], raw)
    return _parse_ebur128(proc.stderr)


def measure_loudness(path: Path) -> Loudness:
    """Integrated loudness (LUFS) and true peak (dBTP) by ffmpeg's ``ebur128`` filter."""
    proc = _run(["-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"],
                what=f"measure the loudness of {path.name}")
    return _parse_ebur128(proc.stderr)
