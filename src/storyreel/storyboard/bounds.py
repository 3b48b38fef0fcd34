"""Bound the work one storyboard file can cause before it is built into Python objects.

A storyboard is read by :mod:`storyreel.storyboard.load`; this module guards that read:

* :func:`read_regular` reads a path only if it is a regular file (a FIFO, a device such as
  ``/dev/zero`` or a folder is refused without opening it in a way that could block),
  and at most ``limit`` bytes of it.
* :func:`yaml_overrun` walks the YAML's parse events (a flat stream: no recursion, no
  objects built) and measures what loading would build: how deep collections nest, how
  many aliases there are, and how many values the document holds once every alias is
  expanded (an alias counts as the whole of what it names). A "billion laughs" bomb of
  nested aliases is a few hundred bytes that expand to billions of values; it is refused
  here, naming the field where the limit is crossed, before anything is constructed.

The limits are far above what any storyboard needs (a 100-second story has a few hundred
values, nested five deep) and far below what would hurt a batch.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    ScalarEvent,
)

MAX_DEPTH = 24  # collections inside collections
MAX_VALUES = 50_000  # scalars and collections, every alias expanded
MAX_ALIASES = 1_000


class NotRegularFile(OSError):
    """The path names something other than a regular file; ``kind`` says what."""

    def __init__(self, path: Path, kind: str) -> None:
        self.kind = kind
        super().__init__(f"{path} is {kind}")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` (at most ``limit`` + 1 of them: more means too large).

    Raises :class:`NotRegularFile` for anything but a regular file (symlinks are
    followed), checked before opening and again on the opened file, which is opened
    non-blocking so that a FIFO swapped in between cannot hang the read; other
    ``OSError``s as ``open`` raises them.
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegularFile(path, _kind(mode))
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, _kind(mode))
        return f.read(limit + 1)


Loc = tuple[int | str, ...]


@dataclass(frozen=True)
class Overrun:
    """Where (1-based line, field path) and how a document exceeds the limits."""

    line: int
    loc: Loc
    problem: str


@dataclass
class _Frame:
    loc: Loc
    anchor: str | None
    start: int  # values counted before this collection began
    mapping: bool
    expect_key: bool = True
    key: int | str = "?"
    index: int = 0


def _child_loc(stack: list[_Frame]) -> Loc:
    """The field path of the node the next event starts (a key counts as its mapping)."""
    if not stack:
        return ()
    top = stack[-1]
    if top.mapping:
        return top.loc if top.expect_key else (*top.loc, top.key)
    return (*top.loc, top.index)


def _done(stack: list[_Frame]) -> None:
    """A node under the top of ``stack`` is complete: move on to the next key or item."""
    if not stack:
        return
    top = stack[-1]
    if top.mapping:
        top.expect_key = not top.expect_key
    else:
        top.index += 1


def yaml_overrun(text: str) -> Overrun | None:
    """The first way loading ``text`` would exceed the limits, or None. Syntax errors
    are left to the loader (which reports them with their line): they end the walk."""
    from ruamel.yaml.error import YAMLError

    stack: list[_Frame] = []
    sizes: dict[str, int] = {}  # anchor -> expanded size of what it names
    total = aliases = 0
    try:
        for event in YAML(typ="rt", pure=True).parse(text):
            line = int(event.start_mark.line) + 1 if event.start_mark else 0
            if isinstance(event, CollectionEndEvent):
                frame = stack.pop()
                if frame.anchor is not None:
                    sizes[frame.anchor] = total - frame.start
                _done(stack)
                continue
            if not isinstance(event, ScalarEvent | AliasEvent | CollectionStartEvent):
                continue
            loc = _child_loc(stack)
            is_key = bool(stack) and stack[-1].mapping and stack[-1].expect_key
            if isinstance(event, AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    return Overrun(line, loc, f"more than {MAX_ALIASES:,} YAML aliases (*name); "
                                   "write the values out or use fewer")
                name = str(event.anchor)
                if any(f.anchor == name for f in stack):
                    return Overrun(line, loc, f"the alias *{name} refers to a collection "
                                   "that contains it; a storyboard cannot be recursive")
                total += sizes.get(name, 1)
            else:
                total += 1
                anchor = getattr(event, "anchor", None)
                if isinstance(event, CollectionStartEvent):
                    stack.append(_Frame(loc, anchor, total - 1,
                                        isinstance(event, MappingStartEvent)))
                    if len(stack) > MAX_DEPTH:
                        return Overrun(line, loc[:4], f"nested more than {MAX_DEPTH} levels deep; "
                                       "a storyboard needs a handful")
                elif anchor is not None:
                    sizes[str(anchor)] = 1
                if is_key and isinstance(event, ScalarEvent):
                    stack[-1].key = str(event.value)
            if total > MAX_VALUES:
                return Overrun(line, loc, f"expands to more than {MAX_VALUES:,} values "
                               "(YAML aliases repeat what they name); a storyboard needs far "
                               "fewer: write it out without the repetition")
            if not isinstance(event, CollectionStartEvent):
                _done(stack)
    except YAMLError:
        return None
    return None


# Speech runs at about 4.5 Chinese or 15 English characters a second: narration past
# this many a second of the target (over 15 times the English rate) could never fit,
# however fast it is read. Refused at load, before it is chunked and spoken (work that
# grows with its length: a megabyte of narration would take many minutes); narration
# less far over is left to the planner, which says how much to cut from which scene.
MAX_NARRATION_PER_SECOND = 250


def narration_overruns(scenes: Sequence[Mapping[str, str]],
                       target_seconds: int) -> list[tuple[Loc, str]]:
    """(field, problem) per language whose narration, over all ``scenes`` (each a
    language → text mapping), is far past what ``target_seconds`` could hold; the field
    is that language's narration in its longest scene."""
    limit = MAX_NARRATION_PER_SECOND * target_seconds
    found: list[tuple[Loc, str]] = []
    for lang in sorted({lang for scene in scenes for lang in scene}):
        sizes = [len(scene.get(lang, "")) for scene in scenes]
        total = sum(sizes)
        if total > limit:
            longest = max(range(len(sizes)), key=sizes.__getitem__)
            found.append((("scenes", longest, "narration", lang),
                          f"the {lang} narration is {total:,} characters in all, more than "
                          f"{target_seconds} s could ever hold (at most {limit:,}, "
                          f"{MAX_NARRATION_PER_SECOND} a second); cut it"))
    return found
