"""Finding slide text in a story's own words: key phrases, figures, quotations and their
speakers, enumerations, tags. Extractive only: every phrase is cut from the text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyreel.editor.draft.story import sentences
from storyreel.text import Level, prepare

# Longest text drafted onto a slide, by role (characters): a draft then fits its boxes
# in every preset far more often than not; the editor tool checks and trims the rest.
LIMITS: dict[str, dict[str, int]] = {
    "heading": {"zh": 20, "en": 60},
    "text": {"zh": 24, "en": 60},
    "point": {"zh": 12, "en": 30},
    "label": {"zh": 20, "en": 50},
    "subtitle": {"zh": 16, "en": 40},
    "quote": {"zh": 56, "en": 150},
    "attribution": {"zh": 16, "en": 40},
}

_EN_DANGLING = frozenset({
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "who", "which", "that", "as", "is", "are", "was", "were", "had", "has", "have",
    "their", "its", "his", "her", "our", "so", "such", "into", "than", "more", "less",
    "be", "been", "it", "they", "this", "these", "those", "can", "will", "would", "could",
    "every", "each", "all", "some", "any", "no", "not", "very", "how", "what", "when",
    "may", "might", "must", "should", "shall", "do", "does", "did", "one", "about",
})
_ZH_DANGLING = tuple("的了和与及或在把被从向对给让也都就还而但并")


def phrase_cuts(text: str) -> list[int]:
    """Where a Chinese text may be cut without splitting a phrase, a word or a name:
    the breaks of :mod:`storyreel.text` at phrase level or better."""
    _norm, _disp, breaks = prepare(text, "zh")
    return [0, *sorted(k for k, level in breaks.items() if level <= Level.PHRASE), len(text)]


def shorten(text: str, lang: str, limit: int) -> str:
    """``text`` without its closing punctuation, cut to at most ``limit`` characters at a
    clause, else before a preposition or conjunction (English), else at a phrase
    (Chinese) or word (English) boundary; never right after a number."""
    text = text.strip().rstrip("。！？.!?…，,；;：:")
    if len(text) <= limit * 1.15:
        return text
    clause = max(text.rfind(p, 0, limit + 1) for p in ("，", "、", "；", ",", ";", ":", "："))
    if clause >= limit // 2:
        return shorten(text[:clause], lang, limit)
    if lang == "zh":
        cut = text[: max(e for e in phrase_cuts(text) if e <= limit) or limit]
        while len(cut) > 2 and (cut.endswith(_ZH_DANGLING) or cut[-1].isdigit()):
            cut = cut[:-1]
        if cut.count("“") > cut.count("”"):  # never an opening quote without its close
            cut = cut[: cut.rindex("“")].rstrip("，、的了")
        return cut
    words = text.split()
    if any(w.lower().strip(",;:.") in _EN_NEGATION for w in words):
        return text  # cutting could drop the "not" and turn the meaning round
    heads = [k for k in range(3, len(words))
             if words[k].lower() in _EN_CUT_BEFORE and len(" ".join(words[:k])) <= limit
             and words[k - 1].lower().strip(",;:") not in _EN_DANGLING]
    if heads:
        return " ".join(words[: heads[-1]]).rstrip(",;:")
    words = text[: limit + 1].split()[:-1] or [text[:limit]]
    rest = text.split()[len(words):]
    # Never end inside a name ("the Green | Stream initiative"): back off before it.
    while len(words) > 1 and rest and words[-1][:1].isupper() and rest[0][:1].isupper():
        rest.insert(0, words.pop())
    while len(words) > 1 and (words[-1].lower().strip(",;:") in _EN_DANGLING
                              or re.match(r"^[$€£¥]?[\d,.]+%?$", words[-1])):
        words.pop()
    return " ".join(words).rstrip(",;:")


_EN_NEGATION = frozenset({"not", "never", "no", "nor", "cannot", "isn't", "doesn't",
                          "don't", "won't", "wasn't", "aren't", "didn't"})
_EN_CUT_BEFORE = frozenset({
    "in", "at", "on", "to", "with", "for", "from", "by", "and", "so", "which", "that", "who",
    "when", "where", "while", "because", "after", "before", "into", "than", "as", "since",
    "until", "during", "through", "across", "around", "including", "such",
})


# --- key phrases ---------------------------------------------------------------------------

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November"
           "|December")
_EN_ADVERBIAL = re.compile(
    rf"^(?:(?:in|by|since|from|on|at|during|after|before|until|that|this|the same)\s+)*"
    rf"(?:(?:early|late|mid-)\s*)?(?:(?:{_MONTHS})\s*)?(?:\d{{4}}|year|time|day|month)?$"
    r"|^(?:of course|looking back|at the same time|at the time|from then on|besides|meanwhile"
    r"|then|according to [\w ]{1,30}"
    r"|today|now|soon|still|however|later|first|second|third|fourth|finally|in the end"
    r"|at first|for decades|for years|early on|for many|for the industry as a whole"
    r"|to get there|to do so)$", re.I)
_ZH_ADVERBIAL = re.compile(
    r"^(?:在|到|从|自|截至)?(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:起|以来|底|初|时)?$"
    r"|^(?:同年|同一年|那年|此后|从此|当然|回头看|与此同时|此外|后来|如今|现在|很快|首先|其次"
    r"|最后|第[一二三四五六]|[一二三四五]是|为了做到这一点|为此|对于整个行业来说)"
    r"(?:\d{1,2}月)?$|^(?:按|据|根据).{0,10}(?:估计|统计|数据|报告)$")
_CLAUSES = re.compile(r"[，,；;：:]\s*")
# A clause that only says who says or thinks what follows.
_SAYING = {"zh": re.compile(r"(?:估计|表示|认为|说|指出|写道)$"),
           "en": re.compile(r"\b(?:estimates?|estimated|said|says|believes?|wrote|writes)$")}
# Words a phrase cut from its sentence should not start with.
_LEADING = {"zh": re.compile(r"^(?:而且|并且|但是|但|而|并|也|还)"),
            "en": re.compile(r"^(?:and|but|so|then|also|yet)\s+", re.I)}


def clauses(sentence: str) -> list[str]:
    """The clauses of a sentence; a quotation mark left alone by the split is dropped."""
    out = []
    for clause in _CLAUSES.split(sentence):
        clause = clause.strip()
        if clause.count("“") > clause.count("”") and clause.startswith("“"):
            clause = clause[1:]
        if clause.count("”") > clause.count("“") and clause.endswith("”"):
            clause = clause[:-1]
        if clause.strip(" “”\"'"):
            out.append(clause)
    return out


def _adverbial(clause: str, lang: str) -> bool:
    text = clause.strip().rstrip("。！？.!?")
    return bool((_ZH_ADVERBIAL if lang == "zh" else _EN_ADVERBIAL).match(text))


def key_phrases(texts: dict[str, str], limits: dict[str, int], skip: int = 0,
                whole: bool = False) -> dict[str, str] | None:
    """:func:`key_phrase` in each language, from the same place of the paired texts:
    with ``skip``, the first meaningful clause of sentence ``skip`` of each when they
    have as many sentences (else clause ``skip`` when they have as many clauses); None
    when some language has none."""
    if skip:
        split = {lang: sentences(text, lang) for lang, text in texts.items()}
        if len({len(v) for v in split.values()}) == 1 and len(split["zh"]) > skip:
            texts = {lang: v[skip] for lang, v in split.items()}
            skip = 0
        elif len({len(_meaningful(t, lang)) for lang, t in texts.items()}) > 1:
            return None
    out = {lang: key_phrase(text, lang, limits[lang], skip, whole)
           for lang, text in texts.items()}
    if whole and not skip:
        found = {lang: _meaningful(text, lang) for lang, text in texts.items()}
        if not all(found[lang] and found[lang][0].startswith(out[lang]) for lang in texts):
            return None
    return out if all(out.values()) else None


def _clean_cut(clause: str, lang: str, limit: int) -> bool:
    """Whether ``clause`` fits ``limit`` whole, or (English) cut before a preposition or
    conjunction: a phrase that reads as complete."""
    clause = clause.rstrip("。！？.!?")
    cut = shorten(clause, lang, limit)
    if cut == clause:
        return True
    rest = clause[len(cut):].split()
    return (lang == "en" and bool(rest) and rest[0].lower() in _EN_CUT_BEFORE
            and len(cut) >= limit // 2)


def _meaningful(text: str, lang: str) -> list[str]:
    return [c for s in sentences(text, lang) for c in clauses(s) if not _adverbial(c, lang)]


def key_phrase(text: str, lang: str, limit: int, skip: int = 0, whole: bool = False) -> str:
    """The phrase a slide can show for ``text``: the first clause of its first sentence
    that says something (not "In 2004", "同一年"), cut to ``limit`` characters.
    ``skip`` passes over that many such clauses (a second phrase for the body text);
    ``whole`` takes only a clause that fits uncut ("" if there is none)."""
    found = [c for s in sentences(text, lang) for c in clauses(s) if not _adverbial(c, lang)]
    if len(found) <= skip:
        return ""
    if whole and not (_clean_cut(found[skip], lang, limit) and len(found[skip]) >= limit // 4
                      and not _SAYING[lang].search(found[skip].rstrip("。！？.!?"))):
        return ""  # the same clause in every language, or none: they stay paired
    phrase = shorten(_LEADING[lang].sub("", found[skip]), lang, limit)
    if lang == "en" and phrase:
        phrase = phrase[0].upper() + phrase[1:]
    return phrase


# --- figures -------------------------------------------------------------------------------

_ZH_UNIT = (r"(?:[多余])?(?:万吨|公里|千米|公斤|千克|公顷|美元|小时|平方米|棵树|名妇女|个国家"
            r"|[人名个户所家吨米亩元天倍座棵盏台辆本次套间位只条头件])?")
_ZH_NUMBER = r"\d+(?:[,.]\d+)*\s*[十百千万亿]*\s*[%％]?"
_ZH_FIGURE = re.compile(r"^\D{0,4}?(" + _ZH_NUMBER + _ZH_UNIT + ")")
_ZH_ANY = re.compile(r"(" + _ZH_NUMBER + _ZH_UNIT + ")")
_EN_NUMBER = (r"(?:[$€£¥]\s?)?\d+(?:[,.]\d+)*(?:\s?%|\s+percent\b|\s+per cent\b)?"
              r"(?:\s+(?:million|billion|thousand|hundred)\b)?")
_EN_NOUN = (r"(?:\s+(?:metric|square|cubic|US|more))?"
            r"(?:\s+(?!(?:of|and|in|by|to|a|the|was|were|is|are|had|has|have|will|would"
            r"|could|can|that|which|who|for|from|on|at|with)\b)[A-Za-z][\w-]*)?")
_EN_FIGURE = re.compile(r"^(?:[A-Za-z]+\s+){0,3}?(" + _EN_NUMBER + _EN_NOUN + ")")
_EN_ANY = re.compile(r"(?<![\w.])(" + _EN_NUMBER + _EN_NOUN + ")")
_YEAR = re.compile(r"^(1[89]|20)\d\d(年.*)?$")


def _is_year(figure: str) -> bool:
    number = re.match(r"[$€£¥]?\s?[\d,.]+", figure)
    return bool(_YEAR.match(figure) or (
        number and _YEAR.match(number.group(0))
        and figure[len(number.group(0)):].strip()[:1] not in "%万亿"
        and not re.match(r"\s*(million|billion|percent|%)", figure[len(number.group(0)):])))


def _big(figure: str, lang: str) -> bool:
    """A figure worth a stat card: a percentage, or a number with a magnitude or unit."""
    if lang == "zh":
        return bool(re.search(r"[%％万亿]|\d[^\d\s]", figure))
    return bool(re.search(r"%|percent|million|billion|thousand|\d\s+[A-Za-z]", figure))


def leading_figure(text: str, lang: str) -> str:
    """The figure the first sentence of ``text`` leads with ("7亿多人", "700 million
    people"), or "" if it does not lead with one (a year is not a figure)."""
    first = sentences(text, lang)[0]
    m = (_ZH_FIGURE if lang == "zh" else _EN_FIGURE).match(first)
    if not m:
        return ""
    figure = m.group(1).strip()
    return "" if _is_year(figure) else figure


def first_figure(text: str, lang: str) -> str:
    """The first figure in the first sentence of ``text`` that is not a year and has a
    magnitude, a unit or a per cent ("400亿件", "40 billion parcels"), or ""."""
    first = sentences(text, lang)[0]
    for m in (_ZH_ANY if lang == "zh" else _EN_ANY).finditer(first):
        figure = m.group(1).strip()
        if not _is_year(figure) and _big(figure, lang):
            return figure
    return ""


def year_of(text: str, lang: str) -> str:
    """The first year named in the first sentence ("2015年" / "2015"), or ""."""
    m = re.search(r"(?<!\d)((?:1[89]|20)\d\d)(?!\d)" + ("年" if lang == "zh" else ""),
                  sentences(text, lang)[0])
    return m.group(0) if m else ""


# --- quotations ----------------------------------------------------------------------------

_SAYS_ZH = r"(?:在[^，。“”]{0,20}?)?(?:说|写道|表示|指出|谈到|回忆)"
_SAYS_EN = r"(?:said|says|wrote|writes|told|recalled|explained|added)"


@dataclass(frozen=True)
class Quotation:
    words: str
    speaker: str


def quotation(text: str, lang: str, block_quote: bool = False) -> Quotation | None:
    """The quoted words of a paragraph and who said them, if it carries a quotation
    (a ``>`` block quote, a paragraph opening on a quotation, or one introduced by
    "X said:"/"X说：")."""
    if block_quote:
        return Quotation(text, "")
    m = re.search(r"[“\"「『](.+?)[”\"」』]", text)
    if not m or len(m.group(1)) < (8 if lang == "zh" else 20):
        return None
    words = m.group(1).strip().rstrip("，,")
    before, after = text[: m.start()].strip(), text[m.end():].strip()
    speaker = ""
    if lang == "zh":
        said = re.search(r"([^，。！？“”]{2,30}?)" + _SAYS_ZH + r"[：:，]?$", before)
        if said:
            speaker = said.group(1)
        elif not before:
            later = re.match(r"^[，,]?([^，。！？]{2,30}?)" + _SAYS_ZH, after)
            speaker = later.group(1) if later else ""
    else:
        said = re.search(r"([A-Z][^.!?\"“”]{1,60}?)\s+" + _SAYS_EN + r"\b[^:\"“]*[:,]?$", before)
        if said:
            speaker = said.group(1)
        elif not before:
            later = re.match(r"^[,]?\s*([A-Z][\w.' -]{1,40}?)\s+" + _SAYS_EN, after)
            speaker = later.group(1) if later else ""
    if before and not speaker:
        return None  # a quoted phrase inside a sentence, not a quotation
    if lang == "zh":
        words = words if words[-1:] in "。！？" else words.rstrip("，") + "。"
    else:
        words = words if words[-1:] in ".!?" else words.rstrip(",") + "."
    return Quotation(words, speaker.strip())


# --- enumerations --------------------------------------------------------------------------

_ZH_SEQ = [
    ("第一", "第二", "第三", "第四", "第五", "第六"),
    ("一是", "二是", "三是", "四是", "五是", "六是"),
    ("首先", "其次", "再次", "最后"),
    ("首先", "其次", "最后"),
    ("其一", "其二", "其三", "其四"),
]
_EN_SEQ = [
    ("First", "Second", "Third", "Fourth", "Fifth", "Sixth"),
    ("First", "Second", "Finally"),
    ("First", "Second", "Third", "Finally"),
    ("First", "Then", "Finally"),
    ("Firstly", "Secondly", "Thirdly", "Finally"),
]


@dataclass(frozen=True)
class Enumeration:
    """An enumeration in a paragraph: what leads into it and its items."""

    lead: str
    items: tuple[str, ...]


def enumeration(text: str, lang: str) -> Enumeration | None:
    """Items marked in sequence (第一…第二…, 一是…二是…, 首先/其次/最后, "First…
    Second…"), else an inline list of three or more ("五个领域：A、B、C", "four areas:
    a, b and c")."""
    return _marked(text, lang) or _inline(text, lang)


def _marked(text: str, lang: str) -> Enumeration | None:
    best: list[int] = []
    for seq in _ZH_SEQ if lang == "zh" else _EN_SEQ:
        at, found = 0, []
        for word in seq:
            pattern = (re.escape(word) if lang == "zh"
                       else r"(?:^|(?<=[.;:!?] ))" + word + r"\b")
            m = re.compile(pattern).search(text, at)
            if not m:
                break
            found.append(m.start())
            at = m.end()
        if len(found) >= 2 and len(found) > len(best):
            best = found
    if not best:
        return None
    items = []
    for k, start in enumerate(best):
        end = best[k + 1] if k + 1 < len(best) else len(text)
        piece = text[start:end]
        if k + 1 == len(best):  # the last runs to the end of its sentence
            piece = sentences(piece, lang)[0]
        piece = re.sub(r"^(?:第[一二三四五六]|[一二三四五六]是|首先|其次|再次|最后"
                       r"|其[一二三四])[，,：:、]?" if lang == "zh" else
                       r"^(?:First|Second|Third|Fourth|Fifth|Sixth|Firstly|Secondly|Thirdly"
                       r"|Finally|Then)(?: of all)?,?\s*", "", piece.strip())
        items.append(piece.strip().rstrip("。；;，,.、"))
    if not all(items):
        return None
    return Enumeration(text[: best[0]].strip(), tuple(items))


def _inline(text: str, lang: str) -> Enumeration | None:
    for sentence in sentences(text, lang):
        if lang == "zh":
            m = re.search(r"[：:]([^：:。！？]+)[。！？]?$", sentence)
            if not m:
                continue
            parts = re.split(r"、|和|与|及", m.group(1).split("，")[0])
        else:
            m = re.search(r":\s*([^:.!?]+)[.!?]?$", sentence)
            if not m:
                continue
            parts = re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", m.group(1))
        parts = [p.strip() for p in parts if p.strip()]
        limit = LIMITS["point"][lang]
        if len(parts) >= 3 and all(len(p) <= limit * 2 for p in parts):
            lead = sentence[: m.start()]
            return Enumeration(lead.strip(), tuple(parts))
    return None


def points(items: tuple[str, ...], lang: str) -> list[str]:
    """Bullet points for enumeration items: each item's first clause, short; more than
    four are grouped (the last ones joined) so a slide shows at most four."""
    short = [key_phrase(item, lang, LIMITS["point"][lang]) or
             shorten(item, lang, LIMITS["point"][lang]) for item in items]
    joiner = "、" if lang == "zh" else " and "
    while len(short) > 4:
        short[-2:] = [short[-2] + joiner + (short[-1][0].lower() + short[-1][1:]
                                            if lang == "en" else short[-1])]
    return short


# --- description and tags ------------------------------------------------------------------

# Topics a CSR story is about, as the platforms' tags, with the words that name them in
# each language's text.
TOPICS: tuple[tuple[str, str, str, str], ...] = (
    ("气候变化", "climate change", r"气候", r"climate"),
    ("碳减排", "carbon reduction", r"碳|减排", r"carbon|emission"),
    ("可再生能源", "renewable energy", r"可再生|风电|太阳能|光伏", r"renewable|solar|wind"),
    ("植树造林", "tree planting", r"种树|植树|造林|树苗",
     r"plant\w* trees?|tree planting|seedling"),
    ("荒漠化防治", "desertification", r"荒漠|沙化|沙地|治沙", r"desert"),
    ("生物多样性", "biodiversity", r"野生动|物种|保护区|保护地", r"wildlife|species|reserve"),
    ("水资源", "water", r"水源|用水|节水|清水|供水", r"\bwater\b"),
    ("循环经济", "circular economy", r"回收|循环|再利用|重复使用|反复使用",
     r"recycl|reus|circular"),
    ("绿色包装", "green packaging", r"包装|纸箱", r"packaging|carton"),
    ("供应链", "supply chain", r"供应链|供应商|采购", r"supply chain|supplier|procure|sourc"),
    ("乡村发展", "rural development", r"农村|乡村|村庄|村子|村里", r"rural|village"),
    ("女性赋能", "women's empowerment", r"妇女|女性", r"\bwomen\b"),
    ("教育", "education", r"教育|学校|学生|读书", r"educat|school|student"),
    ("公益", "philanthropy", r"公益|捐赠|捐给|非营利|慈善", r"charit|donat|nonprofit|philanthrop"),
    ("可持续农业", "sustainable farming", r"种植者|农场|农户|农民", r"farm|grower"),
    ("咖啡", "coffee", r"咖啡", r"coffee"),
    ("数字技术", "digital technology", r"手机|数据中心|软件|互联网|支付宝",
     r"\bapp\b|data center|software|online|phone"),
    ("员工参与", "employee engagement", r"员工", r"employee|staff"),
)


def tags(texts: dict[str, str], most: int = 5) -> list[dict[str, str]]:
    """Topic tags named in both languages' texts, the most mentioned first."""
    scored = []
    for zh, en, zh_pattern, en_pattern in TOPICS:
        zh_n = len(re.findall(zh_pattern, texts["zh"]))
        en_n = len(re.findall(en_pattern, texts["en"], re.I))
        if zh_n and en_n:
            scored.append((-(zh_n + en_n), zh, en))
    return [{"zh": zh, "en": en} for _, zh, en in sorted(scored)[:most]]


def description(text: str, lang: str, limit: int) -> str:
    """The opening sentences of ``text``, as many whole ones as fit in ``limit``."""
    out = ""
    for sentence in sentences(text, lang):
        joined = out + ("" if lang == "zh" or not out else " ") + sentence
        if out and len(joined) > limit:
            break
        out = joined
    return out if len(out) <= limit else shorten(out, lang, limit) + ("。" if lang == "zh"
                                                                      else ".")


# --- names ---------------------------------------------------------------------------------

_ZH_QUOTED = re.compile(r"“([\u4e00-\u9fff·]{2,8})”")
_EN_NOT_NAME = frozenset({"in", "on", "at", "by", "from", "since", "for", "when", "after",
                          "before", "of", "a", "an", "the", "this", "that", "these", "those",
                          "its", "it", "our", "their", "and", "but", "to", "with", "as"})
_EN_NAME_RUN = re.compile(r"(?<![.!?]\s)(?<!^)\b((?:[A-Z][\w&'-]*\s+){1,4}[A-Z][\w&'-]*)")


def names(texts: dict[str, str], most: int = 16) -> list[str]:
    """Names and terms the text itself marks, for the storyboard's ``names`` (no line
    breaks inside them): Chinese terms in quotation marks and names with ·, English
    runs of capitalised words."""
    found: list[str] = []
    for m in _ZH_QUOTED.finditer(texts["zh"]):
        if m.group(1) not in found:
            found.append(m.group(1))
    for m in _EN_NAME_RUN.finditer(texts["en"]):
        words = m.group(1).strip().rstrip("'’").split()
        while words and words[0].lower() in _EN_NOT_NAME:
            words.pop(0)
        term = " ".join(words)
        if len(words) >= 2 and len(term) <= 30 and term not in found:
            found.append(term)
    return found[:most]
