"""The project lexicon and Chinese number reading, applied to what is spoken only."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyreel.tts import SpeechCache
from storyreel.tts.espeak import EspeakEngine
from storyreel.tts.lexicon import (
    Entry,
    Lexicon,
    LexiconError,
    load_lexicon,
    prepare_for_speech,
    project_lexicon,
)
from storyreel.tts.numbers import speak_numbers, speak_numbers_zh

REPO = Path(__file__).resolve().parent.parent
ESPEAK = EspeakEngine()
LEXICON = Lexicon(
    (
        Entry("en", "CSR", "C S R"),
        Entry("en", "CSR report", "corporate responsibility report"),
        Entry("en", "esg", "E S G", ignore_case=True),
        Entry("zh", "CSR", "企业社会责任"),
        Entry("zh", "碳足迹", "碳 足迹"),
    )
)


def spoken_samples(text: str, lang: str) -> np.ndarray:
    return ESPEAK.synthesize(text, lang=lang, voice=ESPEAK.default_voice(lang), rate=1.0).samples


# --- the lexicon ---------------------------------------------------------------------


def test_a_lexicon_entry_changes_what_is_spoken_but_not_the_caption(tmp_path: Path) -> None:
    caption = "我们发布了CSR报告。"
    spoken = prepare_for_speech(caption, "zh", LEXICON)
    assert caption == "我们发布了CSR报告。"  # the caption is untouched
    assert spoken == "我们发布了企业社会责任报告。"
    plain, with_lexicon = spoken_samples(caption, "zh"), spoken_samples(spoken, "zh")
    assert len(with_lexicon) > len(plain) * 1.3  # six more syllables
    speech = SpeechCache(tmp_path).speak(ESPEAK, spoken, lang="zh")
    assert speech.text == spoken
    assert "企业社会责任" in "".join(speech.word_texts())


def test_latin_matches_are_whole_words_and_the_longest_wins() -> None:
    assert LEXICON.apply("Our CSR report, CSR's aims; CSRC and PCSR stay.", "en") == (
        "Our corporate responsibility report, C S R's aims; CSRC and PCSR stay."
    )
    assert LEXICON.apply("ESG, Esg and esg", "en") == "E S G, E S G and E S G"
    assert LEXICON.apply("CSR", "zh") == "企业社会责任"
    assert LEXICON.apply("的CSR报告与CSRC", "zh") == "的企业社会责任报告与CSRC"
    assert LEXICON.apply("减少碳足迹", "zh") == "减少碳 足迹"
    assert LEXICON.apply("CSR", "fr") == "CSR"
    assert Lexicon().apply("CSR", "en") == "CSR"


def test_replacements_are_not_replaced_again() -> None:
    lexicon = Lexicon((Entry("en", "A", "B"), Entry("en", "B", "C")))
    assert lexicon.apply("A B", "en") == "B C"


def test_the_digest_follows_the_content_not_the_order() -> None:
    one, two = Entry("en", "CSR", "C S R"), Entry("zh", "CSR", "企业社会责任")
    assert Lexicon((one, two)).digest == Lexicon((two, one)).digest
    assert Lexicon((one, two)).digest != Lexicon((one, Entry("zh", "CSR", "C S R"))).digest
    assert Lexicon().digest != Lexicon((one,)).digest
    assert len(Lexicon().digest) == 16


def test_the_sample_project_lexicon_loads() -> None:
    lexicon = project_lexicon(REPO)
    assert lexicon.source == REPO / "lexicon.yaml"
    assert {e.lang for e in lexicon.entries} == {"en", "zh"}
    assert prepare_for_speech("CSR", "en", lexicon) == "C S R"
    assert project_lexicon(REPO / "tests").entries == ()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("en:\n  - match: CSR\n    say: C S R\nfr:\n  - {match: a, say: b}\n",
         "lexicon.yaml:4: fr: unknown language; use zh, en"),
        ("en:\n  - match: CSR\n", "lexicon.yaml:2: en[0].say: field required; add it"),
        ("zh:\n  - match: CSR\n    say: 企业\n  - match: CSR\n    say: 社会\n",
         "lexicon.yaml:4: zh[1].match: 'CSR' is already listed as zh[0]"),
        ("en:\n  - match: CSR\n    sya: C S R\n",
         "lexicon.yaml:3: en[0].sya: unknown field; use match, say, ignore_case"),
        ("en:\n  - match: CSR\n    say: ''\n", "lexicon.yaml:3: en[0].say: must not be empty"),
        ("en: CSR\n", "lexicon.yaml:1: en: expected a list of {match, say} entries"),
        ("en:\n  - match: [CSR\n", "lexicon.yaml:3: YAML syntax error"),
    ],
)  # fmt: skip
def test_errors_name_file_line_and_field(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert str(info.value).startswith(f"{tmp_path}/{message}")


def test_an_empty_file_is_an_empty_lexicon(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text("# nothing yet\n")
    assert load_lexicon(path).entries == ()


# --- Chinese numbers ------------------------------------------------------------------


def test_2021_is_read_as_a_year() -> None:
    assert prepare_for_speech("2021年，", "zh") == "二〇二一年，"
    assert speak_numbers_zh("2020-2021年度") == "二〇二〇至二〇二一年度"
    assert speak_numbers_zh("拥有2000年历史") == "拥有两千年历史"  # a duration, not a year
    # espeak alone reads the numeral as a quantity (两千零二十一), five syllables to four;
    # espeak's output varies by a few ms from call to call, hence lengths with a tolerance
    raw = len(spoken_samples("2021年", "zh"))
    as_year = len(spoken_samples(prepare_for_speech("2021年", "zh"), "zh"))
    reference = len(spoken_samples("二〇二一年", "zh"))
    assert abs(as_year - reference) < 0.02 * reference
    assert raw > 1.15 * as_year


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("增长了35%。", "增长了百分之三十五。"),
        ("占12.5%", "占百分之十二点五"),
        ("10%-20%", "百分之十到百分之二十"),
        ("3‰", "千分之三"),
        ("捐赠1,200万元", "捐赠一千二百万元"),
        ("¥300", "三百元"),
        ("US$ 5万", "五万美元"),
        ("¥1.2亿元", "一点二亿元"),
        ("覆盖3.5万人", "覆盖三点五万人"),
        ("2个项目，第2名", "两个项目，第二名"),
        ("2000名学生", "两千名学生"),
        ("3-5年", "三到五年"),
        ("1/3的员工", "三分之一的员工"),
        ("10:30到11:05", "十点三十分到十一点零五分"),
        ("-5℃到20°C", "负五摄氏度到二十摄氏度"),
        ("100km，50kWh", "一百公里，五十千瓦时"),
        ("100吨", "一百吨"),
        ("编号007", "编号〇〇七"),
        ("G20与COVID-19", "G20与COVID-19"),
    ],
)
def test_numbers_percentages_and_amounts(written: str, spoken: str) -> None:
    assert speak_numbers_zh(written) == spoken


def test_english_quantities_are_left_to_the_voice_years_are_not() -> None:
    assert speak_numbers("About 2021 lamps, 35% more.", "en") == "About 2021 lamps, 35% more."
    assert prepare_for_speech("CSR in 2021", "en", LEXICON) == "C S R in twenty twenty-one"


def test_lexicon_output_is_number_normalised() -> None:
    lexicon = Lexicon((Entry("zh", "SDG13", "第13项可持续发展目标"),))
    assert prepare_for_speech("SDG13", "zh", lexicon) == "第十三项可持续发展目标"
