"""Text to speech: engines behind one protocol, and a cache of spoken clips.

``get_engine(name)`` builds an engine from the ``ENGINES`` registry;
``SpeechCache(root).speak(engine, prepare_for_speech(caption, lang, lexicon), lang=...)``
returns a :class:`Speech`: the lexicon and number reading change what is spoken, never
the caption.
Engine modules are imported only when their engine is built.
"""

from __future__ import annotations

from collections.abc import Callable

from storyreel.errors import UnknownNameError

from .base import Engine, Speech, Synthesis, VoiceInfo, WordEvent
from .cache import SpeechCache
from .lexicon import Lexicon, load_lexicon, prepare_for_speech, project_lexicon


def _espeak() -> Engine:
    from .espeak import EspeakEngine

    return EspeakEngine()


def _edge() -> Engine:
    from .edge import EdgeEngine

    return EdgeEngine()


def _auto() -> Engine:
    from .auto import AutoEngine

    return AutoEngine()


ENGINES: dict[str, Callable[[], Engine]] = {
    "espeak": _espeak,
    "edge": _edge,
    "auto": _auto,
}
"""Engine name → zero-argument factory. Building an engine must stay cheap."""


def get_engine(name: str) -> Engine:
    """The engine registered as ``name``."""
    try:
        factory = ENGINES[name]
    except KeyError:
        raise UnknownNameError("TTS engine", name, sorted(ENGINES)) from None
    return factory()


__all__ = [
    "ENGINES",
    "Engine",
    "Lexicon",
    "Speech",
    "SpeechCache",
    "Synthesis",
    "VoiceInfo",
    "WordEvent",
    "get_engine",
    "load_lexicon",
    "prepare_for_speech",
    "project_lexicon",
]
