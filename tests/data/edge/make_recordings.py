"""Write the edge-tts stream recordings in this folder (run from the repository root).

The edge-tts service is online and cannot be reached from the machine these tests were
written on, so the recordings are made locally in the exact shape
``edge_tts.Communicate(..., boundary="WordBoundary").stream()`` yields (edge-tts 7.3):
``{"type": "audio", "data": bytes}`` chunks of a 24 kHz mono 48 kbit/s MP3 stream and
``{"type": "WordBoundary", "offset", "duration", "text"}`` events in 100 ns ticks,
with about 100 ms of lead silence and 1.2 s of trailing silence, as the service sends.
The voice is espeak's, standing in for the neural one. Each ``*.jsonl`` line is one
chunk; audio ``data`` is base64. ``index.json`` lists text, voice and duration.

    .venv/bin/python tests/data/edge/make_recordings.py
"""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from storyreel.resources import ffmpeg_exe
from storyreel.tts.edge import SAMPLE_RATE, TICKS_PER_MS, decode_mp3
from storyreel.tts.espeak import EspeakEngine

HERE = Path(__file__).resolve().parent
LEAD_MS, TRAIL_MS, CHUNK_BYTES = 100, 1200, 1440

RECORDINGS: dict[str, dict[str, Any]] = {
    "zh_xiaoxiao": {
        "lang": "zh",
        "voice": "zh-CN-XiaoxiaoNeural",
        "text": "企业社会责任报告今天发布。",
        "words": ["企业", "社会", "责任", "报告", "今天", "发布"],
    },
    "en_aria": {
        "lang": "en",
        "voice": "en-US-AriaNeural",
        "text": "Green energy now powers every village.",
        "words": ["Green", "energy", "now", "powers", "every", "village"],
    },
}


def encode_mp3(samples: np.ndarray[Any, np.dtype[np.int16]], rate: int) -> bytes:
    command = [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "s16le", "-ar", str(rate),
        "-ac", "1", "-i", "pipe:0", "-ar", str(SAMPLE_RATE), "-c:a", "libmp3lame", "-b:a", "48k",
        "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", "pipe:1",
    ]  # fmt: skip
    done = subprocess.run(command, input=samples.tobytes(), capture_output=True, check=True)
    return done.stdout


def record(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    text: str = spec["text"]
    lang: str = spec["lang"]
    engine = EspeakEngine()
    synth = engine.synthesize(text, lang=lang, voice=engine.default_voice(lang), rate=1.0)
    rate = synth.sample_rate
    padded = np.concatenate(
        [
            np.zeros(rate * LEAD_MS // 1000, np.int16),
            synth.samples,
            np.zeros(rate * TRAIL_MS // 1000, np.int16),
        ]
    )
    mp3 = encode_mp3(padded, rate)
    starts: list[int] = []
    cursor = 0
    for word in spec["words"]:
        pos = text.index(word, cursor)
        cursor = pos + len(word)
        event = next(w for w in synth.words if w.text_pos <= pos < w.text_pos + max(w.length, 1))
        starts.append(LEAD_MS + event.start_ms)
    ends = [*starts[1:], LEAD_MS + synth.duration_ms]
    boundaries = [
        {
            "type": "WordBoundary",
            "offset": start * TICKS_PER_MS,
            "duration": (end - start) * TICKS_PER_MS,
            "text": word,
        }
        for word, start, end in zip(spec["words"], starts, ends, strict=True)
    ]
    chunks = [mp3[i : i + CHUNK_BYTES] for i in range(0, len(mp3), CHUNK_BYTES)]
    ms_per_chunk = CHUNK_BYTES * 8 / 48  # 48 kbit/s CBR
    lines: list[dict[str, Any]] = []
    pending = list(boundaries)
    for index, chunk in enumerate(chunks):
        # the service sends a word's boundary just before the audio that holds it
        while pending and pending[0]["offset"] / TICKS_PER_MS < (index + 1) * ms_per_chunk:
            lines.append(pending.pop(0))
        lines.append({"type": "audio", "data": base64.b64encode(chunk).decode()})
    lines.extend(pending)
    path = HERE / f"{name}.jsonl"
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    decoded = decode_mp3(mp3)
    return {
        "file": path.name,
        "lang": lang,
        "voice": spec["voice"],
        "text": text,
        "audio_bytes": len(mp3),
        "audio_chunks": len(chunks),
        "decoded_samples": len(decoded),
        "words_ms": starts,
    }


def main() -> None:
    index = {name: record(name, spec) for name, spec in RECORDINGS.items()}
    (HERE / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
