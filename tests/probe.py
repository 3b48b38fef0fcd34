"""Independent checks of rendered files, through PyAV (libav), not through storyreel."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av


@dataclass(frozen=True)
class VideoFacts:
    container_s: float
    video_s: float
    audio_s: float
    frames: int
    width: int
    height: int
    codec: str
    profile: str
    pix_fmt: str
    fps: Fraction
    color: tuple[int, int, int, int]  # range, matrix, primaries, transfer (1 = BT.709/tv)
    audio_codec: str
    audio_profile: str
    audio_rate: int
    audio_channels: int
    keyframes: tuple[int, ...]
    decode_errors: int
    moov_before_mdat: bool


def probe(path: Path) -> VideoFacts:
    with av.open(str(path)) as box:
        v = box.streams.video[0]
        a = box.streams.audio[0]
        vcc, acc = v.codec_context, a.codec_context
        keyframes: list[int] = []
        errors = 0
        frames = 0
        for packet in box.demux(v):
            try:
                for frame in packet.decode():
                    if frame.key_frame:
                        keyframes.append(frames)
                    frames += 1
            except av.error.FFmpegError:
                errors += 1
        facts = VideoFacts(
            container_s=float(box.duration or 0) / 1e6,
            video_s=float((v.duration or 0) * (v.time_base or 0)),
            audio_s=float((a.duration or 0) * (a.time_base or 0)),
            frames=frames,
            width=vcc.width,
            height=vcc.height,
            codec=vcc.name,
            profile=str(vcc.profile),
            pix_fmt=str(vcc.pix_fmt),
            fps=Fraction(v.average_rate or 0),
            color=(int(vcc.color_range), int(vcc.colorspace), int(vcc.color_primaries),
                   int(vcc.color_trc)),
            audio_codec=acc.name,
            audio_profile=str(acc.profile),
            audio_rate=acc.sample_rate,
            audio_channels=acc.channels,
            keyframes=tuple(keyframes),
            decode_errors=errors,
            moov_before_mdat=_moov_first(path),
        )
    return facts


def _moov_first(path: Path) -> bool:
    """True when the 'moov' box comes before 'mdat' (``+faststart``)."""
    data = path.read_bytes()[:4_000_000]
    moov, mdat = data.find(b"moov"), data.find(b"mdat")
    return moov != -1 and (mdat == -1 or moov < mdat)


def assert_contract(facts: VideoFacts, width: int, height: int, seconds: float) -> None:
    """The output contract of DESIGN.md, to the frame."""
    frame = 1 / 30
    assert (facts.width, facts.height) == (width, height)
    assert facts.codec == "h264" and facts.profile == "High", facts.profile
    assert facts.pix_fmt == "yuv420p"
    assert facts.fps == 30
    assert facts.frames == round(seconds * 30)
    for length in (facts.container_s, facts.video_s, facts.audio_s):
        assert abs(length - seconds) <= frame + 1e-6, (length, seconds)
    assert facts.color == (1, 1, 1, 1)
    assert facts.audio_codec == "aac" and facts.audio_profile == "LC"
    assert facts.audio_rate == 48000 and facts.audio_channels == 2
    gaps = [b - a for a, b in zip(facts.keyframes, facts.keyframes[1:], strict=False)]
    assert facts.keyframes[0] == 0 and all(g <= 60 for g in gaps)
    assert facts.frames - facts.keyframes[-1] <= 60
    assert facts.decode_errors == 0
    assert facts.moov_before_mdat
