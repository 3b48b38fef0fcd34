"""One real full-size render: a sample story, 1920×1080, 100 s, with music, as shipped.

This is the output contract at full size: codecs, exact length to the frame, loudness,
an audible but ducked music bed, and subtitles that pass the quality rules.
"""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pysubs2
import pytest
from click.testing import CliRunner

from storyreel.cli import main
from storyreel.render.audio import measure_loudness
from storyreel.resources import ffmpeg_exe
from storyreel.subtitles.quality import check_cues
from storyreel.timeline.model import Cue

from probe import assert_contract, probe

ROOT = Path(__file__).resolve().parent.parent
STORY = ROOT / "storyboards" / "solar-lamps.yaml"


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("full")
    result = CliRunner().invoke(main, ["render", str(STORY), "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "solar-lamps" / "solar-lamps.en.landscape.mp4"


def test_full_size_contract(video: Path) -> None:
    assert_contract(probe(video), 1920, 1080, seconds=100.0)


def test_full_size_loudness(video: Path) -> None:
    loud = measure_loudness(video)
    assert -17 <= loud.integrated_lufs <= -15
    assert loud.true_peak_db <= -1


def test_music_is_heard_between_narration(video: Path) -> None:
    """Between two cues (a pause in the narration) the bed is well above silence."""
    subs = pysubs2.load(str(video.with_name("solar-lamps.en.srt")))
    gaps = [(a.end, b.start) for a, b in itertools.pairwise(subs)
            if b.start - a.end >= 600]
    assert gaps, "the story has pauses between scenes"
    start, end = max(gaps, key=lambda g: g[1] - g[0])
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-ss", f"{(start + 200) / 1000}", "-t",
         f"{(end - start - 300) / 1000}", "-i", str(video), "-vn",
         "-af", "volumedetect", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )
    mean = float(re.search(r"mean_volume: (-?[\d.]+) dB", proc.stderr).group(1))  # type: ignore[union-attr]
    assert -45 < mean < -15


def test_subtitles_pass_the_quality_rules(video: Path) -> None:
    subs = pysubs2.load(str(video.with_name("solar-lamps.en.srt")))
    cues = [Cue(e.start, e.end, tuple(e.plaintext.splitlines()), 0) for e in subs]
    errors = [p for p in check_cues(cues, "en", 100_000) if p.severity == "error"]
    assert errors == []


def test_metadata_for_the_platforms(video: Path) -> None:
    import json

    meta = json.loads(video.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["title"] == "A Lamp to Study By"
    assert meta["description"].startswith("In Ethiopian villages")
    assert meta["tags"] == ["solar energy", "education", "Ethiopia"]
    assert (meta["width"], meta["height"], meta["duration_ms"]) == (1920, 1080, 100_000)
    manifest = json.loads(video.with_name("manifest.json").read_text(encoding="utf-8"))
    assert [r["video"] for r in manifest["renders"]] == [video.name]
