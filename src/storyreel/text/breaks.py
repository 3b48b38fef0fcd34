"""The break rules: subtitle punctuation, and where a line may break and how well (a
:class:`Level` for every allowed position), for Chinese and English.

Captions (:mod:`storyreel.text.linebreak`, :mod:`storyreel.text.chunk`), slides and
covers (:mod:`storyreel.text.wrap`) and post texts all break by these rules; see
:mod:`storyreel.text.linebreak` for them in words.
"""

from __future__ import annotations

import itertools
import re
from enum import IntEnum
from typing import Final

from storyreel.text.chars import (
    CLOSE_BRACKETS,
    DASHES,
    EN_NO_LINE_END,
    EN_NO_LINE_START,
    MIDDOTS,
    OPEN_BRACKETS,
    ZH_NO_LINE_END,
    ZH_NO_LINE_START,
    is_han,
    is_narrow_alnum,
    is_wide,
)
from storyreel.text.segment import inside_names, inside_words, phrase_bounds

# What ，and 。 inside a Chinese line become.
ZH_PAUSE: Final = " "


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- classes of the break rules (the character model is text/chars.py) -------------

_ZH_SENTENCE_END: Final = frozenset("。！？!?.")
_ZH_CLAUSE_END: Final = frozenset("，；：,;:…‥") | DASHES | CLOSE_BRACKETS
_ZH_PAUSED: Final = frozenset("，。")  # shown as ZH_PAUSE inside a line, dropped at its end
_ZH_NUMERALS: Final = frozenset("零〇一二三四五六七八九十百千万亿两")
_ZH_MULTIPLIERS: Final = frozenset("十百千万亿兆")
_ZH_APPROX_MULTIPLIERS: Final = frozenset("多余几十百千万亿兆")
# Units of more than one character, longest first (one-character units: any 汉字).
_ZH_UNITS: Final = tuple(sorted(_words(
    "立方米 平方米 平方公里 平方千米 公里 千米 厘米 毫米 公斤 千克 公顷 千瓦时 千瓦 兆瓦 吉瓦 "
    "小时 分钟 万元 亿元 美元 欧元 英镑 港元 日元 摄氏度 百分点 个月 周岁"), key=len, reverse=True))
# Particles that belong to the word before: a line should not start with one.
_ZH_PARTICLES: Final = frozenset("了的地得着过们吗呢吧啊呀么")
# Characters used to transcribe foreign names (约翰·史密斯, 穆罕默德·阿里): how far a
# name reaches from its interpunct. Common words' characters (的, 和, 说, 先, 生) are not.
_TRANSLIT: Final = frozenset(
    "阿埃艾爱安昂敖奥澳巴拜班邦保鲍贝本比彼毕宾波伯勃博布查达戴丹道德登邓狄迪蒂丁东杜敦"
    "多厄恩尔法凡范菲斐费芬丰冯佛弗福伏盖甘冈戈格贡古圭哈海亥汉豪赫黑亨洪胡霍基吉加贾简"
    "杰捷金卡凯坎康考柯科克肯库夸奎昆拉莱赖兰朗劳勒雷蕾里利莉丽连琳林隆卢鲁路露伦罗洛马"
    "玛迈麦曼芒梅门蒙米密敏明缪莫墨默姆穆纳娜奈南瑙内尼妮涅宁纽努诺欧帕潘庞佩彭皮珀普奇"
    "齐乔琼丘让瑞若萨塞赛桑瑟森沙莎尚舍什施史斯丝松苏索塔泰坦汤唐特提汀廷图托瓦万旺威韦"
    "维温沃乌伍西希锡席夏谢辛休修雅亚扬耶伊因英尤约泽扎詹珍朱兹佐娅琪黛薇翰罕卜逊顿茨芙"
    "卓堡契恰琦璐娃妃莲斐得白居"
)
_FULLWIDTH: Final = {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！",
                     "(": "（", ")": "）"}
# Characters subtitle formats read as markup (ASS override blocks and escapes, SRT and
# WebVTT tags, the "-->" of a timing line) are shown as their full-width look-alikes, in
# both languages and in every format and the burned-in captions alike, so a file carries
# the narration's text and nothing else: {\b1} shows as ｛＼b1｝, <b> as ＜b＞.
# So is the colon of a time with a fraction of a second, as subtitle files write times
# (00:00:05,000, 00:05.000), shown as ∶: lenient readers take a line with two such
# times for a timing line.
_MARKUP_LOOKALIKES: Final = {"{": "｛", "}": "｝", "\\": "＼", "<": "＜", ">": "＞"}
_DISPLAY_SUBST: Final = {"zh": _MARKUP_LOOKALIKES, "en": _MARKUP_LOOKALIKES}
_SUBTITLE_TIME: Final = re.compile(r"(?:\d+:)?\d+:\d+[.,]\d")
_TIME_COLON: Final = "∶"

_EN_SENTENCE_END: Final = frozenset(".?!")
_EN_CLOSERS: Final = ")]}\"'”’"
_EN_ABBREVIATIONS: Final = _words(
    "mr. mrs. ms. dr. prof. st. no. vs. e.g. i.e. etc. approx. jr. sr. u.s. u.k."
)
_EN_TITLES: Final = _words("mr. mrs. ms. dr. prof. st. mr mrs ms dr prof")
_EN_UNITS: Final = _words("""
    % percent per cent km km2 km² m m2 m² cm mm kg g t mt tons tonnes tonne ton kw kwh
    mw mwh gw gwh twh w l litres liters litre liter ml ha hectares hectare acres acre mu
    miles mile metres meters metre meter kilometres kilometers kilograms grams million
    millions billion billions trillion thousand thousands hundred yuan rmb dollars dollar
    euros euro usd cny pounds °c ℃ degrees years year months month days day hours hour
    minutes minute seconds second times x""")
_EN_CURRENCIES: Final = _words("usd rmb cny eur gbp hkd us$ hk$ rmb¥ no. no #")
_EN_BREAK_BEFORE: Final = _words("""
    and but or nor so yet because although though while whereas when whenever where
    which who whom whose that if unless until since after before as than to in on at for
    from of with without by into onto through across about against among between during
    over under within like including via""")
_EN_WEAK_END: Final = _words("""
    a an the this that these those my your his her its our their some any no every
    each either neither of to in on at for from with by into onto about as and or but
    is are was were be been being am has have had do does did will would shall should
    can could may might must not very more most than i we you he she they it who which
    mr mrs ms dr prof""")
_NUMBER_RE: Final = re.compile(r"[-+−]?[$€£¥￥]?\d(?:[\d,.]*\d)?%?")
_EN_NUMBER_WORDS: Final = _words("""
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred hundreds thousand thousands million millions billion billions
    dozen dozens half""")
_EN_UNIT_PREFIXES: Final = _words("cubic square")


class Level(IntEnum):
    """How good a place to break is; lower is better."""

    SENTENCE = 0  # after 。！？ . ? !
    CLAUSE = 1  # after ，；：, ; : a dash, a closing bracket or quote, …
    ENUM = 2  # after 、
    PHRASE = 3  # zh: a budoux phrase boundary, a space; en: before a conjunction/preposition
    WORD = 4  # en: any other word boundary
    WEAK = 5  # en: after an article, preposition, auxiliary, pronoun, number; inside a name
    CHAR = 6  # zh: between two characters inside a phrase
    NAME = 7  # zh: inside a name joined by · (its extent is a guess): only if nothing else fits
    IN_WORD = 8  # zh: inside a word (jieba, the field's terms, the storyboard's names): last resort


# --- Chinese -----------------------------------------------------------------------


def _normalize_zh(text: str) -> tuple[str, frozenset[int]]:
    """Half-width punctuation next to Chinese becomes full-width, straight quotes curly.

    Returns the text (same length) and the positions of quotes whose direction the
    context does not tell: those get no break on either side.
    """
    out = [" " if ch.isspace() else ch for ch in text]
    glued: set[int] = set()
    n = len(text)
    counts = {'"': 0, "'": 0}
    for k, ch in enumerate(text):
        prev = text[k - 1] if k > 0 else None
        nxt = text[k + 1] if k + 1 < n else None
        if ch in _FULLWIDTH:
            if ch == "." and ("." in (prev, nxt)):
                continue  # part of an ellipsis "..."
            # (We did it!” keeps its ! : a closing quote does not make it Chinese.)
            near_wide = (prev is not None and is_wide(prev)) or (
                nxt is not None and is_wide(nxt) and nxt not in CLOSE_BRACKETS)
            near_alnum = (prev is not None and is_narrow_alnum(prev)) or (
                nxt is not None and is_narrow_alnum(nxt))
            if near_wide or not near_alnum:
                out[k] = _FULLWIDTH[ch]
        elif ch in counts:
            if ch == "'" and prev is not None and nxt is not None and (
                    is_narrow_alnum(prev) and is_narrow_alnum(nxt)):
                continue  # an apostrophe: don't, Apple's
            opening_ctx = prev is None or prev.isspace() or prev in OPEN_BRACKETS or (
                prev in "，、；：,;:") or prev in DASHES
            closing_ctx = nxt is None or nxt.isspace() or nxt in ZH_NO_LINE_START
            pair = "“”" if ch == '"' else "‘’"
            if opening_ctx and not closing_ctx:
                out[k] = pair[0]
            elif closing_ctx and not opening_ctx:
                out[k] = pair[1]
            else:
                out[k] = pair[counts[ch] % 2]
                glued.add(k)
            counts[ch] += 1
    for m in re.finditer(r"\([^()]{0,40}\)", text):  # in pairs: (2023年) → （2023年）
        i, j = m.start(), m.end() - 1
        if (out[i] == "（") != (out[j] == "）"):
            out[i], out[j] = "（", "）"
    return "".join(out), frozenset(glued)


def _display_common(norm: str, lang: str) -> list[str]:
    """Display forms shared by both languages: ``...`` → …, characters subtitle formats
    would read as markup shown as look-alikes (``_MARKUP_LOOKALIKES``, and the colons of
    a subtitle-style time as ∶)."""
    subst = _DISPLAY_SUBST[lang]
    disp = [subst.get(ch, ch) for ch in norm]
    for m in _SUBTITLE_TIME.finditer(norm):
        for k in range(m.start(), m.end()):
            if norm[k] == ":":
                disp[k] = _TIME_COLON
    k, n = 0, len(norm)
    while k < n:
        if norm[k] == ".":
            j = k
            while j < n and norm[j] == ".":
                j += 1
            if j - k >= 3:
                disp[k] = "…"
                for i in range(k + 1, j):
                    disp[i] = ""
            k = j
        else:
            k += 1
    return disp


def _display_zh(norm: str) -> list[str]:
    disp = _display_common(norm, "zh")
    n = len(norm)
    for k, ch in enumerate(norm):
        if ch not in _ZH_PAUSED:
            continue
        j = k + 1
        while j < n and norm[j] in CLOSE_BRACKETS:
            j += 1
        if j == k + 1:
            disp[k] = ZH_PAUSE if j < n else ""
        else:
            # 好。”我们 → 好” 我们: the pause goes after the closing quote.
            disp[k] = ""
            if j < n and not norm[j].isspace() and disp[j - 1] == norm[j - 1]:
                disp[j - 1] = norm[j - 1] + ZH_PAUSE
    return disp


def _collapse_spaces(disp: list[str]) -> list[str]:
    out = list(disp)
    last = " "  # leading spaces vanish
    for k, d in enumerate(out):
        if not d:
            continue
        if d == " " and last.endswith(" "):
            out[k] = ""
            continue
        last = d
    return out


def _numeric_glue_zh(norm: str) -> set[int]:
    """Break positions inside numbers with their units: 100吨, 2023年, 3.5万吨,
    一百二十吨, 第3届, 100 km."""
    glued: set[int] = set()
    n = len(norm)
    k = 0
    while k < n:
        if not (str.isdigit(norm[k]) or norm[k] in _ZH_NUMERALS):
            k += 1
            continue
        j = k
        arabic = False
        while j < n and (str.isdigit(norm[j]) or norm[j] in _ZH_NUMERALS or (
                norm[j] in ".," and k < j < n - 1
                and str.isdigit(norm[j - 1]) and str.isdigit(norm[j + 1]))):
            arabic = arabic or str.isdigit(norm[j])
            j += 1
        run = norm[k:j]
        # One numeral alone (统一, 一起) is a word, not a number.
        if arabic or len(run) >= 2 or any(c in _ZH_MULTIPLIERS for c in run):
            if k > 0 and norm[k - 1] == "第":
                glued.add(k)
            end = j
            while end < n and norm[end] in _ZH_APPROX_MULTIPLIERS:
                end += 1
            unit = next((u for u in _ZH_UNITS if norm.startswith(u, end)), None)
            if unit:
                end += len(unit)
            elif end < n and is_han(norm[end]):
                end += 1  # the unit
            elif arabic and end == j and end + 1 < n and norm[end] == " " and (
                    _en_unit_at(norm, end + 1)):
                glued.add(end + 1)  # 100 km
            glued.update(range(k + 1, end))
        k = j
    return glued


def _en_unit_at(norm: str, k: int) -> bool:
    m = re.match(r"[A-Za-z%°℃²]+", norm[k:])
    return m is not None and m.group(0).lower() in _EN_UNITS


def _name_glue_zh(norm: str, phrases: frozenset[int]) -> set[int]:
    """Break positions inside names joined by an interpunct: 约翰·史密斯 (next to the
    dot a break is never allowed; these are the positions further in).

    On each side a name part runs as far as the budoux phrase around the dot or as far
    as characters used to transcribe foreign names (up to four), whichever is longer,
    and never past the Chinese characters next to the dot (budoux alone gives
    阿卜杜勒·本·拉赫|曼 and 让|·保罗来自).
    """
    glued: set[int] = set()
    n = len(norm)
    bounds = sorted(phrases | {0})
    for d, ch in enumerate(norm):
        if ch not in MIDDOTS:
            continue
        run_start = d
        while run_start > 0 and is_han(norm[run_start - 1]):
            run_start -= 1
        run_end = d + 1
        while run_end < n and is_han(norm[run_end]):
            run_end += 1
        phrase_start = max((b for b in bounds if b <= d - 1), default=0)
        phrase_end = min((b for b in bounds if b > d + 1), default=n)
        translit_start = d
        while translit_start > max(run_start, d - 4) and norm[translit_start - 1] in _TRANSLIT:
            translit_start -= 1
        translit_end = d + 1
        while translit_end < min(run_end, d + 5) and norm[translit_end] in _TRANSLIT:
            translit_end += 1
        start = max(run_start, min(d - 1, phrase_start, translit_start))
        end = min(run_end, max(d + 2, phrase_end, translit_end))
        glued.update(range(start + 1, end))
    return glued


def _breaks_zh(norm: str, glued_quotes: frozenset[int]) -> dict[int, Level]:
    n = len(norm)
    phrases = phrase_bounds(norm)
    numeric = _numeric_glue_zh(norm)
    names = _name_glue_zh(norm, phrases)
    words = inside_words(norm)
    breaks: dict[int, Level] = {}
    for k in range(1, n):
        nxt = norm[k]
        if nxt.isspace() or k in numeric or k in glued_quotes:
            continue
        spaced = norm[k - 1].isspace()
        i = k - 1
        while i >= 0 and norm[i].isspace():
            i -= 1
        if i < 0:
            continue
        p = norm[i]
        if i in glued_quotes:
            continue
        if nxt in ZH_NO_LINE_START or p in ZH_NO_LINE_END:
            continue
        if not spaced and not is_wide(p) and not is_wide(nxt):
            continue  # inside a run of Latin letters, digits and half-width signs
        if k in words and not spaced:
            breaks[k] = Level.IN_WORD
        elif k in names:
            breaks[k] = Level.NAME
        else:
            breaks[k] = _level_zh(norm, i, k, spaced, phrases)
    return breaks


def _level_zh(norm: str, i: int, k: int, spaced: bool, phrases: frozenset[int]) -> Level:
    p = norm[i]
    j = i
    while j >= 0 and norm[j] in CLOSE_BRACKETS:
        j -= 1
    ellipsis = norm[max(j - 1, 0):j + 1] == ".."
    if j >= 0 and norm[j] in _ZH_SENTENCE_END and not ellipsis:
        return Level.SENTENCE
    if p in _ZH_CLAUSE_END or ellipsis:
        return Level.CLAUSE
    if p == "、":
        return Level.ENUM
    if norm[k] in _ZH_PARTICLES:
        return Level.CHAR  # 成|了, 借|着: budoux sometimes puts a phrase boundary there
    if spaced or k in phrases or is_wide(p) != is_wide(norm[k]):
        return Level.PHRASE
    return Level.CHAR


# --- English -----------------------------------------------------------------------


def _bare(token: str) -> str:
    return token.strip("\"'“”‘’()[]{},;:!?…").lower()


def _is_number_en(token: str) -> bool:
    """100, $5, 3.5%, fifty, twenty-five (not when punctuation ends it: "fifty,")."""
    low = token.lower()
    return bool(_NUMBER_RE.fullmatch(token)) or all(
        part in _EN_NUMBER_WORDS for part in low.split("-"))


def _breaks_en(norm: str) -> dict[int, Level]:
    tokens = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", norm)]
    names = inside_names(norm)
    breaks: dict[int, Level] = {}
    for (_, prev), (k, nxt) in itertools.pairwise(tokens):
        p, q = prev[-1], nxt[0]
        if q in EN_NO_LINE_START or nxt in ("-", "--") or p in EN_NO_LINE_END:
            continue
        if prev in ('"', "'"):
            continue
        prev_low, next_bare = prev.lower(), _bare(nxt)
        if _is_number_en(prev) and (next_bare in _EN_UNITS or nxt.lower() in _EN_UNITS
                                    or next_bare in _EN_UNIT_PREFIXES):
            continue  # 100 tonnes, 3.5 percent, fifty thousand cubic metres
        if prev_low in _EN_UNIT_PREFIXES and next_bare in _EN_UNITS:
            continue  # cubic | metres
        if prev_low in _EN_CURRENCIES and q.isdigit():
            continue  # USD 5
        if prev_low in _EN_TITLES and q.isupper():
            continue  # Dr. Li
        if prev_low == "per" and next_bare == "cent":
            continue
        breaks[k] = Level.IN_WORD if k in names else _level_en(prev, nxt)
    return breaks


def _level_en(prev: str, nxt: str) -> Level:
    core = prev.rstrip(_EN_CLOSERS)
    if core and core[-1] in _EN_SENTENCE_END and prev.lower() not in _EN_ABBREVIATIONS:
        return Level.SENTENCE
    p = prev[-1]
    if p in ",;:…" or p in _EN_CLOSERS or p in DASHES or prev in ("-", "--"):
        return Level.CLAUSE
    prev_bare = _bare(prev)
    if prev_bare in _EN_WEAK_END or _is_number_en(prev):
        return Level.WEAK
    if prev[:1].isupper() and nxt[:1].isupper():
        return Level.WEAK  # likely one name: Li Wei, United Nations
    if _bare(nxt) in _EN_BREAK_BEFORE:
        return Level.PHRASE
    return Level.WORD


def prepare(text: str, lang: str) -> tuple[str, list[str], dict[int, Level]]:
    """``text`` with subtitle punctuation applied (same length), what each character
    displays as inside a line ("" for nothing), and every allowed break with its level."""
    if lang == "zh":
        norm, glued = _normalize_zh(text)
        disp = _display_zh(norm)
        breaks = _breaks_zh(norm, glued)
    else:
        norm = "".join(" " if ch.isspace() else ch for ch in text)
        disp = _display_common(norm, lang)
        breaks = _breaks_en(norm)
    return norm, _collapse_spaces(disp), breaks
