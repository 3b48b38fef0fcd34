"""What speech engines return, and the protocol they follow.

Data flows one way: an :class:`Engine` turns text into a :class:`Synthesis` (samples
in memory), and :class:`~storyreel.tts.cache.SpeechCache` trims it, stores it and
hands out a :class:`Speech` (a WAV file in the cache plus its timing), which is what
the timeline plans with.

How to add an engine:

1. Write ``tts/<name>.py`` with a class that has the attributes and methods of
   :class:`Engine`. ``synthesize`` returns mono 16-bit samples at the engine's own rate
   and word events in milliseconds from the start of those samples; leave leading and
   trailing silence in, the cache trims it. Raise :class:`~storyreel.errors.TTSError`
   (never a library exception) with the engine, voice and a bit of the text.
2. Keep construction cheap: load libraries and open connections on first synthesis,
   so that a run served entirely from the cache never touches the engine.
3. Make ``identity`` change whenever the same text could sound different (library or
   voice-data version), because it is part of the cache key.
4. Add a zero-argument factory to ``ENGINES`` in ``tts/__init__.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

Samples = NDArray[np.int16]


@dataclass(frozen=True)
class WordEvent:
    """A word starts: when in the clip, and where in the spoken text.

    ``start_ms`` counts from the start of the clip (after trimming, in a
    :class:`Speech`); ``text_pos`` and ``length`` are a 0-based character offset and a
    character count in the spoken text, so ``text[text_pos:text_pos + length]`` is the
    word.
    """

    start_ms: int
    text_pos: int
    length: int

    def slice(self, text: str) -> str:
        """The word in ``text``."""
        return text[self.text_pos : self.text_pos + self.length]


@dataclass(frozen=True)
class VoiceInfo:
    """A voice an engine offers: the id to pass as ``voice``, its language, a label."""

    id: str
    lang: str
    description: str


@dataclass(frozen=True, eq=False)
class Synthesis:
    """Raw engine output: mono int16 samples, their rate and the word events."""

    samples: Samples
    sample_rate: int
    words: tuple[WordEvent, ...] = ()

    @property
    def duration_ms(self) -> int:
        return len(self.samples) * 1000 // self.sample_rate


@runtime_checkable
class Engine(Protocol):
    """A speech engine; see the module docstring for how to add one."""

    @property
    def name(self) -> str:
        """The registry name of the engine that speaks (a plain class attribute will do)."""
        ...

    def identity(self, voice: str) -> str:
        """What, besides the text, voice and rate, decides the sound (cache key part).

        Must be cheap and must not load the engine.
        """
        ...

    def default_voice(self, lang: str) -> str:
        """The voice used for ``lang`` ("zh" or "en") when none is given."""
        ...

    def voices(self, lang: str | None = None) -> list[VoiceInfo]:
        """The voices on offer, only those speaking ``lang`` if given."""
        ...

    def synthesize(self, text: str, *, lang: str, voice: str, rate: float) -> Synthesis:
        """Speak ``text``; ``rate`` 1.0 is the voice's normal speed, 1.2 is 20 % faster."""
        ...


@dataclass(frozen=True)
class Speech:
    """One spoken clip in the cache: a mono 16-bit PCM WAV trimmed to the speech.

    ``text`` is the text as spoken (after lexicon and number normalisation), which the
    word events index into. ``engine`` names the engine that actually spoke.
    """

    text: str
    lang: str
    engine: str
    voice: str
    rate: float
    audio: Path
    sample_rate: int
    duration_ms: int
    words: tuple[WordEvent, ...]

    def word_texts(self) -> list[str]:
        """The spoken words, in order, as slices of :attr:`text`."""
        return [word.slice(self.text) for word in self.words]
