"""The subtitle quality check: every rule a broadcaster's QC applies to a cue list.

Errors break a rule of the output contract (DESIGN.md); warnings are worth a look:
reading speed, and line breaks that look like they cut a number from its unit or a
hyphenated word (lines alone cannot tell 100|吨 from a dropped comma after a code,
COVID-19，一起). Every message names the cue by its number (as in the SRT file), its
start time and its text.

Reading speed is characters per second of the cue's primary lines over its duration:

* Chinese: characters read, not counting spaces and punctuation; Latin letters and
  digits count ½ like on the line (so "AI" counts 1). Limit 9 cps.
* English: every character shown, spaces and punctuation included, line breaks not
  (the usual definition, as in Netflix's 20 cps for adults). Limit 20 cps.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from storyreel.text import (
    EN_NO_LINE_END,
    EN_NO_LINE_START,
    LIMITS,
    MAX_LINES,
    ZH_NO_LINE_END,
    ZH_NO_LINE_START,
    display_width,
    is_content,
)
from storyreel.timeline.model import Cue
from storyreel.timeline.place import MAX_CUE_MS, MIN_CUE_MS

# Cues touch or leave at least two frames: 66.7 ms at 30 fps, which is 66 or 67 ms between
# times on frame boundaries (frames 2 → 4: 67 → 133 ms).
MIN_GAP_MS: Final = 66
MAX_CPS: Final[dict[str, float]] = {"zh": 9.0, "en": 20.0}
_ZH_LINE_END_DROPPED: Final = frozenset("，。")
_ASS_SPECIAL: Final = re.compile(r"[{}\\]")

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One broken rule. ``index`` is the cue's position in the list (0-based); the
    message numbers cues from 1, like the SRT file."""

    severity: Severity
    index: int
    start_ms: int
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.message}"


def timestamp(ms: int) -> str:
    """``HH:MM:SS.mmm``, as in WebVTT."""
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{sign}{h:02d}:{m:02d}:{s:02d}.{milli:03d}"


def _other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def reading_speed(cue: Cue, lang: str) -> float:
    """Characters per second of ``cue``'s primary lines (see the module for what counts);
    ``inf`` for a cue that does not last."""
    if lang == "zh":
        chars = sum(display_width(ch, "zh") for line in cue.lines for ch in line
                    if is_content(ch))
    else:
        chars = float(sum(len(line) for line in cue.lines))
    if cue.duration_ms <= 0:
        return float("inf") if chars else 0.0
    return chars / (cue.duration_ms / 1000)


def check_cues(cues: Sequence[Cue], lang: str, duration_ms: int) -> list[Problem]:
    """Every problem of ``cues`` (captions in ``lang`` of a video ``duration_ms`` long),
    in cue order. Secondary lines (bilingual captions) are checked against the line
    rules of the other language."""
    if lang not in LIMITS:
        raise ValueError(f"unsupported subtitle language {lang!r}: choose from zh, en")
    problems: list[Problem] = []
    for i, cue in enumerate(cues):
        found: list[tuple[Severity, str]] = []
        if not cue.lines or not "".join(cue.lines).strip():
            found.append(("error", "has no text"))
        found += _line_problems(cue.lines, lang, "line")
        if cue.secondary:
            found += _line_problems(cue.secondary, _other(lang), "second-language line")
        found += [("error", what) for what in _time_problems(cues, i, duration_ms)]
        cps = reading_speed(cue, lang)
        if cps > MAX_CPS[lang] and cue.duration_ms > 0:
            found.append(("warning", f"reads at {cps:.1f} characters a second "
                                     f"(limit {MAX_CPS[lang]:g}): lengthen it or cut text"))
        where = f"cue {i + 1} at {timestamp(cue.start_ms)} {_quote(cue)}"
        problems += [Problem(severity, i, cue.start_ms, f"{where}: {what}")
                     for severity, what in found]
    return problems


def _quote(cue: Cue) -> str:
    text = " / ".join(cue.lines)
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def _time_problems(cues: Sequence[Cue], i: int, duration_ms: int) -> list[str]:
    cue = cues[i]
    out: list[str] = []
    d = cue.duration_ms
    if d <= 0:
        out.append(f"ends ({timestamp(cue.end_ms)}) before it starts")
    elif d < MIN_CUE_MS:
        out.append(f"lasts {d} ms, shorter than {MIN_CUE_MS} ms (5/6 s, in whole centiseconds)")
    elif d > MAX_CUE_MS:
        out.append(f"lasts {d} ms, longer than {MAX_CUE_MS} ms")
    if cue.start_ms < 0:
        out.append("starts before the video")
    if cue.end_ms > duration_ms:
        out.append(f"ends at {timestamp(cue.end_ms)}, after the end of the video "
                   f"({timestamp(duration_ms)})")
    if i == 0:
        return out
    prev = cues[i - 1]
    if cue.start_ms < prev.start_ms:
        out.append(f"starts before cue {i} ({timestamp(prev.start_ms)}): "
                   "cues are out of order")
    elif cue.start_ms < prev.end_ms:
        out.append(f"overlaps cue {i}, which ends at {timestamp(prev.end_ms)}")
    elif 0 < cue.start_ms - prev.end_ms < MIN_GAP_MS:
        out.append(f"starts {cue.start_ms - prev.end_ms} ms after cue {i} ends: "
                   "cues must touch or leave at least 2 frames (67 ms)")
    return out


def _line_problems(lines: Sequence[str], lang: str, name: str
                   ) -> list[tuple[Severity, str]]:
    """What is wrong with the lines of one cue, shown in ``lang``."""
    out: list[tuple[Severity, str]] = []
    limit = LIMITS[lang]
    unit = "characters" if lang == "en" else "characters wide"
    if len(lines) > MAX_LINES:
        out.append(("error", f"has {len(lines)} {name}s (at most {MAX_LINES})"))
    no_start = ZH_NO_LINE_START if lang == "zh" else EN_NO_LINE_START
    no_end = ZH_NO_LINE_END if lang == "zh" else EN_NO_LINE_END
    for k, line in enumerate(lines, 1):
        label = f"{name} {k} “{line}”"
        if not line.strip():
            out.append(("error", f"{name} {k} is empty"))
            continue
        if line != line.strip():
            out.append(("error", f"{label} has spaces at its start or end"))
        width = display_width(line, lang)
        if width > limit:
            out.append(("error", f"{label} is {width:g} {unit} (limit {limit})"))
        if line[0] in no_start:
            out.append(("error", f"{label} starts with '{line[0]}'"))
        if line[-1] in no_end:
            out.append(("error", f"{label} ends with '{line[-1]}'"))
        if lang == "zh" and line[-1] in _ZH_LINE_END_DROPPED:
            out.append(("error", f"{label} ends with '{line[-1]}' (drop it at a line end)"))
        if _ASS_SPECIAL.search(line):
            out.append(("error", f"{label} has {{, }} or \\, which subtitle renderers read "
                                 "as tags"))
    for k in range(len(lines) - 1):
        split = _split_between(lines[k], lines[k + 1], lang)
        if split:
            # Lines alone cannot tell a dropped comma (COVID-19，一) from a cut: a warning.
            out.append(("warning", f"{name}s {k + 1} and {k + 2} may split {split}"))
    return out


_EN_NUMBER_END: Final = re.compile(r"(?<![A-Za-z\-\d.,])\d[\d,.]*%?$")
_EN_UNIT_START: Final = re.compile(
    r"(%|percent|per cent|km|kg|tonnes?|tons?|mw|kwh|gwh|million|billion|thousand|"
    r"hectares?|metres?|meters?|yuan|dollars?|euros?)\b", re.IGNORECASE)


def _split_between(top: str, bottom: str, lang: str) -> str:
    """A number and its unit, or a hyphenated word, that the break between two lines
    cuts; "" if none."""
    if not top or not bottom:
        return ""
    a, b = top[-1], bottom[0]  # a name cut at its · is caught by the start/end rules
    if lang == "zh":
        number = re.search(r"(?<![A-Za-z\-\d.,])\d[\d.,]*$", top)
        if number and is_content(b) and display_width(b) == 1:
            return f"a number from its unit “{number.group(0)}|{b}”"
        return ""
    if a == "-" and b.isalpha():
        return f"a hyphenated word “{top.split()[-1]}|{bottom.split()[0]}”"
    if _EN_NUMBER_END.search(top) and _EN_UNIT_START.match(bottom):
        return f"a number from its unit “{top.split()[-1]}|{bottom.split()[0]}”"
    return ""
