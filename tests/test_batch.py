"""Batches: selection, duplicate ids, and jobs run in parallel worker processes."""

from __future__ import annotations

import shutil
from pathlib import Path

from storyreel.batch.job import RenderSettings
from storyreel.batch.runner import find_storyboards, run_batch, select
from storyreel.render.graph import PREVIEW

DATA = Path(__file__).parent / "data" / "tiny"


def copy_story(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "story")
    return tmp_path / "story" / "tiny.yaml"


def test_selection_expands_jobs_and_refuses_a_duplicate_id(tmp_path: Path) -> None:
    story = copy_story(tmp_path)
    twin = story.with_name("twin.yaml")
    twin.write_text(story.read_text(encoding="utf-8"), encoding="utf-8")
    paths = find_storyboards([story.parent])
    assert paths == [story, twin]  # a folder expands to its storyboards, sorted
    chosen = select(paths, ["zh", "en"], ["landscape", "square"])
    assert [(j.lang, j.preset) for j in chosen.jobs] == [
        ("zh", "landscape"), ("en", "landscape"), ("zh", "square"), ("en", "square")]
    [failure] = chosen.failures
    assert failure.error == (f"{twin}: id: 'tiny' is already the id of {story}; "
                             "give each story its own id")


def test_jobs_run_in_parallel_workers_and_report_progress(tmp_path: Path) -> None:
    story = copy_story(tmp_path)
    jobs = select([story], ["zh", "en"], ["landscape"]).jobs
    settings = RenderSettings(out_root=tmp_path / "out", frame_size=(320, 180),
                              encoding=PREVIEW, cache_root=tmp_path / "cache")
    events: list[tuple[str, str, float]] = []
    results = run_batch(jobs, settings, workers=2,
                        listen=lambda label, stage, done: events.append((label, stage, done)))
    assert [r.status for r in results] == ["rendered", "rendered"], [r.error for r in results]
    assert [r.job for r in results] == list(jobs)  # in the order asked
    for job in jobs:
        stages = [stage for label, stage, _ in events if label == job.label]
        assert stages[0] == "load" and stages[-1] == "done" and "encode" in stages
    videos = sorted(p.name for p in (tmp_path / "out" / "tiny").glob("*.mp4"))
    assert videos == ["tiny.en.landscape.mp4", "tiny.zh.landscape.mp4"]


def test_auto_engine_decides_once_says_why_and_records_it(tmp_path: Path) -> None:
    """No network here: ``auto`` falls back to espeak, says so, and the metadata says
    which engine spoke (never "auto")."""
    import json

    from click.testing import CliRunner

    from storyreel.cli import main

    story = copy_story(tmp_path)
    result = CliRunner().invoke(main, [
        "render", str(story), "--engine", "auto", "--size", "320x180", "--draft",
        "--lang", "en", "--out", str(tmp_path / "out")],
        env={"STORYREEL_CACHE": str(tmp_path / "cache")})
    assert result.exit_code == 0, result.output
    assert result.output.count("auto: using espeak") == 1
    meta = json.loads((tmp_path / "out" / "tiny" / "tiny.en.landscape.json").read_text())
    assert meta["voice"]["engine"] == "espeak"


def test_an_unreachable_scheduler_is_one_clear_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from storyreel.cli import main

    story = copy_story(tmp_path)
    result = CliRunner().invoke(main, [
        "render", str(story), "--scheduler", "tcp://127.0.0.1:9", "--out",
        str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "no Dask scheduler answers at tcp://127.0.0.1:9" in result.output
