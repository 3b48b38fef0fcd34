"""The offline engine: libespeak-ng from the ``espeakng-loader`` wheel, through ctypes.

The library keeps global state (one voice, one callback), so it is a per-process
singleton: it is loaded and initialised on first synthesis, every call holds a lock,
and a forked child gets a fresh lock (the library itself runs no threads in
synchronous mode, so its copied state stays valid). Separate processes each load
their own copy, so a process pool is safe.

Measured facts of espeak-ng 1.52 (``espeakng-loader`` 0.2.4): it returns 22 050 Hz
mono 16-bit audio; its normal rate is 175 (words a minute, valid 80 to 450) for both
``cmn`` and ``en-us``; ``text_position`` in word events is a 1-based count of
characters (not bytes) in UTF-8 input.
"""

from __future__ import annotations

import bisect
import ctypes
import hashlib
import os
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

import espeakng_loader
import numpy as np

from ..errors import TTSError
from ..text.chars import is_cjk
from .base import Synthesis, VoiceInfo, WordEvent

# speak_lib.h (API revision 12)
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_RATE = 1
_EE_OK = 0

NORMAL_RATE = 175
"""espeak's normal speaking rate (``espeakRATE_NORMAL``); rate 1.0 maps to it."""
MIN_RATE, MAX_RATE = 80, 450

DEFAULT_VOICES: dict[str, str] = {"zh": "cmn", "en": "en-us"}
_LANG_CODES: dict[str, tuple[str, ...]] = {"zh": ("zh", "cmn"), "en": ("en",)}


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


class _Voice(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


_Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass
class _Collector:
    """What one synthesis call gathers inside the callback."""

    chunks: list[bytes] = field(default_factory=list)
    words: list[tuple[int, int, int]] = field(default_factory=list)  # (ms, pos1, length)
    errors: list[BaseException] = field(default_factory=list)


class _Library:
    """The loaded and initialised libespeak-ng of this process."""

    def __init__(self) -> None:
        path = espeakng_loader.get_library_path()
        try:
            lib = ctypes.CDLL(path)
        except OSError as exc:
            raise TTSError(f"espeak: cannot load {path}: {exc}") from exc
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_Callback]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]
        lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
        data = espeakng_loader.get_data_path()
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data.encode(), 0)
        if rate <= 0:
            raise TTSError(f"espeak: initialisation failed (data {data})")
        self.lib = lib
        self.sample_rate: int = rate
        self.current: _Collector | None = None
        self.callback = _Callback(self._on_synth)  # kept alive as long as the library
        lib.espeak_SetSynthCallback(self.callback)

    def _on_synth(
        self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: ctypes._Pointer[_Event]
    ) -> int:
        collector = self.current
        if collector is None:
            return 1
        try:
            if wav and count > 0:
                collector.chunks.append(ctypes.string_at(wav, count * 2))
            i = 0
            while events[i].type != _EVENT_LIST_TERMINATED:
                event = events[i]
                if event.type == _EVENT_WORD:
                    collector.words.append(
                        (event.audio_position, event.text_position, event.length)
                    )
                i += 1
        except BaseException as exc:  # raised after synthesis, never lost in ctypes
            collector.errors.append(exc)
            return 1
        return 0


_lock = threading.Lock()
_library: _Library | None = None


def _reset_lock_in_child() -> None:
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_lock_in_child)


def _load() -> _Library:
    """The process's library, loaded on first use; call with ``_lock`` held."""
    global _library
    if _library is None:
        _library = _Library()
    return _library


def library_loaded() -> bool:
    """Whether this process has loaded libespeak-ng (cache hits must not)."""
    return _library is not None


@cache
def _identity() -> str:
    """The wheel's version and a digest of its library and data files (names and sizes).

    Computed once a process, without loading the library.
    """
    digest = hashlib.sha256()
    lib = Path(espeakng_loader.get_library_path())
    digest.update(f"{lib.name}:{lib.stat().st_size}\n".encode())
    data = Path(espeakng_loader.get_data_path())
    for path in sorted(data.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(data).as_posix()}:{path.stat().st_size}\n".encode())
    version = metadata.version("espeakng-loader")
    return f"espeak-ng/espeakng-loader {version}/data {digest.hexdigest()[:16]}"


_SPOKEN_SYMBOLS = frozenset("%‰‱#&@*/\\§")
_JOINERS = frozenset("'’.,-")


def _is_gap(char: str) -> bool:
    """Spaces and punctuation that are not read aloud."""
    if char.isspace():
        return True
    return unicodedata.category(char).startswith("P") and char not in _SPOKEN_SYMBOLS


def _is_latin_alnum(char: str) -> bool:
    return char.isalnum() and not is_cjk(char)


def tokens(text: str) -> list[tuple[int, int]]:
    """Word spans ``(start, end)`` of ``text``: each CJK character or symbol alone; runs
    of other letters and digits, joined by inner apostrophes, hyphens, points and commas
    ("don't", "co-op", "3.5", "1,200")."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if _is_gap(char):
            i += 1
            continue
        j = i + 1
        if _is_latin_alnum(char):
            while j < n:
                if _is_latin_alnum(text[j]):
                    j += 1
                elif text[j] in _JOINERS and j + 1 < n and _is_latin_alnum(text[j + 1]):
                    j += 2
                else:
                    break
        spans.append((i, j))
        i = j
    return spans


def _normalise_words(raw: list[tuple[int, int, int]], text: str) -> tuple[WordEvent, ...]:
    """Turn espeak's word events into ordered, non-overlapping words of ``text``.

    espeak gives 1-based character positions and lengths that may be 0. It reports
    several events for one written word it reads as several ("2021", "😀", "1,200"),
    the later ones one character in or on the following space, and one event for a
    run it reads as one word ("很好" with length 1, "of the" as "of"). So each event is
    snapped to the word of the text it starts in, later events on the same word are
    dropped, and each word runs on to the next event's word (less trailing spaces and
    punctuation): the events cover the spoken text in order.
    """
    words = tokens(text)
    starts = [start for start, _ in words]
    kept: list[tuple[int, int]] = []  # (ms, word index)
    for ms, pos1, length in raw:
        pos = pos1 - 1
        if not 0 <= pos < len(text):
            continue
        index = bisect.bisect_right(starts, pos) - 1
        if index < 0 or pos >= words[index][1]:  # in a gap: take a word starting inside
            index += 1
            if index >= len(words) or words[index][0] >= pos + max(length, 1):
                continue
        if kept and index <= kept[-1][1]:
            continue
        kept.append((max(ms, kept[-1][0]) if kept else max(ms, 0), index))
    events: list[WordEvent] = []
    for k, (ms, index) in enumerate(kept):
        start, end = words[index]
        limit = words[kept[k + 1][1]][0] if k + 1 < len(kept) else len(text)
        stop = limit
        while stop > end and _is_gap(text[stop - 1]):
            stop -= 1
        events.append(WordEvent(start_ms=ms, text_pos=start, length=stop - start))
    return tuple(events)


def _parse_languages(pointer: int | None) -> list[str]:
    """espeak_VOICE.languages: (priority byte, NUL-terminated code) pairs, then a 0 byte."""
    codes: list[str] = []
    if not pointer:
        return codes
    while ctypes.string_at(pointer, 1)[0] != 0:
        code = ctypes.string_at(pointer + 1)
        codes.append(code.decode("utf-8", "replace"))
        pointer += 2 + len(code)
    return codes


class EspeakEngine:
    """Offline speech with espeak-ng: ``cmn`` for Chinese, ``en-us`` for English."""

    name = "espeak"

    def identity(self, voice: str) -> str:
        return _identity()

    def default_voice(self, lang: str) -> str:
        try:
            return DEFAULT_VOICES[lang]
        except KeyError:
            raise TTSError(
                f"espeak: no default voice for language {lang!r}; "
                f"choose one of {', '.join(DEFAULT_VOICES)}"
            ) from None

    def voices(self, lang: str | None = None) -> list[VoiceInfo]:
        with _lock:
            lib = _load()
            table = lib.lib.espeak_ListVoices(None)
            found: list[VoiceInfo] = []
            i = 0
            while table[i]:
                voice = table[i].contents
                codes = _parse_languages(voice.languages)
                identifier = (voice.identifier or b"").decode("utf-8", "replace")
                name = (voice.name or b"").decode("utf-8", "replace")
                i += 1
                if lang is not None and not any(
                    code.split("-")[0] in _LANG_CODES.get(lang, (lang,)) for code in codes
                ):
                    continue
                voice_id = identifier.rsplit("/", 1)[-1].lower()
                found.append(VoiceInfo(voice_id, codes[0] if codes else "", name))
        return found

    def synthesize(self, text: str, *, lang: str, voice: str, rate: float) -> Synthesis:
        wpm = round(NORMAL_RATE * rate)
        if not MIN_RATE <= wpm <= MAX_RATE:
            raise TTSError(
                f"espeak: rate {rate:g} is outside {MIN_RATE / NORMAL_RATE:.2f}"
                f"–{MAX_RATE / NORMAL_RATE:.2f}"
            )
        spoken = text.replace("\0", " ")
        if not spoken.strip():
            raise TTSError(f"espeak: nothing to say for {lang} chunk {spoken!r}")
        data = spoken.encode("utf-8")
        collector = _Collector()
        with _lock:
            lib = _load()
            if lib.lib.espeak_SetVoiceByName(voice.encode()) != _EE_OK:
                raise TTSError(
                    f"espeak: unknown voice {voice!r}; "
                    f"the {lang} default is {DEFAULT_VOICES.get(lang, 'en-us')!r}"
                )
            lib.lib.espeak_SetParameter(_RATE, wpm, 0)
            lib.current = collector
            try:
                status = lib.lib.espeak_Synth(
                    data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
                )
            finally:
                lib.current = None
            sample_rate = lib.sample_rate
        if collector.errors:
            raise TTSError(
                f"espeak: synthesis of {_excerpt(spoken)!r} failed: {collector.errors[0]!r}"
            ) from collector.errors[0]
        if status != _EE_OK:
            raise TTSError(f"espeak: synthesis of {_excerpt(spoken)!r} failed (error {status})")
        samples = np.frombuffer(b"".join(collector.chunks), dtype=np.int16).copy()
        return Synthesis(samples, sample_rate, _normalise_words(collector.words, spoken))


def _excerpt(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
