"""Posts that fit: a story's title, description and tags for each platform.

Texts are shortened to the platform's limits (counted its way, :func:`measure`) at a
natural break: the end of a sentence, a clause, a phrase or (English) a word, never
inside a word or a Chinese phrase, and never leaving a line-start/line-end sign where
the 避头尾 rules forbid it. The break positions come from the subtitle line-break
analysis (:func:`storyreel.text.prepare`). A cut text ends with an
ellipsis; what still cannot fit is reported, naming the platform.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from storyreel.package.platforms import Count, Platform, Platforms, TagRule, measure
from storyreel.storyboard.model import Storyboard
from storyreel.text import Level, prepare

ELLIPSIS = {"zh": "……", "en": "…"}
_SENTENCE_END = tuple("。！？.!?…")
_CLOSERS = "”’」』）)\"'"
_TRAILING = "，、；：,;:—–- \u3000"


@dataclass(frozen=True)
class Texts:
    """What a story says about itself in one language, before any platform's limits."""

    title: str
    description: str
    tags: tuple[str, ...]
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Post:
    """The texts for one platform in one language, within its limits."""

    platform: str
    lang: str
    title: str  # "" where the platform has no title field
    text: str  # the description / post text, hashtags included
    tags: tuple[str, ...]  # in the platform's form: #tag, #tag# or plain (a tag field)
    lengths: tuple[tuple[str, int, int], ...]  # (field, length, limit)
    notes: tuple[str, ...] = ()  # what was shortened or left out
    problems: tuple[str, ...] = ()  # what cannot fit at all

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform, "lang": self.lang, "title": self.title,
            "text": self.text, "tags": list(self.tags),
            "lengths": {name: {"length": n, "limit": limit}
                        for name, n, limit in self.lengths},
            "notes": list(self.notes), "problems": list(self.problems),
        }

    def to_text(self) -> str:
        """``post.txt``: what to paste, field by field."""
        parts = []
        if self.title:
            parts.append(f"[title]\n{self.title}")
        parts.append(f"[text]\n{self.text}")
        if self.tags and not any(t in self.text for t in self.tags):
            parts.append("[tags]\n" + ", ".join(self.tags))
        return "\n\n".join(parts) + "\n"


def texts_of(board: Storyboard, lang: str) -> Texts:
    overrides = {key: o.model_dump(exclude_none=True) for key, o in board.platforms.items()}
    return Texts(board.title.get(lang),
                 board.description.get(lang) if board.description else "",
                 tuple(tag.get(lang) for tag in board.tags), overrides)


def texts_from_metadata(meta: Mapping[str, Any]) -> Texts:
    """A render's texts as its metadata recorded them (no per-platform overrides)."""
    return Texts(str(meta.get("title") or ""), str(meta.get("description") or ""),
                 tuple(str(t) for t in meta.get("tags") or ()))


# --- shortening ------------------------------------------------------------------------

def _finish(prefix: str, lang: str) -> str:
    """A cut text as shown: ends at a sentence, or with an ellipsis."""
    prefix = prefix.rstrip()
    core = prefix.rstrip(_CLOSERS)
    if core.endswith(_SENTENCE_END):
        return prefix
    return prefix.rstrip(_TRAILING) + ELLIPSIS[lang]


def shorten(text: str, lang: str, limit: int, count: Count = "chars") -> str:
    """``text`` if it fits ``limit``, else its longest beginning that ends at a natural
    break and fits with its ellipsis; "" when not even the first phrase fits.

    A sentence end is preferred when it keeps at least 60 % of what the latest break
    would, a clause or phrase break when it keeps 80 %.
    Chinese may be cut at sentence, clause, enumeration and phrase breaks; English at any
    word boundary, after an article or preposition only when nothing else fits.
    """
    text = " ".join(text.split()) if lang == "en" else text.strip()
    if measure(text, count) <= limit:
        return text
    # No count makes a character weigh less than 1/2: nothing past 2 × limit can fit,
    # so only that much (and a little context) is analysed.
    reach = 2 * limit
    _, _, breaks = prepare(text[:reach + 64], lang)
    worst = Level.PHRASE if lang == "zh" else Level.WORD
    for allowed in (worst, Level.WEAK) if lang == "en" else (worst,):
        fits = []
        for k, level in sorted(breaks.items()):
            if level > allowed or k > reach:
                continue
            piece = _finish(text[:k], lang)
            if piece.strip(ELLIPSIS[lang]) and measure(piece, count) <= limit:
                fits.append((k, level, piece))
        if fits:
            longest = max(len(p) for _, _, p in fits)
            for best, share in ((Level.SENTENCE, 0.6), (Level.PHRASE, 0.8)):
                good = [p for _, level, p in fits if level <= best and len(p) >= share * longest]
                if good:
                    return good[-1]
            return fits[-1][2]
    return ""


# --- tags -------------------------------------------------------------------------------

def tag_form(tag: str, lang: str, rule: TagRule) -> str:
    """A tag in the platform's form: #CleanWater, #清洁饮水, #清洁饮水# or plain."""
    words = re.findall(r"[\w\u00b7]+", tag)
    if rule.form == "field":
        return " ".join(words) if lang == "en" else "".join(words)
    body = "".join(w[:1].upper() + w[1:] for w in words) if lang == "en" else "".join(words)
    return f"#{body}#" if rule.form == "weibo" else f"#{body}"


def _tags(tags: Sequence[str], lang: str, rule: TagRule, count: Count, budget: int,
          key: str) -> tuple[tuple[str, ...], list[str]]:
    """The tags that fit (in form), and a note for each left out."""
    kept: list[str] = []
    notes: list[str] = []
    for tag in tags:
        formed = tag_form(tag, lang, rule)
        if not formed.strip("#"):
            continue
        if len(kept) >= rule.max_items:
            notes.append(f"{key}: tag '{tag}' left out: at most {rule.max_items} tags")
            continue
        if measure(formed.strip("#"), count) > rule.max_each:
            notes.append(f"{key}: tag '{tag}' left out: longer than {rule.max_each}")
            continue
        joined = (", " if rule.form == "field" else " ").join([*kept, formed])
        limit = rule.max_total if rule.form == "field" else budget
        if limit is not None and measure(joined, count) > limit:
            notes.append(f"{key}: tag '{tag}' left out: the tags would pass {limit}")
            continue
        kept.append(formed)
    return tuple(kept), notes


# --- posts ------------------------------------------------------------------------------

def _override(texts: Texts, key: str, name: str, lang: str) -> Any:
    value = texts.overrides.get(key, {}).get(name)
    return value.get(lang) if isinstance(value, Mapping) else None


def make_post(texts: Texts, platform: Platform, lang: str) -> Post:
    """The post of one story for ``platform`` in ``lang``; see the module."""
    key = platform.key
    notes: list[str] = []
    problems: list[str] = []
    title_src = _override(texts, key, "title", lang) or texts.title
    desc_src = _override(texts, key, "description", lang)
    desc_src = desc_src if desc_src is not None else texts.description
    tag_src = _override(texts, key, "tags", lang)
    tag_src = tuple(tag_src) if tag_src is not None else texts.tags
    limit, count = platform.description.max, platform.description.count

    def cut(name: str, source: str, budget: int, field_count: Count) -> str:
        short = shorten(source, lang, budget, field_count)
        whole = " ".join(source.split()) if lang == "en" else source.strip()
        if short != whole and whole:
            if short:
                notes.append(f"{key}: {name} shortened to {measure(short, field_count)} of "
                             f"{budget} (was {measure(whole, field_count)})")
            else:
                problems.append(f"{key} ({lang}): the {name} cannot fit in {budget} "
                                f"({field_count}): its first phrase is longer; give "
                                f"platforms.{key}.{name} in the storyboard")
        return short

    title = ""
    if platform.title is not None:
        title = cut("title", title_src, platform.title.max, platform.title.count)
    tags, tag_notes = _tags(tag_src, lang, platform.tags, count, limit // 3, key)
    notes += tag_notes
    tagline = " ".join(tags) if platform.tags.form != "field" else ""
    reserve = measure("\n\n" + tagline, count) if tagline else 0
    if platform.title is None:  # the title opens the post text
        head = cut("title", title_src, limit - reserve, count)
        room = limit - reserve - measure(head + "\n", count)
        body = cut("description", desc_src, room, count) if room > 0 and desc_src else ""
        if desc_src and not body and room > 0:
            problems.clear()  # the title carries the post; the description is left out
            notes.append(f"{key}: description left out: no room after the title")
        text = "\n".join(p for p in (head, body) if p)
    else:
        text = cut("description", desc_src, limit - reserve, count)
    if tagline:
        text = f"{text}\n\n{tagline}" if text else tagline
    lengths = [("text", measure(text, count), limit)]
    if platform.title is not None:
        lengths.insert(0, ("title", measure(title, platform.title.count), platform.title.max))
    if platform.tags.form == "field" and platform.tags.max_total is not None:
        lengths.append(("tags", measure(", ".join(tags), count), platform.tags.max_total))
    return Post(key, lang, title, text, tags, tuple(lengths), tuple(notes), tuple(problems))


def posts_for(texts: Texts, platforms: Platforms, lang: str, preset: str) -> tuple[Post, ...]:
    """The posts of a render (``lang`` in ``preset``) for every platform that takes it."""
    return tuple(make_post(texts, p, lang) for p in platforms.taking(lang, preset))


@dataclass(frozen=True)
class PlatformFinding:
    """A platform problem of a story: ``message`` names the platform."""

    severity: Literal["error", "warning"]
    platform: str
    lang: str
    message: str


def story_findings(board: Storyboard, platforms: Platforms,
                   langs: Sequence[str]) -> list[PlatformFinding]:
    """What ``check`` reports about a story's platforms: override keys the table does not
    know, texts that cannot fit, a target longer than a platform takes."""
    found: list[PlatformFinding] = []
    source = str(board.source)
    for key in board.platforms:
        if key not in set(platforms.keys()):
            found.append(PlatformFinding(
                "error", key, "", f"{source}: platforms.{key}: unknown platform; choose "
                "from " + ", ".join(platforms.keys())))
    for platform in platforms:
        for lang in (lang for lang in langs if lang in platform.langs):
            post = make_post(texts_of(board, lang), platform, lang)
            found += [PlatformFinding("warning", platform.key, lang, f"{source}: {p}")
                      for p in post.problems]
            if board.platforms.get(platform.key) is not None:
                found += [PlatformFinding("warning", platform.key, lang,
                                          f"{source}: platforms.{n} (override)")
                          for n in post.notes if "shortened" in n]
        if platform.max_seconds is not None and board.target_seconds > platform.max_seconds:
            found.append(PlatformFinding(
                "warning", platform.key, "", f"{source}: target_seconds: {platform.name} "
                f"({platform.key}) takes videos up to {platform.max_seconds} s, this one "
                f"runs {board.target_seconds} s"))
    return found


def render_findings(meta: Mapping[str, Any], video_bytes: int, platforms: Platforms,
                    texts: Texts) -> list[str]:
    """A finished render's platform problems, for the batch summary: a video longer or
    larger than a platform takes, texts that cannot fit."""
    lang, preset = str(meta.get("lang")), str(meta.get("preset"))
    seconds = int(meta.get("duration_ms") or 0) / 1000
    out: list[str] = []
    for platform in platforms.taking(lang, preset):
        if platform.max_seconds is not None and seconds > platform.max_seconds:
            out.append(f"{platform.key}: {seconds:g} s is longer than the "
                       f"{platform.max_seconds} s {platform.name} takes")
        if platform.max_bytes is not None and video_bytes > platform.max_bytes:
            out.append(f"{platform.key}: {video_bytes} bytes is more than the "
                       f"{platform.max_bytes} {platform.name} takes")
        out += make_post(texts, platform, lang).problems
    return out
