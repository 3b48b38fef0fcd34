"""The story corpus (tests/stories/): real CSR cases told in both languages, drafted with
`storyreel new` from pictures outside the project, then checked and planned with the real
offline voice. Short and long stories must fill the 100 s well, long ones condensed; a
too-short one is told exactly what to add. No video is encoded here."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

from storyreel.editor.check import check
from storyreel.editor.draft import sentences
from storyreel.pipeline.story import speaker
from storyreel.presets import PRESETS, get_preset
from storyreel.storyboard.load import load_storyboard
from storyreel.storyboard.model import LANGS, Storyboard
from storyreel.storyboard.schema import SCHEMA_FILE
from storyreel.timeline.fill import fill_of, silences_ms
from storyreel.timeline.model import Timeline
from storyreel.timeline.plan import plan
from storyreel.tts import get_engine

from clitools import invoke
from stories.pictures import LONG, PICTURES, SHORT, STORY_IDS, TOO_SHORT, draw_pictures
from wordcheck import broken_in_captions, broken_words, drawn_lines

ROOT = Path(__file__).resolve().parent.parent
STORIES = Path(__file__).resolve().parent / "stories"
ALL = STORY_IDS


@dataclass(frozen=True)
class Drafted:
    project: Path
    results: dict[str, Result]  # what `new` said, per story


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> Drafted:
    """Every story drafted in a fresh project, its pictures in a folder outside it."""
    project = tmp_path_factory.mktemp("project")
    outside = tmp_path_factory.mktemp("pictures")
    (project / "storyboards").mkdir()
    shutil.copy(ROOT / SCHEMA_FILE, project / SCHEMA_FILE)
    results = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(project)
        for story in ALL:
            draw_pictures(story, outside / story)
            results[story] = invoke([
                "new", story, "--from-zh", str(STORIES / f"{story}.zh.md"),
                "--from-en", str(STORIES / f"{story}.en.md"),
                "--images", str(outside / story)], env)
    return Drafted(project, results)


def board_of(drafted: Drafted, story: str) -> Storyboard:
    path = drafted.project / "storyboards" / f"{story}.yaml"
    return load_storyboard(path, project_root=drafted.project)


def timeline(board: Storyboard, lang: str, env: dict[str, str]) -> Timeline:
    cache = Path(env["STORYREEL_CACHE"])
    return plan(board, lang, get_preset("landscape"),
                speaker(board, lang, get_engine("espeak"), cache))


@pytest.mark.parametrize("story", ALL)
def test_each_story_drafts_with_its_pictures_copied(drafted: Drafted,
                                                   story: str) -> None:
    result = drafted.results[story]
    assert result.exit_code == 0, result.output
    board = board_of(drafted, story)
    layouts = {s.layout.value for s in board.scenes}
    assert len(layouts) >= 3, layouts
    assert board.scenes[0].layout.value == "title" and board.scenes[-1].layout.value == "end"
    # Pictures were copied into the project and each is used once.
    used = [s.image for s in board.scenes if s.image]
    assert len(used) == len(set(used)) == len(PICTURES[story])
    assert all(u.startswith(f"images/{story}/") for u in used if u)
    assert all(board.image_path(s).is_file() for s in board.scenes if s.image)  # type: ignore[union-attr]
    # Slide text on every scene but the title card's, description and tags drafted.
    assert board.description is not None and board.tags
    end = board.scenes[-1]
    assert end.heading is not None and "CSR Story Collection" in end.heading.en
    assert end.text is not None and end.text.zh.startswith("出品")
    for scene in board.scenes[1:]:
        assert scene.heading or scene.text or scene.figure, scene


def test_layouts_follow_what_the_stories_say(drafted: Drafted) -> None:
    coffee = board_of(drafted, "coffee-practices")
    bullets = next(s for s in coffee.scenes if s.layout.value == "bullets")
    assert bullets.points is not None
    assert [p.zh for p in bullets.points] == ["咖啡的品质", "经济透明", "社会责任", "环境保护"]
    assert bullets.points[1].en == "Economic transparency"
    stat = next(s for s in coffee.scenes if s.layout.value == "stat")
    assert stat.figure is not None and stat.figure.zh == stat.figure.en == "99%"
    # A picture goes where its name matches the paragraph, whatever the name order.
    support = next(s for s in coffee.scenes if "Costa Rica" in s.narration.en)
    rust = next(s for s in coffee.scenes if "leaf rust" in s.narration.en)
    assert support.image and "farmer-support" in support.image
    assert rust.image and "leaf-rust" in rust.image
    shareholder = board_of(drafted, "earth-shareholder")
    quote = next(s for s in shareholder.scenes if s.layout.value == "quote")
    assert quote.text is not None and quote.text.en == "Earth is now our only shareholder."
    assert quote.attribution is not None and quote.attribution.en == "Chouinard"
    assert quote.attribution.zh == "乔伊纳德"
    # Names the text marks are listed, so no line breaks inside them.
    assert {"Costa Rica", "Farmer Support Center"} <= set(coffee.names)
    parcels = board_of(drafted, "green-parcels")
    assert {"青流计划", "JD Logistics"} <= set(parcels.names)
    lists = [s for s in parcels.scenes if s.layout.value == "bullets"]
    assert [[p.en for p in s.points or []] for s in lists] == [
        ["Use less", "Reuse", "Recycle"],
        ["Design", "Production", "Storage", "Transport and recycling"]]  # five, grouped


@pytest.mark.parametrize("story", SHORT + LONG)
def test_short_and_long_stories_fill_the_video(drafted: Drafted, story: str,
                                              env: dict[str, str]) -> None:
    board = board_of(drafted, story)
    for lang in LANGS:
        tl = timeline(board, lang, env)
        fill = fill_of(tl)
        assert fill.ratio >= 0.8, f"{story} {lang}: {fill}"
        assert 0.9 <= tl.speech_rate <= 1.15
        assert tl.duration_ms == 100_000
        # Never more than 1.5 s of music alone inside a scene.
        longest = max(max(s) for s in silences_ms(tl))
        assert longest <= 1500, f"{story} {lang}: {longest} ms of silence"
        assert f"{lang}: " in drafted.results[story].output and "narration fill" in \
            drafted.results[story].output


@pytest.mark.parametrize("story", LONG)
def test_long_stories_are_condensed_extractively(drafted: Drafted,
                                                story: str) -> None:
    output = drafted.results[story].output
    assert "condensed to fit 100 s; left out:" in output
    assert re.search(r"paragraph \d+ left out: “", output)
    board = board_of(drafted, story)
    for lang in LANGS:
        source = (STORIES / f"{story}.{lang}.md").read_text(encoding="utf-8")
        source = re.sub(r"\s+", " ", source)
        for scene in board.scenes:
            for sentence in sentences(scene.narration.get(lang), lang):
                assert sentence in source, sentence  # kept whole, never rewritten
    # The opening sentence and the closing paragraph stay.
    zh = (STORIES / f"{story}.zh.md").read_text(encoding="utf-8").split("\n\n")
    assert board.scenes[0].narration.zh.startswith(sentences(zh[1], "zh")[0])
    assert board.scenes[-1].narration.zh == zh[-1].strip()


def test_check_finds_no_error_and_tells_the_short_story_what_to_add(
        drafted: Drafted, env: dict[str, str]) -> None:
    project = drafted.project
    paths = [project / "storyboards" / f"{s}.yaml" for s in ALL]
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(project)
        report = check(paths, cache_root=Path(env["STORYREEL_CACHE"]), workers=2)
    assert [f.message for f in report.errors] == []
    fills = {(r.story_id, f.lang): f for r in report.files for f in r.fills}
    assert len(fills) == 2 * len(ALL)
    fill_warnings = [f for f in report.warnings if f.kind == "fill"]
    assert {f.lang for f in fill_warnings if TOO_SHORT[0] in f.message} == {"zh", "en"}
    assert not [f for f in fill_warnings if TOO_SHORT[0] not in f.message]
    for warning in fill_warnings:
        m = re.search(r"add about (\d+\.\d) s of narration \(~(\d+) characters", warning.message)
        assert m and float(m.group(1)) > 10 and int(m.group(2)) > 30, warning.message
        assert re.search(r"scene \d+ ~\d+\.\d s \(~\d+ characters\)", warning.message)
    short = drafted.results[TOO_SHORT[0]].output
    assert short.count("warning") == 2 and "add about" in short
    # The command line says it too, with every language's fill.
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(project)
        said = invoke(["check", f"storyboards/{TOO_SHORT[0]}.yaml", "--jobs", "1"], env)
    assert said.exit_code == 0, said.output
    lines = said.output.splitlines()
    assert sum(line.startswith("warning ") and "add about" in line for line in lines) == 2
    assert sum(line.startswith("fill ") and "narration fill" in line for line in lines) == 2


@pytest.mark.parametrize("story", ALL)
def test_no_line_of_a_draft_breaks_a_word_or_a_name(drafted: Drafted, story: str,
                                                    env: dict[str, str]) -> None:
    """Captions, slides and covers of every drafted story, both languages, every preset:
    no break inside a word of the segmenter's dictionary or of the storyboard's names."""
    board = board_of(drafted, story)
    problems: list[str] = []
    for lang in LANGS:
        problems += broken_in_captions(timeline(board, lang, env).cues, lang)
        for preset in PRESETS:
            problems += [p for item in drawn_lines(board, lang, preset)
                         for p in broken_words(item, lang)]
    assert not problems, problems
