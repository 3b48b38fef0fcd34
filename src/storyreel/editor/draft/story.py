"""Reading a story told in plain text or Markdown: its title and its paragraphs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storyreel.errors import StoryreelError
from storyreel.text import is_wide


class DraftError(StoryreelError):
    """The story files cannot be drafted into a storyboard (says which and why);
    ``problems`` lists every problem when there are several."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        self.problems = tuple(problems) or (message,)
        super().__init__(message)


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
            title = clean(lines[0].lstrip("# "), lang)
            lines = lines[1:]
        if lines and re.match(r"^#{2,6}\s", lines[0]):
            heading = clean(lines[0].lstrip("# "), lang)
            lines = lines[1:]
        if not lines:
            continue
        block = Block("", heading)
        heading = ""
        items = [m.group(1) for m in map(_LIST_ITEM.match, lines) if m]
        if len(items) == len(lines):
            block.items = [clean(i, lang) for i in items]
            block.text = join_lines(block.items, lang, sentences=True)
        else:
            block.quote = all(line.startswith(">") for line in lines)
            block.text = join_lines([clean(line.lstrip("> "), lang) for line in lines], lang)
        if block.text:
            blocks.append(block)
    if not blocks:
        raise DraftError(f"{path}: no paragraphs found; separate paragraphs with a blank line")
    if not title and len(blocks) > 1 and _is_title_line(blocks[0].text, lang):
        title = blocks.pop(0).text
    if not title:
        from storyreel.editor.draft.phrases import shorten

        title = shorten(sentences(blocks[0].text, lang)[0], lang, 30)
    return Story(title, blocks)


def clean(text: str, lang: str) -> str:
    for pattern, repl in _MD_INLINE:
        text = pattern.sub(repl, text)
    return re.sub(r"\s+", " ", text).strip()


def join_lines(parts: Sequence[str], lang: str, sentences: bool = False) -> str:
    """Lines of one paragraph as one text (Chinese lines join without a space)."""
    if sentences:  # list items read as sentences
        end = "。" if lang == "zh" else "."
        parts = [p if p[-1:] in "。！？.!?" else p + end for p in parts if p]
    out = ""
    for part in parts:
        if out and not (lang == "zh" and is_wide(out[-1]) and part and is_wide(part[0])):
            out += " "
        out += part
    return out.strip()


def _is_title_line(text: str, lang: str) -> bool:
    return len(text) <= (30 if lang == "zh" else 80) and text[-1:] not in "。！？.!?…"


def sentences(text: str, lang: str) -> list[str]:
    """The sentences of ``text``, each with its closing punctuation."""
    pattern = r"[^。！？]+[。！？]*[”’」』]?" if lang == "zh" else \
        r".+?(?:[.!?]+[\"'”’]?(?=\s|$)|$)"
    found = [s.strip() for s in re.findall(pattern, text) if s.strip()]
    return found or [text]
