"""Synthesize the music beds in src/storyreel/data/music/: calm, hopeful, loopable, CC0.

Everything is generated here with numpy (additive pads, plucked arpeggios, a soft
pulse, a noise reverb) and encoded to Ogg Vorbis with the ffmpeg binary that
imageio-ffmpeg ships::

    .venv/bin/python scripts/make_music.py             # all beds
    .venv/bin/python scripts/make_music.py river       # only names containing "river"

Each bed is a whole number of bars rendered on a circle: notes and reverb tails that
run past the end are added back at the start, so the file loops without a seam (the
renderer loops the bed with ``-stream_loop``). Levels are normalised to about -20 LUFS
(EBU R128, measured by ffmpeg's ``loudnorm`` analysis) with peaks kept below -3 dBFS.

Why Vorbis and not AAC: looped with ``-stream_loop``, ffmpeg decodes an AAC ``.m4a``
with 448 samples of silence at every join (the encoder's priming), a small click;
an ``.ogg`` joins sample-exact.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from numpy.typing import NDArray

RATE = 48_000
TARGET_LUFS = -20.0
PEAK_LIMIT = 10 ** (-3.0 / 20)
VORBIS_QUALITY = "6"  # about 190 kbit/s
OUT = Path(__file__).resolve().parent.parent / "src" / "storyreel" / "data" / "music"

Signal = NDArray[np.float64]


def hz(midi: float) -> float:
    return float(440.0 * 2.0 ** ((midi - 69.0) / 12.0))


@dataclass(frozen=True)
class Bed:
    """One piece: a chord loop with a pad, an arpeggio and a pulse."""

    name: str
    bpm: float
    bars: int
    beats_per_chord: int
    chords: tuple[tuple[int, ...], ...]  # MIDI notes, low to high
    arp_pattern: tuple[int, ...]  # indices into the chord (+12 per octave via >= len)
    arp_step: float  # beats per arpeggio note
    arp_tone: str  # "harp", "marimba" or "bell"
    pulse: str  # "heart", "shaker" or "tick"
    seed: int
    pad_level: float = 0.55
    arp_level: float = 0.32
    pulse_level: float = 0.16
    reverb_mix: float = 0.32


BEDS: tuple[Bed, ...] = (
    Bed(  # shanghai-robovans: D major, I-V-vi-IV, harp-like eighths, soft heartbeat
        name="dawn-pads",
        bpm=84, bars=28, beats_per_chord=4,
        chords=((50, 57, 62, 66, 69), (45, 57, 61, 64, 69), (47, 54, 59, 62, 66),
                (43, 55, 59, 62, 67)),
        arp_pattern=(0, 2, 3, 4, 5, 4, 3, 2), arp_step=0.5, arp_tone="harp",
        pulse="heart", seed=11,
    ),
    Bed(  # lusaka-water: F major, I-iii-vi-IV-I-V, marimba sixteenths, light shaker
        name="river-arpeggio",
        bpm=92, bars=30, beats_per_chord=4,
        chords=((41, 53, 57, 60, 65), (45, 52, 57, 60, 64), (38, 50, 57, 62, 65),
                (46, 53, 58, 62, 65), (41, 53, 57, 60, 65), (48, 55, 60, 64, 67)),
        arp_pattern=(1, 2, 3, 2, 4, 3, 2, 3), arp_step=0.5, arp_tone="marimba",
        pulse="shaker", seed=23, arp_level=0.28,
    ),
    Bed(  # solar-lamps: A minor to C major, vi-IV-I-V, music-box bells, soft ticks
        name="lantern-pulse",
        bpm=72, bars=24, beats_per_chord=4,
        chords=((45, 57, 60, 64, 69), (41, 53, 57, 60, 65), (48, 55, 60, 64, 67),
                (43, 55, 59, 62, 67)),
        arp_pattern=(2, 4, 5, 7, 6, 4), arp_step=2 / 3, arp_tone="bell",
        pulse="tick", seed=37, arp_level=0.26,
    ),
)


# -- building blocks ----------------------------------------------------------------------
class Loop:
    """A stereo buffer on a circle: what runs past the end wraps to the start."""

    def __init__(self, seconds: float) -> None:
        self.n = round(seconds * RATE)
        self.buf = np.zeros((self.n, 2))

    def add(self, start_s: float, mono: Signal, pan: float = 0.0) -> None:
        """Add ``mono`` at ``start_s``, panned -1 (left) .. 1 (right), equal power."""
        pos = round(start_s * RATE) % self.n
        angle = (pan + 1.0) * math.pi / 4
        gains = np.array([math.cos(angle), math.sin(angle)])
        rest = mono
        while len(rest):
            take = min(len(rest), self.n - pos)
            self.buf[pos : pos + take] += rest[:take, None] * gains[None, :]
            rest = rest[take:]
            pos = 0


def envelope(n: int, attack: float, release: float) -> Signal:
    """Linear-in-dB-ish attack and release (raised cosine) over ``n`` samples."""
    env = np.ones(n)
    a, r = min(n // 2, round(attack * RATE)), min(n // 2, round(release * RATE))
    if a:
        env[:a] = 0.5 - 0.5 * np.cos(np.linspace(0, math.pi, a))
    if r:
        env[n - r :] = 0.5 + 0.5 * np.cos(np.linspace(0, math.pi, r))
    return env


def pad_note(freq: float, seconds: float, detune_cents: float, rng: np.random.Generator) -> Signal:
    """A warm pad: odd-leaning harmonics rolled off, a slow shimmer, soft edges."""
    n = round(seconds * RATE)
    t = np.arange(n) / RATE
    f = freq * 2 ** (detune_cents / 1200)
    out = np.zeros(n)
    for k in range(1, 9):
        if f * k > 6000:
            break
        amp = (1.0 / k**1.6) * (1.0 if k % 2 else 0.6)
        phase = rng.uniform(0, 2 * math.pi)
        out += amp * np.sin(2 * math.pi * f * k * t + phase)
    shimmer = 1.0 + 0.12 * np.sin(2 * math.pi * rng.uniform(0.1, 0.25) * t + rng.uniform(0, 6))
    return out * shimmer * envelope(n, attack=1.4, release=1.8)


def pluck(freq: float, tone: str, rng: np.random.Generator) -> Signal:
    """A short plucked or struck note built from decaying partials."""
    partials: tuple[tuple[float, float, float], ...]
    if tone == "marimba":
        partials = ((1.0, 1.0, 3.2), (4.0, 0.25, 9.0), (10.0, 0.05, 16.0))
        seconds = 1.2
    elif tone == "bell":
        partials = ((1.0, 1.0, 1.1), (2.0, 0.35, 1.8), (3.01, 0.2, 2.6), (4.2, 0.1, 3.4),
                    (5.4, 0.05, 4.5))
        seconds = 3.0
    else:  # harp
        partials = ((1.0, 1.0, 1.6), (2.0, 0.45, 2.4), (3.0, 0.22, 3.4), (4.0, 0.12, 4.6),
                    (5.0, 0.06, 6.0))
        seconds = 2.4
    n = round(seconds * RATE)
    t = np.arange(n) / RATE
    out = np.zeros(n)
    for ratio, amp, decay in partials:
        if freq * ratio > 9000:
            continue
        out += amp * np.sin(2 * math.pi * freq * ratio * t + rng.uniform(0, 2 * math.pi)) * np.exp(
            -decay * t
        )
    attack = round(0.004 * RATE)
    out[:attack] *= np.linspace(0, 1, attack)
    out *= envelope(n, attack=0.0, release=0.3)
    return out


def pulse_hit(kind: str, rng: np.random.Generator) -> Signal:
    if kind == "heart":  # a soft, low thump
        n = round(0.45 * RATE)
        t = np.arange(n) / RATE
        sweep = 2 * math.pi * (48 * t + (80 - 48) * (1 - np.exp(-t * 30)) / 30)
        return np.sin(sweep) * np.exp(-t * 9) * envelope(n, 0.006, 0.1)
    n = round((0.09 if kind == "shaker" else 0.05) * RATE)
    noise = band_noise(n, 4000 if kind == "shaker" else 2500, 9000 if kind == "shaker" else 6000,
                       rng)
    t = np.arange(n) / RATE
    shape = np.sin(np.pi * np.minimum(1.0, t / (n / RATE))) ** 2 if kind == "shaker" else np.exp(
        -t * 70
    )
    hit: Signal = noise * shape * 0.6
    return hit


def band_noise(n: int, lo: float, hi: float, rng: np.random.Generator) -> Signal:
    spec = np.fft.rfft(rng.normal(0, 1, n))
    freqs = np.fft.rfftfreq(n, 1 / RATE)
    spec[(freqs < lo) | (freqs > hi)] = 0
    out = np.fft.irfft(spec, n)
    peak = float(np.max(np.abs(out))) or 1.0
    return out / peak


def reverb(loop: Loop, mix: float, seconds: float, rng: np.random.Generator) -> None:
    """A stereo hall: circular convolution with decaying, darkening noise."""
    n = loop.n
    m = round(seconds * RATE)
    t = np.arange(m) / RATE
    wet = np.zeros_like(loop.buf)
    for ch in (0, 1):
        ir = rng.normal(0, 1, m) * np.exp(-t * 6.9 / seconds)
        ir[: round(0.012 * RATE)] = 0  # pre-delay
        spec = np.fft.rfft(ir)
        freqs = np.fft.rfftfreq(m, 1 / RATE)
        spec *= 1 / (1 + (freqs / 3500) ** 2)
        ir = np.fft.irfft(spec, m)
        ir /= math.sqrt(float(np.sum(ir**2)))
        padded = np.zeros(n)
        padded[:m] = ir
        wet[:, ch] = np.fft.irfft(np.fft.rfft(loop.buf[:, ch]) * np.fft.rfft(padded), n)
    loop.buf = loop.buf * (1 - mix) + wet * mix


def highpass(loop: Loop, cutoff: float) -> None:
    """Remove rumble and DC on the circle (a smooth spectral ramp, no phase shift)."""
    freqs = np.fft.rfftfreq(loop.n, 1 / RATE)
    gain = np.clip((freqs - cutoff * 0.6) / (cutoff * 0.4), 0, 1) ** 2
    for ch in (0, 1):
        loop.buf[:, ch] = np.fft.irfft(np.fft.rfft(loop.buf[:, ch]) * gain, loop.n)


# -- composing ----------------------------------------------------------------------------
def render(bed: Bed) -> Signal:
    rng = np.random.default_rng(bed.seed)
    beat = 60.0 / bed.bpm
    total_beats = bed.bars * 4
    loop = Loop(total_beats * beat)
    chord_len = bed.beats_per_chord * beat
    n_chords = total_beats // bed.beats_per_chord
    arp_per_chord = round(bed.beats_per_chord / bed.arp_step)
    for c in range(n_chords):
        chord = bed.chords[c % len(bed.chords)]
        start = c * chord_len
        # pad: the chord, two slightly detuned layers spread across the stereo field
        for i, note in enumerate(chord):
            voice_level = bed.pad_level * (0.9 if i == 0 else 0.5) / len(chord)
            for cents, pan in ((-5.0, -0.45), (5.0, 0.45)):
                sig = pad_note(hz(note), chord_len + 1.8, cents, rng)
                loop.add(start - 0.3, sig * voice_level, pan)
        # arpeggio: over the upper chord tones, quiet in the first bars of each 8-chord arc
        tones = sorted(chord[1:])
        arc = (c % 8) / 8
        density = 0.55 + 0.45 * math.sin(math.pi * arc) ** 2
        for k in range(arp_per_chord):
            if rng.random() > density:
                continue
            idx = bed.arp_pattern[k % len(bed.arp_pattern)]
            note = tones[idx % len(tones)] + 12 * (idx // len(tones)) + 12
            vel = bed.arp_level * (0.75 + 0.25 * rng.random()) * (1.0 if k % 2 == 0 else 0.8)
            at = start + k * bed.arp_step * beat + rng.normal(0, 0.006)
            loop.add(at, pluck(hz(note), bed.arp_tone, rng) * vel, pan=0.35 * math.sin(k * 1.3))
        # pulse
        for b in range(bed.beats_per_chord):
            at = start + b * beat
            if bed.pulse == "heart":
                if b in (0, 2):
                    loop.add(at, pulse_hit("heart", rng) * bed.pulse_level * 1.6)
                    loop.add(at + beat * 0.33, pulse_hit("heart", rng) * bed.pulse_level * 0.8)
            elif bed.pulse == "shaker":
                for half in (0.0, 0.5):
                    accent = 1.0 if half else 0.55
                    loop.add(at + half * beat, pulse_hit("shaker", rng) * bed.pulse_level * accent,
                             pan=0.25)
            else:
                loop.add(at, pulse_hit("tick", rng) * bed.pulse_level * (1.0 if b % 2 else 0.6),
                         pan=-0.2)
        # a low root on each chord change keeps the harmony grounded
        root = pad_note(hz(chord[0]), chord_len + 1.0, 0.0, rng)
        loop.add(start - 0.2, root * bed.pad_level * 0.3)
    reverb(loop, bed.reverb_mix, 2.8, rng)
    highpass(loop, 45.0)
    return loop.buf


# -- levels and encoding ------------------------------------------------------------------
def ffmpeg() -> str:
    exe: str = imageio_ffmpeg.get_ffmpeg_exe()
    return exe


def write_wav(path: Path, audio: Signal) -> None:
    pcm = (np.clip(audio, -1, 1) * 32767).round().astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())


def loudness(path: Path) -> dict[str, float]:
    """Integrated loudness, LRA and true peak of a file, from ffmpeg's loudnorm analysis."""
    proc = subprocess.run(
        [ffmpeg(), "-hide_banner", "-nostats", "-i", str(path), "-af",
         "loudnorm=I=-20:TP=-1:print_format=json", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )
    found = re.search(r"\{[^{}]*\"input_i\"[^{}]*\}", proc.stderr)
    if found is None:
        raise RuntimeError(f"no loudness report from ffmpeg for {path}")
    report = json.loads(found.group(0))
    return {
        "lufs": float(report["input_i"]),
        "true_peak": float(report["input_tp"]),
        "lra": float(report["input_lra"]),
    }


def normalise(audio: Signal, tmp: Path) -> Signal:
    """Scale to TARGET_LUFS (two measurements), keeping peaks under PEAK_LIMIT."""
    audio = audio / max(1e-9, float(np.max(np.abs(audio)))) * 0.5
    for _ in range(2):
        write_wav(tmp, audio)
        gain = 10 ** ((TARGET_LUFS - loudness(tmp)["lufs"]) / 20)
        audio = audio * gain
    peak = float(np.max(np.abs(audio)))
    if peak > PEAK_LIMIT:
        audio = audio * (PEAK_LIMIT / peak)
    return audio


def encode(audio: Signal, target: Path, tmp: Path) -> None:
    write_wav(tmp, audio)
    part = target.with_name(target.stem + ".part.ogg")
    subprocess.run(
        [ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(tmp), "-c:a", "libvorbis",
         "-q:a", VORBIS_QUALITY, "-map_metadata", "-1", "-fflags", "+bitexact",
         "-flags:a", "+bitexact", str(part)],
        check=True,
    )
    part.replace(target)


def describe(audio: Signal) -> str:
    """Numbers to check what cannot be listened to: spectrum balance, peaks, the seam."""
    mono = audio.mean(axis=1)
    spec = np.abs(np.fft.rfft(mono)) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1 / RATE)
    total = float(spec.sum())
    bands = [(0, 60), (60, 250), (250, 2000), (2000, 6000), (6000, 24000)]
    shares = " ".join(
        f"{lo}-{hi}Hz {100 * float(spec[(freqs >= lo) & (freqs < hi)].sum()) / total:.1f}%"
        for lo, hi in bands
    )
    steps = np.abs(np.diff(audio, axis=0)).max(axis=1)
    seam = float(np.abs(audio[0] - audio[-1]).max())
    p99 = float(np.percentile(steps, 99))
    half = RATE // 2
    rms_end = math.sqrt(float(np.mean(audio[-half:] ** 2)))
    rms_start = math.sqrt(float(np.mean(audio[:half] ** 2)))
    return (
        f"peak {20 * math.log10(float(np.max(np.abs(audio)))):.1f} dBFS; {shares}; "
        f"seam step {seam:.5f} (99th percentile of steps {p99:.5f}); "
        f"rms last/first 0.5 s {20 * math.log10(rms_end / rms_start):+.2f} dB"
    )


def main(argv: list[str]) -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir) / "bed.wav"
        for bed in BEDS:
            if argv and not any(a in bed.name for a in argv):
                continue
            audio = normalise(render(bed), tmp)
            target = OUT / f"{bed.name}.ogg"
            encode(audio, target, tmp)
            level = loudness(target)
            print(
                f"{target.name}: {len(audio) / RATE:.1f} s, {target.stat().st_size / 1e6:.2f} MB, "
                f"{level['lufs']:.1f} LUFS, true peak {level['true_peak']:.1f} dBTP, "
                f"LRA {level['lra']:.1f} LU\n  {describe(audio)}"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
