"""The ``auto`` engine: edge's neural voices when the service answers, else espeak.

The service is probed once, on first use, with a short timeout; the choice and the
reason stick for the life of the object. ``name`` is the chosen engine's name, so
cache keys and render records name the engine that actually spoke. Resolve it once
per batch (read ``name`` or ``chosen``) and hand the chosen name to workers, so that
every video of a batch uses the same engine.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from .base import Engine, Synthesis, VoiceInfo
from .edge import EdgeEngine
from .espeak import EspeakEngine

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 3.0


class AutoEngine:
    """Picks edge or espeak once, records which and why, then delegates to it."""

    def __init__(
        self,
        *,
        edge: Callable[[], EdgeEngine] = EdgeEngine,
        fallback: Callable[[], Engine] = EspeakEngine,
        probe_timeout: float = PROBE_TIMEOUT_S,
    ) -> None:
        self._edge = edge
        self._fallback = fallback
        self.probe_timeout = probe_timeout
        self._chosen: Engine | None = None
        self.reason = "not decided yet"
        self._lock = threading.Lock()

    @property
    def chosen(self) -> Engine:
        """The engine that speaks, decided by probing the edge service on first access."""
        with self._lock:
            if self._chosen is None:
                edge = self._edge()
                problem = edge.probe(self.probe_timeout)
                if problem is None:
                    self._chosen = edge
                    self.reason = "auto: using edge (the edge-tts service answered)"
                else:
                    self._chosen = self._fallback()
                    self.reason = (
                        f"auto: using {self._chosen.name}: the edge-tts service is "
                        f"unreachable ({problem})"
                    )
                log.info("%s", self.reason)
            return self._chosen

    @property
    def name(self) -> str:
        return self.chosen.name

    def identity(self, voice: str) -> str:
        return self.chosen.identity(voice)

    def default_voice(self, lang: str) -> str:
        return self.chosen.default_voice(lang)

    def voices(self, lang: str | None = None) -> list[VoiceInfo]:
        return self.chosen.voices(lang)

    def synthesize(self, text: str, *, lang: str, voice: str, rate: float) -> Synthesis:
        return self.chosen.synthesize(text, lang=lang, voice=voice, rate=rate)
