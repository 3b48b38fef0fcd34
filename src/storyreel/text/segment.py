"""Chinese phrases and words: budoux phrase boundaries (where a line breaks best) and
jieba words (inside which a line never breaks).

Both segmenters are loaded once per process. jieba's dictionary comes with its wheel
(nothing is downloaded) and is completed by :data:`TERMS_FILE`, the words of this
field that jieba splits (低碳, 生物多样性, 碳中和…), and by the names a storyboard
lists (:func:`add_words`): organisations, places and people stay whole on a line.
"""

from __future__ import annotations

import gc
import itertools
import logging
import threading
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Final

from storyreel.text.chars import is_cjk

if TYPE_CHECKING:
    import budoux
    import jieba

TERMS_FILE: Final = "terms.txt"
_WORD_FREQ: Final = 200_000  # high enough that jieba keeps an added word whole
_lock = threading.Lock()
_added: set[str] = set()
_latin_names: set[str] = set()  # names of several words with no CJK: Kafue River


@cache
def budoux_parser() -> budoux.Parser:
    import budoux

    return budoux.load_default_simplified_chinese_parser()


def phrase_bounds(text: str) -> frozenset[int]:
    """Offsets in ``text`` where a budoux phrase ends (the last is ``len(text)``)."""
    return frozenset(itertools.accumulate(len(p) for p in budoux_parser().parse(text)))


@cache
def _tokenizer() -> jieba.Tokenizer:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    terms = resources.files("storyreel.text").joinpath(TERMS_FILE).read_text("utf-8")
    for line in terms.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            tokenizer.add_word(word, _WORD_FREQ)
    for word in sorted(_added - _latin_names):  # loaded again: the words added so far
        tokenizer.add_word(word, _WORD_FREQ)
    return tokenizer


def release_words() -> None:
    """Let go of jieba's dictionary (about 65 MiB) until a word is asked for again; it is
    then loaded again (half a second), with every word added so far. A render calls it
    once all its text is laid out."""
    with _lock:
        _tokenizer.cache_clear()
    gc.collect()


def add_words(words: list[str] | tuple[str, ...] | frozenset[str]) -> None:
    """Keep ``words`` (a storyboard's names, in either language) whole in every line
    break from now on."""
    new = [" ".join(w.split()) for w in words if w.strip() and w.strip() not in _added]
    if not new:
        return
    with _lock:
        for word in new:
            if " " in word and not any(is_cjk(ch) for ch in word):
                _latin_names.add(word)
            else:
                _tokenizer().add_word(word, _WORD_FREQ)
            _added.add(word)


def inside_names(text: str) -> frozenset[int]:
    """Offsets inside a registered name of several Latin words (``Kafue River``)."""
    found: set[int] = set()
    for name in _latin_names:
        at = text.find(name)
        while at >= 0:
            found.update(range(at + 1, at + len(name)))
            at = text.find(name, at + 1)
    return frozenset(found)


def word_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every word of two or more characters in ``text`` (jieba,
    dictionary mode: the same text always gives the same words)."""
    if not text:
        return []
    with _lock:
        tokens = _tokenizer().tokenize(text, HMM=False)
        return [(start, end) for _, start, end in tokens if end - start > 1]


def inside_words(text: str) -> frozenset[int]:
    """Offsets ``k`` of ``text`` that fall inside a word (a break at ``k`` would split
    ``text[k-1]`` from ``text[k]`` within one word)."""
    return frozenset(k for a, b in word_spans(text) for k in range(a + 1, b))
