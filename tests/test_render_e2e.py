"""Real renders of a short story: real espeak, real fonts, real ffmpeg, checked independently.

The tiny story is 12 s at 640×360 so the whole module takes seconds; the full-size
100-second render of a sample story lives in ``test_full_render.py``.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pysubs2
import pytest
import srt
import webvtt
from click.testing import CliRunner

from storyreel.cli import main
from storyreel.render.audio import measure_loudness
from storyreel.resources import ffmpeg_exe

from probe import assert_contract, probe

DATA = Path(__file__).parent / "data"
SIZE = (640, 360)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tiny story rendered in both languages; the output folder."""
    root = tmp_path_factory.mktemp("render")
    story = root / "tiny"
    shutil.copytree(DATA / "tiny", story)
    out = root / "output"
    result = CliRunner().invoke(main, [
        "render", str(story / "tiny.yaml"), "--out", str(out), "--size", "640x360",
        "--lang", "zh,en",
    ], env={"STORYREEL_CACHE": str(root / "cache")})
    assert result.exit_code == 0, result.output
    yield out / "tiny"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_video_meets_the_output_contract(rendered: Path, lang: str) -> None:
    facts = probe(rendered / f"tiny.{lang}.landscape.mp4")
    assert_contract(facts, *SIZE, seconds=12.0)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_subtitles_parse_and_agree(rendered: Path, lang: str) -> None:
    srt_text = (rendered / f"tiny.{lang}.srt").read_text(encoding="utf-8")
    by_srt = list(srt.parse(srt_text))
    by_vtt = webvtt.read(str(rendered / f"tiny.{lang}.vtt"))
    assert len(by_srt) == len(by_vtt.captions) >= 3
    limit = {"zh": 16, "en": 42}[lang]
    last_end = 0.0
    for a, b in zip(by_srt, by_vtt.captions, strict=True):
        start, end = a.start.total_seconds(), a.end.total_seconds()
        assert start == pytest.approx(_seconds(b.start), abs=0.0005)
        assert end == pytest.approx(_seconds(b.end), abs=0.0005)
        assert a.content.splitlines() == b.text.splitlines()
        assert start >= last_end and end <= 12.0
        assert 5 / 6 - 0.002 <= end - start <= 7.0
        lines = a.content.splitlines()
        assert 1 <= len(lines) <= 2
        width = (lambda s: sum(0.5 if ord(c) < 0x2E80 else 1 for c in s)) if lang == "zh" else len
        assert all(width(line) <= limit for line in lines)
        last_end = end


def _seconds(stamp: str) -> float:
    """``HH:MM:SS.mmm`` (webvtt-py's ``*_in_seconds`` drop the milliseconds)."""
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_burned_captions_are_the_subtitle_files(rendered: Path) -> None:
    ass = pysubs2.load(str(rendered / "tiny.zh.landscape.ass"))
    srt_file = pysubs2.load(str(rendered / "tiny.zh.srt"))
    assert [(e.start, e.end) for e in ass] == [(e.start, e.end) for e in srt_file]
    assert [e.plaintext for e in ass] == [e.plaintext for e in srt_file]
    assert "Noto Sans CJK SC" in {style.fontname for style in ass.styles.values()}


def test_metadata_and_cover(rendered: Path) -> None:
    meta = json.loads((rendered / "tiny.en.landscape.json").read_text(encoding="utf-8"))
    assert meta["duration_ms"] == 12_000 and meta["frames"] == 360
    assert meta["voice"]["engine"] == "espeak"
    assert abs(meta["loudness"]["integrated_lufs"] + 16) <= 1
    assert meta["loudness"]["true_peak_dbtp"] <= -1
    from PIL import Image

    with Image.open(rendered / "tiny.en.landscape.jpg") as cover:
        assert cover.format == "JPEG"
        assert cover.size[0] > cover.size[1]


def test_loudness_of_the_video(rendered: Path) -> None:
    loud = measure_loudness(rendered / "tiny.zh.landscape.mp4")
    assert -17 <= loud.integrated_lufs <= -15
    assert loud.true_peak_db <= -1


def test_nothing_half_written(rendered: Path) -> None:
    leftovers = [p.name for p in rendered.iterdir() if ".part" in p.name or p.name.startswith(".")]
    assert leftovers == []
    # Written under temporary names, but published with the usual permissions (not 0600).
    private = [p.name for p in rendered.iterdir() if p.is_file() and not p.stat().st_mode & 0o044]
    assert private == []


def test_rerun_skips_finished_work(rendered: Path, tmp_path: Path) -> None:
    story = rendered.parent.parent / "tiny" / "tiny.yaml"
    before = {p.name: p.stat().st_mtime_ns for p in rendered.iterdir()}
    result = CliRunner().invoke(main, [
        "render", str(story), "--out", str(rendered.parent), "--size", "640x360",
    ])
    assert result.exit_code == 0, result.output
    assert "2 skipped" in result.output
    after = {p.name: p.stat().st_mtime_ns for p in rendered.iterdir()}
    assert after == before


def test_one_bad_story_does_not_stop_the_batch(rendered: Path, tmp_path: Path) -> None:
    good = rendered.parent.parent / "tiny" / "tiny.yaml"
    bad = good.parent / "broken.yaml"
    bad.write_text("id: broken\ntitle: {zh: 坏, en: Bad}\nscenes: []\n", encoding="utf-8")
    try:
        result = CliRunner().invoke(main, [
            "render", str(bad), str(good), "--out", str(rendered.parent), "--size", "640x360",
        ])
    finally:
        bad.unlink()
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and "broken.yaml:3: scenes:" in errors[0]
    assert "2 skipped" in result.output and "1 failed" in result.output
    assert not (rendered.parent / "broken").exists()


def speech_onsets(video: Path) -> list[float]:
    """Where speech starts in the video's audio: the ends of silences, by ``silencedetect``."""
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(video), "-vn",
         "-af", "silencedetect=noise=-45dB:d=0.12", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )
    return [float(x) for x in re.findall(r"silence_end: ([\d.]+)", proc.stderr)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_captions_start_with_the_voice(rendered: Path, lang: str) -> None:
    onsets = speech_onsets(rendered / f"tiny.{lang}.landscape.mp4")
    cues = list(srt.parse((rendered / f"tiny.{lang}.srt").read_text(encoding="utf-8")))
    assert len(onsets) >= len(cues)
    for cue in cues:
        start = cue.start.total_seconds()
        nearest = min(onsets, key=lambda t: abs(t - start))
        assert abs(nearest - start) <= 0.1, (cue.content, start, onsets)


def test_camera_moves_on_every_frame(rendered: Path) -> None:
    """The image scene's Ken Burns changes the picture on every frame (zoompan would
    leave most frames still and jump by whole pixels), while the title card holds still."""
    import av
    import numpy as np

    frames = []
    with av.open(str(rendered / "tiny.en.landscape.mp4")) as box:
        for frame in box.decode(video=0):
            frames.append(frame.to_ndarray(format="gray").astype(np.int16)[:200])
    diffs = [float(np.abs(b - a).mean()) for a, b in itertools.pairwise(frames)]
    title_card = diffs[40:58]  # after the text has faded in, before the next caption
    ken_burns = diffs[150:210]  # well inside scene 2, clear of its transition
    assert max(title_card) < 0.01
    assert min(ken_burns) > 0.01, ken_burns


def test_manifest_lists_every_finished_render(rendered: Path) -> None:
    manifest = json.loads((rendered / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["id"] == "tiny"
    assert manifest["title"] == {"zh": "河边的灯", "en": "Lights by the River"}
    listed = {(r["lang"], r["preset"]) for r in manifest["renders"]}
    assert listed == {("zh", "landscape"), ("en", "landscape")}
    for render in manifest["renders"]:
        for name in (render["video"], render["cover"], *render["subtitles"].values()):
            assert (rendered / name).is_file()
