"""`storyreel check`: every problem of every storyboard, without rendering, as render
would meet them; samples pass; warnings alone exit 0; JSON for machines."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from storyreel.editor.check import check

from clitools import invoke

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "storyboards"
TINY = Path(__file__).parent / "data" / "tiny"


def errors(output: str) -> list[str]:
    return [line.removeprefix("error ") for line in output.splitlines()
            if line.startswith("error ")]


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """The tiny story in a project of its own, to break."""
    shutil.copytree(TINY, tmp_path / "storyboards")
    return tmp_path / "storyboards" / "tiny.yaml"


def test_the_samples_pass(env: dict[str, str]) -> None:
    result = invoke(["check", str(SAMPLES)], env)
    assert result.exit_code == 0, result.output
    assert errors(result.output) == []
    assert "checked 3 storyboards" in result.output and "0 errors" in result.output


def test_json_for_machines(env: dict[str, str]) -> None:
    result = invoke(["check", str(SAMPLES), "--format", "json"], env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] is True and report["errors"] == 0
    assert {Path(s["path"]).name for s in report["storyboards"]} == {
        p.name for p in SAMPLES.glob("*.yaml")}
    assert report["langs"] == ["zh", "en"]
    assert report["presets"] == ["landscape", "portrait", "square"]


def test_every_problem_of_a_file_in_render_order(story: Path, env: dict[str, str]) -> None:
    text = story.read_text(encoding="utf-8")
    text = text.replace("en: Thanks for watching", "en: Thanks for watching 🌍")
    text = text.replace("en: Thank you.", "en: " + "Thank you for watching, all of you. " * 8)
    longer = "村里第一次有了电灯" + "，家家户户都亮了起来" * 30
    text = text.replace("zh: 村里第一次有了电灯", "zh: " + longer)
    text = text.replace("  - layout: title\n", "  - layout: title\n    image: images/broken.jpg\n")
    story.write_text(text, encoding="utf-8")
    whole = (story.parent / "images" / "field.jpg").read_bytes()
    (story.parent / "images" / "broken.jpg").write_bytes(whole[: len(whole) // 3])
    result = invoke(["check", str(story)], env)
    assert result.exit_code == 1
    lines = errors(result.output)
    expected = [
        "scene 1 (title) image:",  # the cover's picture: a render draws the cover first
        "scene 2 (image) zh text: overflows its box by",  # zh before en
        "in portrait",
        "in square",
        "narration (en) does not fit 12 s",
        "scene 3 (end) en heading: the font has no glyph for '🌍'",  # once, not per preset
    ]
    assert len(lines) == len(expected), lines
    for line, fragment in zip(lines, expected, strict=True):
        assert fragment in line and line.startswith(f"{story}: ")

    # A render stops at the first of them.
    out = story.parent.parent / "out"
    rendered = invoke(["render", str(story), "--out", str(out), "--draft", "--lang", "zh"],
                      env)
    assert rendered.exit_code == 1
    assert [line.split(": ", 1)[1] for line in errors(rendered.output)] == [lines[0]]


def test_schema_errors_are_all_listed(story: Path, env: dict[str, str]) -> None:
    text = story.read_text(encoding="utf-8").replace("target_seconds: 12", "target_seconds: x")
    story.write_text(text.replace("layout: end", "layout: finale"), encoding="utf-8")
    result = invoke(["check", str(story), "--format", "json"], env)
    assert result.exit_code == 1
    problems = json.loads(result.output)["storyboards"][0]["problems"]
    assert [(p["line"], p["field"]) for p in problems] == [
        (6, "target_seconds"), (27, "scenes[2].layout")]


def test_warnings_alone_exit_0(tmp_path: Path, env: dict[str, str]) -> None:
    """Captions read too fast when the voice says less than they show (a lexicon
    abbreviation): a warning, not an error."""
    (tmp_path / "lexicon.yaml").write_text(
        "en:\n  - match: International Renewable Energy Agency\n    say: Irena\n",
        encoding="utf-8")
    shutil.copytree(TINY, tmp_path / "storyboards")
    story = tmp_path / "storyboards" / "tiny.yaml"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("en: This is a story about light.",
                                  "en: The International Renewable Energy Agency agrees."),
                     encoding="utf-8")
    result = invoke(["check", str(story)], env)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines()
                if line.startswith("warning ") and " captions: " in line]
    assert len(warnings) == 1 and "reads at" in warnings[0] and "(limit 20)" in warnings[0]
    assert "en captions: cue 1" in warnings[0]


def test_duplicate_ids_as_render_reports_them(story: Path, env: dict[str, str]) -> None:
    shutil.copy(story, story.with_name("zz-copy.yaml"))
    result = invoke(["check", str(story.parent)], env)
    assert result.exit_code == 1
    line = errors(result.output)
    assert line == [f"{story.with_name('zz-copy.yaml')}: id: 'tiny' is already the id of "
                    f"{story}; give each story its own id"]
    out = story.parent.parent / "out"
    rendered = invoke(["render", str(story.parent), "--out", str(out), "--lang", "en",
                       "--size", "320x180", "--draft"], env)
    assert line[0] in errors(rendered.output)


def test_languages_and_presets_can_be_chosen(story: Path, env: dict[str, str]) -> None:
    story.write_text(story.read_text(encoding="utf-8").replace(
        "en: Thanks for watching", "en: Thanks 🌍"), encoding="utf-8")
    only_zh = invoke(["check", str(story), "--lang", "zh", "--preset", "square"], env)
    assert only_zh.exit_code == 0, only_zh.output
    en = invoke(["check", str(story), "--lang", "en", "--preset", "square", "--jobs", "1"],
                env)
    assert en.exit_code == 1 and len(errors(en.output)) == 1


def test_results_are_remembered_by_content(story: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = check([story], cache_root=cache, workers=1)
    assert list((cache / "check").rglob("*.json"))
    again = check([story], cache_root=cache, workers=1)
    assert again.findings == first.findings and again.files[0].fills == first.files[0].fills
    assert first.errors == () and {f.kind for f in first.warnings} == {"fill"}  # 12 s: sparse
    # An edit is seen at once: the remembered outcome was for other content.
    story.write_text(story.read_text(encoding="utf-8").replace(
        "zh: 谢谢观看", "zh: 谢谢观看😀"), encoding="utf-8")
    edited = check([story], cache_root=cache, workers=1)
    assert [f.kind for f in edited.errors] == ["glyphs"]
    fresh = check([story], cache_root=cache, workers=1, remember=False)
    assert fresh.findings == edited.findings
    # So is a picture swapped for another of another shape: text is laid out around it.
    kept = len(list((cache / "check").rglob("*.json")))
    from PIL import Image

    Image.new("RGB", (300, 900), (90, 120, 150)).save(story.parent / "images" / "river.jpg")
    check([story], cache_root=cache, workers=1)
    assert len(list((cache / "check").rglob("*.json"))) > kept + 6  # every text, the picture


def test_copies_share_their_work(story: Path, tmp_path: Path) -> None:
    """Copies with their own ids are checked, each reported under its own name, while
    their narration, text and pictures are worked out once."""
    for k in range(5):
        text = story.read_text(encoding="utf-8").replace("id: tiny", f"id: tiny-{k}")
        story.with_name(f"copy-{k}.yaml").write_text(
            text.replace("en: Thanks for watching", "en: Thanks for watching 🌍"),
            encoding="utf-8")
    story.unlink()
    report = check(sorted(story.parent.glob("*.yaml")), cache_root=tmp_path / "c")
    assert [len(r.errors) for r in report.files] == [1] * 5
    assert [r.errors[0].message.split(":")[0] for r in report.files] == [
        str(story.with_name(f"copy-{k}.yaml")) for k in range(5)]


@pytest.mark.parametrize("preset", ["landscape", "portrait"])
def test_text_is_checked_where_it_is_drawn(preset: str) -> None:
    """Text over a picture is laid out around its subject, which fitting the picture
    moves: the check (which opens no picture) places every text box as drawing does."""
    from storyreel.layout import LAYOUTS, Context, load_theme
    from storyreel.layout.pictures import open_image, picture_size
    from storyreel.presets import PRESETS
    from storyreel.storyboard.load import load_storyboard

    board = load_storyboard(SAMPLES / "solar-lamps.yaml")
    theme = load_theme(board.theme)
    compared = 0
    for index, scene in enumerate(board.scenes):
        path = board.image_path(scene)
        if path is None:
            continue
        assert picture_size(path) == open_image(path).size
        boxes = []
        for pictures in (True, False):
            ctx = Context(board, scene, index, "en", PRESETS[preset], theme, strict=False,
                          pictures=pictures)
            boxes.append(LAYOUTS[scene.layout](ctx).text_boxes)
        assert boxes[0] == boxes[1], (index, preset)
        compared += 1
    assert compared >= 4
