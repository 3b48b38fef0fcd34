"""Spoken clips cached as files, addressed by what decides their sound.

``<root>/<key>.wav`` holds the clip (mono 16-bit PCM, trimmed to the speech) and
``<root>/<key>.json`` its timing. The key is a SHA-256 of the engine name and
identity, the language, the voice, the rate (to 3 decimals) and the text, so an edit
re-synthesizes only the chunks it changed. Both files are written to a temporary name
in the same folder and renamed into place, the JSON last: a clip counts as cached only
once both are complete, whatever else runs at the same time or gets killed. A miss is
synthesized under a per-key file lock (``<root>/.locks/<key>``, POSIX), so processes
asking for the same clip at once (one story in several presets) synthesize it once
and all get the same file; hits take no lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

if sys.platform != "win32":
    import fcntl

from ..errors import TTSError
from ..fileio import atomic_path, write_atomic
from ..resources import cache_dir
from .base import Engine, Speech, Synthesis, WordEvent

FORMAT = 1
SILENCE_THRESHOLD = 328
"""Samples quieter than this (−40 dBFS) count as silence when trimming."""
MARGIN_MS = 10
"""Silence kept before the first and after the last loud sample."""
_WAV_HEADER = 44


def trim_silence(
    synthesis: Synthesis, *, threshold: int = SILENCE_THRESHOLD, margin_ms: int = MARGIN_MS
) -> tuple[Synthesis, int]:
    """Cut leading and trailing silence, keeping ``margin_ms`` of it at each end.

    Returns the trimmed synthesis, with word events shifted to the new start and kept
    inside the clip, and the milliseconds cut from the front.
    """
    samples = synthesis.samples
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > threshold)
    if loud.size == 0:
        raise TTSError("the engine returned silence")
    margin = synthesis.sample_rate * margin_ms // 1000
    first = max(int(loud[0]) - margin, 0)
    last = min(int(loud[-1]) + 1 + margin, len(samples))
    lead_ms = first * 1000 // synthesis.sample_rate
    trimmed = samples[first:last]
    duration_ms = len(trimmed) * 1000 // synthesis.sample_rate
    words = tuple(
        WordEvent(
            min(max(word.start_ms - lead_ms, 0), max(duration_ms - 1, 0)),
            word.text_pos,
            word.length,
        )
        for word in synthesis.words
    )
    return Synthesis(trimmed, synthesis.sample_rate, words), lead_ms


def cache_key(engine: str, identity: str, lang: str, voice: str, rate: float, text: str) -> str:
    """The content address of a clip."""
    fields = [engine, identity, lang, voice, f"{round(rate, 3):.3f}", text]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


class SpeechCache:
    """Speaks text through an engine, once; later calls read the files back.

    A hit reads one small JSON file and never constructs audio or loads the engine.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else cache_dir() / "tts"

    def speak(
        self, engine: Engine, text: str, *, lang: str, voice: str | None = None, rate: float = 1.0
    ) -> Speech:
        """The clip of ``text`` in ``voice`` at ``rate``, synthesized on a miss."""
        voice = voice or engine.default_voice(lang)
        rate = round(rate, 3)
        key = cache_key(engine.name, engine.identity(voice), lang, voice, rate, text)
        cached = self._read(key)
        if cached is not None:
            return cached
        with self._lock(key):
            cached = self._read(key)  # another process may have made it meanwhile
            if cached is not None:
                return cached
            synthesis = engine.synthesize(text, lang=lang, voice=voice, rate=rate)
            try:
                trimmed, _ = trim_silence(synthesis)
            except TTSError as exc:
                raise TTSError(f"{engine.name}: {voice}: {exc} for {text[:40]!r}") from exc
            return self._write(
                key,
                trimmed,
                text=text,
                lang=lang,
                engine=engine.name,
                identity=engine.identity(voice),
                voice=voice,
                rate=rate,
            )

    @contextlib.contextmanager
    def _lock(self, key: str) -> Iterator[None]:
        """Hold the per-key lock (no-op on Windows)."""
        if sys.platform == "win32":
            yield
            return
        locks = self.root / ".locks"
        locks.mkdir(parents=True, exist_ok=True)
        fd = os.open(locks / key, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _write(
        self,
        key: str,
        synthesis: Synthesis,
        *,
        text: str,
        lang: str,
        engine: str,
        identity: str,
        voice: str,
        rate: float,
    ) -> Speech:
        self.root.mkdir(parents=True, exist_ok=True)
        wav_path = self.root / f"{key}.wav"
        pcm = synthesis.samples.astype("<i2").tobytes()
        with atomic_path(wav_path) as tmp, wave.open(str(tmp), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(synthesis.sample_rate)
            wav.writeframes(pcm)
        speech = Speech(
            text=text,
            lang=lang,
            engine=engine,
            voice=voice,
            rate=rate,
            audio=wav_path,
            sample_rate=synthesis.sample_rate,
            duration_ms=synthesis.duration_ms,
            words=synthesis.words,
        )
        record: dict[str, Any] = {
            "format": FORMAT,
            "text": text,
            "lang": lang,
            "engine": engine,
            "identity": identity,
            "voice": voice,
            "rate": rate,
            "sample_rate": synthesis.sample_rate,
            "samples": len(synthesis.samples),
            "duration_ms": speech.duration_ms,
            "words": [[w.start_ms, w.text_pos, w.length] for w in synthesis.words],
        }
        write_atomic(self.root / f"{key}.json",
                     json.dumps(record, ensure_ascii=False, indent=1).encode())
        return speech

    def _read(self, key: str) -> Speech | None:
        wav_path = self.root / f"{key}.wav"
        try:
            record = json.loads((self.root / f"{key}.json").read_text(encoding="utf-8"))
            if record.get("format") != FORMAT:
                return None
            if wav_path.stat().st_size != _WAV_HEADER + 2 * int(record["samples"]):
                return None
            return Speech(
                text=record["text"],
                lang=record["lang"],
                engine=record["engine"],
                voice=record["voice"],
                rate=float(record["rate"]),
                audio=wav_path,
                sample_rate=int(record["sample_rate"]),
                duration_ms=int(record["duration_ms"]),
                words=tuple(WordEvent(int(a), int(b), int(c)) for a, b, c in record["words"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
