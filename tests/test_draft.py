"""`storyreel new`: a storyboard drafted from a story's text is valid, passes `check`,
renders, and chooses layouts sensibly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest
from ruamel.yaml import YAML

from storyreel.editor.draft import leading_figure, read_story, sentences
from storyreel.storyboard.load import load_storyboard
from storyreel.storyboard.schema import SCHEMA_FILE

from clitools import invoke

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "storyboards" / "solar-lamps.yaml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project (the current directory) with the sample's pictures."""
    shutil.copytree(ROOT / "storyboards" / "images" / "solar-lamps", tmp_path / "pictures")
    (tmp_path / "storyboards").mkdir()
    shutil.copy(ROOT / SCHEMA_FILE, tmp_path / SCHEMA_FILE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def sample_text(folder: Path) -> tuple[Path, Path]:
    """The sample story as Markdown: its title, then its narration, a paragraph a scene."""
    board = load_storyboard(SAMPLE)
    files = []
    for lang in ("zh", "en"):
        path = folder / f"story.{lang}.md"
        path.write_text(f"# {board.title.get(lang)}\n\n" + "\n\n".join(
            s.narration.get(lang) for s in board.scenes) + "\n", encoding="utf-8")
        files.append(path)
    return files[0], files[1]


def test_the_sample_story_drafts_checks_and_renders(project: Path, env: dict[str, str]) -> None:
    zh, en = sample_text(project)
    result = invoke(["new", "lamps", "--from-zh", str(zh), "--from-en", str(en),
                     "--images", "pictures"], env)
    assert result.exit_code == 0, result.output
    path = project / "storyboards" / "lamps.yaml"
    assert result.stdout.splitlines() == ["storyboards/lamps.yaml"]
    lines = result.output.splitlines()
    assert any(line.startswith("zh: ") and "s of narration for 100 s: fits" in line
               for line in lines), result.output
    assert any(line.startswith("en: ") and "fits" in line for line in lines)

    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../storyreel.schema.json"
    schema = json.loads((project / SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.validate(YAML(typ="safe").load(text), schema)
    board = load_storyboard(path)
    sample = load_storyboard(SAMPLE)
    assert [s.narration for s in board.scenes] == [s.narration for s in sample.scenes]
    assert board.title == sample.title
    layouts = [s.layout.value for s in board.scenes]
    assert layouts[0] == "title" and layouts[-1] == "end"
    # Every picture is used once, copied into the project's images/<id>/ folder.
    pictures = sorted(s.image for s in board.scenes if s.image)
    assert pictures == [f"images/lamps/{p.name}" for p in sorted((project / "pictures").iterdir())]
    assert all((project / "storyboards" / p).is_file() for p in pictures)

    checked = invoke(["check", str(path)], env)
    assert checked.exit_code == 0, checked.output
    rendered = invoke(["render", str(path), "--lang", "en", "--size", "320x180", "--draft",
                       "--out", "output"], env)
    assert rendered.exit_code == 0, rendered.output
    assert (project / "output" / "lamps" / "lamps.en.landscape.mp4").is_file()
    meta = json.loads((project / "output" / "lamps" / "lamps.en.landscape.json")
                      .read_text(encoding="utf-8"))
    fill = meta["narration_fill"]
    assert fill["video_s"] == 100 and 0 < fill["speech_s"] < 100
    assert fill["fill"] == pytest.approx(fill["speech_s"] / 100, abs=1e-3)
    assert any(line.startswith("en: ") and f"narration fill {fill['fill']:.0%}" in line
               for line in lines), result.output


STORY_ZH = """\
# 河边的灯

这是一个关于光的故事。村子在河边。

## 天黑以后
天黑以后，村里一片漆黑。孩子们只能借着煤油灯写作业。

7亿多人仍然用不上电。他们大多生活在农村。

“有了灯，我晚上也能看书了。”

- 夜里能读书
- 不再有油烟
- 省下燃料钱

谢谢收看。
"""

STORY_EN = """\
# Lights by the River

This is a story about light. The village lies by a river.

## After Dark
After dark the village is black. Children do their homework by kerosene lamps.

More than 700 million people still live without electricity. Most live in the country.

"With a lamp, I can read at night."

- Reading at night
- No more smoke
- Money saved on fuel

Thank you for watching.
"""


def test_layouts_follow_the_text(project: Path, env: dict[str, str]) -> None:
    (project / "zh.md").write_text(STORY_ZH, encoding="utf-8")
    (project / "en.md").write_text(STORY_EN, encoding="utf-8")
    result = invoke(["new", "river", "--from-zh", "zh.md", "--from-en", "en.md",
                     "--images", "pictures", "--target", "30"], env)
    assert result.exit_code == 0, result.output
    board = load_storyboard(project / "storyboards" / "river.yaml")
    assert [s.layout.value for s in board.scenes] == [
        "title", "image", "stat", "quote", "bullets", "end"]
    title, dark, stat, quote, bullets, _ = board.scenes
    assert title.heading is not None and title.heading.en == "Lights by the River"
    # Pictures go where their names match the text ("village", "lights"; "kerosene").
    assert title.image == "images/river/05-village-lights.jpg"
    assert dark.heading is not None and dark.heading.zh == "天黑以后"
    assert dark.image in ("images/river/02-kerosene-night.jpg",  # both match one word
                          "images/river/01-village-dusk.jpg")
    assert stat.figure is not None and (stat.figure.zh, stat.figure.en) == (
        "7亿多人", "700 million people")
    assert quote.text is not None and quote.text.en == "With a lamp, I can read at night."
    assert bullets.points is not None and [p.zh for p in bullets.points] == [
        "夜里能读书", "不再有油烟", "省下燃料钱"]
    assert bullets.narration.en == "Reading at night. No more smoke. Money saved on fuel."
    # The other pictures back the cards: every picture is used once.
    assert sorted(s.image for s in board.scenes if s.image) == [
        f"images/river/{p.name}" for p in sorted((project / "pictures").iterdir())]
    assert invoke(["check", "storyboards/river.yaml"], env).exit_code == 0


def test_one_language_is_copied_to_translate(project: Path, env: dict[str, str]) -> None:
    (project / "en.md").write_text(STORY_EN, encoding="utf-8")
    result = invoke(["new", "river", "--from-en", "en.md"], env)
    assert result.exit_code == 0, result.output
    assert "zh texts are copies of the en ones: translate them" in result.output
    assert "drafted as text cards" in result.output  # no pictures
    board = load_storyboard(project / "storyboards" / "river.yaml")
    assert board.scenes[1].narration.zh == board.scenes[1].narration.en
    assert [s.layout.value for s in board.scenes][1] == "title"  # a text card
    assert not any(line.startswith("zh: ") for line in result.output.splitlines())


def test_too_long_narration_is_estimated_as_such(project: Path, env: dict[str, str]) -> None:
    (project / "en.md").write_text("# A\n\n" + "A long story told slowly. " * 40
                                   + "\n\nThe end.\n", encoding="utf-8")
    result = invoke(["new", "long", "--from-en", "en.md", "--target", "10"], env)
    assert result.exit_code == 0, result.output
    assert "en: does not fit:" in result.output and "narration (en) does not fit 10 s" \
        in result.output


def test_problems_are_one_line(project: Path, env: dict[str, str]) -> None:
    (project / "zh.md").write_text(STORY_ZH, encoding="utf-8")
    (project / "en.md").write_text(STORY_EN.replace("Thank you for watching.\n", ""),
                                   encoding="utf-8")
    result = invoke(["new", "river", "--from-zh", "zh.md", "--from-en", "en.md"], env)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "error the languages have different numbers of paragraphs (zh 6, en 5); scenes pair "
        "them in order, so split or join paragraphs to match"]
    assert not (project / "storyboards" / "river.yaml").exists()
    (project / "storyboards" / "taken.yaml").write_text("id: taken\n", encoding="utf-8")
    taken = invoke(["new", "taken", "--from-zh", "zh.md"], env)
    assert taken.exit_code == 1
    assert "storyboards/taken.yaml: already exists" in taken.output
    bad_id = invoke(["new", "Bad Id", "--from-zh", "zh.md"], env)
    assert bad_id.exit_code == 1
    assert "id: use lower-case letters, digits and hyphens" in bad_id.output
    assert invoke(["new", "x"], env).exit_code == 2  # no story given


def test_reading_stories() -> None:
    assert sentences("第一句。第二句！“第三句？”", "zh") == ["第一句。", "第二句！", "“第三句？”"]
    assert sentences("One. Two! Mr Three?", "en") == ["One.", "Two!", "Mr Three?"]
    assert leading_figure("In 2019, a team came.", "en") == ""  # a year, not a figure
    assert leading_figure("2019年夏天，他们来了。", "zh") == ""
    assert leading_figure("85% of homes now have light.", "en") == "85%"
    assert leading_figure("3万名志愿者参加了。", "zh") == "3万名"


def test_markdown_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_text("---\n\n# **Lights** by the River\n\nA [link](http://x) and *emphasis*\n"
                    "on two lines.\n\n![a picture](x.jpg)\n\nThe end.\n", encoding="utf-8")
    story = read_story(path, "en")
    assert story.title == "Lights by the River"
    assert [b.text for b in story.blocks] == ["A link and emphasis on two lines.", "The end."]
    path.write_text("第一行\n第二行。\n\n结束。\n", encoding="utf-8")
    assert [b.text for b in read_story(path, "zh").blocks] == ["第一行第二行。", "结束。"]


def test_pictures_from_outside_are_copied_and_every_problem_is_listed(
        project: Path, tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> None:
    outside = tmp_path_factory.mktemp("elsewhere")
    for picture in (project / "pictures").iterdir():
        shutil.copy(picture, outside / picture.name)
    (project / "zh.md").write_text(STORY_ZH, encoding="utf-8")
    (project / "en.md").write_text(STORY_EN.replace("Thank you for watching.\n", ""),
                                   encoding="utf-8")
    images = project / "storyboards" / "images" / "river"
    # A story that cannot be drafted leaves no copied picture behind.
    failed = invoke(["new", "river", "--from-zh", "zh.md", "--from-en", "en.md",
                     "--images", str(outside)], env)
    assert failed.exit_code == 1 and "different numbers of paragraphs" in failed.output
    assert not images.exists() or not any(images.iterdir())
    # Pictures with the names of other pictures already there: each clash is listed.
    images.mkdir(parents=True, exist_ok=True)
    for name in ("01-village-dusk.jpg", "03-school-visit.jpg"):
        (images / name).write_bytes(b"another picture")
    (project / "en.md").write_text(STORY_EN, encoding="utf-8")
    clash = invoke(["new", "river", "--from-zh", "zh.md", "--from-en", "en.md",
                    "--images", str(outside)], env)
    assert clash.exit_code == 1
    errors = [line for line in clash.output.splitlines() if line.startswith("error ")]
    assert len(errors) == 2 and all("another picture already has this name" in e
                                    for e in errors)
    assert "more problem" not in clash.output
    assert not (project / "storyboards" / "river.yaml").exists()
    for name in ("01-village-dusk.jpg", "03-school-visit.jpg"):
        (images / name).unlink()
    made = invoke(["new", "river", "--from-zh", "zh.md", "--from-en", "en.md",
                   "--images", str(outside), "--target", "30"], env)
    assert made.exit_code == 0, made.output
    board = load_storyboard(project / "storyboards" / "river.yaml")
    used = sorted(s.image for s in board.scenes if s.image)
    assert used == [f"images/river/{p.name}" for p in sorted(outside.iterdir())]
    assert all((images / p.name).read_bytes() == p.read_bytes() for p in outside.iterdir())
