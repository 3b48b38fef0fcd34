"""Finding slide text in a story's own words: enumerations, quotations, figures, key
phrases, condensation. Pure text: no engine, no files."""

from __future__ import annotations

from storyreel.editor.draft import (
    Block,
    Story,
    condense,
    enumeration,
    first_figure,
    key_phrase,
    leading_figure,
    quotation,
    sentences,
    shorten,
)
from storyreel.editor.draft.phrases import LIMITS, key_phrases, points, tags


def test_enumerations_in_both_languages() -> None:
    zh = enumeration("计划从三件事做起。一是减量，用更窄的胶带。二是循环，反复使用。"
                     "三是回收。", "zh")
    assert zh is not None and zh.lead == "计划从三件事做起。"
    assert points(zh.items, "zh") == ["减量", "循环", "回收"]
    en = enumeration("It works in three steps. First, use less. Second, reuse. Finally, "
                     "recycle what is left.", "en")
    assert en is not None and points(en.items, "en") == ["Use less", "Reuse",
                                                         "Recycle what is left"]
    first = enumeration("首先，扎草方格。其次，浇水补种。最后，长期巡护。", "zh")
    assert first is not None and len(first.items) == 3
    inline = enumeration("改变包装，涉及一条长长的链条：设计、生产、仓储、运输和回收。", "zh")
    assert inline is not None and inline.items == ("设计", "生产", "仓储", "运输", "回收")
    assert points(inline.items, "zh") == ["设计", "生产", "仓储", "运输、回收"]  # four at most
    listed = enumeration("It set out measures in four areas: energy, transport, purchasing "
                         "and internal pricing.", "en")
    assert listed is not None and listed.items == ("energy", "transport", "purchasing",
                                                   "internal pricing")
    assert enumeration("The first time, nobody came. Then it rained.", "en") is None


def test_quotations_and_their_speakers() -> None:
    after = quotation("“地球现在是我们唯一的股东。”乔伊纳德在公开信里这样写道。", "zh")
    assert after is not None and after.speaker == "乔伊纳德"
    before = quotation('Microsoft President Brad Smith wrote when the plan was announced: '
                       '"Those of us who can afford to move faster should do so."', "en")
    assert before is not None and before.speaker == "Microsoft President Brad Smith"
    assert before.words == "Those of us who can afford to move faster should do so."
    trailing = quotation('"Earth is now our only shareholder," Chouinard wrote.', "en")
    assert trailing is not None and trailing.speaker == "Chouinard"
    assert trailing.words == "Earth is now our only shareholder."
    # A quoted name inside a sentence is not a quotation.
    assert quotation("They launched the “Green Stream” plan with nine brands.", "en") is None


def test_figures_not_years() -> None:
    assert leading_figure("99% of its coffee was ethically sourced.", "en") == "99%"
    assert leading_figure("1.22亿棵树，这是截至2019年8月的数字。", "zh") == "1.22亿棵树"
    assert leading_figure("In 2004, Starbucks launched a plan.", "en") == ""
    assert first_figure("In 2017, couriers handled more than 40 billion parcels.", "en") == \
        "40 billion parcels"
    assert first_figure("2017年，中国的快递业务量超过400亿件。", "zh") == "400亿件"
    assert first_figure("It would emit about 16 million metric tons of carbon.", "en") == \
        "16 million metric tons"


def test_key_phrases_are_cut_where_they_read_whole() -> None:
    assert key_phrase("2004年，星巴克和保护国际一起推出了一套准则。", "zh", 20) == \
        "星巴克和保护国际一起推出了一套准则"
    assert key_phrase("In 2004, Starbucks launched guidelines.", "en", 60) == \
        "Starbucks launched guidelines"
    # Never inside a name, never after a number, never an open quote.
    assert shorten("JD Logistics and a group of brands launched the Green Stream initiative",
                   "en", 50) == "JD Logistics and a group of brands launched"
    assert not shorten("China's couriers handled more than 40 billion parcels last year",
                       "en", 40).endswith("40")
    cut = shorten("京东物流联合多家品牌和十几家供应商共同发起了“青流计划”项目", "zh", 20)
    assert cut.count("“") == cut.count("”")
    # Paired slide text comes from the same place in both languages, or not at all.
    pair = key_phrases({"zh": "青流箱用塑料做成。快递员把商品送到门口，顾客取走东西。",
                        "en": "The box is made of plastic. The courier brings it to the "
                              "door, and the customer takes the goods."},
                       LIMITS["text"], skip=1, whole=True)
    assert pair == {"zh": "快递员把商品送到门口", "en": "The courier brings it to the door"}


def test_tags_are_topics_named_in_both_languages() -> None:
    found = tags({"zh": "种植者在农场里种咖啡，咖啡树苗", "en": "growers farm coffee seedlings"})
    assert {"zh": "咖啡", "en": "coffee"} in found
    assert all(t["zh"] != "教育" for t in found)


def test_condensing_keeps_pairs_the_opening_and_the_end() -> None:
    zh = ["2004年，它开始了。后来又做了很多事。", "这一段没有什么。只是过渡而已。",
          "99%的咖啡达标了。背后是很多家庭。", "谢谢收看。"]
    en = ["It began in 2004. Much more followed.", "This paragraph says little. It is a "
          "bridge.", "99% of the coffee met the bar. Many families stand behind it.",
          "Thanks for watching."]
    stories = {"zh": Story("标题", [Block(t) for t in zh]),
               "en": Story("Title", [Block(t) for t in en])}

    def speech_ms(text: str, lang: str) -> int:
        return len(text) * (250 if lang == "zh" else 70)

    kept = condense(stories, 16_000, speech_ms)
    for lang in ("zh", "en"):
        blocks = [b.text for b in kept.stories[lang].blocks]
        assert blocks[0].startswith(sentences((zh if lang == "zh" else en)[0], lang)[0])
        assert blocks[-1] == (zh if lang == "zh" else en)[-1]
        assert any("99" in b for b in blocks)  # the figure stays
    assert len(kept.stories["zh"].blocks) == len(kept.stories["en"].blocks)
    assert kept.left_out and any("paragraph 2" in line for line in kept.left_out)
