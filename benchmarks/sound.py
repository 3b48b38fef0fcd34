"""Sound report for the sample stories: loudness, true peak, the bed between and under speech.

    python benchmarks/sound.py [STORYBOARD ...]

For each story and language: the final mix's integrated loudness and true peak (EBU R128,
ffmpeg's ``ebur128``); the music bed's level in the pauses of the narration (from the
final mix: nothing else sounds there); and how far the bed is ducked under speech (from
the bed alone, with the same envelope, since under speech the voice covers it).
"""

from __future__ import annotations

import itertools
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

from storyreel.layout import theme_for
from storyreel.pipeline.story import effective_mix, music_for, speaker
from storyreel.presets import get_preset
from storyreel.render.audio import RATE, duck_envelope, music_track, soundtrack
from storyreel.storyboard.load import load_storyboard
from storyreel.timeline.plan import plan
from storyreel.tts import get_engine

ROOT = Path(__file__).resolve().parent.parent


def rms_db(samples: np.ndarray) -> float:
    if samples.size == 0:
        return float("nan")
    rms = float(np.sqrt(np.mean(np.square(samples.astype(np.float64)))))
    return float(20 * np.log10(max(rms, 1e-9)))


def main(paths: list[Path]) -> None:
    print(f"{'story':<20} {'lang':<4} {'LUFS':>6} {'dBTP':>6} {'bed in pauses dBFS':>19} "
          f"{'bed under speech dB':>20}")
    for path in paths:
        board = load_storyboard(path)
        theme = theme_for(board)
        preset = get_preset("landscape")
        for lang in ("zh", "en"):
            speak = speaker(board, lang, get_engine("espeak"))
            timeline = plan(board, lang, preset, speak)
            mix = effective_mix(preset, theme)
            music = music_for(board, theme)
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "mix.wav"
                loud = soundtrack(timeline, out, music, mix)
                with wave.open(str(out), "rb") as w:
                    pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
            final = pcm.reshape(-1, 2).astype(np.float64) / 32768
            clips = [(c.start_ms, c.end_ms) for c in timeline.clips]
            pauses = [(a_end + mix.release_ms, b_start - mix.attack_ms)
                      for (_, a_end), (b_start, _) in itertools.pairwise(clips)
                      if b_start - a_end > mix.release_ms + mix.attack_ms + 200]
            in_pauses = np.concatenate([final[s * RATE // 1000 : e * RATE // 1000]
                                        for s, e in pauses]) if pauses else np.zeros(0)
            depth = float("nan")
            if music is not None:
                total = timeline.duration_ms
                bed = music_track(music, len(final)).astype(np.float64)
                env = duck_envelope(clips, total, mix)
                gain = np.interp(np.arange(len(bed)) * 1000 / RATE, np.arange(total + 1), env)
                ducked = bed * gain[:, None]
                under = np.concatenate([ducked[(s + 200) * RATE // 1000 : e * RATE // 1000]
                                        for s, e in clips if e - s > 400])
                between = np.concatenate([ducked[s * RATE // 1000 : e * RATE // 1000]
                                          for s, e in pauses]) if pauses else np.zeros(0)
                depth = rms_db(between) - rms_db(under)
            print(f"{board.id:<20} {lang:<4} {loud.integrated_lufs:>6.1f} "
                  f"{loud.true_peak_db:>6.1f} {rms_db(in_pauses):>19.1f} {depth:>20.1f}")


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or sorted((ROOT / "storyboards").glob("*.yaml")))
