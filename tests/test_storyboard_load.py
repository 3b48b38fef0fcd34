"""Loading storyboards: a valid one loads; every problem is one `file:line: field: problem`."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from storyreel.storyboard.load import StoryboardInvalid, field_name, load_storyboard
from storyreel.storyboard.model import Layout, Motion

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny" / "tiny.yaml"


def write(tmp_path: Path, text: str, name: str = "story.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_HEAD = """\
id: demo
title: {zh: 标题, en: Title}
target_seconds: 20
scenes:
"""


def problems(path: Path, root: Path | None = None) -> list[str]:
    with pytest.raises(StoryboardInvalid) as info:
        load_storyboard(path, root)
    return [str(p) for p in info.value.problems]


def test_tiny_storyboard_loads() -> None:
    board = load_storyboard(TINY, DATA)
    assert board.id == "tiny"
    assert board.target_seconds == 12
    assert [s.layout for s in board.scenes] == [Layout.TITLE, Layout.IMAGE, Layout.END]
    assert board.scenes[1].motion is Motion.ZOOM_IN
    image = board.image_path(board.scenes[1])
    assert image is not None and image.is_file()
    assert board.source == TINY


def test_a_text_is_parsed_once_and_an_edit_is_seen(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from ruamel.yaml import YAML

    from storyreel.storyboard import load

    load._parsed.cache_clear()
    parsed: list[str] = []
    real = YAML.load

    def counted(self: YAML, text: str) -> Any:
        parsed.append(text)
        return real(self, text)

    monkeypatch.setattr(YAML, "load", counted)
    story = tmp_path / "tiny.yaml"
    story.write_text(TINY.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(TINY.parent / "images", tmp_path / "images")
    first = load_storyboard(story, tmp_path)
    again = load_storyboard(story, tmp_path)
    assert len(parsed) == 1 and again.id == first.id == "tiny"
    story.write_text(story.read_text(encoding="utf-8").replace("id: tiny", "id: tiny-two"),
                     encoding="utf-8")
    assert load_storyboard(story, tmp_path).id == "tiny-two"
    assert len(parsed) == 2


def test_missing_field_names_file_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + """\
  - layout: title
    heading: {zh: 你好, en: Hello}
    narration: {zh: 你好。, en: Hello.}
  - layout: end
    heading: {zh: 再见, en: Bye}
    narration:
      zh: 再见。
""")
    assert problems(path) == [f"{path}:10: scenes[1].narration.en: field required; add it"]


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + """\
  - layout: wobble
    narration: {zh: 一, en: one}
  - layout: stat
    narration: {zh: 二, en: two}
    colour: red
""")
    found = problems(path)
    assert found[0].startswith(f"{path}:5: scenes[0].layout: must be one of 'title'")
    assert f"{path}:9: scenes[1].colour: unknown field" in found[1]
    with pytest.raises(StoryboardInvalid) as info:
        load_storyboard(path)
    assert len(found) == 2
    assert str(info.value) == found[0] + " (and 1 more problem)"


def test_layout_needs_its_fields(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + """  - layout: stat
    narration: {zh: 二, en: two}
""")
    assert problems(path) == [f"{path}:5: scenes[0]: the stat layout needs 'figure'"]


def test_image_outside_the_project_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "storyboards").mkdir(parents=True)
    path = write(project / "storyboards", GOOD_HEAD + """\
  - layout: image
    image: ../../../etc/passwd
    narration: {zh: 一, en: one}
""")
    [problem] = problems(path, project)
    assert problem.startswith(f"{path}:6: scenes[0].image: '../../../etc/passwd' points outside")


def test_missing_image_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + """\
  - layout: image
    image: images/nowhere.jpg
    narration: {zh: 一, en: one}
""")
    [problem] = problems(path, tmp_path)
    assert problem.startswith(f"{path}:6: scenes[0].image: image 'images/nowhere.jpg' not found")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", ": file is empty"),
        (b"id: x\n title: y\n", ":2: YAML syntax error"),
        (b"id: caf\xe9\n", ":1: not valid UTF-8"),
        (b"- just\n- a list\n", ":1: expected a mapping"),
        (b"id: a\nid: b\n", ":2: YAML syntax error"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    [problem] = problems(path)
    assert problem.startswith(f"{path}{expected}"), problem


def test_missing_file(tmp_path: Path) -> None:
    [problem] = problems(tmp_path / "none.yaml")
    assert problem == f"{tmp_path / 'none.yaml'}: file not found; check the name and folder"


def test_field_name() -> None:
    assert field_name(("scenes", 3, "narration", "en")) == "scenes[3].narration.en"
    assert field_name(("id",)) == "id"
