"""Chunking narration into cues, and splitting a chunk whose speech runs too long."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from storyreel.text import (
    VERY_SHORT,
    Level,
    LineBreakError,
    analyse,
    chunk_narration,
    cue_lines,
    split_chunk,
)
from storyreel.text.chunk import chunk_size

from subtitle_textgen import Narration, narration

PROPERTY = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
CLOSING = set("，。、；：？！…）》」』】”’,.;:?!)·—")

ZH = ("在云南的大山深处，有一所只有十二名学生的小学。2023年，我们的志愿者团队为这所学校"
      "捐赠了100吨物资，还带来了一间全新的图书室。校长约翰·史密斯说：“孩子们第一次看到"
      "这么多书——他们高兴极了！”如今，学校的阅读课覆盖了3.5%的县域儿童。是的。我们做到了。")
EN = ("Deep in the mountains of Yunnan, there is a primary school with only twelve pupils. "
      "In 2023, our volunteer team donated 100 tonnes of supplies to the school and brought "
      "a brand-new library. \"The children had never seen so many books — they were "
      "overjoyed!\" said the headmaster, John Smith. Today, the reading classes reach 3.5% "
      "of the county's children. Yes. We did it.")


def spans(text: str, chunks: list[str]) -> list[tuple[int, int]]:
    """Where each chunk lies in ``text``; asserts they tile it apart from whitespace."""
    out = []
    pos = 0
    for chunk in chunks:
        while text[pos].isspace():
            pos += 1
        assert text.startswith(chunk, pos), (chunk, text[pos:pos + 20])
        out.append((pos, pos + len(chunk)))
        pos += len(chunk)
    assert not text[pos:].strip()
    return out


def size(chunk: str, lang: str) -> float:
    a = analyse(chunk, lang)
    return a.width(0, a.n) * 16 / a.limit


def fits(text: str, lang: str) -> bool:
    try:
        cue_lines(text, lang)
    except ValueError:
        return False
    return True


def fits_whole(text: str, lang: str) -> bool:
    """``text`` fits one cue without a line break inside a word or a name."""
    a = analyse(text, lang)
    if not fits(text, lang):
        return False
    if a.width(0, a.n) <= a.limit:
        return True
    best = a.best_break(0, a.n)
    return best is not None and a.breaks[best[1]] < Level.NAME


def test_sample_scene_zh_cuts_at_sentences_and_clauses() -> None:
    chunks = chunk_narration(ZH, "zh")
    assert chunks == [
        "在云南的大山深处，有一所只有十二名学生的小学。",
        "2023年，我们的志愿者团队为这所学校捐赠了100吨物资，",
        "还带来了一间全新的图书室。",
        "校长约翰·史密斯说：“孩子们第一次看到这么多书——",
        "他们高兴极了！”",
        "如今，学校的阅读课覆盖了3.5%的县域儿童。",
        "是的。我们做到了。",  # 是的。alone would flash by: merged
    ]


def test_sample_scene_en() -> None:
    chunks = chunk_narration(EN, "en")
    assert chunks[0] == ("Deep in the mountains of Yunnan, there is a primary school "
                         "with only twelve pupils.")
    assert chunks[-1] == "Yes. We did it."
    spans(EN, chunks)


def test_empty_and_punctuation_only() -> None:
    assert chunk_narration("", "zh") == []
    assert chunk_narration("  \n ", "en") == []
    assert chunk_narration("……", "zh") == ["……"]


def test_unbreakable_text_raises() -> None:
    with pytest.raises(LineBreakError, match="cannot be cut"):
        chunk_narration("A" * 100, "zh")


def test_split_chunk_prefers_punctuation_and_balance() -> None:
    assert split_chunk("2023年，我们的志愿者团队为这所学校捐赠了100吨物资，", "zh") == (
        "2023年，我们的志愿者团队为", "这所学校捐赠了100吨物资，")
    assert split_chunk("在云南的大山深处，有一所只有十二名学生的小学。", "zh") == (
        "在云南的大山深处，", "有一所只有十二名学生的小学。")
    assert split_chunk("Deep in the mountains of Yunnan, there is a primary school with only "
                       "twelve pupils.", "en") == (
        "Deep in the mountains of Yunnan,",
        "there is a primary school with only twelve pupils.")


def test_split_chunk_never_cuts_atoms() -> None:
    first, second = split_chunk("校长约翰·史密斯说孩子们高兴极了", "zh")
    assert (first, second) == ("校长约翰·史密斯说", "孩子们高兴极了")
    with pytest.raises(LineBreakError, match="no place to break"):
        split_chunk("COVID-19", "zh")
    with pytest.raises(ValueError):
        split_chunk("100 tonnes", "en")


def _check_chunks(kind: str, story: Narration) -> None:
    lang = "en" if kind == "en" else "zh"
    text = story.text
    chunks = chunk_narration(text, lang)
    places = spans(text, chunks)  # joined in order they give back the text
    whole = analyse(text, lang)
    for atom in story.atoms:
        assert sum(c.count(atom) for c in chunks) == text.count(atom), atom
    for k, chunk in enumerate(chunks):
        assert chunk and chunk == chunk.strip()
        assert chunk[0] not in CLOSING, chunks
        assert fits(chunk, lang), chunk
        if chunk_size(whole, *places[k]) < VERY_SHORT:  # measured as the chunker does
            # A very short chunk is only left alone when no neighbour can take it (without
            # a line break inside a word or a name: that is worse than a short cue).
            for n in (k - 1, k + 1):
                if 0 <= n < len(chunks):
                    lo, hi = min(places[k][0], places[n][0]), max(places[k][1], places[n][1])
                    assert not fits_whole(text[lo:hi], lang), (chunk, chunks[n])


@PROPERTY
@given(story=narration("zh"))
def test_chinese_chunks(story: Narration) -> None:
    _check_chunks("zh", story)


@PROPERTY
@given(story=narration("mixed"))
def test_mixed_chunks(story: Narration) -> None:
    _check_chunks("mixed", story)


@PROPERTY
@given(story=narration("en"))
def test_english_chunks(story: Narration) -> None:
    _check_chunks("en", story)


@PROPERTY
@given(story=narration("mixed"))
def test_split_chunk_halves(story: Narration) -> None:
    for chunk in chunk_narration(story.text, "zh"):
        try:
            first, second = split_chunk(chunk, "zh")
        except ValueError:
            assert not analyse(chunk, "zh").breaks or len(chunk) < 4
            continue
        assert first and second
        assert chunk.startswith(first) and chunk.endswith(second)
        assert "".join((first + second).split()) == "".join(chunk.split())
        assert fits(first, "zh") and fits(second, "zh")
        assert first[-1:] != "·" and second[0] not in CLOSING
        for atom in story.atoms:
            assert first.count(atom) + second.count(atom) == chunk.count(atom), atom
