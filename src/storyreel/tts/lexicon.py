"""The project lexicon: how to say words the voices get wrong, applied before synthesis.

``lexicon.yaml`` at the project root lists, per language, ``{match, say}`` pairs::

    en:
      - match: CSR
        say: C S R
    zh:
      - match: CSR
        say: 企业社会责任
      - match: esg            # optional: ignore_case (default false)
        say: E S G
        ignore_case: true

A match that starts or ends with a Latin letter or digit only matches whole words
("CSR" not inside "CSRC"), also next to Chinese characters; the longest match wins.
Only the spoken text changes, never captions. ``Lexicon.digest`` identifies the
lexicon's content, to record with renders.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from storyreel.errors import FileProblem

from .numbers import speak_numbers

LEXICON_FILE = "lexicon.yaml"
LANGS = ("zh", "en")
_LATIN = "0-9A-Za-z\u00c0-\u024f"
_KEYS = {"match", "say", "ignore_case"}


class LexiconError(FileProblem):
    """A problem in a lexicon file: ``path:line: field: problem``."""

    kind = "lexicon"


@dataclass(frozen=True)
class Entry:
    """Say ``say`` wherever ``match`` is written in ``lang`` text."""

    lang: str
    match: str
    say: str
    ignore_case: bool = False

    def pattern(self) -> str:
        body = re.escape(self.match)
        if self.ignore_case:
            body = f"(?i:{body})"
        if re.match(f"[{_LATIN}]", self.match[0]):
            body = f"(?<![{_LATIN}])" + body
        if re.match(f"[{_LATIN}]", self.match[-1]):
            body += f"(?![{_LATIN}])"
        return body


@dataclass(frozen=True)
class Lexicon:
    """A set of pronunciation entries; the empty lexicon changes nothing."""

    entries: tuple[Entry, ...] = ()
    source: Path | None = field(default=None, compare=False)

    @cached_property
    def digest(self) -> str:
        """A short hash of the entries (order-independent), to record with renders."""
        rows = sorted([e.lang, e.match, e.say, e.ignore_case] for e in self.entries)
        return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]

    @cached_property
    def _patterns(self) -> dict[str, tuple[re.Pattern[str], tuple[Entry, ...]]]:
        compiled: dict[str, tuple[re.Pattern[str], tuple[Entry, ...]]] = {}
        for lang in {e.lang for e in self.entries}:
            entries = tuple(
                sorted((e for e in self.entries if e.lang == lang), key=lambda e: -len(e.match))
            )
            alternatives = "|".join(f"(?P<e{i}>{e.pattern()})" for i, e in enumerate(entries))
            compiled[lang] = (re.compile(alternatives), entries)
        return compiled

    def apply(self, text: str, lang: str) -> str:
        """``text`` with every match of ``lang``'s entries replaced by what to say."""
        found = self._patterns.get(lang)
        if found is None:
            return text
        pattern, entries = found
        return pattern.sub(lambda m: entries[int(str(m.lastgroup)[1:])].say, text)


def prepare_for_speech(text: str, lang: str, lexicon: Lexicon | None = None) -> str:
    """What the voice should read for caption ``text``: lexicon, then numbers."""
    if lexicon is not None:
        text = lexicon.apply(text, lang)
    return speak_numbers(text, lang)


def project_lexicon(project: Path) -> Lexicon:
    """``<project>/lexicon.yaml``, or the empty lexicon when there is none. A lexicon
    that is a symlink out of the project is refused, never read."""
    path = project / LEXICON_FILE
    if not path.is_file():
        return Lexicon()
    if not path.resolve().is_relative_to(project.resolve()):
        raise LexiconError(path, None, "", f"points outside the project folder {project} "
                           f"(to {path.resolve()}); keep the lexicon inside the project")
    return load_lexicon(path)


def load_lexicon(path: Path) -> Lexicon:
    """Read and validate a lexicon file; errors name file, line and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(path, None, "", f"cannot read the lexicon ({exc})") from None
    try:
        data = YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        line = mark.line + 1 if mark is not None else None
        raise LexiconError(path, line, "", f"YAML syntax error: {problem}") from None
    except YAMLError as exc:
        raise LexiconError(path, None, "", f"YAML error: {exc}") from None
    if data is None:
        return Lexicon(source=path)
    if not isinstance(data, CommentedMap):
        raise LexiconError(path, 1, "", "expected a mapping of languages (zh, en) to entries")
    entries: list[Entry] = []
    for lang, items in data.items():
        line = data.lc.key(lang)[0] + 1
        if lang not in LANGS:
            raise LexiconError(path, line, str(lang), f"unknown language; use {', '.join(LANGS)}")
        if items is None:
            continue
        if not isinstance(items, CommentedSeq):
            raise LexiconError(path, line, lang, "expected a list of {match, say} entries")
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            entry = _entry(path, lang, index, item, items.lc.item(index)[0] + 1)
            key = entry.match.casefold() if entry.ignore_case else entry.match
            item_line = items.lc.item(index)[0] + 1
            if key in seen:
                raise LexiconError(
                    path, item_line, f"{lang}[{index}].match",
                    f"{entry.match!r} is already listed as {lang}[{seen[key]}]",
                )  # fmt: skip
            seen[key] = index
            entries.append(entry)
    return Lexicon(tuple(entries), path)


def _entry(path: Path, lang: str, index: int, item: Any, line: int) -> Entry:
    where = f"{lang}[{index}]"
    if not isinstance(item, CommentedMap):
        raise LexiconError(path, line, where, "expected a mapping like {match: CSR, say: C S R}")

    def line_of(key: str) -> int:
        return int(item.lc.key(key)[0]) + 1 if key in item else line

    for key in item:
        if key not in _KEYS:
            raise LexiconError(
                path, line_of(key), f"{where}.{key}", "unknown field; use match, say, ignore_case"
            )
    values: dict[str, str] = {}
    for key in ("match", "say"):
        if key not in item:
            raise LexiconError(path, line, f"{where}.{key}", "field required; add it")
        value = item[key]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise LexiconError(path, line_of(key), f"{where}.{key}", "must be text")
        values[key] = str(value).strip()
        if not values[key]:
            raise LexiconError(path, line_of(key), f"{where}.{key}", "must not be empty")
    ignore_case = item.get("ignore_case", False)
    if not isinstance(ignore_case, bool):
        raise LexiconError(
            path, line_of("ignore_case"), f"{where}.ignore_case", "must be true or false"
        )
    return Entry(lang, values["match"], values["say"], ignore_case)
