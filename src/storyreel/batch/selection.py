"""Which storyboards a batch takes: ``--select`` patterns and ``status: draft``.

A pattern is an id glob (``lusaka-*``) or ``tag:NAME``, a tag of the storyboard in
either language (``tag:clean water``, ``tag:清洁水``; case does not matter). Several
patterns combine: a storyboard matching any is taken. A storyboard marked
``status: draft`` is left out unless it is selected by name: its file named on the command
line, or its exact id given as a pattern.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from fnmatch import fnmatchcase
from pathlib import Path

from storyreel.errors import StoryreelError
from storyreel.storyboard.load import load_storyboard
from storyreel.storyboard.model import Storyboard

TAG = "tag:"


def matches(board: Storyboard, pattern: str) -> bool:
    """Whether ``board`` matches one ``--select`` pattern."""
    if pattern.startswith(TAG):
        wanted = pattern[len(TAG):].strip().casefold()
        return any(wanted in (tag.zh.casefold(), tag.en.casefold()) for tag in board.tags)
    return fnmatchcase(board.id, pattern)


def _by_name(story_id: str, patterns: Sequence[str]) -> bool:
    return story_id in patterns


def choose(paths: Sequence[Path], patterns: Sequence[str] = (),
           named: Collection[Path] = ()) -> list[Path]:
    """The storyboards of ``paths`` a batch takes (see the module). One that does not
    load is kept when no pattern is given or its file name matches an id pattern, so
    that the batch reports it."""
    named_set = {p.resolve() for p in named}
    chosen: list[Path] = []
    for path in paths:
        try:
            board = load_storyboard(path)
        except StoryreelError:
            if not patterns or any(not p.startswith(TAG) and fnmatchcase(path.stem, p)
                                   for p in patterns):
                chosen.append(path)
            continue
        by_name = _by_name(board.id, patterns)
        if patterns and not by_name and not any(matches(board, p) for p in patterns):
            continue
        if board.status == "draft" and not (by_name or path.resolve() in named_set):
            continue
        chosen.append(path)
    return chosen
