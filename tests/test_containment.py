"""Nothing outside the project is read: every path-carrying field of a storyboard, its
theme overrides, the project's lexicon and the theme files, tried with ``..``, an absolute
path and a symlink out of the project, is refused by both ``check`` and ``render`` with
one line naming the file and the field."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from storyreel.errors import StoryreelError
from storyreel.layout import theme_for
from storyreel.project import project_root_of
from storyreel.resources import music_dir
from storyreel.storyboard.load import StoryboardInvalid, load_storyboard
from storyreel.theme import model as theme_module

from clitools import invoke

DATA = Path(__file__).parent / "data" / "tiny"

# field (as messages name it) -> how to set it in the storyboard's YAML
FIELDS = ("scenes[1].image", "music", "theme_overrides.logo.path",
          "theme_overrides.sound.music")
MODES = ("dotdot", "absolute", "symlink")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``outside/`` with a picture, a music file and a lexicon, beside a project."""
    base = tmp_path_factory.mktemp("containment")
    outside = base / "outside"
    outside.mkdir()
    shutil.copy(DATA / "images" / "river.jpg", outside / "secret.jpg")
    shutil.copy(next(music_dir().glob("*.ogg")), outside / "secret.ogg")
    (outside / "lexicon.yaml").write_text("en:\n  - match: light\n    say: dark\n",
                                          encoding="utf-8")
    return base


def make_project(world: Path, name: str) -> tuple[Path, Path]:
    root = world / name
    shutil.copytree(DATA, root / "storyboards")
    (root / "storyreel.toml").write_text('languages = ["en"]\n', encoding="utf-8")
    return root, root / "storyboards" / "tiny.yaml"


def set_field(story: Path, field: str, value: str) -> None:
    yaml = YAML(typ="rt")
    data: Any = yaml.load(story.read_text(encoding="utf-8"))
    if field == "scenes[1].image":
        data["scenes"][1]["image"] = value
    elif field == "music":
        data["music"] = value
    elif field == "theme_overrides.logo.path":
        data["theme_overrides"] = {"logo": {"path": value}}
    else:
        data["theme_overrides"] = {"sound": {"music": value}}
    with story.open("w", encoding="utf-8") as f:
        yaml.dump(data, f)


def escape(world: Path, story: Path, field: str, mode: str) -> str:
    """The value that leaves the project in ``mode``."""
    target = world / "outside" / ("secret.jpg" if "image" in field or "logo" in field
                                  else "secret.ogg")
    if mode == "dotdot":
        return "../../outside/" + target.name
    if mode == "absolute":
        return str(target)
    link = story.parent / f"link{target.suffix}"
    link.symlink_to(target)
    return link.name


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error ")]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("field", FIELDS)
def test_a_path_out_of_the_project_is_refused_by_check_and_render(
    world: Path, field: str, mode: str, env: dict[str, str],
) -> None:
    root, story = make_project(world, f"p-{field}-{mode}")
    set_field(story, field, escape(world, story, field, mode))
    checked = invoke(["--project", str(root), "check", str(story), "--preset", "landscape"],
                     env)
    assert checked.exit_code == 1, checked.output
    [line] = error_lines(checked.output)
    assert str(story) in line and f": {field}: " in line and "outside the project" in line
    out = root / "output"
    rendered = invoke(["--project", str(root), "render", str(story), "--draft",
                       "--size", "320x180"], env)
    assert rendered.exit_code == 1, rendered.output
    [again] = error_lines(rendered.output)
    assert line.removeprefix("error ") in again
    assert not list(out.rglob("*.mp4")) and not list(out.rglob("*.jpg"))


def test_a_lexicon_linked_out_of_the_project_is_refused(world: Path,
                                                      env: dict[str, str]) -> None:
    root, story = make_project(world, "p-lexicon")
    (root / "lexicon.yaml").symlink_to(world / "outside" / "lexicon.yaml")
    checked = invoke(["--project", str(root), "check", str(story), "--preset", "landscape"],
                     env)
    assert checked.exit_code == 1, checked.output
    [line] = error_lines(checked.output)
    assert "lexicon.yaml" in line and "outside the project" in line
    rendered = invoke(["--project", str(root), "render", str(story), "--draft",
                       "--size", "320x180"], env)
    assert rendered.exit_code == 1, rendered.output
    [again] = error_lines(rendered.output)
    assert "lexicon.yaml" in again and "outside the project" in again


def test_paths_inside_the_project_are_fine_also_through_a_symlink(world: Path) -> None:
    root, story = make_project(world, "p-inside")
    (root / "images").mkdir()
    shutil.copy(DATA / "images" / "field.jpg", root / "images" / "logo.jpg")
    (story.parent / "logo-link.jpg").symlink_to(root / "images" / "logo.jpg")
    set_field(story, "theme_overrides.logo.path", "logo-link.jpg")
    set_field(story, "scenes[1].image", "../images/logo.jpg")
    board = load_storyboard(story)
    theme = theme_for(board)
    assert theme.logo.path == str((root / "images" / "logo.jpg").resolve())


def test_a_loose_storyboard_is_confined_to_its_own_folder(world: Path) -> None:
    """A storyboard in no project (not in a storyboards/ folder, no storyreel.toml
    above) no longer takes its grandparent as the root."""
    loose = world / "loose" / "drafts"
    shutil.copytree(DATA, loose)
    story = loose / "tiny.yaml"
    assert project_root_of(story) == loose.resolve()
    shutil.copy(DATA / "images" / "river.jpg", world / "loose" / "up.jpg")
    set_field(story, "scenes[1].image", "../up.jpg")
    with pytest.raises(StoryboardInvalid, match=r"scenes\[1\]\.image: .*outside the project"):
        load_storyboard(story)


@pytest.mark.parametrize("section,key", theme_module.PATH_FIELDS)
@pytest.mark.parametrize("value", ["../../../etc/passwd", "/etc/passwd"])
def test_a_theme_file_naming_a_file_outside_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, section: str, key: str, value: str,
) -> None:
    themes = tmp_path / "themes"
    shutil.copytree(theme_module.THEMES_DIR, themes)
    data = YAML(typ="safe").load((themes / "default.yaml").read_text(encoding="utf-8"))
    data["name"] = "evil"
    data.setdefault(section, {})[key] = value
    with (themes / "evil.yaml").open("w", encoding="utf-8") as f:
        YAML().dump(data, f)
    monkeypatch.setattr(theme_module, "THEMES_DIR", themes)
    with pytest.raises(StoryreelError, match=rf"evil.yaml: {section}\.{key}: .*outside"):
        theme_module.load_theme("evil")
