"""Edit-stable placement: a narration edit in one scene changes that scene and one sink
scene; the others keep their length, their clips and their captions, and those that move
move by whole grid units, so their segments are reused (property tests on synthetic
speech, then one real edit through the render and its segment cache)."""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import replace
from pathlib import Path

from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from storyreel.batch.job import Job, RenderSettings, run_job
from storyreel.editor.frames import plan_story
from storyreel.render.captions import shown_frames
from storyreel.render.graph import PREVIEW, text_fades
from storyreel.timeline.model import Timeline, frame_to_ms, reveal_times
from storyreel.timeline.place import (
    DEFAULT_PACING,
    Overrun,
    Placement,
    SpokenChunk,
    place,
    scene_minimum_ms,
)
from storyreel.timeline.slack import grid_frames, grid_ms

AUDIO = Path("clip.wav")


def chunk(ms: int, sentence: bool) -> SpokenChunk:
    return SpokenChunk("Sentence." if sentence else "clause,", ("x",), AUDIO, ms)


def placed(scenes: list[list[SpokenChunk]], target_ms: int, fps: int) -> Placement:
    return place(scenes, target_ms=target_ms, fps=fps)


def target_for(scenes: list[list[SpokenChunk]], slack_ms: int) -> int:
    needed = sum(scene_minimum_ms(s, i, len(scenes), DEFAULT_PACING)
                 for i, s in enumerate(scenes))
    return -(-(needed + slack_ms) // 1000) * 1000


def edited(scenes: list[list[SpokenChunk]], scene: int, index: int,
           delta: int) -> list[list[SpokenChunk]]:
    out = [list(s) for s in scenes]
    old = out[scene][index]
    out[scene][index] = replace(old, duration_ms=old.duration_ms + delta)
    return out


def timeline_of(p: Placement, fps: int) -> Timeline:
    return Timeline("t", "en", "landscape", 320, 180, fps, p.scenes[-1].end_frame, p.scenes,
                    p.clips, p.cues)


def own(p: Placement, j: int, fps: int) -> tuple[object, ...]:
    """Scene ``j`` as its pictures see it: its length, and its clips and captions relative
    to its start (text and all)."""
    span = p.scenes[j]
    start = frame_to_ms(span.start_frame, fps)
    return (span.frames, span.transition_frames,
            [(c.start_ms - start, c.duration_ms) for c in p.clips if c.scene == j],
            [(c.start_ms - start, c.end_ms - start, c.lines) for c in p.cues if c.scene == j])


def burned(p: Placement, j: int, fps: int) -> list[tuple[tuple[int, int], tuple[str, ...]]]:
    """The frames of scene ``j`` (relative to its start) each caption shows on, as libass
    is handed them (what a segment's cache key covers)."""
    span = p.scenes[j]
    out = []
    for cue in p.cues:
        frames = shown_frames(cue, span.start_frame, span.frames, fps)
        if frames is not None:
            out.append((frames, cue.lines))
    return out


scenes_strategy = st.lists(
    st.lists(st.tuples(st.integers(800, 6000), st.booleans()), min_size=1, max_size=5),
    min_size=2, max_size=9)


@settings(max_examples=60, deadline=None)
@given(scenes=scenes_strategy, slack=st.integers(0, 8000),
       fps=st.sampled_from([24, 25, 30, 60]), pick=st.integers(0, 100),
       delta=st.integers(20, 600), sign=st.sampled_from([-1, 1]))
def test_an_edit_leaves_every_scene_but_itself_and_the_sink_alone(
        scenes: list[list[tuple[int, bool]]], slack: int, fps: int, pick: int, delta: int,
        sign: int) -> None:
    spoken = [[chunk(ms, end) for ms, end in s] for s in scenes]
    target = target_for(spoken, slack)
    before = placed(spoken, target, fps)
    assume(before.excess_ms == 0)  # beyond the bounds every scene shares the excess
    others = [i for i in range(len(spoken)) if i != before.sink]
    k = others[pick % len(others)]
    index = pick % len(spoken[k])
    change = sign * delta if spoken[k][index].duration_ms - delta >= 800 else delta
    try:
        after = placed(edited(spoken, k, index, change), target, fps)
    except Overrun:
        assume(False)
        raise
    n = grid_frames(fps)
    for p in (before, after):
        assert p.scenes[-1].end_frame * 1000 == target * fps
        assert all(span.start_frame % n == 0 for span in p.scenes)
        ends = [c.end_ms for c in p.cues if c.end_ms * fps % 1000 == 0]
        assert ends in ([], [target])  # no cue ends on a frame's time but the video's end
    # Rooms depend on the kind and number of chunks, not their length: same sink.
    assert after.sink == before.sink
    event("level kept" if after.level == before.level else "level moved")
    assume(after.level == before.level and before.level is not None)
    tl_before, tl_after = timeline_of(before, fps), timeline_of(after, fps)
    fades_before, fades_after = text_fades(tl_before), text_fades(tl_after)
    for j in others:
        if j == k:
            continue
        assert own(after, j, fps) == own(before, j, fps)
        shift = after.scenes[j].start_frame - before.scenes[j].start_frame
        assert shift % n == 0 and (shift * 1000 // fps) % 10 == 0
        assert reveal_times(tl_after, j, 3) == reveal_times(tl_before, j, 3)
        assert fades_after[j] == fades_before[j]
        if j - 1 not in (k, before.sink):  # a short last cue may run into the next scene
            assert burned(after, j, fps) == burned(before, j, fps)


def stable_share(count: int, low: int, high: int, seed: int) -> float:
    """The share of random one-chunk edits of ``low``..``high`` ms that leave every scene
    but the edited one and the sink as they were, over ``count`` random 9-scene stories
    with 1 to 8 s of slack (as narrated stories have)."""
    rng = random.Random(seed)
    kept = tried = 0
    while tried < count:
        spoken = [[chunk(rng.randint(1200, 5500), rng.random() < 0.5 or c == n - 1)
                   for c in range(n)] for n in (rng.randint(1, 5) for _ in range(9))]
        target = target_for(spoken, rng.randint(1000, 8000))
        before = placed(spoken, target, 30)
        k = rng.choice([i for i in range(9) if i != before.sink])
        index = rng.randrange(len(spoken[k]))
        delta = rng.randint(low, high) * rng.choice((-1, 1))
        if spoken[k][index].duration_ms + delta < 800:
            delta = -delta
        try:
            after = placed(edited(spoken, k, index, delta), target, 30)
        except Overrun:
            continue
        tried += 1
        kept += all(own(after, j, 30) == own(before, j, 30)
                    for j in range(9) if j not in (k, before.sink))
    return kept / tried


def test_most_edits_of_a_few_words_leave_the_other_scenes_alone() -> None:
    # Here 95 % and 84 %; over 2000 stories each (benchmarks/placement.py) 93 % for
    # 0.2-0.6 s and 85 % for 0.2-1.5 s of speech more or less.
    assert stable_share(300, 200, 600, seed=1) >= 0.88
    assert stable_share(300, 200, 1500, seed=2) >= 0.8


def test_the_grid_is_whole_frames_and_whole_centiseconds() -> None:
    assert [grid_frames(f) for f in (24, 25, 30, 50, 60)] == [6, 1, 3, 1, 3]
    assert [grid_ms(f) for f in (24, 25, 30, 50, 60)] == [250, 40, 100, 20, 50]


DATA = Path(__file__).parent / "data"


def scenes_named(names: list[str]) -> set[int]:
    """0-based scene indices in segment names (``scene03``, ``into03``: scene 3)."""
    return {int(m.group(1)) - 1 for name in names for m in [re.search(r"(\d+)", name)] if m}


def test_a_narration_edit_encodes_only_its_scene_and_the_sinks_again(tmp_path: Path) -> None:
    shutil.copytree(DATA / "tiny" / "images", tmp_path / "images")
    story = tmp_path / "stable.yaml"
    shutil.copy(DATA / "stable" / "stable.yaml", story)
    settings = RenderSettings(out_root=tmp_path / "out", frame_size=(320, 180),
                              encoding=PREVIEW, cache_root=tmp_path / "cache")

    def render(lang: str) -> dict[str, list[str]]:
        result = run_job(Job(story, "stable", lang, "landscape"), settings)
        assert result.status == "rendered", result.error
        video = next(p for p in result.files if p.suffix == ".mp4")
        meta = json.loads(video.with_suffix(".json").read_text(encoding="utf-8"))
        segments: dict[str, list[str]] = meta["segments"]
        return segments

    def timeline() -> Timeline:
        return plan_story(story, "en", "landscape", cache_root=tmp_path / "cache",
                          size=(320, 180)).timeline

    render("zh")
    render("en")
    zh_video = tmp_path / "out" / "stable" / "stable.zh.landscape.mp4"
    zh_before = zh_video.stat().st_mtime_ns
    before = timeline()
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("Nobody could see the path home.",
                                  "Nobody could find the path home."), encoding="utf-8")
    after = timeline()
    k = 1  # the edited scene
    changed = {j for j in range(len(before.scenes))
               if before.scenes[j].frames != after.scenes[j].frames}
    sinks = changed - {k}
    assert len(sinks) == 1, changed  # the edited scene and one sink changed length
    (sink,) = sinks
    moved = {j for j in range(len(before.scenes))
             if before.scenes[j].start_frame != after.scenes[j].start_frame} - changed
    assert moved, "the edit should move a scene between it and the sink"
    assert all((after.scenes[j].start_frame - before.scenes[j].start_frame) % 3 == 0
               for j in moved)

    en = render("en")
    zh = render("zh")
    # Only the edited scene, the sink and the transitions next to them were encoded
    # (a transition may be a segment of its own or part of a neighbour's).
    near = {k - 1, k, k + 1, sink - 1, sink, sink + 1}
    assert scenes_named(en["encoded"]) <= near
    # A scene that merely moved in time came out of the cache.
    assert moved - near
    assert moved - near <= scenes_named(en["reused"]) - scenes_named(en["encoded"])
    assert zh["encoded"] == []
    assert zh_video.stat().st_mtime_ns == zh_before  # the Chinese video was not touched

