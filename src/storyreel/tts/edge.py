"""The online engine: Microsoft Edge's neural voices through ``edge-tts`` 7.x.

The service streams MP3 (24 kHz mono, 48 kbit/s) and boundary events whose offset and
duration are in 100 ns ticks; the MP3 is decoded to PCM by the ffmpeg binary
(``STORYREEL_FFMPEG`` or imageio-ffmpeg's). Transient failures (HTTP 429/5xx during the
handshake, dropped connections, timeouts) are retried with exponential backoff; no
network (DNS failure, connection refused) fails at once with a hint to use espeak.

The network call is a ``stream_factory(EdgeRequest)`` returning the async iterator of
chunks that ``edge_tts.Communicate.stream()`` yields, so tests can replay recordings.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import random
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import aiohttp
import edge_tts
import numpy as np
from edge_tts.exceptions import NoAudioReceived, WebSocketError

from ..errors import FFmpegError, TTSError
from ..ffmpeg_runner import run_ffmpeg
from .base import Synthesis, VoiceInfo, WordEvent

log = logging.getLogger(__name__)

DEFAULT_VOICES: dict[str, str] = {"zh": "zh-CN-XiaoxiaoNeural", "en": "en-US-AriaNeural"}
SAMPLE_RATE = 24_000
TICKS_PER_MS = 10_000
SERVICE_HOST = "speech.platform.bing.com"
OFFLINE_HINT = "for offline narration use --engine espeak"
TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})
Boundary = Literal["WordBoundary", "SentenceBoundary"]

Chunk = Mapping[str, Any]
"""One item of ``Communicate.stream()``: ``{"type": "audio", "data": bytes}`` or
``{"type": "WordBoundary" | "SentenceBoundary", "offset", "duration", "text"}``."""


@dataclass(frozen=True)
class EdgeRequest:
    """Everything one call to the service needs."""

    text: str
    voice: str
    rate: str = "+0%"
    volume: str = "+0%"
    pitch: str = "+0Hz"
    boundary: Boundary = "WordBoundary"
    connect_timeout: int = 10
    receive_timeout: int = 60


StreamFactory = Callable[[EdgeRequest], AsyncIterator[Chunk]]
VoiceLister = Callable[[], Awaitable[Sequence[Mapping[str, Any]]]]


def communicate(request: EdgeRequest) -> AsyncIterator[Chunk]:
    """The real network call: ``edge_tts.Communicate(...).stream()``."""
    return edge_tts.Communicate(
        request.text,
        request.voice,
        rate=request.rate,
        volume=request.volume,
        pitch=request.pitch,
        boundary=request.boundary,
        connect_timeout=request.connect_timeout,
        receive_timeout=request.receive_timeout,
    ).stream()


async def _list_voices() -> Sequence[Mapping[str, Any]]:
    return await edge_tts.list_voices()


class EdgeOfflineError(TTSError):
    """The edge service cannot be reached at all (no DNS, refused, no route)."""


def decode_mp3(data: bytes, sample_rate: int = SAMPLE_RATE) -> np.ndarray[Any, np.dtype[np.int16]]:
    """Decode MP3 bytes to mono int16 samples at ``sample_rate`` with ffmpeg (pipes)."""
    args = [
        "-f", "mp3", "-i", "pipe:0",
        "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(sample_rate), "pipe:1",
    ]  # fmt: skip
    try:
        done = run_ffmpeg(args, what="decode the MP3 from the edge service", stdin=data)
    except FFmpegError as exc:
        tail = " | ".join(exc.stderr.strip().splitlines()[-3:])
        raise TTSError(f"edge: ffmpeg could not decode the MP3 from the service: {tail}"
                       if exc.stderr else f"edge: {exc}") from exc
    return np.frombuffer(done.stdout, dtype="<i2").astype(np.int16)


def rate_text(rate: float) -> str:
    """edge-tts's rate string: 1.2 → "+20%"."""
    return f"{round((rate - 1.0) * 100):+d}%"


def describe_error(exc: BaseException) -> str:
    """A short human description of a network failure."""
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return f"DNS lookup of {SERVICE_HOST} failed (no network?)"
    if isinstance(exc, aiohttp.ClientResponseError):
        return f"HTTP {exc.status} {exc.message}".strip()
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"cannot connect to {SERVICE_HOST}: {exc.os_error}"
    if isinstance(exc, TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def classify(exc: BaseException) -> Literal["offline", "transient", "fatal"]:
    """Whether a failure means no network, may pass on a retry, or will not."""
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "offline"
    if isinstance(exc, aiohttp.ClientSSLError):
        return "fatal"
    if isinstance(exc, aiohttp.ClientConnectorError):
        os_error = exc.os_error
        if isinstance(os_error, ConnectionRefusedError) or os_error.errno in (
            errno.ENETUNREACH,
            errno.EHOSTUNREACH,
            errno.ECONNREFUSED,
        ):
            return "offline"
        return "transient"
    if isinstance(exc, aiohttp.ClientResponseError):
        return "transient" if exc.status in TRANSIENT_STATUS else "fatal"
    if isinstance(
        exc, (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, WebSocketError, OSError)
    ):
        return "transient"  # dropped connections, resets, timeouts (TimeoutError is an OSError)
    return "fatal"


_T = TypeVar("_T")


def _run(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run a coroutine to completion, also when called from inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    result: list[_T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(coroutine))
        except BaseException as exc:
            error.append(exc)

    thread = threading.Thread(target=target, name="storyreel-edge-tts")
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]


def _excerpt(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class EdgeEngine:
    """Neural voices from the edge-tts service (online)."""

    name = "edge"

    def __init__(
        self,
        *,
        voices: Mapping[str, str] | None = None,
        volume: str = "+0%",
        pitch: str = "+0Hz",
        boundary: Boundary = "WordBoundary",
        retries: int = 3,
        backoff_s: float = 1.0,
        connect_timeout: int = 10,
        receive_timeout: int = 60,
        stream_factory: StreamFactory = communicate,
        voice_lister: VoiceLister = _list_voices,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.default_voices = {**DEFAULT_VOICES, **(voices or {})}
        self.volume = volume
        self.pitch = pitch
        self.boundary: Boundary = boundary
        self.retries = retries
        self.backoff_s = backoff_s
        self.connect_timeout = connect_timeout
        self.receive_timeout = receive_timeout
        self.stream_factory = stream_factory
        self.voice_lister = voice_lister
        self.sleep = sleep

    def identity(self, voice: str) -> str:
        return (
            f"edge-tts {edge_tts.__version__}/volume {self.volume}/pitch {self.pitch}"
            f"/{self.boundary}"
        )

    def default_voice(self, lang: str) -> str:
        try:
            return self.default_voices[lang]
        except KeyError:
            raise TTSError(
                f"edge: no default voice for language {lang!r}; "
                f"choose one of {', '.join(self.default_voices)}"
            ) from None

    def voices(self, lang: str | None = None) -> list[VoiceInfo]:
        try:
            listed = _run(asyncio.wait_for(self.voice_lister(), self.connect_timeout + 5))
        except Exception as exc:
            if classify(exc) == "offline":
                raise EdgeOfflineError(
                    f"edge: cannot list voices: {describe_error(exc)}; {OFFLINE_HINT}"
                ) from exc
            raise TTSError(f"edge: cannot list voices: {describe_error(exc)}") from exc
        found = [
            VoiceInfo(
                str(voice["ShortName"]),
                str(voice["Locale"]),
                f"{voice.get('FriendlyName', voice['ShortName'])} ({voice.get('Gender', '?')})",
            )
            for voice in listed
        ]
        if lang is not None:
            found = [voice for voice in found if voice.lang.split("-")[0] == lang]
        return found

    def request(self, text: str, voice: str, rate: float) -> EdgeRequest:
        return EdgeRequest(
            text=text,
            voice=voice,
            rate=rate_text(rate),
            volume=self.volume,
            pitch=self.pitch,
            boundary=self.boundary,
            connect_timeout=self.connect_timeout,
            receive_timeout=self.receive_timeout,
        )

    def synthesize(self, text: str, *, lang: str, voice: str, rate: float) -> Synthesis:
        if not text.strip():
            raise TTSError(f"edge: nothing to say for {lang} chunk {text!r}")
        if not 0.5 <= rate <= 3.0:
            raise TTSError(f"edge: rate {rate:g} is outside 0.5–3.0")
        audio, boundaries = _run(self._fetch(self.request(text, voice, rate)))
        samples = decode_mp3(audio)
        if len(samples) == 0:
            raise TTSError(f"edge: {voice}: the service sent no decodable audio for {text!r}")
        duration_ms = len(samples) * 1000 // SAMPLE_RATE
        return Synthesis(samples, SAMPLE_RATE, locate_words(text, boundaries, duration_ms))

    async def _fetch(self, request: EdgeRequest) -> tuple[bytes, list[Chunk]]:
        """Audio bytes and boundary events of one request, retrying transient failures."""
        attempts = self.retries + 1
        for attempt in range(attempts):
            try:
                return await self._fetch_once(request)
            except Exception as exc:
                kind = classify(exc)
                what = f"edge: {request.voice}: chunk {_excerpt(request.text)!r}"
                if kind == "offline":
                    raise EdgeOfflineError(
                        f"{what}: cannot reach the edge-tts service: {describe_error(exc)}; "
                        f"{OFFLINE_HINT}"
                    ) from exc
                if isinstance(exc, NoAudioReceived):
                    raise TTSError(f"{what}: no audio received (is the voice name right?)") from exc
                if kind == "fatal":
                    raise TTSError(f"{what}: {describe_error(exc)}") from exc
                if attempt + 1 == attempts:
                    raise TTSError(
                        f"{what}: failed {attempts} times, last: {describe_error(exc)}"
                    ) from exc
                delay = self._delay(attempt, exc)
                log.warning("%s: %s; retrying in %.1f s", what, describe_error(exc), delay)
                await self.sleep(delay)
        raise AssertionError("unreachable")

    def _delay(self, attempt: int, exc: BaseException) -> float:
        """Exponential backoff with jitter; a server's Retry-After wins (up to 60 s)."""
        if isinstance(exc, aiohttp.ClientResponseError) and exc.headers:
            retry_after = exc.headers.get("Retry-After", "")
            if retry_after.isdigit():
                return min(float(retry_after), 60.0)
        return min(self.backoff_s * 2.0**attempt, 30.0) * (1 + random.random() * 0.25)

    async def _fetch_once(self, request: EdgeRequest) -> tuple[bytes, list[Chunk]]:
        audio: list[bytes] = []
        boundaries: list[Chunk] = []
        async for chunk in self.stream_factory(request):
            kind = chunk.get("type")
            if kind == "audio":
                audio.append(bytes(chunk["data"]))
            elif kind in ("WordBoundary", "SentenceBoundary"):
                boundaries.append(chunk)
        if not audio:
            raise NoAudioReceived("the stream ended without audio")
        return b"".join(audio), boundaries

    def probe(self, timeout: float = 3.0) -> str | None:
        """None if the service answers a tiny request within ``timeout`` s, else why not."""

        async def first_audio() -> None:
            stream = self.stream_factory(self.request("OK", DEFAULT_VOICES["en"], 1.0))
            async for chunk in stream:
                if chunk.get("type") == "audio":
                    break
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                await aclose()

        try:
            _run(asyncio.wait_for(first_audio(), timeout))
        except Exception as exc:
            return describe_error(exc)
        return None


def locate_words(text: str, boundaries: Sequence[Chunk], duration_ms: int) -> tuple[WordEvent, ...]:
    """Boundary events as word events: ticks to ms, boundary text found in ``text``.

    The service echoes each word (or sentence); it is searched for from the end of the
    previous one. Boundaries whose text cannot be found are left out.
    """
    events: list[WordEvent] = []
    cursor = 0
    last_ms = 0
    for boundary in boundaries:
        word = str(boundary.get("text", "")).strip()
        if not word:
            continue
        pos = text.find(word, cursor)
        if pos < 0:
            continue
        start_ms = max(round(float(boundary.get("offset", 0)) / TICKS_PER_MS), last_ms)
        start_ms = min(start_ms, max(duration_ms - 1, 0))
        events.append(WordEvent(start_ms=start_ms, text_pos=pos, length=len(word)))
        cursor = pos + len(word)
        last_ms = start_ms
    return tuple(events)
