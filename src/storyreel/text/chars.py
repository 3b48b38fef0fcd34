"""The character model: what a character is (script, class) and how wide it shows.

One table of line-start and line-end rules (避头尾) for Chinese and one for English,
shared by captions, slides, covers and post texts. Everything here is a pure function
of a character; :mod:`storyreel.text.breaks` builds the break rules on it.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Final

#: Interpuncts joining the parts of a name: no break on either side.
MIDDOTS: Final = frozenset("·‧・•･")
#: Dashes: no break before one (so ——/— never starts a line); a break after is fine.
DASHES: Final = frozenset("—―–⸺⸻")
#: Range tildes (10～20): no break on either side.
TILDES: Final = frozenset("～〜~")
CLOSE_BRACKETS: Final = frozenset("）》」』】〕〗〙〛〉］｝”’)]}»")
OPEN_BRACKETS: Final = frozenset("（《「『【〔〖〘〚〈［｛“‘([{«")

#: A Chinese line never starts with one of these (避头).
ZH_NO_LINE_START: Final = frozenset(
    "，。、；：？！…‥％‰℃°々ー,.;:?!%-"
) | CLOSE_BRACKETS | MIDDOTS | DASHES | TILDES
#: A Chinese line never ends with one of these (避尾).
ZH_NO_LINE_END: Final = OPEN_BRACKETS | MIDDOTS | TILDES | frozenset("¥￥$€£#")
#: An English line never starts with one of these.
EN_NO_LINE_START: Final = frozenset(",.;:?!%…”’)]}»") | DASHES
#: An English line never ends with one of these.
EN_NO_LINE_END: Final = frozenset("([{“‘«")


def no_line_start(lang: str) -> frozenset[str]:
    return ZH_NO_LINE_START if lang == "zh" else EN_NO_LINE_START


def no_line_end(lang: str) -> frozenset[str]:
    return ZH_NO_LINE_END if lang == "zh" else EN_NO_LINE_END


def is_han(ch: str) -> bool:
    """A Chinese character (汉字), 〇 included."""
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3FFFF or ch == "〇")


def is_cjk(ch: str) -> bool:
    """A character that is a word by itself: Han, kana, hangul, 々〆〇."""
    o = ord(ch)
    return (0x3005 <= o <= 0x3007 or 0x3040 <= o <= 0x30FF or 0xAC00 <= o <= 0xD7AF
            or is_han(ch))


@cache
def zh_char_width(ch: str) -> float:
    """Width of ``ch`` in a Chinese line, in ems: 1 for CJK, full-width and the
    ambiguous-width punctuation a CJK font draws full-width (“ ” · … — °), ½ for Latin
    letters, digits, half-width punctuation and spaces, 0 for marks and controls."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Cc", "Mn", "Me"):
        return 0.0
    eaw = unicodedata.east_asian_width(ch)
    if eaw in ("W", "F"):
        return 1.0
    if eaw == "A" and unicodedata.category(ch)[0] not in "LN":
        return 1.0
    return 0.5


def is_wide(ch: str) -> bool:
    """Full-width in a Chinese line (CJK characters and full-width punctuation)."""
    return zh_char_width(ch) == 1.0


def is_narrow_alnum(ch: str) -> bool:
    """A letter or digit of a Latin-like script (not a CJK character)."""
    return ch.isalnum() and not is_wide(ch)


def is_content(ch: str) -> bool:
    """A character that is read, not punctuation or space: letters, digits, CJK."""
    return unicodedata.category(ch)[0] in "LN"


def display_width(s: str, lang: str = "zh") -> float:
    """Width of ``s`` on a subtitle line: Chinese counts :func:`zh_char_width` (CJK 1,
    Latin ½), English counts characters."""
    if lang == "zh":
        return sum(zh_char_width(ch) for ch in s)
    return float(len(s))


def is_chinese_text(s: str) -> bool:
    """Whether ``s`` is mostly Chinese: more CJK characters than Latin letters."""
    cjk = sum(is_cjk(ch) for ch in s)
    latin = sum(is_narrow_alnum(ch) for ch in s)
    return cjk > latin
