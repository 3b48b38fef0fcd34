"""storyreel as a user installs it: a wheel in a fresh virtual environment outside the
repository renders a tiny story with the fonts, music and themes it carries as data."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh venv holding only the built wheel of storyreel;
    its dependencies come from this test's environment (no index is asked)."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(work / "dist"), str(ROOT)],
                   check=True, capture_output=True, cwd=work)
    wheels = list((work / "dist").glob("storyreel-*.whl"))
    assert len(wheels) == 1, wheels
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()"
                              "['purelib'])"], check=True, capture_output=True, text=True)
    # The dependencies of this environment, without its editable storyreel (a .pth line
    # adds a folder to the path but runs none of the .pth files inside it).
    deps = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
    Path(purelib.stdout.strip(), "deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    str(wheels[0])], check=True, capture_output=True)
    return venv / "bin"


def test_the_wheel_carries_its_data(installed: Path) -> None:
    probe = subprocess.run(
        [str(installed / "python"), "-c",
         "import storyreel, storyreel.resources as r, storyreel.theme as t;"
         "print(storyreel.__file__); print(r.font_path(True)); print(r.music_dir());"
         "print(t.available_themes())"],
        check=True, capture_output=True, text=True, cwd=installed)
    package, bold, music, themes = probe.stdout.splitlines()
    assert ROOT not in Path(package).parents  # the installed copy, not the checkout
    assert Path(bold).is_file() and Path(bold).stat().st_size > 1_000_000
    assert any(Path(music).glob("*.ogg"))
    assert "default" in themes


def test_the_installed_command_renders_a_story(installed: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "data" / "tiny", project / "storyboards")
    board = project / "storyboards" / "tiny.yaml"
    board.write_text(board.read_text(encoding="utf-8").replace("music: none", ""),
                     encoding="utf-8")  # the theme's bed, from the package data
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYREEL_")}
    env["STORYREEL_CACHE"] = str(tmp_path / "cache")
    done = subprocess.run(
        [str(installed / "storyreel"), "render", "storyboards/tiny.yaml", "--lang", "en",
         "--size", "320x180", "--draft", "--out", "output"],
        capture_output=True, text=True, cwd=project, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    meta = json.loads((project / "output" / "tiny" / "tiny.en.landscape.json").read_text())
    assert meta["music"] and meta["frames"] == 12 * 30
    assert (project / "output" / "tiny" / "tiny.en.landscape.mp4").stat().st_size > 10_000
