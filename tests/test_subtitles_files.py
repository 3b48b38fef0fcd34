"""Subtitle files: golden SRT/VTT/ASS for a sample scene in both languages and bilingual,
round trips through pysubs2, atomic writes, and libass burning the ASS file in.

Golden files live in tests/golden/subtitles/. After an intended change of output,
regenerate them and review the diff:

    STORYREEL_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_subtitles_files.py
"""

from __future__ import annotations

import itertools
import os
import subprocess
from pathlib import Path

import pysubs2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from storyreel.resources import fonts_dir
from storyreel.subtitles.files import render, to_ssa, write_subtitles
from storyreel.subtitles.quality import check_cues
from storyreel.text import analyse, chunk_narration, cue_lines
from storyreel.theme.captions import CaptionStyle, ass_font_size
from storyreel.timeline.model import Cue, frame_to_ms

GOLDEN = Path(__file__).parent / "golden" / "subtitles"
FONTS = fonts_dir()
REGEN = os.environ.get("STORYREEL_REGEN_GOLDEN") == "1"
FPS = 30

SCENE = {
    "zh": "在云南的大山深处，有一所只有十二名学生的小学。2023年，我们的志愿者团队为这所学校"
          "捐赠了100吨物资，还带来了一间全新的图书室。校长约翰·史密斯说：“孩子们第一次看到"
          "这么多书——他们高兴极了！”如今，学校的阅读课覆盖了3.5%的县域儿童。是的。我们做到了。",
    "en": "Deep in the mountains of Yunnan, there is a primary school with only twelve pupils. "
          "In 2023, our volunteer team donated 100 tonnes of supplies to the school and "
          "brought a brand-new library. \"The children had never seen so many books — they "
          "were overjoyed!\" said the headmaster, John Smith. Today, the reading classes "
          "reach 3.5% of the county's children. Yes. We did it.",
}
BILINGUAL = [
    ("在云南的大山深处，有一所只有十二名学生的小学。",
     "Deep in the mountains of Yunnan, there is a primary school with only twelve pupils."),
    ("2023年，志愿者为学校捐赠了100吨物资。", "In 2023, volunteers gave the school 100 tonnes "
                                             "of supplies."),
    ("校长约翰·史密斯说：“孩子们高兴极了！”", "\"The children were overjoyed!\" said the "
                                             "headmaster, John Smith."),
    ("是的。我们做到了。", "Yes. We did it."),
]
PORTRAIT_BOX = CaptionStyle(play_res=(1080, 1920), font_size=52, box=True,
                            outline_colour=(20, 20, 20, 200), back_colour=(20, 20, 20, 200),
                            outline=13.0, shadow=0.0, margin_l=92, margin_r=180, margin_v=420)


def timed(texts: list[str], lang: str, secondary: list[str] | None = None) -> list[Cue]:
    """Cues on frame boundaries, as the planner makes them: speech at 4.5 Chinese or 14
    English characters a second, at least 1.2 s, three frames apart."""
    cues = []
    frame = 2
    for i, text in enumerate(texts):
        a = analyse(text, lang)
        seconds = a.units(0, a.n) / 4.5 if lang == "zh" else len(text) / 14
        frames = max(36, round(seconds * FPS))
        cues.append(Cue(frame_to_ms(frame, FPS), frame_to_ms(frame + frames, FPS),
                        cue_lines(text, lang), 0,
                        cue_lines(secondary[i], "en") if secondary else ()))
        frame += frames + 3
    return cues


def sample(kind: str) -> list[Cue]:
    if kind == "zh-en":
        return timed([zh for zh, _ in BILINGUAL], "zh", [en for _, en in BILINGUAL])
    return timed(chunk_narration(SCENE[kind], kind), kind)


def assert_golden(path: Path, text: str) -> None:
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"missing golden file {path}: run with STORYREEL_REGEN_GOLDEN=1"
    assert text == path.read_bytes().decode("utf-8"), (
        f"{path.name} changed: if intended, regenerate with STORYREEL_REGEN_GOLDEN=1")


@pytest.mark.parametrize("kind", ["zh", "en", "zh-en"])
def test_golden_files(kind: str, tmp_path: Path) -> None:
    cues = sample(kind)
    lang = "en" if kind == "en" else "zh"
    assert [p for p in check_cues(cues, lang, cues[-1].end_ms) if p.severity == "error"] == []
    paths = write_subtitles(cues, tmp_path, f"scene.{kind}", CaptionStyle())
    assert sorted(paths) == ["ass", "srt", "vtt"]
    for fmt, path in paths.items():
        assert path == tmp_path / f"scene.{kind}.{fmt}"
        assert_golden(GOLDEN / path.name, path.read_bytes().decode("utf-8"))


def test_golden_box_style() -> None:
    assert_golden(GOLDEN / "scene.zh.portrait-box.ass",
                  render(sample("zh"), "ass", PORTRAIT_BOX, bilingual=False))


@pytest.mark.parametrize("kind", ["zh", "en", "zh-en"])
def test_srt_and_vtt_round_trip_exact_times_and_lines(kind: str, tmp_path: Path) -> None:
    cues = sample(kind)
    paths = write_subtitles(cues, tmp_path, "x", CaptionStyle(), formats=("srt", "vtt"))
    for fmt in ("srt", "vtt"):
        raw = paths[fmt].read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
        loaded = pysubs2.load(str(paths[fmt]), encoding="utf-8")
        assert [(e.start, e.end) for e in loaded] == [(c.start_ms, c.end_ms) for c in cues]
        assert [e.plaintext.split("\n") for e in loaded] == [
            [*c.lines, *c.secondary] for c in cues]


def test_ass_carries_the_style() -> None:
    style = CaptionStyle()
    subs = to_ssa(sample("zh"), style)
    assert subs.info["PlayResX"] == "1920" and subs.info["PlayResY"] == "1080"
    assert subs.info["WrapStyle"] == "2" and subs.info["ScaledBorderAndShadow"] == "yes"
    s = subs.styles["Default"]
    assert s.fontname == "Noto Sans CJK SC"
    assert s.fontsize == ass_font_size(style) == 78.2  # 54 px em in Noto CJK's metrics
    assert s.bold and s.borderstyle == 1 and s.outline == 3.0 and s.shadow == 1.0
    assert (s.primarycolor.r, s.primarycolor.a) == (255, 0)  # ASS alpha 0 = opaque
    assert s.backcolor.a == 255 - 160
    assert (s.marginl, s.marginr, s.marginv) == (96, 96, 60)
    assert s.alignment == pysubs2.Alignment.BOTTOM_CENTER
    box = to_ssa([], PORTRAIT_BOX).styles["Default"]
    assert box.borderstyle == 3 and box.outlinecolor == pysubs2.Color(20, 20, 20, 55)
    assert to_ssa([], PORTRAIT_BOX).info["PlayResY"] == "1920"


def test_ass_times_round_down_to_the_frame_they_start_on() -> None:
    cue = Cue(frame_to_ms(2, FPS), frame_to_ms(4, FPS), ("好的",), 0)  # 67 → 133 ms
    event = to_ssa([cue], CaptionStyle())[0]
    assert (event.start, event.end) == (60, 130)
    assert "Dialogue: 0,0:00:00.06,0:00:00.13," in to_ssa([cue], CaptionStyle()).to_string("ass")


def _ass_ms(stamp: str) -> int:
    h, m, s = stamp.split(":")
    return (int(h) * 3600 + int(m) * 60) * 1000 + round(float(s) * 1000)


@settings(max_examples=300, deadline=None)
@given(fps=st.sampled_from([24, 25, 30, 50, 60]), first=st.integers(0, 200_000),
       frames=st.integers(1, 400))
def test_ass_shows_a_frame_timed_cue_on_exactly_its_frames(fps: int, first: int,
                                                            frames: int) -> None:
    """A cue from frame ``first`` for ``frames`` frames (times from ``frame_to_ms``, not
    on the centisecond grid) shows on exactly those frames: libass shows an event on the
    frame at time t (in whole ms) when start <= t < end."""
    cue = Cue(frame_to_ms(first, fps), frame_to_ms(first + frames, fps), ("好的",), 0)
    dialogue = to_ssa([cue], CaptionStyle()).to_string("ass").splitlines()[-1]
    start, end = (_ass_ms(stamp) for stamp in dialogue.split(",")[1:3])
    shown = [k for k in range(max(0, first - 2), first + frames + 2)
             if start <= k * 1000 // fps < end]
    assert shown == list(range(first, first + frames))


@given(start=st.integers(0, 3_000_000), length=st.integers(1, 700))  # ASS: < 10 h
def test_ass_times_on_the_centisecond_grid_are_the_srt_times(start: int, length: int) -> None:
    cue = Cue(start * 10, (start + length) * 10, ("好的",), 0)
    ass = pysubs2.SSAFile.from_string(to_ssa([cue], CaptionStyle()).to_string("ass"))
    srt = pysubs2.SSAFile.from_string(render([cue], "srt", CaptionStyle(), bilingual=False))
    assert (ass[0].start, ass[0].end) == (srt[0].start, srt[0].end) == (cue.start_ms,
                                                                         cue.end_ms)


def test_bilingual_lines_go_under_in_a_smaller_size() -> None:
    cues = sample("zh-en")
    ass = to_ssa(cues, CaptionStyle(), bilingual=True)
    small = ass_font_size(CaptionStyle(), 0.72)
    assert ass[0].text == (r"在云南的大山深处\N有一所只有十二名学生的小学\N"
                           + "{\\fs" + f"{small:g}" + "}"
                           + r"Deep in the mountains of Yunnan, there is\Na primary school "
                           "with only twelve pupils.")
    assert r"\fs" not in to_ssa(cues, CaptionStyle())[0].text  # not bilingual: primary only


def test_write_subtitles_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cues = sample("en")
    out = tmp_path / "out"
    write_subtitles(cues, out, "story.en", CaptionStyle())
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(before) == ["story.en.ass", "story.en.srt", "story.en.vtt"]

    # A cue that cannot be written: nothing is touched.
    bad = [*cues, Cue(99_000, 99_900, ("{oops}",), 0)]
    with pytest.raises(ValueError, match="misread"):
        write_subtitles(bad, out, "story.en", CaptionStyle())
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before

    # A failure while replacing leaves the old file and no temp file.
    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_subtitles(cues[:1], out, "story.en", CaptionStyle(), formats=("srt",))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown subtitle format"):
        write_subtitles([], tmp_path, "x", CaptionStyle(), formats=("sub",))
    with pytest.raises(ValueError, match="plain file name"):
        write_subtitles([], tmp_path, "a/b", CaptionStyle())
    assert list(tmp_path.iterdir()) == []


def test_vtt_escapes_markup(tmp_path: Path) -> None:
    cues = [Cue(0, 1000, ("R&D ＜2%",), 0)]
    vtt = write_subtitles(cues, tmp_path, "x", CaptionStyle(), formats=("vtt",))["vtt"]
    assert "R&amp;D ＜2%" in vtt.read_text(encoding="utf-8")
    for raw in ("R&D <2%", "a > b", ""):  # wrap() never makes these: refused, not written
        with pytest.raises(ValueError, match="misread"):
            write_subtitles([Cue(0, 1000, (raw,), 0)], tmp_path, "y", CaptionStyle())
    assert not list(tmp_path.glob("y.*"))


# --- libass, for real ------------------------------------------------------------------


def _ffmpeg() -> str:
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    exe: str = imageio_ffmpeg.get_ffmpeg_exe()
    return exe


def test_libass_draws_the_em_size_on_the_planned_frames(tmp_path: Path) -> None:
    """Burn a cue from frame 2 to frame 6 (67-200 ms) into a 30 fps clip: it shows on
    frames 2-5 exactly, and its glyphs are as wide as Pillow draws them at font_size."""
    w, h = 400, 200
    style = CaptionStyle(play_res=(w, h), font_size=50, bold=False, outline=0.0, shadow=0.0,
                         margin_v=20)
    cue = Cue(frame_to_ms(2, FPS), frame_to_ms(6, FPS), ("一一一一",), 0)
    ass = write_subtitles([cue], tmp_path, "burn", style, formats=("ass",))["ass"]
    result = subprocess.run(
        [_ffmpeg(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
         f"color=black:s={w}x{h}:r={FPS}:d=0.3", "-vf",
         f"ass=filename={ass}:fontsdir={FONTS}", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True, check=True, timeout=60,
    )
    frames = [result.stdout[i:i + w * h] for i in range(0, len(result.stdout), w * h)]
    lit = [Image.frombytes("L", (w, h), f).point(lambda v: 255 if v > 128 else 0).getbbox()
           for f in frames]
    assert [k for k, box in enumerate(lit) if box] == [2, 3, 4, 5]
    box = lit[3]
    assert box is not None
    # The same text drawn by Pillow at font_size, measured the same way.
    font = ImageFont.truetype(str(FONTS / "NotoSansCJKsc-Regular.otf"), 50)
    image = Image.new("L", (w, h))
    ImageDraw.Draw(image).text((10, 10), "一一一一", font=font, fill=255)
    pillow = image.point(lambda v: 255 if v > 128 else 0).getbbox()
    assert pillow is not None
    assert abs((box[2] - box[0]) - (pillow[2] - pillow[0])) <= 2


def test_english_under_chinese_cues_fits_two_lines() -> None:
    from storyreel.subtitles.bilingual import add_secondary

    cues = [Cue(0, 3000, ("第一句",), 0), Cue(3000, 4000, ("第二句",), 0),
            Cue(4000, 9000, ("第三句",), 0)]
    english = ("Volunteers carried solar lamps to the school, and the children read after "
               "dark for the first time. Their parents saved money on kerosene every week.")
    both = add_secondary(cues, [english], "en")
    assert all(1 <= len(c.secondary) <= 2 for c in both)
    assert all(len(line) <= 42 for c in both for line in c.secondary)
    assert " ".join(" ".join(c.secondary) for c in both).split() == english.split()


def test_a_long_english_share_splits_its_chinese_cue_in_time() -> None:
    from storyreel.subtitles.bilingual import add_secondary

    cue = Cue(1000, 7000, ("这是一个很长的中文字幕",), 0)
    english = ("This is the story of a river, a water plant, and a capital city that needed "
               "both of them for many years.")
    both = add_secondary([cue], [english], "en")
    assert len(both) >= 2
    assert [c.lines for c in both] == [cue.lines] * len(both)
    assert both[0].start_ms == 1000 and both[-1].end_ms == 7000
    assert all(a.end_ms == b.start_ms for a, b in itertools.pairwise(both))
    assert all(c.duration_ms >= 840 and len(c.secondary) <= 2 for c in both)
    assert " ".join(" ".join(c.secondary) for c in both).split() == english.split()
