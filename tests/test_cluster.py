"""A real Dask cluster: `dask scheduler` and two `dask worker` processes on 127.0.0.1,
each started in a working folder of its own that holds no project file. Inputs travel to
the workers, finished files come back and are published by the client."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyreel.batch.cluster import Shipped, publish
from storyreel.batch.job import Job, JobResult, RenderSettings
from storyreel.errors import StoryreelError

from clitools import invoke

DATA = Path(__file__).parent / "data" / "tiny"
DASK = Path(sys.executable).with_name("dask")


def _start(args: list[str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYREEL_")}
    with log.open("wb") as out:
        return subprocess.Popen([str(DASK), *args], cwd=cwd, stdout=out,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The address of a scheduler with two single-threaded workers, each in its own
    empty working folder; all three are stopped at the end."""
    base = tmp_path_factory.mktemp("dask")
    procs: list[subprocess.Popen[bytes]] = []
    try:
        (base / "scheduler").mkdir()
        info = base / "scheduler" / "scheduler.json"
        procs.append(_start(["scheduler", "--host", "127.0.0.1", "--port", "0",
                             "--no-dashboard", "--scheduler-file", str(info)],
                            base / "scheduler", base / "scheduler.log"))
        deadline = time.monotonic() + 60
        while not info.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert info.is_file(), (base / "scheduler.log").read_text()
        address = str(json.loads(info.read_text())["address"])
        for name in ("worker-a", "worker-b"):
            folder = base / name
            folder.mkdir()
            procs.append(_start(["worker", address, "--nthreads", "1", "--no-dashboard",
                                 "--name", name, "--local-directory", str(folder)],
                                folder, base / f"{name}.log"))
        _wait_for_workers(address, 2)
        yield address, base
    finally:
        for proc in reversed(procs):
            _stop(proc)


def _wait_for_workers(address: str, count: int) -> None:
    from distributed import Client

    with Client(address, timeout=30) as client:  # type: ignore[no-untyped-call]
        client.wait_for_workers(count, timeout=60)


def _project(tmp_path: Path) -> Path:
    """A project: storyreel.toml, a lexicon, a storyboard and its pictures."""
    root = tmp_path / "project"
    shutil.copytree(DATA, root / "storyboards")
    (root / "storyreel.toml").write_text('languages = ["zh", "en"]\n', encoding="utf-8")
    (root / "lexicon.yaml").write_text("en:\n  - match: CSR\n    say: C S R\n",
                                       encoding="utf-8")
    return root


def test_a_batch_renders_on_real_workers_without_a_shared_folder(
    scheduler: tuple[str, Path], tmp_path: Path, env: dict[str, str],
) -> None:
    address, base = scheduler
    root = _project(tmp_path)
    # A second story whose picture is cut short: it fails on a worker, in one line that
    # names the client's file, and the batch goes on.
    story = (root / "storyboards" / "tiny.yaml").read_text(encoding="utf-8")
    (root / "storyboards" / "cut.yaml").write_text(
        story.replace("id: tiny", "id: cut").replace("images/river.jpg", "images/cut.jpg"),
        encoding="utf-8")
    river = (root / "storyboards" / "images" / "river.jpg").read_bytes()
    (root / "storyboards" / "images" / "cut.jpg").write_bytes(river[: len(river) // 3])
    out = tmp_path / "out"
    args = ["--project", str(root), "render", "--scheduler", address, "--size", "320x180",
            "--draft", "--out", str(out)]
    result = invoke([*args, "--json", "--lang", "en"], env)
    assert result.exit_code == 1, result.output
    events = [json.loads(line) for line in result.stdout.splitlines()]
    [failed] = [e for e in events if e["event"] == "job" and e["story"] == "cut"]
    assert failed["status"] == "failed"
    assert failed["error"].startswith(str(root / "storyboards")), failed["error"]
    assert "cut.jpg" in failed["error"] and "storyreel-job-" not in failed["error"]
    (root / "storyboards" / "cut.yaml").unlink()
    result = invoke([*args, "--json"], env)
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines()]
    stages = {(e["lang"], e["stage"]) for e in events if e["event"] == "stage"}
    # stages reported from the remote worker
    assert {("zh", "speak"), ("zh", "draw"), ("zh", "encode")} <= stages
    ended = [e for e in events if e["event"] == "job"]
    # en was rendered by the first run: only zh is new
    assert sorted((e["lang"], e["status"]) for e in ended) == [("en", "skipped"),
                                                             ("zh", "rendered")]
    folder = out / "tiny"
    for lang in ("zh", "en"):
        video = folder / f"tiny.{lang}.landscape.mp4"
        assert video.stat().st_size > 10_000
        meta = json.loads((folder / f"tiny.{lang}.landscape.json").read_text())
        assert meta["width"] == 320 and meta["frames"] == 12 * 30
    manifest = json.loads((folder / "manifest.json").read_text())
    assert len(manifest["renders"]) == 2
    report = json.loads((out / "report.json").read_text())
    assert [j["status"] for j in report["jobs"]] == ["rendered", "skipped"]
    # The workers' working folders held no project files before and keep none after:
    # the jobs' inputs lived in scratch folders removed when each job ended.
    left = {p.name for w in ("worker-a", "worker-b") for p in (base / w).rglob("*")}
    assert not left & {"tiny.yaml", "river.jpg", "storyreel.toml", "lexicon.yaml"}, left
    # A second run asks nothing of the cluster: the client's fingerprints say done.
    again = invoke([*args, "--quiet"], env)
    assert again.exit_code == 0, again.output
    report = json.loads((out / "report.json").read_text())
    assert [j["status"] for j in report["jobs"]] == ["skipped", "skipped"]


def test_a_worker_cannot_write_outside_the_output_folder(tmp_path: Path) -> None:
    job = Job(tmp_path / "x.yaml", "x", "en", "landscape")
    settings = RenderSettings(out_root=tmp_path / "out")
    bad = Shipped(JobResult(job, "rendered"), {"../../evil.txt": b"x"})
    with pytest.raises(StoryreelError, match="refused"):
        publish(bad, settings, "f")
    assert not (tmp_path / "evil.txt").exists()


def test_a_job_ships_exactly_the_files_it_reads(tmp_path: Path) -> None:
    from storyreel.batch.cluster import job_inputs

    root = _project(tmp_path)
    story = root / "storyboards" / "tiny.yaml"
    text = story.read_text(encoding="utf-8").replace("music: none", "music: dawn-pads.ogg")
    story.write_text(text + "theme_overrides:\n  logo: {path: images/field.jpg}\n",
                     encoding="utf-8")
    inputs = job_inputs(Job(story, "tiny", "en", "landscape"))
    assert sorted(inputs) == [
        "fonts/NotoSansCJKsc-Bold.otf", "fonts/NotoSansCJKsc-Regular.otf",
        "music/dawn-pads.ogg", "project/lexicon.yaml", "project/storyboards/images/field.jpg",
        "project/storyboards/images/river.jpg", "project/storyboards/tiny.yaml",
        "project/storyreel.toml"]
    assert all(path.is_file() for path in inputs.values())
