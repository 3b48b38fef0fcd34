"""A real Dask cluster: `dask scheduler` and two `dask worker` processes on 127.0.0.1,
each started in a working folder of its own that holds no project file. Inputs travel to
the workers, finished files come back and are published by the client; the scene
segments of one job run on both workers."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import pytest
from PIL import Image

from storyreel.batch.cluster import Cluster, Shipped, publish
from storyreel.batch.job import Job, JobResult, RenderSettings
from storyreel.batch.remote_segments import KEY_PREFIX, ClusterSegments
from storyreel.errors import FFmpegError, StoryreelError
from storyreel.render.graph import Encoding
from storyreel.render.video import SegmentTask, encode_segment

from clitools import invoke
from probe import assert_contract, probe

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



def _client(address: str) -> Any:
    from distributed import Client

    return Client(address, timeout=30)  # type: ignore[no-untyped-call]


def test_the_segments_of_one_video_run_on_both_workers(
    scheduler: tuple[str, Path], tmp_path: Path, env: dict[str, str],
) -> None:
    address, base = scheduler
    root = _project(tmp_path)
    out = tmp_path / "out"
    with _client(address) as client:
        names = {a: w["name"] for a, w in client.scheduler_info()["workers"].items()}
        client.get_task_stream()  # the scheduler records tasks from now on
        started = time.time()
        result = invoke(["--project", str(root), "render", "--scheduler", address, "--size",
                         "320x180", "--out", str(out), "--lang", "en", "--quiet"], env)
        stream = _tasks_since(client, started)
    assert result.exit_code == 0, result.output
    ran = _segments_ran(stream, names)["tiny.en.landscape"]
    [job] = [names[t["worker"]] for t in stream if str(t["key"]).startswith("run_packed")]
    # One job, its segments (one per scene) spread over both workers (its own and the
    # other one).
    assert sorted(ran) == ["scene01", "scene02", "scene03"], ran
    assert set(ran.values()) == {"worker-a", "worker-b"}, ran
    assert job in ran.values()
    video = out / "tiny" / "tiny.en.landscape.mp4"
    meta = json.loads(video.with_suffix(".json").read_text(encoding="utf-8"))
    assert sorted(meta["segments"]["encoded"]) == sorted(ran)
    assert_contract(probe(video), 320, 180, 12.0)
    # Joined frame-exact: every frame once, 1/30 s apart, each segment a closed GOP.
    with av.open(str(video)) as box:
        stream_ = box.streams.video[0]
        packets = [p for p in box.demux(stream_) if p.size]
        time_base = stream_.time_base
    assert time_base is not None and len(packets) == 360
    times = sorted(Fraction(p.pts or 0) * time_base for p in packets)
    assert times[0] == 0 and all(b - a == Fraction(1, 30) for a, b in itertools.pairwise(times))
    for k in (k for k, p in enumerate(packets) if p.is_keyframe):
        assert all((p.pts or 0) >= (packets[k].pts or 0) for p in packets[k + 1:])
    # The segments' scratch folders are gone from the workers.
    assert not [p for w in ("worker-a", "worker-b")
                for p in (base / w).rglob("storyreel-segment-*")]


def _tasks_since(client: Any, started: float) -> list[dict[str, Any]]:
    """The task records of the tasks that started after ``started``. Not the stream's
    own ``start=``: it bisects records kept in the order they finished, by when they
    stopped, and can let through a task of an earlier test (it did, on CI: a segment of
    the test above that had erred)."""
    return [t for t in client.get_task_stream()
            if min((s["start"] for s in t["startstops"]), default=0.0) >= started]


def _segments_ran(stream: list[dict[str, Any]], names: dict[str, str]
                  ) -> dict[str, dict[str, str]]:
    """Per job label, where each of its segments ran (by worker name)."""
    ran: dict[str, dict[str, str]] = {}
    for task in stream:
        key = str(task["key"])
        if key.startswith(KEY_PREFIX):
            segment, _, rest = key[len(KEY_PREFIX):].partition("-")
            ran.setdefault(rest.rpartition("-")[0], {})[segment] = names[task["worker"]]
    return ran


def test_a_failing_segment_fails_its_job_in_one_line(
    scheduler: tuple[str, Path], tmp_path: Path,
) -> None:
    address, _ = scheduler
    root = _project(tmp_path)
    # x264 refuses the preset: every segment fails on whichever worker runs it.
    settings = RenderSettings(out_root=tmp_path / "out", frame_size=(320, 180),
                              encoding=Encoding(preset="no-such-preset"),
                              cache_root=tmp_path / "cache")
    with _client(address) as client:
        [result] = Cluster(client).run(
            [Job(root / "storyboards" / "tiny.yaml", "tiny", "en", "landscape")], settings)
    assert result.status == "failed"
    assert result.error.startswith("ffmpeg failed to encode segment "), result.error
    assert "libx264" in result.error and "\n" not in result.error
    assert "storyreel-segment-" not in result.error
    assert not (tmp_path / "out" / "tiny" / "tiny.en.landscape.mp4").exists()


def test_a_segment_comes_back_as_a_file_or_as_its_own_error(
    scheduler: tuple[str, Path], tmp_path: Path,
) -> None:
    address, _ = scheduler
    still = tmp_path / "the job's pictures" / "still.png"
    still.parent.mkdir()
    Image.new("RGB", (64, 36), (200, 40, 40)).save(still)
    out = tmp_path / "cache" / "ab" / "still.mp4"

    def task(graph: str) -> SegmentTask:
        return SegmentTask("still", ("-framerate", "30", "-i", str(still), "-filter_complex",
                                     graph, "-map", "[v]", "-frames:v", "3", "-c:v",
                                     "libx264", str(out)), out)

    with _client(address) as client:
        workers = set(client.scheduler_info()["workers"])
        segments = ClusterSegments(client)
        with pytest.raises(TypeError):
            segments.submit(print, task("[0]null[v]"))
        error = segments.submit(encode_segment, task("[0]no_such_filter[v]")).exception(60)
        assert type(error) is FFmpegError
        assert str(error).startswith("ffmpeg failed to encode segment still")
        assert "\n" not in str(error)
        # Its command names the job's own files, not the worker's scratch copies.
        assert str(still) in error.command
        assert not any("storyreel-segment-" in arg for arg in error.command), error.command
        assert Path(error.command[-1]).parent == out.parent
        assert not out.exists() and segments.ran == []
        good = task("[0]loop=loop=2:size=1,format=yuv420p[v]")
        assert segments.submit(encode_segment, good).result(60) == "still"
        segments.shutdown()
    assert probe_frames(out) == 3
    [(name, worker)] = segments.ran
    assert name == "still" and worker in workers


def probe_frames(path: Path) -> int:
    with av.open(str(path)) as box:
        return sum(1 for _ in box.decode(video=0))


def test_two_jobs_holding_both_workers_still_get_their_segments(
    scheduler: tuple[str, Path], tmp_path: Path, env: dict[str, str],
) -> None:
    # Each single-thread worker runs a job that waits on its segments: they only run
    # because a waiting job gives its thread up. Were it to hold it, the render would
    # never end: it runs as a process, with a time limit. (Last in the module: the
    # workers of a deadlocked run would stay stuck.)
    address, _ = scheduler
    root = _project(tmp_path)
    with _client(address) as client:
        names = {a: w["name"] for a, w in client.scheduler_info()["workers"].items()}
        client.get_task_stream()
        started = time.time()
        run = subprocess.run(
            [sys.executable, "-m", "storyreel", "--project", str(root), "render",
             "--scheduler", address, "--size", "320x180", "--draft", "--out",
             str(tmp_path / "out"), "--quiet"],
            env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
        stream = _tasks_since(client, started)
    assert run.returncode == 0, run.stderr + run.stdout
    jobs = {names[t["worker"]] for t in stream if str(t["key"]).startswith("run_packed")}
    assert jobs == {"worker-a", "worker-b"}
    ran = _segments_ran(stream, names)
    assert {label: sorted(where) for label, where in ran.items()} == {
        f"tiny.{lang}.landscape": ["scene01", "scene02", "scene03"]
        for lang in ("zh", "en")}
