"""Timeline placement: exact totals, cues that fit and never overlap (property tests)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyreel.timeline.model import frame_to_ms
from storyreel.timeline.place import (
    MAX_CUE_MS,
    MIN_CUE_GAP_MS,
    MIN_CUE_MS,
    Overrun,
    Pacing,
    SpokenChunk,
    place,
    scene_minimum_ms,
)

FPS = 30
AUDIO = Path("clip.wav")


def chunk(ms: int) -> SpokenChunk:
    return SpokenChunk("text", ("text",), AUDIO, ms)


scenes_strategy = st.lists(
    st.lists(st.integers(min_value=150, max_value=6600).map(chunk), min_size=1, max_size=5),
    min_size=1,
    max_size=9,
)


@settings(max_examples=300, deadline=None)
@given(scenes=scenes_strategy, extra_s=st.integers(min_value=0, max_value=60))
def test_placement_is_exact_and_cues_are_well_formed(
    scenes: list[list[SpokenChunk]], extra_s: int
) -> None:
    pacing = Pacing()
    needed = sum(scene_minimum_ms(s, i, len(scenes), pacing) for i, s in enumerate(scenes))
    target_ms = ((needed + 999) // 1000 + extra_s) * 1000
    result = place(scenes, target_ms=target_ms, fps=FPS)

    # Scenes tile the video exactly, on whole frames.
    assert result.scenes[0].start_frame == 0
    assert result.scenes[-1].end_frame * 1000 == target_ms * FPS
    for a, b in zip(result.scenes, result.scenes[1:], strict=False):
        assert a.end_frame == b.start_frame
        assert b.frames > 0
    # Every clip is inside its scene and clips never overlap.
    for clip in result.clips:
        span = result.scenes[clip.scene]
        assert frame_to_ms(span.start_frame, FPS) <= clip.start_ms
        assert clip.end_ms <= frame_to_ms(span.end_frame, FPS)
    for clip_a, clip_b in itertools.pairwise(result.clips):
        assert clip_a.end_ms <= clip_b.start_ms
    # Cues: one per clip, starting with its speech, within the subtitle rules.
    assert len(result.cues) == len(result.clips)
    for cue, clip in zip(result.cues, result.clips, strict=True):
        assert 0 <= clip.start_ms - cue.start_ms < 20  # on the centisecond grid of ASS
        assert cue.start_ms % 10 == 0 and cue.end_ms % 10 == 0
        assert cue.start_ms == 0 or cue.start_ms * FPS % 1000 != 0  # never on a frame time
        assert cue.end_ms >= clip.end_ms
        assert MIN_CUE_MS <= cue.duration_ms <= MAX_CUE_MS
        assert cue.end_ms <= target_ms
    for cue_a, cue_b in itertools.pairwise(result.cues):
        gap = cue_b.start_ms - cue_a.end_ms
        assert gap == 0 or gap >= MIN_CUE_GAP_MS


def test_overrun_reports_what_is_needed() -> None:
    scenes = [[chunk(6000), chunk(6000)], [chunk(6000)]]
    with pytest.raises(Overrun) as info:
        place(scenes, target_ms=10_000, fps=FPS)
    assert info.value.needed_ms > 18_000
    assert info.value.scene_speech_ms == (12_000, 6000)


def test_slack_goes_to_scene_holds_in_proportion() -> None:
    scenes = [[chunk(1000)], [chunk(4000), chunk(4000)]]
    result = place(scenes, target_ms=30_000, fps=FPS)
    first, second = result.scenes
    assert second.frames > 2 * first.frames  # the longer scene holds longer
    # Narration starts after the lead-in of each scene.
    assert result.clips[0].start_ms == Pacing().first_lead_in_ms
    assert result.clips[1].start_ms == frame_to_ms(second.start_frame, FPS) + Pacing().lead_in_ms


def test_transitions_are_recorded_but_do_not_change_the_total() -> None:
    scenes = [[chunk(2000)], [chunk(2000)], [chunk(2000)]]
    result = place(scenes, target_ms=12_000, fps=FPS, pacing=Pacing(transition_ms=500))
    assert [s.transition_frames for s in result.scenes] == [0, 15, 15]
    assert sum(s.frames for s in result.scenes) == 360
