"""Hypothesis strategies for realistic narration: Chinese (GB 2312 level-1 characters,
real words, numbers with units, names with ·, ——, quotes, full- and half-width
punctuation), English, and Chinese mixed with English.

Each strategy draws a ``Narration``: the text and the atoms in it that no line or chunk
break may cut (a Latin word, a number with its unit, a name joined by ·).
"""

from __future__ import annotations

import contextlib
import unicodedata
from dataclasses import dataclass, field

from hypothesis import strategies as st


def _gb2312_level1() -> str:
    chars = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.append(bytes([hi, lo]).decode("gb2312"))
    return "".join(chars)


def _words(text: str) -> list[str]:
    return text.split()


HANZI = _gb2312_level1()
ZH_WORDS = _words(
    "我们 公司 社区 儿童 教育 环境 保护 志愿者 捐赠 乡村 学校 图书室 老师 孩子 "
    "医疗 健康 绿色 能源 项目 计划 发展 帮助 支持 合作 员工 家庭 妇女 农民 "
    "山区 城市 水源 森林 海洋 动物 科技 创新 未来 希望 梦想 温暖 改变 生活 "
    "一起 统一 已经 正在 开始 完成 建立 提供 覆盖 惠及 实现 推动 参与 坚持"
)
ZH_UNITS = _words("吨 年 月 日 个 名 位 所 家 万元 公里 千米 公斤 棵 人 户 次 小时 天 倍")
ZH_GIVEN = _words("约翰 玛丽 阿卜杜勒 让 彼得 安娜 穆罕默德 伊丽莎白")
ZH_FAMILY = _words("史密斯 居里 本·拉赫曼 保罗 汉森 卡特 莫里森")
LATIN = ("AI", "Apple", "COVID-19", "ESG", "5G", "iPhone", "B2B", "CO2", "NGO", "UNICEF")
EN_WORDS = _words(
    "the a of and to in for with our we team school children village water clean energy "
    "volunteers community families teachers project program built planted trees library "
    "supplies health future hope together every year more than people local company "
    "employees partners rural mountain river forest learning reading because which while "
    "after before during across through about would could never always already"
)
EN_NAMES = ("Li Wei", "John Smith", "Yunnan", "Shenzhen", "United Nations", "Marie", "Dr. Chen")
EN_UNITS = ("tonnes", "km", "percent", "million", "hectares", "kWh", "yuan")


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WFA"


@dataclass
class Narration:
    text: str
    atoms: list[str] = field(default_factory=list)


@st.composite
def _zh_word(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.sampled_from(ZH_WORDS))
    return draw(st.text(alphabet=HANZI, min_size=1, max_size=3))


@st.composite
def _zh_atom(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 5))
    if kind == 0:
        n = draw(st.integers(1, 99999))
        return f"{n}{draw(st.sampled_from(ZH_UNITS))}"
    if kind == 1:
        whole, frac = draw(st.integers(0, 999)), draw(st.integers(0, 9))
        return f"{whole}.{frac}{draw(st.sampled_from(['%', '％', '万吨', '亿元']))}"
    if kind == 2:
        return f"{draw(st.integers(1, 99))},{draw(st.integers(100, 999))}吨"
    if kind == 3:
        return draw(st.sampled_from(LATIN))
    if kind == 4:
        return f"{draw(st.sampled_from(ZH_GIVEN))}·{draw(st.sampled_from(ZH_FAMILY))}"
    return draw(st.sampled_from(["一百二十吨", "三千五百名", "第3届", "100 km", "10～20年"]))


@st.composite
def _zh_clause(draw: st.DrawFn, atoms: list[str]) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 5))):
        roll = draw(st.integers(0, 9))
        if roll <= 5:
            parts.append(draw(_zh_word()))
        elif roll <= 7:
            atom = draw(_zh_atom())
            atoms.append(atom)
            if parts and not _wide(parts[-1][-1]) and not _wide(atom[0]):
                parts.append(draw(_zh_word()))  # 100 km|AI would read as one Latin run
            if "·" in atom:  # a name is spoken of: 和约翰·史密斯说
                atom = draw(st.sampled_from(["和", "是", "与", "请"])) + atom + draw(
                    st.sampled_from(["说", "先生", "女士", "的"]))
            parts.append(atom)
        elif roll == 8:
            inner = "".join(draw(st.lists(_zh_word(), min_size=1, max_size=3)))
            pair = draw(st.sampled_from(["“”", "《》", "（）", "「」", '""']))
            left, right = pair[0], pair[1]
            parts.append(f"{left}{inner}{right}")
        elif parts:
            parts.append("——")  # a sentence does not start with a dash
    return "".join(parts) or draw(_zh_word())


@st.composite
def zh_narration(draw: st.DrawFn, mixed: bool = False, max_sentences: int = 4) -> Narration:
    """A Chinese paragraph; ``mixed`` adds English phrases with spaces."""
    atoms: list[str] = []
    sentences: list[str] = []
    for _ in range(draw(st.integers(1, max_sentences))):
        clauses: list[str] = []
        for _ in range(draw(st.integers(1, 3))):
            clause = draw(_zh_clause(atoms))
            if mixed and draw(st.booleans()):
                phrase = " ".join(draw(st.lists(st.sampled_from(EN_WORDS), min_size=1,
                                                max_size=3)))
                forms = [f" {phrase} ", f"（{phrase}）"]
                if _wide(clause[-1]):
                    forms.append(phrase)  # 使用AI, but not 100 kmthe
                clause += draw(st.sampled_from(forms))
            clauses.append(clause)
        joints = [draw(st.sampled_from(["，", "，", "、", "；", "：", ",", "……"]))
                  for _ in clauses[1:]]
        body = clauses[0] + "".join(j + c for j, c in zip(joints, clauses[1:], strict=True))
        end = draw(st.sampled_from(["。", "。", "！", "？", "……", ".", "?", "。”"]))
        if end == "。”":
            body = "“" + body
        sentences.append(body + end)
    sep = " " if mixed and draw(st.booleans()) else ""
    return Narration(sep.join(sentences), atoms)


@st.composite
def en_narration(draw: st.DrawFn, max_sentences: int = 4) -> Narration:
    atoms: list[str] = []
    sentences: list[str] = []
    for _ in range(draw(st.integers(1, max_sentences))):
        words: list[str] = []
        for _ in range(draw(st.integers(2, 16))):
            roll = draw(st.integers(0, 12))
            if roll <= 7:
                words.append(draw(st.sampled_from(EN_WORDS)))
            elif roll == 8:
                words.append(draw(st.sampled_from(EN_NAMES)))
            elif roll == 9:
                number = draw(st.sampled_from(["100", "3.5", "2,000", "12", "$5"]))
                unit = draw(st.sampled_from(EN_UNITS))
                atoms.append(f"{number} {unit}")
                words.append(f"{number} {unit}")
            elif roll == 10:
                words.append(draw(st.sampled_from(["well-known", "don't", "COVID-19",
                                                   "brand-new", "children's"])))
            elif roll == 11 and words:
                words.append(draw(st.sampled_from(["—", ",", ";", ":"])))
            elif roll == 12:
                inner = " ".join(draw(st.lists(st.sampled_from(EN_WORDS), min_size=1,
                                               max_size=3)))
                words.append(draw(st.sampled_from([f'"{inner}"', f"({inner})", f"“{inner}”"])))
        if not words or words[-1] in ("—", ",", ";", ":"):
            words.append(draw(st.sampled_from(EN_WORDS)))
        text = ""
        for w in words:
            text += w if (w in ",;:" and text) else (" " + w if text else w)
        text = text.lstrip(",;: ")
        text = text[:1].upper() + text[1:]
        sentences.append(text + draw(st.sampled_from([".", ".", "!", "?", "…"])))
    return Narration(" ".join(sentences), atoms)


def narration(lang_or_mixed: str) -> st.SearchStrategy[Narration]:
    if lang_or_mixed == "zh":
        return zh_narration()
    if lang_or_mixed == "mixed":
        return zh_narration(mixed=True)
    return en_narration()
