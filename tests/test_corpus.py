"""The bad-input corpus (tests/corpus/cases.yaml): every broken storyboard or asset gives
exactly one clear line, the same from ``check`` and from ``render``, never a traceback,
and render leaves nothing under a final name.

Renders run at the presets' own frame size with draft encoding: every case fails before
encoding, and text overflow is a matter of pixels, so a smaller frame could disagree.
"""

from __future__ import annotations

import contextlib
import importlib.util
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from clitools import invoke

CORPUS = Path(__file__).parent / "corpus"
CASES: list[dict[str, Any]] = YAML(typ="safe").load(
    (CORPUS / "cases.yaml").read_text(encoding="utf-8"))
# render prints "error <id> <lang> <preset>: <message>" for a failed job.
JOB_LABEL = re.compile(r"^\S+ (zh|en) (landscape|portrait|square): ")


def make_assets(root: Path) -> None:
    spec = importlib.util.spec_from_file_location("corpus_assets", CORPUS / "make_assets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_assets(root)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the corpus with its assets made, as the current directory. It is a
    project (its storyreel.toml): a case's image path that leaves it escapes the project."""
    root = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(CORPUS, root)
    make_assets(root)
    with contextlib.chdir(root):
        yield root


def error_lines(output: str) -> list[str]:
    """The messages of the lines that report an error (render's job label removed)."""
    return [JOB_LABEL.sub("", line.removeprefix("error "))
            for line in output.splitlines() if line.startswith("error ")]


def test_the_corpus_is_complete() -> None:
    names = [c["case"] for c in CASES]
    assert len(names) == len(set(names)) >= 30
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()} - {"images", "valid"}
    made = {"empty-file", "non-utf8", "too-large",  # by make_assets.py
            "fifo-as-storyboard", "device-as-storyboard"}
    assert folders | made == set(names)


def test_the_base_of_the_cases_is_valid(corpus: Path, env: dict[str, str]) -> None:
    result = invoke(["check", "valid/story.yaml"], env)
    assert result.exit_code == 0, result.output
    assert error_lines(result.output) == []


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_case(case: dict[str, Any], corpus: Path, env: dict[str, str]) -> None:
    name = case["case"]
    target = name if (corpus / name).is_dir() and case.get("file") else f"{name}/story.yaml"
    checked = invoke(["check", target], env)
    assert checked.exit_code == 1, checked.output
    lines = error_lines(checked.output)
    assert len(lines) == 1, checked.output
    line = lines[0]
    assert case.get("file", f"{name}/story.yaml") in line
    for fragment in case["expect"]:
        assert fragment in line, f"{fragment!r} not in {line!r}"

    out = corpus.parent / f"out-{name}"
    rendered = invoke(["render", target, "--out", str(out), "--draft",
                       *case.get("render", [])], env)
    assert rendered.exit_code == 1, rendered.output
    assert error_lines(rendered.output) == [line], rendered.output
    renders = int(case.get("renders", 0))
    assert f"{renders} rendered, 0 skipped, 1 failed" in rendered.output
    written = [p for p in out.rglob("*") if p.is_file() and p != out / "report.json"] \
        if out.exists() else []
    if renders == 0:
        assert written == []
    assert not [p for p in written if ".part" in p.name or p.name.startswith(".")]
