"""Layout fixes of issue 9: title cards with a subtitle, text across a crossfade, captions
in split scenes, bullets in portrait, and pacing that never leaves long silences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyreel.layout import check_text, draw_scene, theme_for
from storyreel.presets import PRESETS
from storyreel.render.graph import TEXT_FADE_S, TEXT_OUT_S, text_fades
from storyreel.storyboard.model import Storyboard
from storyreel.timeline.model import Timeline, frame_to_ms
from storyreel.timeline.place import Pacing, SpokenChunk, place

TINY = Path(__file__).parent / "data" / "tiny" / "tiny.yaml"  # its images/river.jpg
NARRATION = {"zh": "你好。", "en": "Hello."}
END = {"layout": "end", "narration": NARRATION}


def board(*scenes: dict[str, Any], title: dict[str, str] | None = None) -> Storyboard:
    data = {"id": "fixes", "title": title or {"zh": "标题", "en": "Title"},
            "scenes": [*scenes, END]}
    return Storyboard.model_validate(data).with_source(TINY)


TITLES = [
    {"zh": "让河流重新清澈：一家企业与三个村庄的十年",
     "en": "Making the River Run Clear Again for Three Villages"},
    {"zh": "一杯咖啡背后的承诺与远方山坡上的一家人",
     "en": "The Promise Behind a Cup of Coffee on a Far Hillside"},
]
SUBTITLE = {"zh": "一家企业与三个村庄的十年耐心工作",
            "en": "One company, three villages and ten years of patient work"}


def test_a_title_card_with_a_subtitle_fits_a_two_line_title_in_every_preset() -> None:
    for title in TITLES:
        for image in (None, "images/river.jpg"):
            scene = {"layout": "title", "heading": title, "text": SUBTITLE,
                     "narration": NARRATION, **({"image": image} if image else {})}
            story = board(scene, title=title)
            for lang in ("zh", "en"):
                for preset in PRESETS.values():
                    problems = check_text(story, lang, preset, theme_for(story))
                    assert problems == [], (lang, preset.name, image, problems)


def test_an_overflowing_title_card_says_what_helps() -> None:
    title = {"zh": "一" * 70, "en": " ".join(["Riverbank"] * 28)}
    scene = {"layout": "title", "image": "images/river.jpg", "heading": title,
             "text": SUBTITLE, "narration": NARRATION}
    story = board(scene, title={"zh": "标题", "en": "Title"})
    problems = check_text(story, "en", PRESETS["landscape"], theme_for(story))
    assert problems and problems[0].field == "heading"
    message = problems[0].message
    assert "shorten the subtitle" in message and "type.title.min" in message
    assert "one line" in message and "shorten it" not in message
    # Without a subtitle, shortening the title is what helps.
    alone = board({**scene, "text": None}, title={"zh": "标题", "en": "Title"})
    problems = check_text(alone, "en", PRESETS["landscape"], theme_for(alone))
    assert problems and problems[0].message.endswith("shorten it")


def chunks(*ms: int) -> list[SpokenChunk]:
    return [SpokenChunk(f"Sentence {k}.", ("x",), Path("a.wav"), d) for k, d in enumerate(ms)]


def test_across_a_crossfade_the_outgoing_text_is_gone_before_the_incoming_appears() -> None:
    placed = place([chunks(2000), chunks(3000, 1500), chunks(2500)], target_ms=15_000,
                   fps=30, transitions=["fade", "fade", "cut"])
    tl = Timeline("t", "en", "landscape", 1920, 1080, 30, 450, placed.scenes,
                  placed.clips, placed.cues)
    fades = text_fades(tl)
    for i, span in enumerate(tl.scenes[1:], start=1):
        prev = tl.scenes[i - 1]
        start_in = span.start_frame / 30 + fades[i][0]
        out = fades[i - 1][1]
        if span.transition_frames:
            assert out is not None
            assert prev.start_frame / 30 + out + TEXT_OUT_S <= start_in
            # ... and it is still fully there until the transition is about to start.
            assert prev.start_frame / 30 + out >= span.start_frame / 30 - TEXT_OUT_S
        else:
            assert out is None and fades[i][0] + TEXT_FADE_S < 1


def test_split_captions_sit_on_a_band_not_on_the_picture() -> None:
    scene = {"layout": "split", "image": "images/river.jpg", "heading": TITLES[0],
             "narration": NARRATION}
    story = board(scene)
    preset = PRESETS["landscape"].scaled(640, 360)
    art = draw_scene(story, 0, "en", preset, theme_for(story))
    frame = np.asarray(art.composite().convert("L"), dtype=np.float32)
    box = art.plate_box
    band = frame[box.bottom - 25:box.bottom - 2, box.left + 10:box.right - 10]
    above = frame[box.bottom - 90:box.bottom - 60, box.left + 10:box.right - 10]
    assert band.mean() < 60 and band.std() < 12  # one dark, even band under the captions
    assert abs(above.std() - band.std()) > 1 or above.mean() > band.mean() + 15


def test_portrait_bullets_never_sit_on_the_picture() -> None:
    scene = {"layout": "bullets", "image": "images/river.jpg",
             "heading": {"zh": "项目做了什么", "en": "What the project did"},
             "points": [{"zh": "修复十二公里河岸", "en": "Restored 12 km of riverbank"},
                        {"zh": "建起三座污水站", "en": "Built three wastewater stations"},
                        {"zh": "培训两百名护河员", "en": "Trained 200 river wardens"}],
             "narration": NARRATION}
    story = board(scene)
    for lang in ("zh", "en"):
        art = draw_scene(story, 0, lang, PRESETS["portrait"], theme_for(story))
        assert art.plate is not None and art.plate_box.top == 0
        assert art.text_boxes and all(tb.box.top >= art.plate_box.bottom
                                      for tb in art.text_boxes)
        assert check_text(story, lang, PRESETS["portrait"], theme_for(story)) == []


scenes_strategy = st.lists(
    st.lists(st.tuples(st.integers(150, 6600), st.booleans()), min_size=1, max_size=6),
    min_size=1, max_size=9)


@settings(max_examples=200, deadline=None)
@given(scenes=scenes_strategy, extra_s=st.integers(min_value=0, max_value=40))
def test_slack_becomes_bounded_pauses_until_there_is_too_much(
        scenes: list[list[tuple[int, bool]]], extra_s: int) -> None:
    """Pauses grow with the slack, none past 1.5 s of music alone inside a scene,
    unless the bounded pauses cannot take it all (then the excess is reported)."""
    spoken = [[SpokenChunk("Sentence." if end else "clause", ("x",), Path("a.wav"), ms)
               for ms, end in scene] for scene in scenes]
    from storyreel.timeline.place import scene_minimum_ms

    pacing = Pacing()
    needed = sum(scene_minimum_ms(s, i, len(spoken), pacing) for i, s in enumerate(spoken))
    target = ((needed + 999) // 1000 + extra_s) * 1000
    placed = place(spoken, target_ms=target, fps=30)
    assert placed.scenes[-1].end_frame * 1000 == target * 30
    longest = 0
    for span in placed.scenes:
        clips = [c for c in placed.clips if c.scene == span.index]
        edges = [frame_to_ms(span.start_frame, 30),
                 *(t for c in clips for t in (c.start_ms, c.end_ms)),
                 frame_to_ms(span.end_frame, 30)]
        gaps = [edges[k + 1] - edges[k] for k in range(0, len(edges), 2)]
        assert min(gaps) >= 0
        longest = max(longest, *gaps)
    if placed.excess_ms == 0:
        assert longest <= pacing.max_pause_ms
    else:
        assert longest > pacing.max_pause_ms - 100  # every pause took its full share
