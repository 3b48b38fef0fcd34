"""From a story's paragraphs to scenes: a layout, slide text and a picture for each.

Each paragraph becomes a scene, its sentences the narration:

* the first opens on a ``title`` card (the story's title, a subtitle from its opening),
  the last closes on the ``end`` card (the collection's call to action and credits);
* an enumeration (a Markdown list, 第一…第二…, 一是…二是…, 首先/其次/最后, "First…
  Second…", an inline list after a colon) becomes ``bullets`` (more than four items are
  grouped into four points);
* a quotation becomes a ``quote`` with its speaker as the attribution;
* a paragraph whose first sentence leads with a figure (or names one with a magnitude,
  a unit or a per cent) becomes a ``stat`` (two at most, never two in a row);
* every other paragraph takes a picture, as an ``image`` or a ``split`` scene in turn,
  headed by its key phrase; with no picture left it becomes a text card.

Pictures go where their file names (or a caption in a ``.txt`` beside them) match the
paragraph's words, the rest in name order; pictures left over back the title, stat,
quote, bullets and end cards, so every picture is used once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyreel.editor.draft.phrases import (
    LIMITS,
    clauses,
    description,
    enumeration,
    first_figure,
    key_phrase,
    key_phrases,
    leading_figure,
    names,
    points,
    quotation,
    shorten,
    tags,
    year_of,
)
from storyreel.editor.draft.story import Block, DraftError, Story, sentences
from storyreel.storyboard.model import LANGS, Layout

# The collection's own end card.
CALL_TO_ACTION = {"zh": "关注企业社会责任故事集，看更多企业向善的故事",
                  "en": "Follow the CSR Story Collection for more stories of companies "
                        "doing good"}
CREDITS = {"zh": "出品：企业社会责任故事集", "en": "Produced by the CSR Story Collection"}
MAX_STATS = 2


@dataclass(frozen=True)
class Draft:
    board: dict[str, Any]  # the storyboard as plain data, in field order
    notes: tuple[str, ...]  # what the editor should look at


@dataclass(frozen=True)
class Picture:
    ref: str  # as the storyboard names it (relative to its folder)
    words: frozenset[str]  # from its file name and caption
    caption: str


def picture(path: Path, folder: Path) -> Picture:
    """A picture to draft with: its name (and a caption beside it, ``NAME.txt``) tell
    what it shows."""
    caption = ""
    sidecar = path.with_suffix(".txt")
    if sidecar.is_file():
        try:
            caption = sidecar.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            caption = ""
    words = _words(re.sub(r"[-_.]+", " ", path.stem) + " " + caption)
    ref = os.path.relpath(path, folder).replace(os.sep, "/")
    return Picture(ref, frozenset(words), caption)


_STOP = frozenset({"the", "and", "for", "with", "from", "that", "this", "into", "over",
                   "under", "its", "their", "our", "your", "img", "image", "photo",
                   "picture", "dsc", "final", "copy", "new", "old"})


def _stem(word: str) -> str:
    word = word.lower()
    for end in ("ies", "es", "s", "ing", "ed"):
        if len(word) > len(end) + 3 and word.endswith(end):
            return word[: -len(end)]
    return word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in _STOP}


def _score(pic: Picture, pair: dict[str, str]) -> int:
    """How well a picture suits a paragraph: words its name or caption shares with the
    English text (stems), and two-character words of a Chinese caption found in the
    Chinese text."""
    score = len(pic.words & _words(pair["en"])) * 2
    zh = re.sub(r"[^\u4e00-\u9fff]", "", pic.caption)
    score += sum(1 for k in range(len(zh) - 1) if zh[k:k + 2] in pair["zh"])
    return score


# --- what each paragraph is ----------------------------------------------------------------

@dataclass
class _Plan:
    kind: str  # title, end, bullets, quote, stat, plain
    picture: str = ""


def _kinds(pairs: Sequence[dict[str, Block]]) -> list[_Plan]:
    n = len(pairs)
    plans = [_Plan("plain") for _ in pairs]
    plans[0].kind, plans[-1].kind = "title", "end"
    stats: list[tuple[int, int]] = []
    for i in range(1, n - 1):
        pair = pairs[i]
        if _bullets(pair) is not None:
            plans[i].kind = "bullets"
        elif _quote(pair) is not None:
            plans[i].kind = "quote"
        elif all(first_figure(pair[lang].text, lang) or leading_figure(pair[lang].text, lang)
                 for lang in LANGS):
            leads = all(leading_figure(pair[lang].text, lang) for lang in LANGS)
            stats.append((0 if leads else 1, i))
    chosen: list[int] = []
    for _, i in sorted(stats):
        if len(chosen) < MAX_STATS and all(abs(i - j) > 1 for j in chosen):
            chosen.append(i)
            plans[i].kind = "stat"
    return plans


def _bullets(pair: dict[str, Block]) -> tuple[str, dict[str, list[str]]] | None:
    """The lead-in (``lang:text`` of the language pair) and points of an enumeration
    found in both languages with the same number of items."""
    if all(2 <= len(pair[lang].items) <= 4 for lang in LANGS) and len(
            {len(pair[lang].items) for lang in LANGS}) == 1:
        return "", {lang: [shorten(i, lang, LIMITS["point"][lang]) for i in pair[lang].items]
                    for lang in LANGS}
    found = {lang: enumeration(pair[lang].text, lang) for lang in LANGS}
    zh, en = found["zh"], found["en"]
    if zh is None or en is None or len(zh.items) != len(en.items):
        return None
    return "lead", {lang: points(e.items, lang) for lang, e in (("zh", zh), ("en", en))}


def _quote(pair: dict[str, Block]) -> dict[str, Any] | None:
    found = {lang: quotation(pair[lang].text, lang, pair[lang].quote) for lang in LANGS}
    if any(q is None or len(q.words) > LIMITS["quote"][lang] for lang, q in found.items()):
        return None
    out: dict[str, Any] = {"text": {lang: q.words for lang, q in found.items() if q}}
    speakers = {lang: shorten(q.speaker, lang, LIMITS["attribution"][lang])
                for lang, q in found.items() if q}
    if all(speakers.values()):
        out["attribution"] = speakers
    return out


# --- pictures ------------------------------------------------------------------------------

def _assign(plans: list[_Plan], pairs: Sequence[dict[str, str]],
            pictures: list[Picture]) -> list[Picture]:
    """Give pictures to scenes: plain paragraphs need one, the title wants one, the other
    cards may take one as a backdrop; each by name where names match, else in order.
    Returns the pictures left over."""
    need = [i for i, p in enumerate(plans) if p.kind == "plain"]
    want = [i for i, p in enumerate(plans) if p.kind == "title"]
    may = [i for i, p in enumerate(plans) if p.kind in ("stat", "bullets", "quote", "end")]
    left = list(pictures)
    # Enough pictures for every plain paragraph and the title: match by name first.
    first = need + want if len(left) >= len(need) + len(want) else need
    left = _match(plans, pairs, left, first)
    for i in first:
        if left and not plans[i].picture:
            plans[i].picture = left.pop(0).ref
    left = _match(plans, pairs, left, [*want, *may])
    for i in [*want, *may]:
        if left and not plans[i].picture:
            plans[i].picture = left.pop(0).ref
    return left


def _match(plans: list[_Plan], pairs: Sequence[dict[str, str]], pictures: list[Picture],
           slots: list[int]) -> list[Picture]:
    """Pictures to the slots their names suit best (best matches first); the rest."""
    scored = sorted(((_score(pic, pairs[i]), k, i) for k, pic in enumerate(pictures)
                     for i in slots), key=lambda x: (-x[0], x[1], x[2]))
    taken: set[int] = set()
    for score, k, i in scored:
        if score <= 0:
            break
        if k in taken or plans[i].picture:
            continue
        plans[i].picture = pictures[k].ref
        taken.add(k)
    return [pic for k, pic in enumerate(pictures) if k not in taken]


# --- drafting -------------------------------------------------------------------------------

def draft(story_id: str, stories: dict[str, Story], images: Sequence[Path],
          folder: Path, target_seconds: int = 100) -> Draft:
    """The storyboard of ``stories`` (by language; at least one), as plain data, with its
    pictures (paths relative to ``folder``, where it will be written)."""
    if not stories:
        raise DraftError("give the story in at least one language (--from-zh or --from-en)")
    notes: list[str] = []
    given = [lang for lang in LANGS if lang in stories]
    for lang in LANGS:
        if lang not in stories:
            stories = {**stories, lang: stories[given[0]]}
            notes.append(f"{lang} texts are copies of the {given[0]} ones: translate them")
    counts = {lang: len(stories[lang].blocks) for lang in LANGS}
    if len(set(counts.values())) > 1:
        raise DraftError(
            "the languages have different numbers of paragraphs ("
            + ", ".join(f"{lang} {n}" for lang, n in counts.items())
            + "); scenes pair them in order, so split or join paragraphs to match")
    n = counts["zh"]
    if n < 2:
        raise DraftError("a story needs at least two paragraphs: an opening and an end")
    pairs = [{lang: stories[lang].blocks[i] for lang in LANGS} for i in range(n)]
    texts = [{lang: b.text for lang, b in pair.items()} for pair in pairs]
    plans = _kinds(pairs)
    pictures = [picture(p, folder) for p in images]
    texts[0] = {lang: stories[lang].title + " " + texts[0][lang] for lang in LANGS}
    unused = _assign(plans, texts, pictures)
    scenes = []
    plain = 0
    for i, (pair, plan) in enumerate(zip(pairs, plans, strict=True)):
        scene = _scene(i, pair, plan, stories, plain)
        plain += plan.kind == "plain" and bool(plan.picture)
        scenes.append(scene)
    cards = [i + 1 for i, p in enumerate(plans) if p.kind == "plain" and not p.picture]
    if cards:
        notes.append("no picture left for scene" + "s" * (len(cards) > 1) + " "
                     + ", ".join(map(str, cards))
                     + ": drafted as text cards; add pictures with --images")
    if unused:
        notes.append(f"{len(unused)} picture{'s' * (len(unused) != 1)} not used (more "
                     "pictures than scenes): " + ", ".join(p.ref for p in unused))
    whole = {lang: " ".join(b.text for b in stories[lang].blocks) for lang in LANGS}
    board: dict[str, Any] = {
        "id": story_id,
        "title": {lang: stories[lang].title for lang in LANGS},
        "description": {lang: description(pairs[0][lang].text, lang,
                                          120 if lang == "zh" else 260) for lang in LANGS},
    }
    found_tags = tags(whole)
    if found_tags:
        board["tags"] = found_tags
    found_names = names(whole)
    if found_names:
        board["names"] = found_names
    board["target_seconds"] = target_seconds
    board["scenes"] = scenes
    return Draft(board, tuple(notes))


def _both(make: Any) -> dict[str, str] | None:
    """``{lang: make(lang)}`` when every language has text, else None."""
    out = {lang: make(lang) for lang in LANGS}
    return out if all(out.values()) else None


def _scene(i: int, pair: dict[str, Block], plan: _Plan, stories: dict[str, Story],
           plain: int) -> dict[str, Any]:
    """Scene ``i`` from its paragraph in each language and what the plan made of it."""
    text = {lang: pair[lang].text for lang in LANGS}
    marked = {lang: pair[lang].heading for lang in LANGS}
    scene: dict[str, Any] = {}
    kind = plan.kind
    if kind == "title":
        scene["layout"] = Layout.TITLE.value
        scene["heading"] = {lang: stories[lang].title for lang in LANGS}
        sub = key_phrases(text, LIMITS["subtitle"], whole=True)
        if sub and all(sub[lang] != stories[lang].title for lang in LANGS):
            scene["text"] = sub
    elif kind == "end":
        scene["layout"] = Layout.END.value
        scene["heading"] = dict(CALL_TO_ACTION)
        scene["text"] = dict(CREDITS)
    elif kind == "bullets":
        found = _bullets(pair)
        assert found is not None
        lead, items = found
        scene["layout"] = Layout.BULLETS.value
        heading = marked if all(marked.values()) else _both(
            lambda lang: _lead_heading(pair[lang], lang) if lead else "")
        scene["heading"] = heading or _both(
            lambda lang: key_phrase(text[lang], lang, LIMITS["heading"][lang]))
        scene["points"] = [{lang: items[lang][k] for lang in LANGS}
                           for k in range(len(items["zh"]))]
    elif kind == "quote":
        quoted = _quote(pair)
        assert quoted is not None
        scene["layout"] = Layout.QUOTE.value
        scene.update(quoted)
    elif kind == "stat":
        scene["layout"] = Layout.STAT.value
        year = _both(lambda lang: year_of(text[lang], lang))
        if all(marked.values()):
            scene["heading"] = marked
        elif year:
            scene["heading"] = year
        scene["figure"] = {lang: leading_figure(text[lang], lang)
                           or first_figure(text[lang], lang) for lang in LANGS}
        label = _both(lambda lang: _stat_label(text[lang], lang))
        if label:
            scene["text"] = label
    elif plan.picture:
        scene["layout"] = (Layout.IMAGE if plain % 2 == 0 else Layout.SPLIT).value
        scene["heading"] = marked if all(marked.values()) else _both(
            lambda lang: key_phrase(text[lang], lang, LIMITS["heading"][lang]))
        role = "text" if scene["layout"] == Layout.SPLIT.value else "subtitle"
        body = key_phrases(text, LIMITS[role], skip=1, whole=True)
        if body:
            scene["text"] = body
    else:  # a text card
        scene["layout"] = Layout.TITLE.value
        scene["heading"] = marked if all(marked.values()) else _both(
            lambda lang: key_phrase(text[lang], lang, LIMITS["heading"][lang]))
        body = key_phrases(text, LIMITS["text"], skip=1, whole=True)
        if body:
            scene["text"] = body
    if plan.picture:
        scene = {"layout": scene.pop("layout"), "image": plan.picture, **scene}
    if scene.get("heading") is None:
        scene.pop("heading", None)
    scene["narration"] = text
    return scene


def _lead_heading(block: Block, lang: str) -> str:
    found = enumeration(block.text, lang)
    lead = found.lead if found else ""
    if not lead.strip(" ：:，,。.") and found:
        lead = sentences(block.text, lang)[0]
    return key_phrase(lead, lang, LIMITS["heading"][lang]) if lead else ""


def _stat_label(text: str, lang: str) -> str:
    """The words a stat's figure stands for: the rest of the sentence it leads, else
    the first sentence's key phrase."""
    first = sentences(text, lang)[0]
    figure = leading_figure(text, lang)
    limit = LIMITS["label"][lang]
    if figure:
        rest = first[first.index(figure) + len(figure):].lstrip(" 的，,")
        rest = re.sub(r"^(?:of|is|are|was|were)\s+", "", rest) if lang == "en" else rest
        label = key_phrase(rest, lang, limit) if rest.strip(" 。.") else ""
        if label:
            return label
        return key_phrase(text, lang, limit, skip=1)
    named = first_figure(text, lang)
    if named and named in first:  # what the figure counts: the words after it
        after = clauses(first[first.index(named) + len(named):])
        rest = re.sub(r"^(?:的|of\s+)", "", after[0]) if after else ""
        if len(rest.split() if lang == "en" else rest) >= 2:
            return key_phrase(rest, lang, limit)
    return key_phrase(text, lang, limit)
