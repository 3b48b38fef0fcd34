"""Scene segments for real: a joined video is frame-exact with closed GOPs, an edit
re-encodes only the segments it changes, a killed render leaves nothing behind."""

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

import av
import psutil
import pytest

import storyreel.render.video as video
from storyreel.batch.job import Job, JobResult, RenderSettings, run_job
from storyreel.editor.frames import plan_story
from storyreel.render.graph import PREVIEW
from storyreel.render.planes import planes_format
from storyreel.render.video import SegmentTask

DATA = Path(__file__).parent / "data" / "tiny"


def copy_story(where: Path) -> Path:
    shutil.copytree(DATA, where / "tiny")
    return where / "tiny" / "tiny.yaml"


def render(story: Path, lang: str, root: Path, size: tuple[int, int] = (320, 180)) -> JobResult:
    settings = RenderSettings(out_root=root / "out", frame_size=size, encoding=PREVIEW,
                              cache_root=root / "cache")
    result = run_job(Job(story, "tiny", lang, "landscape"), settings)
    assert result.status == "rendered", result.error
    return result


def test_a_joined_video_is_frame_exact_with_closed_gops(tmp_path: Path) -> None:
    story = copy_story(tmp_path)
    result = render(story, "en", tmp_path)
    video = next(p for p in result.files if p.suffix == ".mp4")
    meta = json.loads(video.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["segments"]["encoded"] == ["scene01", "scene02", "scene03"]
    with av.open(str(video)) as box:
        stream = box.streams.video[0]
        packets = [p for p in box.demux(stream) if p.size]
        time_base = stream.time_base
        assert time_base is not None
        frames = sum(len(p.decode()) for p in packets)
        audio = box.streams.audio[0]
        audio_s = float((audio.duration or 0) * (audio.time_base or 0))
    assert frames == len(packets) == 360  # 12 s at 30 fps, every frame once
    times = sorted(Fraction(p.pts) * time_base for p in packets if p.pts is not None)
    assert times[0] == 0
    assert all(b - a == Fraction(1, 30) for a, b in itertools.pairwise(times))
    assert abs(audio_s - 12.0) <= 1 / 30
    keys = [k for k, p in enumerate(packets) if p.is_keyframe]
    # Each segment starts a GOP: scene 1 at frame 0, the wipe into scene 2, the cut to
    # scene 3; none is more than 2 s from the last.
    key_times = sorted(Fraction(packets[k].pts or 0) * time_base * 30 for k in keys)
    timeline = plan_story(story, "en", "landscape", cache_root=tmp_path / "cache",
                          size=(320, 180)).timeline
    starts = {span.start_frame for span in timeline.scenes}
    assert starts <= set(key_times) and len(starts) == 3
    assert all(b - a <= 60 for a, b in itertools.pairwise(key_times))
    assert 360 - key_times[-1] <= 60
    # Closed GOPs: no frame decoded after a key frame is shown before it.
    for k in keys:
        shown = packets[k].pts or 0
        assert all((p.pts or 0) >= shown for p in packets[k + 1:]), f"open GOP at {k}"


def test_one_scene_edit_encodes_only_that_scene_again(tmp_path: Path) -> None:
    story = copy_story(tmp_path)
    render(story, "zh", tmp_path)
    render(story, "en", tmp_path)
    zh_video = tmp_path / "out" / "tiny" / "tiny.zh.landscape.mp4"
    before = zh_video.stat().st_mtime_ns
    cached = set((tmp_path / "cache" / "segments").rglob("*.mp4"))
    sounds = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache" / "sound").rglob("*")}
    drawn = set((tmp_path / "cache" / "layers").glob("*/*"))
    assert len(drawn) == 6  # three scenes, two languages
    assert len([p for p in sounds if p.suffix == ".m4a"]) == 2  # one per language
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("en: The village gets its first lights",
                                  "en: The village gets its first lamps"), encoding="utf-8")
    settings = RenderSettings(out_root=tmp_path / "out", frame_size=(320, 180),
                              encoding=PREVIEW, cache_root=tmp_path / "cache")
    en = run_job(Job(story, "tiny", "en", "landscape"), settings)
    zh = run_job(Job(story, "tiny", "zh", "landscape"), settings)
    # Scene 2's text changed in English: its own segment (the wipe into it included),
    # nothing else: its text is gone before the cut to scene 3.
    assert en.segments_encoded == ("scene02",)
    assert en.segments_reused == ("scene01", "scene03")
    assert zh.segments_encoded == ()
    added = set((tmp_path / "cache" / "segments").rglob("*.mp4")) - cached
    assert len(added) == 1
    # The Chinese video came out the same and was not even touched.
    assert zh_video.stat().st_mtime_ns == before
    # Only scene 2 was drawn again, in English only.
    assert len(set((tmp_path / "cache" / "layers").glob("*/*")) - drawn) == 1
    # Nobody's speech changed: both soundtracks were reused as they were.
    assert {p: p.stat().st_mtime_ns
            for p in (tmp_path / "cache" / "sound").rglob("*")} == sounds


def test_a_narration_edit_draws_no_scene_and_the_other_language_no_captions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    story = copy_story(tmp_path)
    render(story, "zh", tmp_path)
    render(story, "en", tmp_path)
    drawn = set((tmp_path / "cache" / "layers").glob("*/*"))
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("en: In 2021, volunteers brought solar lamps",
                                  "en: In 2021, volunteers carried solar lamps"),
                     encoding="utf-8")
    # The real libass drawing, each call recorded (the ASS file, the cues drawn).
    from storyreel.render.captions import draw_captions

    calls: list[tuple[str, tuple[int, ...]]] = []

    def counted(ass: Path, *args: object) -> object:
        calls.append((ass.name, tuple(args[-1])))  # type: ignore[arg-type]
        return draw_captions(ass, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("storyreel.pipeline.render.draw_captions", counted)
    en = render(story, "en", tmp_path)
    zh = render(story, "zh", tmp_path)
    # The English speech changed: that scene's segment and more were encoded again,
    # with each cue drawn once; no scene was drawn again (narration is not drawn).
    assert "scene02" in en.segments_encoded
    cues = [k for _, only in calls for k in only]
    assert {name for name, _ in calls} == {"tiny.en.landscape.ass"}
    assert cues and len(cues) == len(set(cues))
    assert set((tmp_path / "cache" / "layers").glob("*/*")) == drawn
    # The Chinese video needed no segment, so libass drew nothing for it.
    assert zh.segments_encoded == ()


def test_a_final_render_after_a_draft_keeps_the_drafts_soundtrack(tmp_path: Path) -> None:
    story = copy_story(tmp_path)
    render(story, "en", tmp_path)  # a draft (PREVIEW encoding)
    sounds = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache" / "sound").rglob("*")}
    assert len([p for p in sounds if p.suffix == ".m4a"]) == 1
    final = run_job(Job(story, "tiny", "en", "landscape"), RenderSettings(
        out_root=tmp_path / "final", frame_size=(320, 180), cache_root=tmp_path / "cache"))
    assert final.status == "rendered", final.error
    # The final video's segments are its own (another quality), its soundtrack the same.
    assert final.segments_encoded == ("scene01", "scene02", "scene03")
    assert {p: p.stat().st_mtime_ns
            for p in (tmp_path / "cache" / "sound").rglob("*")} == sounds


def _ffmpegs(marker: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if "ffmpeg" in (proc.info["name"] or "") and marker in cmdline:
            found.append(proc)
    return found


def test_a_killed_render_leaves_no_ffmpeg_and_nothing_new(tmp_path: Path) -> None:
    story = copy_story(tmp_path)
    out = tmp_path / "out"
    env = {**os.environ, "STORYREEL_CACHE": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "storyreel", "render", str(story), "--lang", "en",
               "--size", "640x360", "--out", str(out)]
    subprocess.run(command, env=env, check=True, capture_output=True)
    folder = out / "tiny"
    published = {p.name: p.read_bytes() for p in folder.iterdir()}
    # An edit, then a render killed while ffmpeg encodes a segment.
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("This is a story about light.",
                                  "This is a story about lamps."), encoding="utf-8")
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not any("libx264" in " ".join(p.cmdline()) for p in _ffmpegs(str(tmp_path))):
        assert proc.poll() is None and time.monotonic() < deadline, "no encode was seen"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while _ffmpegs(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _ffmpegs(str(tmp_path)) == []  # ffmpeg died with its parent
    # Nothing new under a final name: the old set is exactly as it was.
    finals = {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}
    assert finals == published
    assert any(p.name.startswith(".staging.") for p in folder.iterdir())  # left behind
    # The next run finishes the job and cleans up after the killed one.
    subprocess.run(command, env=env, check=True, capture_output=True)
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []
    assert (folder / "tiny.en.srt").read_bytes() != published["tiny.en.srt"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [r["video"] for r in manifest["renders"]] == ["tiny.en.landscape.mp4"]


@pytest.mark.parametrize("preset", ["portrait"])
def test_a_shared_subtitle_file_rewritten_drops_the_stale_set(tmp_path: Path,
                                                              preset: str) -> None:
    """Two presets share ``tiny.en.srt``; after an edit only one is rendered again: the
    manifest lists only the set that matches its files."""
    from storyreel.package.outputs import StoryFiles, write_manifest

    story = copy_story(tmp_path)
    settings = RenderSettings(out_root=tmp_path / "out", frame_size=(320, 180),
                              encoding=PREVIEW, cache_root=tmp_path / "cache")
    for name in ("landscape", preset):
        assert run_job(Job(story, "tiny", "en", name), settings).status == "rendered"
    files = StoryFiles(tmp_path / "out", "tiny")
    assert len(write_manifest(files)["renders"]) == 2
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("Thank you.", "Thank you all."), encoding="utf-8")
    assert run_job(Job(story, "tiny", "en", "landscape"), settings).status == "rendered"
    assert [r["preset"] for r in write_manifest(files)["renders"]] == ["landscape"]


def test_segments_run_on_a_dask_executor(tmp_path: Path) -> None:
    """A job hands its segments to the executor it is given (here an in-process Dask
    cluster; on a real one, one video's segments spread over many machines)."""
    from distributed import Client, LocalCluster

    from probe import assert_contract, probe

    story = copy_story(tmp_path)
    settings = RenderSettings(out_root=tmp_path / "out", frame_size=(320, 180),
                              cache_root=tmp_path / "cache")
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,  # type: ignore[no-untyped-call]
                      dashboard_address=None) as cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        result = run_job(Job(story, "tiny", "en", "landscape"), settings,
                         executor=client.get_executor())
        assert result.status == "rendered", result.error
        assert len(result.segments_encoded) == 3
        stored = client.run(lambda: 1)  # the cluster did the work and is still there
        assert list(stored.values()) == [1]
    video = next(p for p in result.files if p.suffix == ".mp4")
    assert_contract(probe(video), 320, 180, seconds=12.0)


def test_a_render_reads_its_layers_as_planes_but_for_its_first_segment(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    tasks: list[SegmentTask] = []
    real = video.encode_segment

    def spy(task: SegmentTask) -> str:
        tasks.append(task)
        return real(task)

    monkeypatch.setattr(video, "encode_segment", spy)
    render(copy_story(tmp_path), "en", tmp_path)
    first, *rest = tasks
    # The first reads the PNGs (converting them would only delay the first encoder);
    # the others only planes, but for the captions' cues.
    assert all(planes_format(p) is None for p in first.inputs())
    assert rest
    for task in rest:
        inputs = task.inputs()
        assert all(planes_format(p) is not None or p.name.startswith("cue") for p in inputs)
        assert any(planes_format(p) is not None for p in inputs)


def test_the_camera_runs_at_the_lowest_priority_beside_its_encoder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The camera's frames are computed on threads at nice 19 while the segment's ffmpeg
    keeps the render's priority (the frames fill the core time x264 leaves idle)."""
    import threading

    from storyreel.render.mover import Move, frames

    seen: list[tuple[int, list[int]]] = []

    def watched(move: Move) -> Iterator[memoryview]:
        me = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        seen.append((me, [child.nice() for child in psutil.Process().children()
                          if "ffmpeg" in child.name()]))
        yield from frames(move)

    monkeypatch.setattr(video, "frames", watched)
    caller = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    result = render(copy_story(tmp_path), "en", tmp_path)
    assert result.status == "rendered", result.error
    assert seen  # the tiny story's camera moves
    for priority, encoders in seen:
        assert priority == 19
        assert encoders and set(encoders) == {caller}  # the segment's ffmpeg among them
