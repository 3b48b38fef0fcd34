"""The text package: one character model, words kept whole, slide lines by the caption
rules, and no line or cue that splits a word of the segmenter's dictionary."""

from __future__ import annotations

import random

import pytest

from storyreel.text import (
    ZH_NO_LINE_END,
    ZH_NO_LINE_START,
    add_words,
    analyse,
    chunk_narration,
    cue_lines,
    fit_lines,
    inside_words,
    is_cjk,
    pieces,
    word_spans,
    zh_char_width,
)

WORDS_ZH = ("中国石油天然气集团有限公司在上下游推动低碳转型，保护生物多样性，"
            "每一颗种子都来自当地的合作社，碳中和目标提前实现。")


def per_char(text: str) -> float:
    """A measure for tests: CJK one unit of 10 px, everything else half."""
    return sum(10.0 * zh_char_width(ch) for ch in text)


def test_one_character_model() -> None:
    assert is_cjk("中") and is_cjk("〇") and is_cjk("あ") and not is_cjk("A")
    assert zh_char_width("中") == 1.0 and zh_char_width("A") == 0.5
    assert zh_char_width("“") == 1.0 and zh_char_width("\u0301") == 0.0


@pytest.mark.parametrize("word", ["有限公司", "上下游", "低碳", "一颗", "生物多样性", "碳中和"])
def test_field_words_are_whole(word: str) -> None:
    spans = {WORDS_ZH[a:b] for a, b in word_spans(WORDS_ZH)}
    assert any(word in span for span in spans), spans


@pytest.mark.parametrize("width", [60, 75, 90, 110, 130, 160])
def test_slide_lines_never_split_a_word(width: int) -> None:
    lines = fit_lines(WORDS_ZH, "zh", per_char, width)
    assert "".join(lines) == WORDS_ZH
    at = 0
    for line in lines[:-1]:
        at += len(line)
        for a, b in word_spans(WORDS_ZH):  # only a word wider than a line may break
            assert not a < at < b or per_char(WORDS_ZH[a:b]) > width, (WORDS_ZH[a:b], lines)
    for line in lines:
        assert line[0] not in ZH_NO_LINE_START and line[-1] not in ZH_NO_LINE_END, lines
        assert per_char(line) <= width, lines


@pytest.mark.parametrize("limit_chars", [16])
def test_caption_cues_and_lines_never_split_a_word(limit_chars: int) -> None:
    inside = inside_words(WORDS_ZH)
    at = 0
    for chunk in chunk_narration(WORDS_ZH, "zh"):
        at = WORDS_ZH.index(chunk, at) + len(chunk)
        assert at not in inside or at == len(WORDS_ZH), chunk
        lines = cue_lines(chunk, "zh")
        if len(lines) == 2:
            cut = analyse(chunk, "zh")
            best = cut.best_break(0, cut.n)
            assert best is not None and (WORDS_ZH.index(chunk) + best[1]) not in inside


def test_storyboard_names_stay_whole() -> None:
    text = "绿色桥梁公益促进会与当地学校一起种树，绿色桥梁公益促进会负责后续养护工作。"
    add_words(["绿色桥梁公益促进会"])
    for width in (50, 70, 90, 120):
        for line in fit_lines(text, "zh", per_char, width):
            assert "绿色桥梁公益促进会" in line or "绿色" not in line or "促进会" not in line
        joined = "|".join(fit_lines(text, "zh", per_char, width))
        assert "绿色桥梁公益促进会" in joined.replace("|", "") and (
            joined.count("绿色桥梁公益促进会") == 2 or width < 90), joined


def test_english_lines_are_even_and_strand_no_word() -> None:
    text = "First, the company rebuilt the water intake on the Kafue River for the city."
    for width in (200.0, 260.0, 320.0):
        lines = fit_lines(text, "en", lambda s: 5.0 * len(s), width)
        assert " ".join(lines) == text
        assert all(len(line.split()) >= 2 for line in lines), lines
        shortest, longest = min(map(len, lines)), max(map(len, lines))
        assert shortest >= 0.5 * longest, lines


def test_pieces_keep_numbers_with_units_and_spaces() -> None:
    found = [p.text for p in pieces("The plant treats 100 tonnes of water a day.", "en")]
    assert "100 tonnes" in found and all(" " not in p or p == "100 tonnes" for p in found)
    zh = [p.text for p in pieces("每天处理2023年的100吨水", "zh")]
    assert any("100吨" in p for p in zh) and any("2023年" in p for p in zh)


def test_english_names_stay_whole() -> None:
    text = "Engineers from Lusaka Water Supply and Sanitation Company rebuilt the intake."
    add_words(["Lusaka Water Supply and Sanitation Company"])  # 42 characters: 210 px
    for width in (215.0, 260.0, 320.0):
        lines = fit_lines(text, "en", lambda s: 5.0 * len(s), width)
        assert any("Lusaka Water Supply and Sanitation Company" in line for line in lines), lines


def _stranded(chunks: list[str]) -> list[str]:
    """Cues that hold a short piece (under three words) of a sentence that goes on in
    the cue before or after, next to another sentence."""
    bad = []
    for k, chunk in enumerate(chunks):
        words = chunk.split()
        ends = [i for i, w in enumerate(words) if w.endswith((".", "!", "?"))]
        inner = [i for i in ends if i + 1 < len(words)]
        if not inner:
            continue
        starts_mid = k > 0 and not chunks[k - 1].endswith((".", "!", "?"))
        ends_mid = not chunk.endswith((".", "!", "?"))
        if (starts_mid and inner[0] + 1 < 3) or (ends_mid and len(words) - inner[-1] - 1 < 3):
            bad.append(chunk)
    return bad


VOCAB = ("the water plant river city engineers rebuilt intake laid pipe forty kilometres "
         "village school lamps children night parents grid solar")


@pytest.mark.parametrize("seed", range(6))
def test_no_cue_strands_a_short_piece_of_a_sentence(seed: int) -> None:
    rng = random.Random(seed)
    vocab = VOCAB.split()
    for _ in range(60):
        text = " ".join(
            " ".join(rng.choice(vocab) for _ in range(rng.randint(2, 16))).capitalize() + "."
            for _ in range(rng.randint(2, 4)))
        chunks = chunk_narration(text, "en")
        assert not _stranded(chunks), chunks
