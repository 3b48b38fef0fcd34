"""Chinese number reading: Arabic numerals rewritten as they are said, before synthesis.

espeak's ``cmn`` voice reads "2021年" as a quantity and "35%" as "三十五 percent sign";
neural voices guess. ``speak_numbers_zh`` rewrites numerals in Chinese text the way a
narrator reads them (cardinals from ``cn2an``):

====================  ==========================
2021年, 2020-2021年   二〇二一年, 二〇二〇至二〇二一年 (years digit by digit)
35%, 12.5%, 3‰        百分之三十五, 百分之十二点五, 千分之三
1,200万元, ¥300, $5    一千二百万元, 三百元, 五美元
3.5万人, 2个, 第2名     三点五万人, 两个, 第二名
10%-20%, 3~5年        百分之十到百分之二十, 三到五年
1/3, 10:30, -5℃       三分之一, 十点三十分, 负五摄氏度
100km, 50kWh          一百公里, 五十千瓦时 (units read as numbers, in Chinese)
010, 13800138000      零一零, 一三八〇〇一三八〇〇〇 (codes digit by digit)
====================  ==========================

Numerals glued to Latin letters (G20, COVID-19, 5G's "5" stays) are left to the voice.
Only the spoken text changes: captions keep the numerals as written.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from types import ModuleType

YEAR_DIGITS = "〇一二三四五六七八九"
CODE_DIGITS = "〇一二三四五六七八九"

_NUM = r"\d+(?:\.\d+)?"
_NOT_AFTER = r"(?<![A-Za-z\d.])(?<![A-Za-z]-)"  # not inside G20, COVID-19, 3.5.1
_DASH = r"\s*[-–—~～]\s*"

_CURRENCY_PREFIX: list[tuple[str, str]] = [
    (r"(?:HK\$|HKD)", "港元"),
    (r"(?:US\$|USD|\$)", "美元"),
    (r"(?:¥|￥|RMB|CNY)", "元"),
    (r"(?:€|EUR)", "欧元"),
    (r"(?:£|GBP)", "英镑"),
]

_CURRENCIES = [
    (re.compile(symbol + r"\s?(" + _NUM + r")\s*(万亿|亿|万|千|)(?:元)?"), name)
    for symbol, name in _CURRENCY_PREFIX
]

_UNITS: list[tuple[str, str]] = [
    ("km²", "平方公里"), ("km2", "平方公里"), ("m²", "平方米"), ("㎡", "平方米"),
    ("m³", "立方米"), ("kWh", "千瓦时"), ("MWh", "兆瓦时"), ("GWh", "吉瓦时"),
    ("kW", "千瓦"), ("MW", "兆瓦"), ("GW", "吉瓦"), ("km", "公里"), ("kg", "公斤"),
    ("cm", "厘米"), ("mm", "毫米"), ("ha", "公顷"), ("°C", "摄氏度"), ("℃", "摄氏度"),
]  # fmt: skip

# measure words (and 千/万/亿) before which 2 is read 两
_MEASURE = set("个位名种家次条项所座台辆只头本件张把棵块双对点年天周岁吨斤米万亿千百")

_YEAR = re.compile(
    _NOT_AFTER
    + r"(1\d{3}|20\d{2}|21\d{2})(?:("
    + r"\s*[-–—~～至到]\s*"
    + r")(1\d{3}|20\d{2}|21\d{2}))?"
    r"(?=\s*年(?!历史|之久|多|以上|左右))"
)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_PERCENT = re.compile(_NOT_AFTER + r"(" + _NUM + r")\s*([%％‰])")
_RANGE = re.compile(r"(?<=[\d%％‰])" + _DASH + r"(?=\d)")
_TIME = re.compile(_NOT_AFTER + r"([01]?\d|2[0-3])[:：]([0-5]\d)(?!\d)")
_FRACTION = re.compile(_NOT_AFTER + r"(\d+)/(\d+)(?![\d/])")
_NEGATIVE = re.compile(r"(?<![A-Za-z\d.%％)])[-−](?=\d)")
_NUMBER = re.compile(_NOT_AFTER + r"(" + _NUM + r")(?![\d.]*\d)")
_UNIT = re.compile(
    r"(?<=\d)\s*(" + "|".join(re.escape(unit) for unit, _ in _UNITS) + r")(?![A-Za-z])"
)
_UNIT_NAMES = dict(_UNITS)


@cache
def _cn2an() -> ModuleType:
    """cn2an, imported on first use (it takes ~0.1 s to import)."""
    return importlib.import_module("cn2an")


def _digits(number: str, table: str = CODE_DIGITS) -> str:
    return "".join(table[int(d)] for d in number)


def cardinal(number: str, before: str = "", after: str = "") -> str:
    """A numeral as a Chinese cardinal: "1200" → 一千二百, "3.5" → 三点五.

    ``before`` and ``after`` are the neighbouring characters: 2 before a measure word
    is 两 (两个, 两万) except after 第; codes with a leading zero or 11+ digits are read
    digit by digit.
    """
    integer = number.split(".")[0]
    if (len(integer) > 1 and integer.startswith("0")) or len(integer) >= 11:
        return _digits(number.replace(".", "")) if "." not in number else _digits(integer)
    spoken = str(_cn2an().an2cn(number, "low"))
    if before != "第":
        if spoken == "二" and after in _MEASURE:
            return "两"
        if len(spoken) > 1 and spoken[0] == "二" and spoken[1] in "千万亿":
            return "两" + spoken[1:]
    return spoken


def _clock(hours: str, minutes: str) -> str:
    """10:30 → 十点三十分, 11:05 → 十一点零五分, 9:00 → 九点."""
    spoken = cardinal(str(int(hours)), after="点") + "点"
    if minutes == "00":
        return spoken
    return spoken + ("零" if minutes[0] == "0" else "") + cardinal(str(int(minutes))) + "分"


def speak_numbers_zh(text: str) -> str:
    """Chinese text with its numerals written out as they are read (see module doc)."""
    text = _THOUSANDS.sub("", text)
    for pattern, name in _CURRENCIES:
        text = pattern.sub(r"\1\2" + name, text)

    def year(match: re.Match[str]) -> str:
        first = _digits(match.group(1), YEAR_DIGITS)
        if match.group(3) is None:
            return first
        return first + "至" + _digits(match.group(3), YEAR_DIGITS)

    text = _YEAR.sub(year, text)
    text = _RANGE.sub("到", text)
    text = _PERCENT.sub(
        lambda m: {"‰": "千分之"}.get(m.group(2), "百分之") + cardinal(m.group(1)), text
    )
    text = _TIME.sub(lambda m: _clock(m.group(1), m.group(2)), text)
    text = _FRACTION.sub(lambda m: cardinal(m.group(2)) + "分之" + cardinal(m.group(1)), text)
    text = _UNIT.sub(lambda m: _UNIT_NAMES[m.group(1)], text)
    text = _NEGATIVE.sub("负", text)

    def number(match: re.Match[str]) -> str:
        start, end = match.span()
        before = match.string[start - 1] if start > 0 else ""
        after = match.string[end] if end < len(match.string) else ""
        return cardinal(match.group(1), before, after)

    return _NUMBER.sub(number, text)


_EN_YEAR = re.compile(
    r"(?i)\b(in|since|by|from|until|till|during|before|after|around|early|late|"
    r"spring|summer|autumn|fall|winter|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|between|and|to|of) "
    r"(1[1-9]\d\d|20\d\d)\b(?![,.]\d)"
)


def speak_years_en(text: str) -> str:
    """Years in English text said as years ("in 2021" → "in twenty twenty-one"), where
    the word before makes it a year; espeak would read "two thousand twenty one".
    Other numbers (2000 people, 2,000) are left to the voice."""
    num2words = importlib.import_module("num2words").num2words
    return _EN_YEAR.sub(
        lambda m: f"{m.group(1)} {num2words(int(m.group(2)), to='year')}", text)


def speak_numbers(text: str, lang: str) -> str:
    """Numerals as they are read in ``lang``: Chinese in full, English years."""
    return speak_numbers_zh(text) if lang == "zh" else speak_years_en(text)
