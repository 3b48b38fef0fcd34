"""Condense a story too long for its target: keep the sentences that matter, in order.

Extractive only: sentences are kept or left out whole, never rewritten. The two languages
stay paired: where a paragraph has as many sentences in each language, sentence k of one
goes with sentence k of the other; otherwise the paragraph is kept or left out whole. The
opening sentence and the closing paragraph always stay; then sentences with the story's
figures and names, the first sentences of paragraphs, and those that carry a list or a
quotation come first, until either language's speech would pass its budget.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from storyreel.editor.draft.phrases import enumeration, quotation
from storyreel.editor.draft.story import Block, Story, sentences
from storyreel.storyboard.model import LANGS

# What a kept paragraph costs besides its speech (a scene's lead-in and tail), and a
# sentence (its pauses), in ms: the plan's minimum pacing.
SCENE_MS = 2500
SENTENCE_MS = 450


@dataclass(frozen=True)
class Unit:
    """Sentences kept or left out together: sentence ``k`` of paragraph ``para`` in each
    language (``k`` None: the whole paragraph)."""

    para: int
    k: int | None
    text: dict[str, str]


@dataclass(frozen=True)
class Condensed:
    stories: dict[str, Story]
    left_out: tuple[str, ...]  # one line per paragraph that lost sentences
    kept_ms: dict[str, int]  # estimated minimum length per language


def units(stories: dict[str, Story]) -> list[Unit]:
    out = []
    for i, pair in enumerate(zip(*(stories[lang].blocks for lang in LANGS), strict=True)):
        blocks = dict(zip(LANGS, pair, strict=True))
        split = {lang: sentences(b.text, lang) for lang, b in blocks.items()}
        same = len({len(v) for v in split.values()}) == 1
        if same and not any(b.items for b in blocks.values()):
            for k in range(len(split["zh"])):
                out.append(Unit(i, k, {lang: split[lang][k] for lang in LANGS}))
        else:
            out.append(Unit(i, None, {lang: b.text for lang, b in blocks.items()}))
    return out


_EN_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)")


def score(unit: Unit, last: int) -> float:
    """How much a unit is worth keeping (see the module)."""
    zh, en = unit.text["zh"], unit.text["en"]
    value = 0.0
    if unit.para == last:
        value += 4
    elif unit.para == 0:  # the opening's first sentence is kept anyway; the rest may go
        value += 1.5
    if re.search(r"\d", zh + en):
        value += 2
    names = {m.group(1) for m in _EN_NAME.finditer(en)} - {"I", "This", "The", "CSR"}
    value += min(2, len(names)) * 0.75
    if unit.k in (None, 0):
        value += 1.0
    if re.match(r"^(?:它|他|她|这|那|此|其|It|They|This|These|That|Those|He|She)\b",
                en if re.match(r"^[A-Z]", en) else zh) or re.match(r"^(?:它|他|她|这|那)", zh):
        value -= 1.5  # leans on the sentence before it
    if any(enumeration(unit.text[lang], lang) for lang in LANGS):
        value += 1.5
    if all(quotation(unit.text[lang], lang) for lang in LANGS):
        value += 1.5
    return value


def condense(stories: dict[str, Story], budget_ms: int,
             speech_ms: Callable[[str, str], int]) -> Condensed:
    """``stories`` cut down so each language's estimated minimum length (speech, and
    the pauses and scene edges around it) stays within ``budget_ms``; ``speech_ms(text,
    lang)`` says how long a text takes to say."""
    found = units(stories)
    last = len(stories["zh"].blocks) - 1
    cost = [{lang: speech_ms(u.text[lang], lang) + SENTENCE_MS * _count(u, lang)
             for lang in LANGS} for u in found]
    keep: set[int] = set()
    used = dict.fromkeys(LANGS, 0)
    paras: set[int] = set()

    def take(i: int, force: bool = False) -> bool:
        extra = 0 if found[i].para in paras else SCENE_MS
        if not force and any(used[lang] + cost[i][lang] + extra > budget_ms for lang in LANGS):
            return False
        keep.add(i)
        paras.add(found[i].para)
        for lang in LANGS:
            used[lang] += cost[i][lang] + extra
        return True

    for i, u in enumerate(found):
        if u.para == last or (u.para == 0 and u.k in (0, None)):
            take(i, force=True)
    # Among sentences of equal worth, those that say more in the language that would
    # fill less (the one spoken faster for the same words) come first.
    speech = {lang: sum(c[lang] for c in cost) for lang in LANGS}
    thin = min(LANGS, key=lambda lang: speech[lang])
    thick = max(LANGS, key=lambda lang: speech[lang])
    ratio = [c[thin] / max(1, c[thick]) * speech[thick] / max(1, speech[thin]) for c in cost]
    ranked = sorted((i for i in range(len(found)) if i not in keep),
                    key=lambda i: (-score(found[i], last) - 2 * (ratio[i] - 1), found[i].para,
                                   found[i].k or 0))
    for i in ranked:
        take(i)
    return Condensed(_rebuild(stories, found, keep), _left_out(stories, found, keep), used)


def _count(unit: Unit, lang: str) -> int:
    return len(sentences(unit.text[lang], lang))


def _rebuild(stories: dict[str, Story], found: Sequence[Unit], keep: set[int]
             ) -> dict[str, Story]:
    out = {}
    for lang in LANGS:
        blocks = []
        for i, block in enumerate(stories[lang].blocks):
            kept = [u for k, u in enumerate(found) if u.para == i and k in keep]
            if not kept:
                continue
            if kept[0].k is None:
                blocks.append(block)
                continue
            sep = "" if lang == "zh" else " "
            blocks.append(Block(sep.join(u.text[lang] for u in kept), block.heading,
                                block.quote))
        out[lang] = Story(stories[lang].title, blocks)
    return out


def _left_out(stories: dict[str, Story], found: Sequence[Unit], keep: set[int]
              ) -> tuple[str, ...]:
    lines = []
    for i in range(len(stories["zh"].blocks)):
        mine = [k for k, u in enumerate(found) if u.para == i]
        dropped = [k for k in mine if k not in keep]
        if not dropped:
            continue
        first = found[dropped[0]].text["zh"]
        snippet = first if len(first) <= 18 else first[:18] + "…"
        if len(dropped) == len(mine):
            lines.append(f"paragraph {i + 1} left out: “{snippet}”")
        else:
            n = sum(_count(found[k], "zh") for k in mine)
            lines.append(f"paragraph {i + 1}: {len(dropped)} of {n} sentences left out, "
                         f"from “{snippet}”")
    return tuple(lines)
