"""What one storyboard file can cost before it is built: only regular files are read
(never a FIFO, a device or a folder, and never opened in a way that blocks), and the
YAML's expansion, nesting and aliases are measured on its parse events first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storyreel.storyboard.bounds import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_VALUES,
    NotRegularFile,
    read_regular,
    yaml_overrun,
)
from storyreel.storyboard.load import StoryboardInvalid, load_storyboard

SAMPLES = sorted((Path(__file__).parent.parent / "storyboards").glob("*.yaml"))


def test_a_regular_file_is_read_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "story.yaml"
    path.write_bytes(b"x" * 100)
    assert read_regular(path, 1000) == b"x" * 100
    assert len(read_regular(path, 10)) == 11  # one more than the limit: "too large"
    link = tmp_path / "link.yaml"
    link.symlink_to(path)
    assert read_regular(link, 1000) == b"x" * 100


def test_what_is_not_a_regular_file_is_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # no writer: opening it blocking, or reading it, would hang
    with pytest.raises(NotRegularFile) as info:
        read_regular(fifo, 1000)
    assert info.value.kind == "a named pipe (FIFO)"
    with pytest.raises(NotRegularFile, match="a device"):
        read_regular(Path("/dev/zero"), 1000)
    with pytest.raises(NotRegularFile, match="a folder"):
        read_regular(tmp_path, 1000)
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "nowhere.yaml", 1000)


def test_the_loader_names_the_file_and_what_it_is(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for path, kind in ((fifo, "a named pipe (FIFO)"), (Path("/dev/zero"), "a device"),
                       (tmp_path, "a folder")):
        with pytest.raises(StoryboardInvalid) as info:
            load_storyboard(path)
        assert str(info.value) == f"{path}: {kind}, not a storyboard file; name a .yaml file"


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_real_storyboards_are_far_inside_the_limits(sample: Path) -> None:
    assert yaml_overrun(sample.read_text(encoding="utf-8")) is None


def test_anchors_and_merge_keys_within_the_limits_are_fine() -> None:
    text = """\
base: &base {zh: 你好, en: Hello}
a: *base
b: {<<: *base, en: Hi}
list: &l [1, 2, 3]
again: [*l, *l]
"""
    assert yaml_overrun(text) is None


def bomb(levels: int, width: int = 10) -> str:
    lines = ["theme_overrides:", "  junk:", "    l0: &l0 [" + ", ".join(["x"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"    l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_where_it_crosses_the_limit() -> None:
    found = yaml_overrun(bomb(9))  # 10^9 values if expanded
    assert found is not None
    assert found.problem.startswith(f"expands to more than {MAX_VALUES:,} values")
    # 10^4 values by l3, 10^5 by l4: the limit is crossed inside l4, on its line.
    assert found.loc[:3] == ("theme_overrides", "junk", "l4")
    assert found.line == 7
    assert yaml_overrun(bomb(3)) is None  # about 1,100 values: fine


def test_nesting_is_bounded_without_recursing() -> None:
    deep = "x: " + "[" * 100_000 + "]" * 100_000 + "\n"  # would overflow a recursive loader
    found = yaml_overrun(deep)
    assert found is not None and f"nested more than {MAX_DEPTH} levels" in found.problem
    assert found.line == 1
    ok = "x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert yaml_overrun(ok) is None


def test_recursive_aliases_and_too_many_aliases_are_refused() -> None:
    found = yaml_overrun("a: &a {b: [1, *a]}\n")
    assert found is not None and "refers to a collection that contains it" in found.problem
    assert found.loc == ("a", "b", 1)
    many = "x: &x 1\nlist: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n"
    found = yaml_overrun(many)
    assert found is not None and f"more than {MAX_ALIASES:,} YAML aliases" in found.problem


def test_syntax_errors_are_left_to_the_loader() -> None:
    assert yaml_overrun("a: [1, 2\nb: }") is None


def test_narration_no_target_could_hold_is_refused_at_load(tmp_path: Path) -> None:
    from storyreel.storyboard.bounds import MAX_NARRATION_PER_SECOND

    words = "Light reaches the village. " * (MAX_NARRATION_PER_SECOND * 10 // 26 + 1)
    path = tmp_path / "story.yaml"
    path.write_text(f"""\
id: long
title: {{zh: 灯, en: Lamp}}
target_seconds: 10
scenes:
  - layout: title
    heading: {{zh: 灯, en: Lamp}}
    narration: {{zh: 灯。, en: Lamp.}}
  - layout: end
    heading: {{zh: 谢谢, en: Thanks}}
    narration:
      zh: 谢谢。
      en: "{words.strip()}"
""", encoding="utf-8")
    with pytest.raises(StoryboardInvalid) as info:
        load_storyboard(path)
    total = 5 + len(words.strip())
    assert str(info.value) == (
        f"{path}:12: scenes[1].narration.en: the en narration is {total:,} characters in "
        f"all, more than 10 s could ever hold (at most {MAX_NARRATION_PER_SECOND * 10:,}, "
        f"{MAX_NARRATION_PER_SECOND} a second); cut it")
