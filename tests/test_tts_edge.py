"""The edge engine and the auto engine.

The edge-tts service is online and cannot be reached from here, so these tests feed the
engine recorded responses: ``tests/data/edge/*.jsonl`` hold, one per line, the chunks
``edge_tts.Communicate(..., boundary="WordBoundary").stream()`` yields (edge-tts 7.3:
base64 of the MP3 ``data`` of audio chunks, boundary offsets in 100 ns ticks). They were
made locally in that exact shape, with espeak's voice standing in for the neural one
(see ``make_recordings.py``), not captured from the service. Network failures are the
exceptions aiohttp and edge-tts raise. The auto test runs for real: no network here.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import socket
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import numpy as np
import pytest
from aiohttp.client_reqrep import ConnectionKey, RequestInfo
from edge_tts.exceptions import NoAudioReceived
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from storyreel.errors import TTSError
from storyreel.tts import SpeechCache, get_engine
from storyreel.tts.auto import AutoEngine
from storyreel.tts.edge import (
    SAMPLE_RATE,
    Chunk,
    EdgeEngine,
    EdgeOfflineError,
    EdgeRequest,
    StreamFactory,
    decode_mp3,
    rate_text,
)
from storyreel.tts.espeak import EspeakEngine

DATA = Path(__file__).parent / "data" / "edge"
INDEX: dict[str, dict[str, Any]] = json.loads((DATA / "index.json").read_text())
KEY = ConnectionKey("speech.platform.bing.com", 443, True, True, None, None, None, None)
URL_ = URL("wss://speech.platform.bing.com/consumer/speech/synthesize/readaloud/edge/v1")


def recording(name: str) -> list[Chunk]:
    chunks: list[Chunk] = []
    for line in (DATA / f"{name}.jsonl").read_text().splitlines():
        chunk = json.loads(line)
        if chunk["type"] == "audio":
            chunk["data"] = base64.b64decode(chunk["data"])
        chunks.append(chunk)
    return chunks


def handshake_error(status: int, headers: Mapping[str, str] | None = None) -> Exception:
    info = RequestInfo(URL_, "GET", CIMultiDictProxy(CIMultiDict()), URL_)
    return aiohttp.WSServerHandshakeError(
        info,
        (),
        status=status,
        message="Invalid response status",
        headers=CIMultiDict(headers or {}),
    )


def dns_error() -> Exception:
    return aiohttp.ClientConnectorDNSError(KEY, socket.gaierror(-2, "Name or service not known"))


class Script:
    """A stream factory playing one outcome per call: chunks, an error, or both."""

    def __init__(self, *outcomes: Sequence[Chunk] | Exception | tuple[int, Exception]) -> None:
        self.outcomes: Iterator[Sequence[Chunk] | Exception | tuple[int, Exception]] = iter(
            outcomes
        )
        self.requests: list[EdgeRequest] = []
        self.default = recording("en_aria")

    def __call__(self, request: EdgeRequest) -> AsyncIterator[Chunk]:
        self.requests.append(request)
        outcome = next(self.outcomes)

        async def stream() -> AsyncIterator[Chunk]:
            if isinstance(outcome, Exception):
                raise outcome
            if isinstance(outcome, tuple):  # some audio, then the connection drops
                count, error = outcome
                for chunk in [c for c in self.default if c["type"] == "audio"][:count]:
                    yield chunk
                raise error
            for chunk in outcome:
                await asyncio.sleep(0)
                yield chunk

        return stream()


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def engine(factory: StreamFactory, sleeps: Sleeps | None = None) -> EdgeEngine:
    return EdgeEngine(stream_factory=factory, sleep=sleeps or Sleeps(), backoff_s=0.5)


def expected_audio(chunks: Sequence[Chunk]) -> np.ndarray[Any, np.dtype[np.int16]]:
    return decode_mp3(b"".join(bytes(c["data"]) for c in chunks if c["type"] == "audio"))


# --- streaming, decoding, boundaries ---------------------------------------------------


@pytest.mark.parametrize("name", ["zh_xiaoxiao", "en_aria"])
def test_audio_is_assembled_in_order_and_boundaries_become_ms(name: str) -> None:
    spec = INDEX[name]
    chunks = recording(name)
    script = Script(chunks)
    result = engine(script).synthesize(spec["text"], lang=spec["lang"], voice=spec["voice"], rate=1)
    assert result.sample_rate == SAMPLE_RATE
    assert len(result.samples) == spec["decoded_samples"]
    assert np.array_equal(result.samples, expected_audio(chunks))
    audio = [c for c in chunks if c["type"] == "audio"]
    assert len(audio) == spec["audio_chunks"] > 5
    shuffled = expected_audio(audio[1:] + audio[:1])
    assert not np.array_equal(result.samples, shuffled[: len(result.samples)])
    words = [c["text"] for c in chunks if c["type"] == "WordBoundary"]
    assert [w.slice(spec["text"]) for w in result.words] == words
    assert [w.start_ms for w in result.words] == spec["words_ms"]
    (request,) = script.requests
    assert request.voice == spec["voice"] and request.rate == "+0%"
    assert request.boundary == "WordBoundary"


def test_cached_edge_speech_is_trimmed_and_words_shifted(tmp_path: Path) -> None:
    spec = INDEX["zh_xiaoxiao"]
    speech = SpeechCache(tmp_path).speak(
        engine(Script(recording("zh_xiaoxiao"))), spec["text"], lang="zh"
    )
    raw_ms = spec["decoded_samples"] * 1000 // SAMPLE_RATE
    assert speech.engine == "edge" and speech.voice == "zh-CN-XiaoxiaoNeural"
    assert speech.sample_rate == SAMPLE_RATE
    # 0.1 s lead, 1.2 s tail and the MP3 codec's padding are cut
    assert raw_ms - 1450 < speech.duration_ms < raw_ms - 1250
    assert speech.words[0].start_ms < 60
    assert speech.word_texts() == ["企业", "社会", "责任", "报告", "今天", "发布"]


def test_rate_volume_and_pitch_reach_the_request() -> None:
    assert (rate_text(1.2), rate_text(0.9), rate_text(1.0)) == ("+20%", "-10%", "+0%")
    script = Script(recording("en_aria"))
    edge = EdgeEngine(stream_factory=script, volume="-10%", pitch="+5Hz")
    edge.synthesize("Green energy", lang="en", voice="en-US-GuyNeural", rate=1.25)
    (request,) = script.requests
    assert (request.voice, request.rate, request.volume, request.pitch) == (
        "en-US-GuyNeural", "+25%", "-10%", "+5Hz",
    )  # fmt: skip
    assert edge.identity("x") != EdgeEngine().identity("x")


def test_default_voices_can_be_overridden() -> None:
    edge = EdgeEngine(voices={"zh": "zh-CN-YunxiNeural"})
    assert edge.default_voice("zh") == "zh-CN-YunxiNeural"
    assert edge.default_voice("en") == "en-US-AriaNeural"
    with pytest.raises(TTSError, match="no default voice"):
        edge.default_voice("fr")


# --- failures ------------------------------------------------------------------------


def test_a_transient_503_is_retried_then_succeeds() -> None:
    sleeps = Sleeps()
    script = Script(handshake_error(503), recording("en_aria"))
    result = engine(script, sleeps).synthesize("Green energy", lang="en", voice="v", rate=1.0)
    assert len(script.requests) == 2
    assert len(sleeps.delays) == 1 and 0.5 <= sleeps.delays[0] <= 0.625
    assert len(result.samples) == INDEX["en_aria"]["decoded_samples"]


def test_a_dropped_connection_is_retried_without_duplicating_audio() -> None:
    chunks = recording("en_aria")
    script = Script((4, aiohttp.ServerDisconnectedError()), chunks)
    result = engine(script).synthesize("Green energy", lang="en", voice="v", rate=1.0)
    assert np.array_equal(result.samples, expected_audio(chunks))


def test_a_rate_limit_waits_as_long_as_the_server_asks() -> None:
    sleeps = Sleeps()
    script = Script(handshake_error(429, {"Retry-After": "7"}), recording("en_aria"))
    engine(script, sleeps).synthesize("Green energy", lang="en", voice="v", rate=1.0)
    assert sleeps.delays == [7.0]


def test_repeated_failure_gives_one_clear_error() -> None:
    sleeps = Sleeps()
    text = (
        "这是一段很长很长的旁白文字，用来检查错误信息会把文本截短，而不是把整段旁白原样打印出来。"
    )
    script = Script(*[handshake_error(503)] * 4)
    with pytest.raises(TTSError) as info:
        engine(script, sleeps).synthesize(text, lang="zh", voice="zh-CN-XiaoxiaoNeural", rate=1)
    message = str(info.value)
    assert message.startswith("edge: zh-CN-XiaoxiaoNeural: chunk '这是一段很长")
    assert "…'" in message and text not in message
    assert "failed 4 times, last: HTTP 503 Invalid response status" in message
    assert len(script.requests) == 4
    assert len(sleeps.delays) == 3 and sleeps.delays[0] < sleeps.delays[1] < sleeps.delays[2]


@pytest.mark.parametrize(
    "error",
    [dns_error(), aiohttp.ClientConnectorError(KEY, ConnectionRefusedError(111, "refused"))],
    ids=["dns", "refused"],
)
def test_offline_fails_fast_with_a_way_out(error: Exception) -> None:
    sleeps = Sleeps()
    script = Script(error)
    started = time.perf_counter()
    with pytest.raises(EdgeOfflineError, match="use --engine espeak") as info:
        engine(script, sleeps).synthesize("Green energy", lang="en", voice="v", rate=1.0)
    assert time.perf_counter() - started < 0.5
    assert len(script.requests) == 1 and sleeps.delays == []
    assert "cannot reach the edge-tts service" in str(info.value)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (handshake_error(401), "HTTP 401"),
        (NoAudioReceived("none"), "no audio received (is the voice name right?)"),
    ],
)
def test_permanent_failures_are_not_retried(error: Exception, expected: str) -> None:
    script = Script(error)
    with pytest.raises(TTSError, match=re.escape(expected)):
        engine(script).synthesize("Green energy", lang="en", voice="v", rate=1.0)
    assert len(script.requests) == 1


def test_voices_online_and_offline() -> None:
    async def listed() -> list[dict[str, str]]:
        return [
            {"ShortName": "zh-CN-XiaoxiaoNeural", "Locale": "zh-CN", "Gender": "Female",
             "FriendlyName": "Microsoft Xiaoxiao Online (Natural) - Chinese (Mainland)"},
            {"ShortName": "en-US-AriaNeural", "Locale": "en-US", "Gender": "Female",
             "FriendlyName": "Microsoft Aria Online (Natural) - English (United States)"},
        ]  # fmt: skip

    async def offline() -> list[dict[str, str]]:
        raise dns_error()

    assert [v.id for v in EdgeEngine(voice_lister=listed).voices("zh")] == ["zh-CN-XiaoxiaoNeural"]
    with pytest.raises(
        EdgeOfflineError, match=r"cannot list voices: DNS lookup .* --engine espeak"
    ):
        EdgeEngine(voice_lister=offline).voices()


def test_synthesize_works_inside_a_running_event_loop() -> None:
    async def caller() -> int:
        edge = engine(Script(recording("en_aria")))
        return len(edge.synthesize("Green energy", lang="en", voice="v", rate=1.0).samples)

    assert asyncio.run(caller()) == INDEX["en_aria"]["decoded_samples"]


# --- auto ------------------------------------------------------------------------------


def test_auto_falls_back_to_espeak_here_and_says_why(tmp_path: Path) -> None:
    auto = get_engine("auto")
    assert isinstance(auto, AutoEngine)
    started = time.perf_counter()
    if auto.name == "edge":  # pragma: no cover - only where the service is reachable
        pytest.skip("the edge-tts service is reachable from this machine")
    assert time.perf_counter() - started < 4.0
    assert isinstance(auto.chosen, EspeakEngine)
    assert auto.reason.startswith("auto: using espeak: the edge-tts service is unreachable (")
    speech = SpeechCache(tmp_path).speak(auto, "Offline but speaking.", lang="en")
    assert speech.engine == "espeak" and speech.voice == "en-us" and speech.duration_ms > 500


def test_auto_uses_edge_when_it_answers_and_probes_once() -> None:
    script = Script(recording("en_aria"), recording("en_aria"))
    auto = AutoEngine(edge=lambda: EdgeEngine(stream_factory=script))
    assert auto.name == "edge" and auto.name == "edge"
    assert auto.reason == "auto: using edge (the edge-tts service answered)"
    assert auto.default_voice("en") == "en-US-AriaNeural"
    auto.synthesize("Green energy", lang="en", voice="en-US-AriaNeural", rate=1.0)
    assert len(script.requests) == 2  # one probe, one synthesis


def test_auto_offline_probe_is_recorded_as_the_reason() -> None:
    auto = AutoEngine(edge=lambda: EdgeEngine(stream_factory=Script(dns_error())))
    assert auto.name == "espeak"
    assert "DNS lookup of speech.platform.bing.com failed" in auto.reason
