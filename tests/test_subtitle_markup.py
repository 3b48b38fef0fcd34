"""Text that reaches subtitle files: every format (SRT, WebVTT, ASS and the bilingual
zh-en SRT) carries the narration's text and nothing else, read back by independent
parsers (``srt``, ``webvtt-py``, ``pysubs2``).

Narration with markup (``<b>``, ``<script>``, ``{\\an8}``, ``\\N``), a subtitle timing
line, blank lines or ``&`` must come back as the cues' own lines: no tag applied or
stripped, no extra or empty cue, no text lost. The characters formats read as markup are
shown as look-alikes (see ``subtitles/files.py``), the same in every format.
"""

from __future__ import annotations

import html
from pathlib import Path

import pysubs2
import pytest
import srt
import webvtt
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from storyreel.subtitles.bilingual import add_secondary
from storyreel.subtitles.files import write_subtitles
from storyreel.text import LineBreakError, chunk_narration, cue_lines
from storyreel.theme.captions import CaptionStyle
from storyreel.timeline.model import Cue

from subtitle_textgen import en_narration, zh_narration

HOSTILE = [
    "<b>bold</b>", "<script>alert(1)</script>", "<i>", "</font>", "{\\an8}", "{\\b1}",
    "\\N", "\\h", "{", "}", "\\", "-->", "00:00:05,000 --> 00:00:06,000",
    "00:01.000 --> 00:02.000", "\n\n", "\n\n2\n", "&", "&amp;", "&lt;", "a < b > c",
    "NOTE", "WEBVTT", "\r\n", "<c.red>x</c>", "<00:00:01.000>",
]


def cues_of(narration: str, lang: str, start: int = 0) -> list[Cue]:
    """Cues as the planner makes them: the narration chunked, each chunk wrapped (a
    narration that cannot be cut into subtitles is refused with one line by the planner:
    not a case for these tests)."""
    cues = []
    try:
        chunks = chunk_narration(narration, lang)
    except LineBreakError:
        reject()
    for chunk in chunks:
        if chunk.strip():
            cues.append(Cue(start, start + 1500, tuple(cue_lines(chunk, lang)), 0))
            start += 1500
    return cues


def read_back(path: Path) -> dict[str, list[str]]:
    """Each parser's cue texts (lines joined by newlines) of the file at ``path``."""
    text = path.read_text(encoding="utf-8")
    fmt = path.suffix[1:]
    out = {"pysubs2": [e.plaintext for e in pysubs2.SSAFile.from_string(text)]}
    if fmt == "srt":
        out["srt"] = [s.content for s in srt.parse(text)]
    if fmt == "vtt":
        # WebVTT escapes & < > as entities: its text is the unescaped one.
        out["webvtt-py"] = [html.unescape(c.text) for c in webvtt.from_string(text).captions]
        out["pysubs2"] = [html.unescape(t) for t in out["pysubs2"]]
    return out


def assert_files_carry(cues: list[Cue], folder: Path, stem: str, bilingual: bool) -> None:
    expected = ["\n".join((*c.lines, *(c.secondary if bilingual else ()))) for c in cues]
    formats = ("srt",) if bilingual else ("srt", "vtt", "ass")
    paths = write_subtitles(cues, folder, stem, CaptionStyle(), formats=formats,
                            bilingual=bilingual)
    for path in paths.values():
        for parser, texts in read_back(path).items():
            assert texts == expected, f"{path.name} read by {parser}"


def letters(text: str) -> list[str]:
    return [ch for ch in text if ch.isalnum()]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("hostile", HOSTILE)
def test_each_hostile_fragment_comes_back_as_text(lang: str, hostile: str,
                                                  tmp_path: Path) -> None:
    narration = ("这是第一句话。" if lang == "zh" else "This is the first sentence. ") \
        + hostile + ("然后是最后一句。" if lang == "zh" else " And then the last one.")
    cues = cues_of(narration, lang)
    assert_files_carry(cues, tmp_path, lang, bilingual=False)
    shown = " ".join(line for c in cues for line in c.lines)
    assert letters(shown) == letters(narration)  # no text lost, none added
    assert not set(shown) & set("<>{}\\\n")


def test_the_issue_cases_in_the_project_srt(tmp_path: Path) -> None:
    narration = ("点击<b>这里</b>。\n\n00:00:05,000 --> 00:00:06,000\n假字幕。{\\an8}顶部。"
                 "<script>alert(1)</script>")
    cues = cues_of(narration, "zh")
    assert_files_carry(cues, tmp_path, "zh", bilingual=False)
    text = (tmp_path / "zh.srt").read_text(encoding="utf-8")
    assert "<" not in text and "{" not in text and text.count("-->") == len(cues)
    assert "＜b＞这里＜/b＞" in text and "｛＼an8｝" in text and "00∶00∶05,000 --＞" in text


_HOSTILE = st.sampled_from(HOSTILE)


@st.composite
def hostile_narration(draw: st.DrawFn, lang: str) -> str:
    base = draw(zh_narration() if lang == "zh" else en_narration()).text
    pieces = base.split(" ") if lang == "en" else list(base)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(pieces)))
        pieces.insert(at, draw(_HOSTILE))
    return (" " if lang == "en" else "").join(pieces)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(zh=hostile_narration("zh"), en=hostile_narration("en"))
def test_generated_narration_with_markup_round_trips_every_format(
    zh: str, en: str, tmp_path: Path,
) -> None:
    zh_cues, en_cues = cues_of(zh, "zh"), cues_of(en, "en")
    assert_files_carry(zh_cues, tmp_path, "zh", bilingual=False)
    assert_files_carry(en_cues, tmp_path, "en", bilingual=False)
    both = list(add_secondary(zh_cues, [en], "en"))
    assert_files_carry(both, tmp_path, "zh-en", bilingual=True)
    assert letters(" ".join(" ".join(c.secondary) for c in both)) == letters(en)
