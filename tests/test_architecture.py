"""The shape of the code: data flows one way (a stage imports only what is below it),
and docs/architecture.md names only modules that exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "storyreel"
DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"

#: Every top-level module or package of storyreel, lowest first. A module may import
#: its own package and anything with a lower rank, never anything higher.
LAYERS: dict[str, int] = {
    "__init__": 0, "__version__": 0, "errors": 0, "fileio": 0,
    "resources": 1, "presets": 1,
    "crashlog": 2, "fonts": 2, "text": 2, "project": 2, "ffmpeg_runner": 2,
    "theme": 3,
    "storyboard": 4,
    "tts": 5,
    "timeline": 6,
    "layout": 7,
    "render": 8,
    "subtitles": 9,
    "package": 10,
    "pipeline": 11,
    "batch": 12,
    "editor": 13,
    "cli": 14,
    "__main__": 15,
}


def _imports(path: Path) -> list[tuple[int, str]]:
    """``(line, top-level storyreel part)`` of every import in ``path``, lazy ones too."""
    rel = path.relative_to(SRC)
    package = ["storyreel", *rel.parts[:-1]]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                names = [".".join([*base, node.module] if node.module else base)]
                if not node.module:  # from . import x, y
                    names = [f"{names[0]}.{a.name}" for a in node.names]
            else:
                names = [node.module or ""]
            if names == ["storyreel"]:  # from storyreel import x
                names = [f"storyreel.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "storyreel" and len(parts) > 1:
                found.append((getattr(node, "lineno", 0), parts[1]))
    return found


def _owner(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def test_every_module_has_a_layer() -> None:
    owners = {_owner(p) for p in SRC.rglob("*.py")}
    missing = sorted(owners - set(LAYERS))
    assert not missing, f"add {missing} to LAYERS in tests/test_architecture.py"


def test_data_flows_one_way() -> None:
    wrong = []
    for path in sorted(SRC.rglob("*.py")):
        owner = _owner(path)
        for line, target in _imports(path):
            if target == owner:
                continue
            assert target in LAYERS, f"{path}:{line}: unknown part storyreel.{target}"
            if LAYERS[target] >= LAYERS[owner]:
                wrong.append(f"{path.relative_to(SRC)}:{line}: {owner} imports {target}")
    assert not wrong, "lower stages import higher ones:\n" + "\n".join(wrong)


def test_the_checker_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    probe = SRC / "timeline" / "_probe_for_test.py"
    probe.write_text("def f() -> None:\n    from ..layout import text\n"
                     "    import storyreel.render.graph\n", encoding="utf-8")
    try:
        assert _imports(probe) == [(2, "layout"), (3, "render")]
    finally:
        probe.unlink()


@pytest.mark.parametrize("ref", sorted(set(re.findall(
    r"`(src/storyreel/[\w/]+(?:\.py|/)|tests/[\w/]+\.py)`",
    DOC.read_text(encoding="utf-8")))))
def test_the_architecture_doc_names_real_files(ref: str) -> None:
    assert (SRC.parents[1] / ref).exists(), f"docs/architecture.md names {ref}, which is gone"


def test_the_architecture_doc_lists_every_stage() -> None:
    text = DOC.read_text(encoding="utf-8")
    for part in LAYERS:
        if (SRC / part).is_dir():
            assert f"src/storyreel/{part}/" in text, f"docs/architecture.md misses {part}/"
