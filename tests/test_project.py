"""Projects: finding the root, storyreel.toml, `init`, selection, progress and the report."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from storyreel.batch.selection import choose
from storyreel.project import (
    ProjectError,
    auto_jobs,
    available_memory,
    find_project,
    find_root,
    read_config,
)

from clitools import invoke

DATA = Path(__file__).parent / "data" / "tiny"
REPO = Path(__file__).resolve().parent.parent
STORYREEL = Path(sys.executable).with_name("storyreel")


def test_the_repository_is_a_project_with_the_documented_defaults() -> None:
    project = find_project(start=REPO / "storyboards" / "images")
    assert project.root == REPO
    assert project.config.languages == ("zh", "en")
    assert project.config.presets == ("landscape",)
    assert project.config.jobs is None  # auto
    assert project.storyboards == REPO / "storyboards"


def test_the_root_is_found_walking_up_and_old_layouts_still_count(tmp_path: Path) -> None:
    (tmp_path / "a" / "storyreel.toml").parent.mkdir()
    (tmp_path / "a" / "storyreel.toml").write_text("", encoding="utf-8")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_root(deep) == (tmp_path / "a").resolve()
    old = tmp_path / "old"
    (old / "storyboards" / "x").mkdir(parents=True)
    assert find_root(old / "storyboards" / "x") == old.resolve()
    assert find_project(old).config.languages == ("zh", "en")


@pytest.mark.parametrize("text,where", [
    ('languages = ["zh", "fr"]\n', ":1: languages: unknown language 'fr'; choose from zh, en"),
    ('engine = "espeak"\njobs = 0\n', ':2: jobs: must be a number from 1 to 32, or "auto"'),
    ('presets = ["landscape"]\n\ncolour = "red"\n', ":3: colour: unknown setting; use "),
    ('jobs = "auto"\nlanguages = [zh]\n', ":2: TOML syntax error: "),
])
def test_a_bad_project_file_is_one_line_with_file_line_and_field(
    tmp_path: Path, text: str, where: str,
) -> None:
    path = tmp_path / "storyreel.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProjectError) as caught:
        read_config(path)
    assert str(caught.value).startswith(f"{path}{where}")
    assert "\n" not in str(caught.value)


def test_outside_any_project_a_command_says_how_to_make_one(
    tmp_path: Path, env: dict[str, str],
) -> None:
    os.chdir(tmp_path)
    try:
        result = invoke(["render"], env)
    finally:
        os.chdir(REPO)
    assert result.exit_code == 2
    assert "not inside a storyreel project" in result.output and "storyreel init" in result.output


def test_auto_jobs_follows_the_core_count() -> None:
    plenty = 64 * 2**30
    assert [auto_jobs(n, plenty) for n in (1, 2, 3, 8, 64)] == [1, 2, 3, 4, 4]


def test_auto_jobs_fits_the_memory_available() -> None:
    gib = 2**30
    assert [auto_jobs(8, m) for m in (gib // 2, gib, 2 * gib, 3 * gib)] == [1, 1, 2, 4]
    # This machine's own figure, read from the system: at least a job, at most the cores.
    found = available_memory()
    assert found is None or found > 0
    assert 1 <= auto_jobs() <= min(os.cpu_count() or 1, 4)


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The installed `storyreel` command, its output piped (not a terminal)."""
    full = {**os.environ, **env}
    return subprocess.run([str(STORYREEL), *args], cwd=cwd, env=full, capture_output=True,
                          text=True, timeout=600)


def test_init_then_render_from_a_subfolder_outside_the_checkout(
    tmp_path: Path, env: dict[str, str],
) -> None:
    made = _run(["init", str(tmp_path / "proj")], tmp_path, env)
    assert made.returncode == 0, made.stderr
    root = tmp_path / "proj"
    for name in ("storyreel.toml", "lexicon.yaml", "storyboards/example.yaml",
                 "images/example.jpg", "storyreel.schema.json"):
        assert (root / name).is_file(), name
    again = _run(["init", str(root)], tmp_path, env)
    assert again.returncode == 1 and "already a storyreel project" in again.stderr
    rendered = _run(["render", "--size", "320x180", "--draft"], root / "storyboards", env)
    assert rendered.returncode == 0, rendered.stderr
    videos = sorted(p.name for p in (root / "output" / "example").glob("*.mp4"))
    assert videos == ["example.en.landscape.mp4", "example.zh.landscape.mp4"]
    # Piped, progress is plain timestamped lines: one per stage each job enters, one
    # per finished job, nothing overwritten.
    lines = rendered.stderr.splitlines()
    assert "\r" not in rendered.stderr and "\x1b[" not in rendered.stderr
    stamp = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ "
    for lang in ("zh", "en"):
        stages = [m.group(1) for line in lines
                  if (m := re.match(stamp + rf"example {lang} landscape: (\w+)$", line))]
        assert stages == ["load", "speak", "mix", "draw", "encode"], lines
        assert any(re.match(stamp + rf"example {lang} landscape: rendered in [\d.]+ s", line)
                   for line in lines)
    report = json.loads((root / "output" / "report.json").read_text())
    [job] = [j for j in report["jobs"] if j["lang"] == "en"]
    assert job["status"] == "rendered" and job["error"] is None and job["seconds"] > 0
    names = {Path(f["path"]).name: f["bytes"] for f in job["files"]}
    assert names["example.en.landscape.mp4"] > 10_000 and "example.en.srt" in names
    assert re.search(r"│ example │ en\s+│ landscape │ rendered │\s+[\d.]+ │\s+[\d.]+ │\s+0 │",
                     rendered.stderr)


def _project_with_stories(root: Path) -> Path:
    """Four storyboards: two tagged 'clean water', one a draft, one broken."""
    shutil.copytree(DATA, root / "storyboards")
    (root / "storyreel.toml").write_text('languages = ["en"]\n', encoding="utf-8")
    base = (root / "storyboards" / "tiny.yaml").read_text(encoding="utf-8")
    (root / "storyboards" / "tiny.yaml").unlink()
    stories = {
        "lusaka-water": "tags:\n  - {zh: 清洁水, en: Clean Water}\n",
        "lusaka-school": "tags:\n  - {zh: 教育, en: education}\n",
        "kenya-wells": "tags:\n  - {zh: 清洁水, en: clean water}\n",
        "lusaka-draft": "status: draft\ntags:\n  - {zh: 清洁水, en: clean water}\n",
    }
    for story_id, extra in stories.items():
        (root / "storyboards" / f"{story_id}.yaml").write_text(
            base.replace("id: tiny", f"id: {story_id}") + extra, encoding="utf-8")
    (root / "storyboards" / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    return root / "storyboards"


def test_select_by_id_glob_and_by_tag_in_either_language(tmp_path: Path) -> None:
    folder = _project_with_stories(tmp_path)
    paths = sorted(folder.glob("*.yaml"))

    def ids(patterns: list[str], named: list[Path] | None = None) -> list[str]:
        return [p.stem for p in choose(paths, patterns, named or [])]

    # a whole-folder batch: no drafts, the broken file kept so that it is reported
    assert ids([]) == ["broken", "kenya-wells", "lusaka-school", "lusaka-water"]
    assert ids(["lusaka-*"]) == ["lusaka-school", "lusaka-water"]
    assert ids(["tag:clean water"]) == ["kenya-wells", "lusaka-water"]
    assert ids(["tag:清洁水"]) == ["kenya-wells", "lusaka-water"]
    assert ids(["tag:education", "kenya-*"]) == ["kenya-wells", "lusaka-school"]
    assert ids(["lusaka-draft"]) == ["lusaka-draft"]  # a draft, selected by name
    assert ids([], [folder / "lusaka-draft.yaml"]) == ["broken", "kenya-wells",
                                                        "lusaka-draft", "lusaka-school",
                                                        "lusaka-water"]
    assert ids(["br*"]) == ["broken"]


def test_check_and_render_take_select(tmp_path: Path, env: dict[str, str]) -> None:
    folder = _project_with_stories(tmp_path)
    root = str(folder.parent)
    checked = invoke(["--project", root, "check", "--select", "tag:clean water",
                      "--preset", "landscape"], env)
    assert checked.exit_code == 0, checked.output
    assert "checked 2 storyboards" in checked.output
    rendered = invoke(["--project", root, "render", "--select", "kenya-*", "--json",
                       "--size", "320x180", "--draft"], env)
    assert rendered.exit_code == 0, rendered.output
    events = [json.loads(line) for line in rendered.stdout.splitlines()]
    assert events[0] == {**events[0], "event": "start", "jobs": 1}
    assert next(e["stage"] for e in events if e["event"] == "stage") == "load"
    [job] = [e for e in events if e["event"] == "job"]
    assert (job["story"], job["status"]) == ("kenya-wells", "rendered")
    assert events[-1]["event"] == "summary" and events[-1]["rendered"] == 1
    none = invoke(["--project", root, "render", "--select", "nothing-*"], env)
    assert none.exit_code == 2 and "no storyboard matches --select 'nothing-*'" in none.output


def test_a_failed_job_exits_1_and_is_in_the_report(tmp_path: Path,
                                                   env: dict[str, str]) -> None:
    folder = _project_with_stories(tmp_path)
    result = invoke(["--project", str(folder.parent), "render", "--select", "br*",
                     "--quiet"], env)
    assert result.exit_code == 1
    [line] = result.output.splitlines()
    assert line.startswith(f"error {folder / 'broken.yaml'}:2: YAML syntax error")
    report = json.loads((folder.parent / "output" / "report.json").read_text())
    [job] = report["jobs"]
    assert job["status"] == "failed" and job["error"] == line.removeprefix("error ")


def test_the_cli_imports_no_stage_at_start_up() -> None:
    """`storyreel --help` and `--version` need click and little else (a quick start,
    timed by benchmarks/startup.py)."""
    code = ("import sys, storyreel.cli; "
            "print(' '.join(sorted(m for m in sys.modules)))")
    found = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True).stdout.split())
    heavy = {"numpy", "PIL", "ffmpeg", "pydantic", "rich", "ruamel", "pysubs2",
             "storyreel.batch.job", "storyreel.storyboard.model", "storyreel.layout",
             "storyreel.tts", "distributed"}
    assert not heavy & found, heavy & found
    version = subprocess.run([str(STORYREEL), "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and "0.1.0" in version.stdout


def test_the_project_theme_is_the_default_of_storyboards_that_name_none(
    tmp_path: Path,
) -> None:
    from storyreel.layout import theme_for
    from storyreel.storyboard.load import load_storyboard

    shutil.copytree(DATA, tmp_path / "storyboards")
    (tmp_path / "storyreel.toml").write_text('theme = "daylight"\n', encoding="utf-8")
    story = tmp_path / "storyboards" / "tiny.yaml"
    assert theme_for(load_storyboard(story)).name == "daylight"
    story.write_text(story.read_text(encoding="utf-8") + "theme: default\n",
                     encoding="utf-8")
    assert theme_for(load_storyboard(story)).name == "default"


def test_a_missing_project_folder_is_bad_usage(tmp_path: Path, env: dict[str, str]) -> None:
    result = invoke(["--project", str(tmp_path / "nowhere"), "check"], env)
    assert result.exit_code == 2
    assert f"--project {tmp_path / 'nowhere'}: no such folder" in result.output
