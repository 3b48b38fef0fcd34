"""Draft a storyboard from a story told in plain text or Markdown.

``draft(story_id, zh=..., en=..., images=[...])`` turns the story's paragraphs into
scenes, in order, and the paragraphs' sentences into their narration:

* the first paragraph opens on a ``title`` card (the story's title: a ``# heading``, or a
  short first line, else the first sentence), the last closes on the ``end`` card;
* a paragraph whose first sentence leads with a figure in both languages ("7亿多人用不上
  电", "More than 700 million people…") becomes a ``stat`` scene showing that figure;
* a paragraph that is a quotation (or a ``>`` block quote) becomes a ``quote`` scene;
* a Markdown list of two to four items becomes ``bullets``;
* every other paragraph becomes an ``image`` scene with the next picture; with no
  pictures left it becomes a text card (a ``title`` layout headed by its first words).

A ``## heading`` line heads the paragraph after it. The two languages must have the same
number of paragraphs (they are paired in order); a story given in one language only is
copied into the other, to translate. :func:`write_draft` writes the YAML (with the
schema line editors use) and loads it back, so a draft is always a valid storyboard;
:func:`estimate` times its narration with the real engine against the target.
"""

from __future__ import annotations

import io
import itertools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from storyreel.errors import StoryboardError, StoryreelError
from storyreel.fileio import atomic_path
from storyreel.presets import get_preset
from storyreel.project import project_root_of
from storyreel.storyboard.load import load_storyboard
from storyreel.storyboard.model import LANGS, Layout, Storyboard
from storyreel.storyboard.schema import SCHEMA_FILE

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
# Longest text drafted onto a slide (a label, a quote, a card heading): longer stays
# narration only, so a draft does not start with text overflowing its box.
_SHORT = {"zh": 28, "en": 70}
_HEADING = {"zh": 14, "en": 36}


class DraftError(StoryreelError):
    """The story files cannot be drafted into a storyboard (says which and why)."""


@dataclass
class Block:
    """One paragraph of a story: its text, and what Markdown said about it."""

    text: str
    heading: str = ""  # a "## heading" just above it
    quote: bool = False  # a "> " block quote
    items: list[str] = field(default_factory=list)  # a "- " list


@dataclass
class Story:
    """A story file, parsed: its title and its paragraphs."""

    title: str
    blocks: list[Block]


@dataclass(frozen=True)
class Draft:
    board: dict[str, Any]  # the storyboard as plain data, in field order
    notes: tuple[str, ...]  # what the editor should look at


@dataclass(frozen=True)
class Estimate:
    """How a language's narration fits the target: spoken seconds, the speed the plan
    needs (1.0 = normal), or why it does not fit."""

    lang: str
    speech_s: float
    target_s: int
    rate: float
    error: str = ""

    def __str__(self) -> str:
        if self.error:
            return f"{self.lang}: does not fit: {self.error}"
        pace = "at normal speed" if self.rate <= 1.0 else f"spoken {self.rate:.2f}× faster"
        return (f"{self.lang}: {self.speech_s:.1f} s of narration for {self.target_s} s: "
                f"fits {pace} ({self.target_s - self.speech_s:.1f} s for pauses)")


# --- reading story files ---------------------------------------------------------------

_MD_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links
    (re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # emphasis, code
]
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")


def read_story(path: Path, lang: str) -> Story:
    """Parse a plain-text or Markdown story file into its title and paragraphs."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DraftError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise DraftError(f"{path}: not valid UTF-8; save the file as UTF-8") from None
    except OSError as exc:
        raise DraftError(f"{path}: cannot read the file ({exc.strerror})") from None
    title = ""
    blocks: list[Block] = []
    heading = ""
    for raw in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [line.rstrip() for line in raw.strip().splitlines() if line.strip()]
        if not lines or lines[0].startswith("---"):
            continue  # front matter fences and rules
        if re.match(r"^#\s", lines[0]) and not title and not blocks:
            title = _clean(lines[0].lstrip("# "), lang)
            lines = lines[1:]
        if lines and re.match(r"^#{2,6}\s", lines[0]):
            heading = _clean(lines[0].lstrip("# "), lang)
            lines = lines[1:]
        if not lines:
            continue
        block = Block("", heading)
        heading = ""
        items = [m.group(1) for m in map(_LIST_ITEM.match, lines) if m]
        if len(items) == len(lines):
            block.items = [_clean(i, lang) for i in items]
            block.text = _join(block.items, lang, sentences=True)
        else:
            block.quote = all(line.startswith(">") for line in lines)
            block.text = _join([_clean(line.lstrip("> "), lang) for line in lines], lang)
        if block.text:
            blocks.append(block)
    if not blocks:
        raise DraftError(f"{path}: no paragraphs found; separate paragraphs with a blank line")
    if not title and len(blocks) > 1 and _is_title_line(blocks[0].text, lang):
        title = blocks.pop(0).text
    return Story(title or _shorten(sentences(blocks[0].text, lang)[0], lang, 30), blocks)


def _clean(text: str, lang: str) -> str:
    for pattern, repl in _MD_INLINE:
        text = pattern.sub(repl, text)
    return re.sub(r"\s+", " ", text).strip()


def _join(parts: Sequence[str], lang: str, sentences: bool = False) -> str:
    """Lines of one paragraph as one text (Chinese lines join without a space)."""
    if sentences:  # list items read as sentences
        end = "。" if lang == "zh" else "."
        parts = [p if p[-1:] in "。！？.!?" else p + end for p in parts if p]
    out = ""
    for part in parts:
        if out and not (lang == "zh" and _cjk(out[-1]) and _cjk(part[:1])):
            out += " "
        out += part
    return out.strip()


def _cjk(ch: str) -> bool:
    return bool(ch) and ("\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
                         or ch in "，。、；：！？“”‘’（）《》")


def _is_title_line(text: str, lang: str) -> bool:
    return len(text) <= (30 if lang == "zh" else 80) and text[-1:] not in "。！？.!?…"


def sentences(text: str, lang: str) -> list[str]:
    """The sentences of ``text``, each with its closing punctuation."""
    pattern = r"[^。！？]+[。！？]*[”’」』]?" if lang == "zh" else \
        r".+?(?:[.!?]+[\"'”’]?(?=\s|$)|$)"
    found = [s.strip() for s in re.findall(pattern, text) if s.strip()]
    return found or [text]


_EN_DANGLING = frozenset({
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "who", "which", "that", "as", "is", "are", "was", "were", "had", "has", "have",
    "their", "its", "his", "her", "our",
})


def _shorten(text: str, lang: str, limit: int) -> str:
    """``text`` without its closing punctuation, cut to at most ``limit`` characters at a
    clause, else a phrase (Chinese) or word (English) boundary."""
    text = text.rstrip("。！？.!?…")
    if len(text) <= limit:
        return text
    clause = max(text.rfind(p, 0, limit + 1) for p in ("，", "、", "；", ",", ";", ":"))
    if clause >= limit // 3:
        return text[:clause]
    if lang == "zh":
        ends = [0, *itertools.accumulate(len(p) for p in _phrases(text))]
        return text[: max(e for e in ends if e <= limit) or limit]
    words = text[: limit + 1].split()[:-1] or [text[:limit]]
    while len(words) > 1 and words[-1].lower().strip(",;:") in _EN_DANGLING:
        words.pop()
    return " ".join(words).rstrip(",;:")


@cache
def _parser() -> Any:
    import budoux

    return budoux.load_default_simplified_chinese_parser()


def _phrases(text: str) -> list[str]:
    phrases: list[str] = _parser().parse(text)
    return phrases


# --- figures and quotes --------------------------------------------------------------

_ZH_UNIT = (r"(?:[多余])?(?:公里|千米|公斤|千克|公顷|美元|小时"
            r"|[人名个户所家吨米亩元天倍座棵盏台辆本次套间位只条头])?")
_ZH_FIGURE = re.compile(r"^\D{0,4}?(\d+(?:[,.]\d+)*\s*[十百千万亿]*\s*[%％]?" + _ZH_UNIT + ")")
_EN_FIGURE = re.compile(
    r"^(?:[A-Za-z]+\s+){0,3}?((?:[$€£¥]\s?)?\d+(?:[,.]\d+)*(?:\s?%|\s+percent\b|\s+per cent\b)?"
    r"(?:\s+(?:million|billion|thousand|hundred)\b)?(?:\s+(?!of\b|and\b|in\b)[A-Za-z][\w-]*)?)")
_YEAR = re.compile(r"^(1[89]|20)\d\d(年.*)?$")


def leading_figure(text: str, lang: str) -> str:
    """The figure the first sentence of ``text`` leads with ("7亿多人", "700 million
    people"), or "" if it does not lead with one (a year is not a figure)."""
    first = sentences(text, lang)[0]
    m = (_ZH_FIGURE if lang == "zh" else _EN_FIGURE).match(first)
    if not m:
        return ""
    figure = m.group(1).strip()
    number = re.match(r"[$€£¥]?\s?[\d,.]+", figure)
    if _YEAR.match(figure) or (number and _YEAR.match(number.group(0))
                               and figure[len(number.group(0)):].strip()[:1] not in "%万亿"):
        return ""
    return figure


def _quotation(block: Block, lang: str) -> str:
    """The quoted words of a quotation paragraph, or ""."""
    text = block.text
    if block.quote:
        return text
    m = re.match(r"^[“\"「『](.+?)[”\"」』]", text)
    return m.group(1).strip() if m else ""


# --- drafting ----------------------------------------------------------------------------

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
    pictures = [os.path.relpath(p, folder).replace(os.sep, "/") for p in images]
    scenes: list[dict[str, Any]] = []
    text_cards = []
    for i in range(n):
        pair = {lang: stories[lang].blocks[i] for lang in LANGS}
        scene = _scene(i, n, pair, stories, pictures)
        if scene["layout"] == Layout.TITLE.value and i > 0:
            text_cards.append(i + 1)
        scenes.append(scene)
    if text_cards:
        notes.append("no picture left for scene" + "s" * (len(text_cards) > 1) + " "
                     + ", ".join(map(str, text_cards))
                     + ": drafted as text cards; add pictures with --images")
    if pictures:
        notes.append(f"{len(pictures)} picture{'s' * (len(pictures) != 1)} not used: "
                     + ", ".join(pictures))
    board: dict[str, Any] = {
        "id": story_id,
        "title": {lang: stories[lang].title for lang in LANGS},
        "target_seconds": target_seconds,
        "scenes": scenes,
    }
    return Draft(board, tuple(notes))


def _scene(i: int, n: int, pair: dict[str, Block], stories: dict[str, Story],
           pictures: list[str]) -> dict[str, Any]:
    """Scene ``i`` of ``n`` from its paragraph in each language (takes a picture)."""
    narration = {lang: pair[lang].text for lang in LANGS}
    heading = {lang: pair[lang].heading for lang in LANGS}
    scene: dict[str, Any] = {}
    if i == 0:
        scene["layout"] = Layout.TITLE.value
        if pictures:
            scene["image"] = pictures.pop(0)
        scene["heading"] = {lang: stories[lang].title for lang in LANGS}
    elif i == n - 1:
        scene["layout"] = Layout.END.value
        if all(heading.values()):
            scene["heading"] = heading
    elif all(leading_figure(narration[lang], lang) for lang in LANGS):
        scene["layout"] = Layout.STAT.value
        if all(heading.values()):
            scene["heading"] = heading
        scene["figure"] = {lang: leading_figure(narration[lang], lang) for lang in LANGS}
    elif all(_quotation(pair[lang], lang) for lang in LANGS) and all(
            len(_quotation(pair[lang], lang)) <= 3 * _SHORT[lang] for lang in LANGS):
        scene["layout"] = Layout.QUOTE.value
        scene["text"] = {lang: _quotation(pair[lang], lang) for lang in LANGS}
    elif all(2 <= len(pair[lang].items) <= 4 for lang in LANGS) and len(
            {len(pair[lang].items) for lang in LANGS}) == 1:
        scene["layout"] = Layout.BULLETS.value
        scene["heading"] = {lang: heading[lang] or _shorten(
            sentences(stories[lang].title, lang)[0], lang, _HEADING[lang]) for lang in LANGS}
        count = len(pair["zh"].items)
        scene["points"] = [{lang: _shorten(pair[lang].items[k], lang, _SHORT[lang])
                            for lang in LANGS} for k in range(count)]
    elif pictures:
        scene["layout"] = Layout.IMAGE.value
        scene["image"] = pictures.pop(0)
        if all(heading.values()):
            scene["heading"] = heading
    else:  # a text card
        scene["layout"] = Layout.TITLE.value
        scene["heading"] = {lang: heading[lang] or _shorten(
            sentences(narration[lang], lang)[0], lang, _HEADING[lang]) for lang in LANGS}
    scene["narration"] = narration
    return scene


def find_images(folder: Path) -> list[Path]:
    """The pictures in ``folder``, in name order."""
    if not folder.is_dir():
        raise DraftError(f"{folder}: not a folder of pictures")
    return sorted(p.resolve() for p in folder.iterdir()
                  if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())


# --- writing -----------------------------------------------------------------------------

def to_yaml(data: dict[str, Any], schema: str) -> str:
    """The storyboard as YAML: block style, language pairs inline when short, the
    schema line first."""
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096  # one line per text: easier to edit, and line numbers stay put
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    yaml.dump(_commented(data), buf)
    return f"# yaml-language-server: $schema={schema}\n" + buf.getvalue()


def _commented(node: Any) -> Any:
    if isinstance(node, dict):
        out = CommentedMap((k, _commented(v)) for k, v in node.items())
        if set(node) == set(LANGS) and sum(len(str(v)) for v in node.values()) < 60:
            out.fa.set_flow_style()
        return out
    if isinstance(node, list):
        return CommentedSeq(_commented(v) for v in node)
    return node


def write_draft(draft_: Draft, path: Path, *, force: bool = False) -> Storyboard:
    """Write ``draft_`` to ``path`` (atomically, after loading it back to be sure it is
    a valid storyboard); returns the loaded storyboard."""
    if path.exists() and not force:
        raise DraftError(f"{path}: already exists; choose another id or --out, or --force")
    schema = os.path.relpath(project_root_of(path) / SCHEMA_FILE, path.parent.resolve())
    text = to_yaml(draft_.board, schema.replace(os.sep, "/"))
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
        try:
            board = load_storyboard(tmp)
        except StoryboardError as exc:  # told of the file it was to be (not written)
            raise DraftError(f"{str(exc).replace(str(tmp), str(path))} (not written)") \
                from None
    return board.with_source(path)


def estimate(board: Storyboard, lang: str, engine: str = "espeak",
             cache_root: Path | None = None) -> Estimate:
    """Time ``board``'s narration in ``lang`` as a render plans it."""
    from storyreel.batch.job import speaker
    from storyreel.timeline.plan import plan
    from storyreel.tts import get_engine

    target = board.target_seconds
    try:
        timeline = plan(board, lang, get_preset("landscape"),
                        speaker(board, lang, get_engine(engine), cache_root))
    except StoryreelError as exc:  # too long, or a word captions cannot break
        return Estimate(lang, 0.0, target, 0.0, str(exc))
    speech = sum(c.duration_ms for c in timeline.clips) / 1000
    return Estimate(lang, speech, target, timeline.speech_rate)
