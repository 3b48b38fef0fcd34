"""The subtitle quality check: one test per rule, the reading-speed definition, and
property tests: generated cue timings against a plain oracle, and generated narration
through chunk → (simulated) speech → split → cues with no errors."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyreel.subtitles.quality import (
    MIN_GAP_MS,
    Problem,
    check_cues,
    reading_speed,
    timestamp,
)
from storyreel.text import analyse, chunk_narration, cue_lines, split_chunk
from storyreel.timeline.model import Cue, frame_to_ms
from storyreel.timeline.place import MAX_CUE_MS, MIN_CUE_MS

from subtitle_textgen import Narration, narration

PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def cue(lines: tuple[str, ...], start: int = 1000, end: int = 4000,
        secondary: tuple[str, ...] = ()) -> Cue:
    return Cue(start, end, lines, 0, secondary)


def errors(cues: list[Cue], lang: str, duration: int = 100_000) -> list[str]:
    return [p.message for p in check_cues(cues, lang, duration) if p.severity == "error"]


def test_clean_cues_have_no_problems() -> None:
    cues = [cue(("在云南的大山深处", "有一所小学"), 0, 3000),
            cue(("你知道吗？我们做到了",), 3000, 5000),
            cue(("“孩子们第一次看到这么多书——", "他们高兴极了！”"), 5100, 9000)]
    assert check_cues(cues, "zh", 9000) == []
    en = [cue(("In 2023, the company donated 100 tonnes", "of supplies to mountain schools."),
              0, 4000)]
    assert check_cues(en, "en", 4000) == []


def test_messages_name_the_cue_by_number_time_and_text() -> None:
    problems = check_cues([cue(("好",), 0, 2000), cue(("，我们走吧",), 62_345, 64_000)],
                          "zh", 100_000)
    assert problems == [Problem(
        "error", 1, 62_345,
        "cue 2 at 00:01:02.345 “，我们走吧”: line 1 “，我们走吧” starts with '，'")]
    assert str(problems[0]).startswith("error: cue 2 at 00:01:02.345")
    with pytest.raises(dataclasses.FrozenInstanceError):
        problems[0].index = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("lines", "lang", "expected"),
    [
        (("一", "二", "三"), "zh", "has 3 lines (at most 2)"),
        (("一二三四五六七八九十一二三四五六七",), "zh", "is 17 characters wide (limit 16)"),
        (("a" * 43,), "en", "is 43 characters (limit 42)"),
        (("我们走吧", "，好的"), "zh", "line 2 “，好的” starts with '，'"),
        (("我们走吧", "——好的"), "zh", "starts with '—'"),
        (("我们走吧", "》好的"), "zh", "starts with '》'"),
        (("我们走吧“", "好的”"), "zh", "line 1 “我们走吧“” ends with '“'"),
        (("我们走吧，",), "zh", "ends with '，' (drop it at a line end)"),
        (("我们走吧。",), "zh", "ends with '。' (drop it at a line end)"),
        (("校长约翰·", "史密斯说"), "zh", "ends with '·'"),
        (("校长约翰", "·史密斯说"), "zh", "starts with '·'"),
        (("we donated", ", and more"), "en", "starts with ','"),
        ((" 我们",), "zh", "has spaces at its start or end"),
        (("我们{走}",), "zh", "which subtitle renderers read as tags"),
        ((), "zh", "has no text"),
        (("",), "en", "line 1 is empty"),
    ],
)
def test_line_rules(lines: tuple[str, ...], lang: str, expected: str) -> None:
    found = errors([cue(lines)], lang)
    assert any(expected in message for message in found), found


@pytest.mark.parametrize(
    ("lines", "lang", "expected"),
    [
        (("我们捐赠了100", "吨物资"), "zh", "may split a number from its unit “100|吨”"),
        (("we donated 100", "tonnes of books"), "en", "may split a number from its unit"),
        (("a well-", "known school"), "en", "may split a hyphenated word"),
    ],
)
def test_likely_splits_are_warnings(lines: tuple[str, ...], lang: str, expected: str) -> None:
    problems = check_cues([cue(lines)], lang, 100_000)
    assert [p.severity for p in problems] == ["warning"] and expected in problems[0].message


def test_a_dropped_comma_after_a_code_is_not_a_split() -> None:
    # 我们研究COVID-19，一起… : the comma went at the line end, nothing was cut.
    assert check_cues([cue(("我们研究COVID-19", "一起保护社区"))], "zh", 100_000) == []


def test_second_language_lines_follow_their_own_rules() -> None:
    ok = cue(("在云南的大山深处",), secondary=("Deep in the mountains of Yunnan",))
    assert errors([ok], "zh") == []
    bad = cue(("在云南的大山深处",), secondary=("Deep in the mountains of Yunnan there is a "
                                               "school",))
    assert any("second-language line 1" in m and "limit 42" in m for m in errors([bad], "zh"))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, 839, "lasts 839 ms, shorter than 840 ms"),
        (0, 7001, "lasts 7001 ms, longer than 7000 ms"),
        (500, 400, "before it starts"),
        (-100, 1000, "starts before the video"),
        (99_000, 100_001, "after the end of the video (00:01:40.000)"),
    ],
)
def test_duration_and_bounds(start: int, end: int, expected: str) -> None:
    found = errors([cue(("好的好的",), start, end)], "zh", 100_000)
    assert any(expected in m for m in found), found


@pytest.mark.parametrize(("start", "end"), [(0, 840), (0, 7000), (93_000, 100_000)])
def test_duration_limits_are_inclusive(start: int, end: int) -> None:
    assert errors([cue(("好的好的",), start, end)], "zh", 100_000) == []


@pytest.mark.parametrize(
    ("second_start", "expected"),
    [
        (2900, "overlaps cue 1, which ends at 00:00:03.000"),
        (3030, "starts 30 ms after cue 1 ends"),
        (500, "cues are out of order"),
    ],
)
def test_neighbours(second_start: int, expected: str) -> None:
    cues = [cue(("好的好的",), 1000, 3000), cue(("我们走吧",), second_start, 5000)]
    found = errors(cues, "zh")
    assert len(found) == 1 and expected in found[0] and found[0].startswith("cue 2"), found


@pytest.mark.parametrize("gap", [0, MIN_GAP_MS, 1000])
def test_cues_may_touch_or_leave_two_frames(gap: int) -> None:
    cues = [cue(("好的好的",), 1000, 3000), cue(("我们走吧",), 3000 + gap, 5000 + gap)]
    assert errors(cues, "zh") == []


@pytest.mark.parametrize("first", range(6))
def test_a_two_frame_gap_on_frame_boundaries_is_fine(first: int) -> None:
    gap_start, gap_end = frame_to_ms(first + 30, 30), frame_to_ms(first + 32, 30)
    assert gap_end - gap_start in (66, 67)
    cues = [cue(("好的好的",), 0, gap_start), cue(("我们走吧",), gap_end, gap_end + 2000)]
    assert errors(cues, "zh") == []
    one_frame = cue(("我们走吧",), frame_to_ms(first + 31, 30), gap_end + 2000)
    assert len(errors([cues[0], one_frame], "zh")) == 1


def test_reading_speed_definitions() -> None:
    # zh: characters read, no spaces or punctuation, Latin and digits ½.
    assert reading_speed(cue(("今天 AI很好！", "“是的”"), 0, 1000), "zh") == 7.0
    # en: every character shown, spaces and punctuation too, line breaks not.
    assert reading_speed(cue(("Hi, you.", "Yes!"), 0, 2000), "en") == 6.0
    assert reading_speed(cue(("好",), 0, 0), "zh") == float("inf")


def test_reading_speed_warnings() -> None:
    fast_zh = cue(("一二三四五六七八九十",), 0, 1000)  # 10 cps
    problems = check_cues([fast_zh], "zh", 100_000)
    assert [p.severity for p in problems] == ["warning"]
    warning = problems[0]
    assert "reads at 10.0 characters a second (limit 9)" in warning.message
    assert warning.message.startswith("cue 1 at 00:00:00.000 “一二三四五六七八九十”")
    assert check_cues([cue(("一二三四五六七八九",), 0, 1000)], "zh", 100_000) == []
    assert [p.severity for p in check_cues([cue(("x" * 42,), 0, 2000)], "en", 9000)] == [
        "warning"]
    assert check_cues([cue(("x" * 40,), 0, 2000)], "en", 9000) == []


def test_timestamp() -> None:
    assert timestamp(3_723_004) == "01:02:03.004"
    assert timestamp(-5) == "-00:00:00.005"


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        check_cues([], "fr", 1000)


# --- properties ------------------------------------------------------------------------


@st.composite
def timings(draw: st.DrawFn) -> list[tuple[int, int]]:
    out = []
    t = draw(st.integers(-200, 500))
    for _ in range(draw(st.integers(1, 8))):
        start = t + draw(st.sampled_from([0, 10, 40, 66, 67, 100, 500, -50, -600]))
        length = draw(st.sampled_from([800, 839, 840, 2000, 6999, 7000, 7001, 0, -10]))
        out.append((start, start + length))
        t = start + length
    return out


@PROPERTY
@given(times=timings(), duration=st.integers(1000, 40_000))
def test_time_errors_match_an_oracle(times: list[tuple[int, int]], duration: int) -> None:
    cues = [cue(("好的好的",), s, e) for s, e in times]
    flagged = {p.index for p in check_cues(cues, "zh", duration) if p.severity == "error"}
    expected = set()
    for i, (s, e) in enumerate(times):
        bad = not MIN_CUE_MS <= e - s <= MAX_CUE_MS or s < 0 or e > duration
        if i:
            ps, pe = times[i - 1]
            bad = bad or s < ps or s < pe or 0 < s - pe < MIN_GAP_MS
        if bad:
            expected.add(i)
    assert flagged == expected


def simulate(story: Narration, lang: str) -> tuple[list[Cue], int]:
    """A stand-in planner: speech at 4.5 Chinese characters or 14 English characters a
    second, chunks over 6.6 s split, each cue held at least 1.2 s, 100 ms apart."""
    speech: list[str] = []
    pending = chunk_narration(story.text, lang)
    while pending:
        chunk = pending.pop(0)
        a = analyse(chunk, lang)
        seconds = a.units(0, a.n) / 4.5 if lang == "zh" else len(chunk) / 14
        if seconds > 6.6:
            pending[:0] = list(split_chunk(chunk, lang))
            continue
        speech.append(chunk)
    cues = []
    t = 0
    for chunk in speech:
        a = analyse(chunk, lang)
        seconds = a.units(0, a.n) / 4.5 if lang == "zh" else len(chunk) / 14
        length = max(1200, round(seconds * 1000))
        cues.append(Cue(t, t + length, cue_lines(chunk, lang), 0))
        t += length + 100
    return cues, t


@pytest.mark.parametrize("kind", ["zh", "mixed", "en"])
def test_pipeline_cues_pass_the_check(kind: str) -> None:
    @PROPERTY
    @given(story=narration(kind))
    def run(story: Narration) -> None:
        lang = "en" if kind == "en" else "zh"
        cues, end = simulate(story, lang)
        problems = check_cues(cues, lang, end)
        assert [p for p in problems if p.severity == "error"] == []

    run()
