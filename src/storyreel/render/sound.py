"""The encoded soundtrack, kept by its content: an edit that leaves a video's speech,
music and mix as they were (an on-screen text, the other language's narration) reuses
it instead of mixing, measuring and encoding 100 s of audio again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from storyreel.ffmpeg_runner import run_ffmpeg
from storyreel.fileio import sha256_file, write_atomic
from storyreel.render.audio import Loudness, Mix, soundtrack
from storyreel.render.graph import Encoding, audio_args
from storyreel.timeline.model import Timeline


def sound_key(timeline: Timeline, music: Path | None, mix: Mix, encoding: Encoding,
              code: str) -> str:
    """Everything the encoded soundtrack depends on. Clips are named by their own
    content (the speech cache's addresses)."""
    fields = {
        "clips": [[c.start_ms, c.audio.name] for c in timeline.clips],
        "frames": [timeline.total_frames, timeline.fps],
        "music": sha256_file(music) if music is not None else None,
        "mix": repr(mix), "audio": repr(encoding.audio_args()), "code": code,
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class SoundCache:
    """Encoded soundtracks by key: ``<root>/<key[:2]>/<key>.m4a`` and its loudness in
    ``<key>.json``, both written atomically (the loudness last)."""

    root: Path

    def prepare(self, timeline: Timeline, music: Path | None, mix: Mix, encoding: Encoding,
                code: str, work: Path, mixing: Callable[[], object] = lambda: None,
                ) -> tuple[Loudness, Callable[[], Path]]:
        """The soundtrack's loudness, and a call that gives the encoded file (encoding it
        when it is not kept: it may run beside the video's segments). Mixing happens
        here, only when the cache lacks this soundtrack (``mixing()`` is called first:
        work to do meanwhile can start)."""
        key = sound_key(timeline, music, mix, encoding, code)
        m4a = self.root / key[:2] / f"{key}.m4a"
        facts = m4a.with_suffix(".json")
        if m4a.is_file() and facts.is_file():
            try:
                return Loudness(**json.loads(facts.read_text(encoding="utf-8"))), lambda: m4a
            except (ValueError, TypeError):
                pass  # a damaged entry: made again below
        mixing()
        wav = work / "soundtrack.wav"
        loudness = soundtrack(timeline, wav, music, mix)

        def encode() -> Path:
            m4a.parent.mkdir(parents=True, exist_ok=True)
            run_ffmpeg(audio_args(wav, m4a, encoding), what="encode the soundtrack", out=m4a)
            write_atomic(facts, json.dumps(asdict(loudness)).encode())
            return m4a

        return loudness, encode
