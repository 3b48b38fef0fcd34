"""The platform table and posts that fit it: every text within its platform's limits,
shortened at natural breaks only."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from storyreel.errors import PlatformTableError
from storyreel.package.platforms import TABLE, load_platforms, measure
from storyreel.package.posts import ELLIPSIS, Post, Texts, make_post, shorten, tag_form
from storyreel.presets import PRESETS
from storyreel.text import ZH_NO_LINE_END, ZH_NO_LINE_START, Level, inside_words, prepare

from clitools import invoke

NAMED = ("douyin", "wechat-channels", "bilibili", "weibo", "xiaohongshu", "youtube",
         "tiktok", "x", "linkedin", "website", "wechat-official")

ZH_TITLE = ("中国土木工程集团有限公司承建的卡富埃河供水项目，让赞比亚首都卢萨卡的几十万居民"
            "第一次用上了二十四小时不间断的安全自来水")
ZH_TEXT = ("赞比亚首都卢萨卡人口增长很快，供水却跟不上。许多街区每天只有几个小时有水，人们提着"
           "水桶排队，或者去打容易传播疾病的浅井水。答案在南边约50公里外的卡富埃河。赞比亚政府"
           "借助中国进出口银行贷款，由中国土木工程集团在河边建起新的取水站。河水先进入新建的净水"
           "厂，经过沉淀、过滤和消毒，变成可以直接饮用的清水。") * 20
EN_TITLE = ("How a river, a treatment plant and a pipeline brought safe water around the clock "
            "to hundreds of thousands of people in Lusaka, Zambia's fast-growing capital city")
EN_TEXT = ("Lusaka, the capital of Zambia, was growing fast, and its water supply could not keep "
           "up. Many homes had running water for only a few hours a day. Families queued with "
           "buckets or drew from shallow wells, which can spread diseases such as cholera. "
           "The answer lay about fifty kilometres south, on the Kafue River. ") * 40
TAGS = {"zh": ("清洁饮水", "基础设施", "赞比亚", "中非合作", "城市供水", "公共卫生"),
        "en": ("clean water", "infrastructure", "Zambia", "China Africa", "urban water",
               "public health")}
LONG = {"zh": Texts(ZH_TITLE, ZH_TEXT, TAGS["zh"]), "en": Texts(EN_TITLE, EN_TEXT, TAGS["en"])}


def test_the_table_loads_and_every_platform_has_every_field_and_a_source() -> None:
    platforms = load_platforms()
    assert platforms.keys() == NAMED
    raw = TABLE.read_text(encoding="utf-8")
    for p in platforms:
        assert p.name and p.preset in PRESETS and p.langs and set(p.langs) <= {"zh", "en"}
        assert p.description.max > 0 and p.tags.max_items > 0 and p.tags.max_each > 0
        assert p.cover[0] >= 320 and p.cover[1] >= 320
        assert set(p.subtitles) <= {"srt", "vtt"}
        assert p.max_seconds is None or p.max_seconds >= 60
        # Each platform's block cites where its figures come from (or says it could not).
        block = raw.split(f"\n{p.key}:\n", 1)[1].split("\n\n", 1)[0]
        comments = " ".join(line for line in block.splitlines() if line.strip().startswith("#"))
        assert re.search(r"[a-z0-9-]+\.(com|org|cn|co|dev|ai|io)\b|unconfirmed|YouTube Help",
                         comments), f"{p.key}: no source in its comments"
    # The table covers what distribution staff upload to, in the formats storyreel renders.
    assert {p.preset for p in platforms} == {"landscape", "portrait"}
    assert {lang for p in platforms for lang in p.langs} == {"zh", "en"}


def test_a_project_table_overrides_fields_and_adds_platforms(tmp_path: Path) -> None:
    (tmp_path / "platforms.yaml").write_text(
        "x:\n  description: {max: 100, count: weighted}\n"
        "kuaishou:\n  name: 快手\n  preset: portrait\n  langs: [zh]\n  max_seconds: 600\n"
        "  max_bytes: null\n  title: null\n  description: {max: 500}\n"
        "  tags: {form: hashtag, max_items: 3, max_each: 10}\n  cover: [1080, 1920]\n"
        "  subtitles: []\n", encoding="utf-8")
    platforms = load_platforms(tmp_path)
    assert platforms.get("x").description.max == 100
    assert platforms.get("x").max_seconds == 140  # the rest of the row is the package's
    assert platforms.get("kuaishou").name == "快手"
    assert [p.key for p in platforms.taking("zh", "portrait")][-1] == "kuaishou"
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "platforms.yaml").write_text("x:\n  preset: vertical\n",
                                                     encoding="utf-8")
    with pytest.raises(PlatformTableError) as caught:
        load_platforms(tmp_path / "bad")
    assert str(caught.value).startswith(str(tmp_path / "bad" / "platforms.yaml") + ": x.preset")


def test_text_is_counted_the_way_each_platform_counts() -> None:
    assert measure("中文ab", "chars") == 4
    assert measure("中文ab", "bytes") == 8
    assert measure("中文ab", "weighted") == 6  # CJK weigh 2 on X
    assert measure("中文ab", "halfwidth") == 3  # Weibo: half-width counts half
    assert measure("a😀", "utf16") == 3
    assert measure("café “quoted” — fine", "weighted") == len("café “quoted” — fine")


def _check_cut(short: str, source: str, lang: str) -> None:
    """``short`` is ``source`` whole, or its beginning cut at an allowed break."""
    source = " ".join(source.split()) if lang == "en" else source.strip()
    if short == source:
        return
    core = short.removesuffix(ELLIPSIS[lang])
    assert source.startswith(core), (short, source[:80])
    k = len(core)
    while k < len(source) and source[k] in "，、；：,;:—–- ":
        k += 1
    _, _, breaks = prepare(source, lang)
    worst = Level.PHRASE if lang == "zh" else Level.WEAK
    assert k in breaks and breaks[k] <= worst, f"cut inside a word or phrase: {core!r}"
    if lang == "zh":  # 避头尾, and never inside a word (jieba) or a name
        assert core[-1] not in ZH_NO_LINE_END and source[k] not in ZH_NO_LINE_START
        assert k not in inside_words(source), f"cut inside a word: {core!r}"
    else:
        assert source[k - 1] == " " or source[k] == " " or k == len(source)


def _check_post(post: Post, texts: Texts) -> None:
    platform = load_platforms().get(post.platform)
    assert measure(post.text, platform.description.count) <= platform.description.max
    if platform.title is not None:
        assert 0 < measure(post.title, platform.title.count) <= platform.title.max
        _check_cut(post.title, texts.title, post.lang)
    assert len(post.tags) <= platform.tags.max_items
    for tag in post.tags:
        assert measure(tag.strip("#"), platform.description.count) <= platform.tags.max_each
    if platform.tags.form == "field" and platform.tags.max_total is not None:
        assert measure(", ".join(post.tags), platform.description.count) \
            <= platform.tags.max_total
    body = post.text
    if platform.tags.form != "field" and post.tags:
        body, _, tagline = post.text.rpartition("\n\n")
        assert tagline == " ".join(post.tags)
    if platform.title is None:
        head, _, body = body.partition("\n")
        _check_cut(head, texts.title, post.lang)
    if body:
        _check_cut(body, texts.description, post.lang)
    for name, length, limit in post.lengths:
        assert length <= limit, (post.platform, name)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_post_fits_its_platform_and_is_cut_only_at_natural_breaks(lang: str) -> None:
    platforms = load_platforms()
    posts = [make_post(LONG[lang], p, lang) for p in platforms if lang in p.langs]
    assert len(posts) >= 5
    for post in posts:
        _check_post(post, LONG[lang])
        assert post.text and not post.problems, post
    # The long inputs were really shortened, and the short fields really are short.
    assert any(p.title and p.title != LONG[lang].title for p in posts)
    assert all(p.text != LONG[lang].description for p in posts)
    if lang == "en":  # X has no title field: the post opens with the title
        x = next(p for p in posts if p.platform == "x")
        assert x.text.startswith(EN_TITLE) and x.text.count("\n") >= 3


def test_shortening_keeps_words_phrases_and_sentences_whole() -> None:
    text = "中国土木工程集团有限公司在河边建起新的取水站。河水先进入新建的净水厂，经过沉淀。"
    for limit in range(8, len(text)):
        short = shorten(text, "zh", limit)
        assert measure(short, "chars") <= limit
        _check_cut(short, text, "zh") if short else None
        assert "有限公" not in short or "有限公司" in short
    assert shorten(text, "zh", 26) == "中国土木工程集团有限公司在河边建起新的取水站。"  # a sentence
    en = "The answer lay about fifty kilometres south, on the Kafue River."
    assert shorten(en, "en", 30) == "The answer lay…"  # never "fifty" without its unit
    assert shorten(en, "en", 50) == "The answer lay about fifty kilometres south…"
    assert shorten("Unbreakablewordthatistoolong", "en", 10) == ""


def test_hashtags_take_each_platform_form() -> None:
    platforms = load_platforms()
    assert tag_form("clean water", "en", platforms.get("tiktok").tags) == "#CleanWater"
    assert tag_form("清洁 饮水", "zh", platforms.get("weibo").tags) == "#清洁饮水#"
    assert tag_form("clean water", "en", platforms.get("youtube").tags) == "clean water"
    post = make_post(LONG["zh"], platforms.get("weibo"), "zh")
    assert post.text.endswith("#清洁饮水# #基础设施# #赞比亚#")


def test_check_reports_overrides_that_do_not_fit_and_unknown_platforms(
        tmp_path: Path, env: dict[str, str]) -> None:
    shutil.copytree(Path(__file__).parent / "data" / "tiny", tmp_path / "storyboards")
    story = tmp_path / "storyboards" / "tiny.yaml"
    source = story.read_text(encoding="utf-8")
    overrides = ("platforms:\n"
                 "  xiaohongshu:\n    title: {zh: Supercalifragilisticexpialidocious}\n"
                 "  douyin:\n    title: {zh: 河边的灯火}\n"
                 "  kwai:\n    title: {zh: 灯}\n")
    story.write_text(source.replace("scenes:\n", overrides + "scenes:\n", 1), encoding="utf-8")
    result = invoke(["check", str(story), "--lang", "zh", "--preset", "landscape",
                     "--format", "json"], env)
    problems = json.loads(result.output)["storyboards"][0]["problems"]
    messages = [p["message"] for p in problems]
    assert any("platforms.kwai: unknown platform" in m and p["severity"] == "error"
               for m, p in zip(messages, problems, strict=True)), messages
    assert any("xiaohongshu" in m and "cannot fit" in m for m in messages), messages
    assert result.exit_code == 1
    from storyreel.package.posts import texts_of
    from storyreel.storyboard.load import load_storyboard

    douyin = make_post(texts_of(load_storyboard(story), "zh"), load_platforms().get("douyin"),
                       "zh")
    assert douyin.title == "河边的灯火"  # the override, not the story's title
