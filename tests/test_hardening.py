"""Hardening (issue 10), end to end through the CLI on tiny 320x180 stories:

* one bad story never stops a batch: an alias bomb, nesting 2,000 deep, a FIFO, /dev/zero
  and an emoji burnt in under Chinese each cost one line naming the file (and field),
  and the good stories in the same batch render; markup in narration reaches the
  project's subtitle files as text;
* environment faults are one line saying what and where, never "internal error": an
  output folder that is a file or under one, a cache that is a file, a read-only output
  folder or cache, a full disk while writing the cover (nothing left under its name),
  and a --size too large;
* two runs at once on the same output render each job once: the second waits for the
  first and then skips it.

The read-only and full-disk cases mount a small tmpfs (as root); where mounting is not
allowed they are skipped, saying so. The bad-input corpus (test_corpus.py) has the
per-file cases; this module has what needs a batch, a disk or a second process.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pysubs2
import pytest
import srt
import webvtt

from storyreel.batch.job import Job, RenderSettings, run_job
from storyreel.batch.lock import job_lock, lock_path
from storyreel.render.graph import PREVIEW

from clitools import invoke

STORY = """\
id: {id}
title: {{zh: 河边的灯, en: Lights by the River}}
target_seconds: {target}
scenes:
  - layout: title
    heading: {{zh: 河边的灯, en: Lights by the River}}
    narration: {{zh: {zh}, en: {en}}}
  - layout: end
    heading: {{zh: 谢谢观看, en: Thanks for watching}}
    narration: {{zh: 谢谢。, en: Thank you.}}
"""
SMALL = ["--size", "320x180", "--draft", "--preset", "landscape"]
FINAL = re.compile(r"\.(mp4|jpg|json|srt|vtt|ass)$")


def story(folder: Path, story_id: str, zh: str = "这是一个关于光的故事。",
          en: str = "This is a story about light.", target: int = 6) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{story_id}.yaml"
    path.write_text(STORY.format(id=story_id, target=target, zh=json.dumps(zh, ensure_ascii=False),
                                 en=json.dumps(en, ensure_ascii=False)), encoding="utf-8")
    return path


def error_lines(output: str) -> list[str]:
    return [line.removeprefix("error ") for line in output.splitlines()
            if line.startswith("error ")]


def final_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` but the batch's own report (``report.json``)."""
    if not folder.exists():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p != folder / "report.json")


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "project"
    (root / "storyboards").mkdir(parents=True)
    with contextlib.chdir(root):
        yield root


# --- one bad story never stops a batch ---------------------------------------------------

def test_bad_stories_cost_only_themselves(project: Path, env: dict[str, str]) -> None:
    boards = project / "storyboards"
    story(boards, "good")
    story(boards, "markup", zh="点击<b>这里</b>。\n\n00:00:05,000 --> 00:00:06,000\n{\\an8}顶部。",
          en="Press <b>here</b> <script>alert(1)</script>.\n\n2\n00:00:05,000 --> "
             "00:00:06,000\n{\\b1}Bold.", target=16)
    story(boards, "emoji", en="This is a story about light 🌍.")
    lines = ["id: bomb", "title: {zh: 灯, en: Lamp}", "target_seconds: 6", "theme_overrides:",
             "  junk:", "    a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"    {b}: &{b} [" + ", ".join([f"*{a}"] * 10) + "]"
              for a, b in zip("abcdefgh", "bcdefghi", strict=True)]
    (boards / "bomb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (boards / "deep.yaml").write_text(
        "id: deep\ntheme_overrides: {junk: " + "[" * 2000 + "]" * 2000 + "}\n",
        encoding="utf-8")
    os.mkfifo(project / "pipe.yaml")
    (boards / "zero.yaml").symlink_to("/dev/zero")  # found in the folder: reported too

    out = project / "out"
    result = invoke(["render", "storyboards", "pipe.yaml", "--lang", "zh",
                     "--bilingual", "--out", str(out), *SMALL], env)
    assert result.exit_code == 1, result.output
    errors = error_lines(result.output)
    assert sorted(errors) == sorted([
        "storyboards/bomb.yaml:10: theme_overrides.junk.e[3]: expands to more than 50,000 "
        "values (YAML aliases repeat what they name); a storyboard needs far fewer: write it "
        "out without the repetition",
        "storyboards/deep.yaml:2: theme_overrides.junk[0][0]: nested more than 24 levels "
        "deep; a storyboard needs a handful",
        "pipe.yaml: a named pipe (FIFO), not a storyboard file; name a .yaml file",
        "storyboards/zero.yaml: a device, not a storyboard file; name a .yaml file",
        "emoji zh landscape: storyboards/emoji.yaml: scene 1 (title) en narration: the font "
        "has no glyph for '🌍' (U+1F30D); replace or remove it (it would draw as a box)",
    ]), result.output
    assert "2 rendered, 0 skipped, 5 failed" in result.output
    # The good stories rendered; the bad ones left nothing under any name.
    assert (out / "good").is_dir() and (out / "markup").is_dir()
    assert not [p for p in out.iterdir() if p.name in ("bomb", "deep", "emoji", "pipe", "zero")]
    for story_id in ("good", "markup"):
        names = {p.name for p in final_files(out / story_id)}
        assert {f"{story_id}.zh.landscape.mp4", f"{story_id}.zh.landscape.jpg",
                f"{story_id}.zh.srt", f"{story_id}.zh-en.srt", "manifest.json"} <= names
        assert not [n for n in names if n.startswith(".")]

    # The markup story's subtitle files carry its text: as many cues as planned, read
    # back by three parsers, with no tag, brace or timing line of the narration in them.
    folder = out / "markup"
    meta = json.loads((folder / "markup.zh.landscape.json").read_text(encoding="utf-8"))
    for name in ("markup.zh.srt", "markup.zh.vtt", "markup.zh-en.srt",
                 "markup.zh.landscape.ass"):
        text = (folder / name).read_text(encoding="utf-8")
        counts = {len(pysubs2.SSAFile.from_string(text))}
        if name.endswith(".srt"):
            counts.add(len(list(srt.parse(text))))
        if name.endswith(".vtt"):
            counts.add(len(webvtt.from_string(text).captions))
        if name in ("markup.zh.srt", "markup.zh.vtt"):  # bilingual ones may split cues
            assert counts == {meta["cues"]}, name
        assert len(counts) == 1, name
        body = text.split("[Events]")[-1] if name.endswith(".ass") else text
        assert "<" not in body and "-->" not in body.replace(" --> ", "")
        assert "＜b＞" in body


# --- environment faults --------------------------------------------------------------------

def run_tiny(project: Path, env: dict[str, str], out: Path) -> tuple[int, list[str], str]:
    story(project / "storyboards", "good")
    result = invoke(["render", "storyboards/good.yaml", "--lang", "en", "--out", str(out),
                     *SMALL], env)
    assert "internal error" not in result.output
    return result.exit_code, error_lines(result.output), result.output


def test_an_output_folder_that_is_a_file(project: Path, env: dict[str, str]) -> None:
    blocker = project / "taken"
    blocker.write_text("a file\n", encoding="utf-8")
    code, errors, _ = run_tiny(project, env, blocker)
    assert code == 1
    assert errors == [f"output folder {blocker}: is a file, not a folder; choose another --out"]
    code, errors, _ = run_tiny(project, env, blocker / "sub")
    assert code == 1
    assert errors == [f"output folder {blocker / 'sub'}: cannot be made: {blocker} is a file, "
                      "not a folder; choose another --out"]
    assert blocker.read_text(encoding="utf-8") == "a file\n"


def test_a_cache_that_is_a_file(project: Path, env: dict[str, str]) -> None:
    blocker = project / "cache-file"
    blocker.write_text("", encoding="utf-8")
    code, errors, _ = run_tiny(project, {**env, "STORYREEL_CACHE": str(blocker)}, project / "o")
    assert code == 1
    line = f"cache {blocker}: is a file, not a folder; set STORYREEL_CACHE to a writable folder"
    assert errors == [line]
    assert final_files(project / "o") == []
    checked = invoke(["check", "storyboards/good.yaml"], {**env, "STORYREEL_CACHE": str(blocker)})
    assert checked.exit_code == 1
    assert error_lines(checked.output) == [line]


def test_size_has_an_upper_bound(project: Path, env: dict[str, str]) -> None:
    story(project / "storyboards", "good")
    result = invoke(["render", "storyboards/good.yaml", "--size", "99998x99998",
                     "--out", "o"], env)
    assert result.exit_code == 2
    assert "99998x99998 is larger than 3840 px on a side" in result.output
    assert not (project / "o").exists()


@contextlib.contextmanager
def tmpfs(where: Path, options: str) -> Iterator[Path]:
    """A tmpfs mounted at ``where`` (skips the test where mounting is not allowed)."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                             capture_output=True, text=True, check=False) \
        if shutil.which("mount") else None
    if mounted is None or mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root and mount privileges): "
                    + (mounted.stderr.strip() if mounted else "no mount command"))
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_read_only_output_folder_or_cache(project: Path, env: dict[str, str]) -> None:
    with tmpfs(project / "ro", "ro,size=64k") as ro:
        code, errors, _ = run_tiny(project, env, ro / "out")
        assert code == 1
        assert errors == [f"output folder {ro / 'out'}: is on a read-only file system; "
                          "choose another --out"]
        code, errors, _ = run_tiny(project, {**env, "STORYREEL_CACHE": str(ro / "cache")},
                                   project / "o")
        assert code == 1
        assert errors == [f"cache {ro / 'cache'}: is on a read-only file system; set "
                          "STORYREEL_CACHE to a writable folder"]
        assert final_files(project / "o") == []


def test_a_full_disk_while_writing_the_cover(project: Path, env: dict[str, str]) -> None:
    with tmpfs(project / "disk", "size=1m") as disk:
        # Room for the small subtitle files (a page each), not for the cover.
        free = shutil.disk_usage(disk).free
        (disk / "filler").write_bytes(b"\0" * (free - 5 * os.sysconf("SC_PAGE_SIZE")))
        code, errors, output = run_tiny(project, env, disk / "out")
        assert code == 1
        cover = disk / "out" / "good" / "good.en.landscape.jpg"
        assert len(errors) == 1, output
        assert errors[0] == (f"good en landscape: {cover} (in the output folder): no space "
                             "left on the device; nothing was left under this name; free "
                             "some space or choose another --out")
        # Nothing half-written, and nothing of the failed job under a final name: not
        # the cover, nor the subtitle files written before it.
        assert final_files(disk / "out") == []


# --- two runs at once ------------------------------------------------------------------------

def storyreel(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "storyreel", *args], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, **env})


def summary(output: str) -> tuple[int, int, int]:
    found = re.search(r"(\d+) rendered, (\d+) skipped, (\d+) failed", output)
    assert found, output
    rendered, skipped, failed = (int(g) for g in found.groups())
    return rendered, skipped, failed


def test_two_runs_at_once_render_each_job_once(project: Path, env: dict[str, str]) -> None:
    story(project / "storyboards", "good")
    args = ["render", "storyboards/good.yaml", "--lang", "zh,en", "--out", "out", *SMALL]
    runs = [storyreel(*args, env=env), storyreel(*args, env=env)]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    counts = [summary(o) for o in outputs]
    assert sum(c[0] for c in counts) == 2 and sum(c[1] for c in counts) == 2, outputs
    assert not list((project / "out").glob(".*")), "a lock file was left behind"


def _holds(pid: int, path: Path) -> bool:
    """Whether process ``pid`` has ``path`` open."""
    fds = Path(f"/proc/{pid}/fd")
    with contextlib.suppress(OSError):
        return any(os.path.realpath(fd) == str(path) for fd in fds.iterdir())
    return False


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_a_run_waits_for_the_job_another_run_is_rendering(
    project: Path, env: dict[str, str],
) -> None:
    """This process renders the job holding its lock; a second, real run started
    meanwhile waits on the lock (seen in /proc), then finds the job done and skips it."""
    path = story(project / "storyboards", "good")
    out = (project / "out").resolve()
    lock = lock_path(out, "good", "en")
    settings = RenderSettings(out_root=out, frame_size=(320, 180), encoding=PREVIEW,
                              cache_root=Path(env["STORYREEL_CACHE"]))
    with job_lock(lock) as waited:
        assert not waited
        other = storyreel("render", "storyboards/good.yaml", "--lang", "en", "--out", str(out),
                          *SMALL, env=env)
        for _ in range(6000):  # until it waits on the lock (or ends: then it did not)
            if _holds(other.pid, lock) or other.poll() is not None:
                break
            time.sleep(0.05)
        assert other.poll() is None, other.communicate()[0]
        result = run_job(Job(path, "good", "en", "landscape"), settings)
        assert result.status == "rendered"
        video = out / "good" / "good.en.landscape.mp4"
        before = video.stat().st_mtime_ns
    output = other.communicate(timeout=600)[0]
    assert other.returncode == 0, output
    assert summary(output) == (0, 1, 0), output
    assert video.stat().st_mtime_ns == before
    assert not lock.exists()


def test_preview_checks_the_english_it_burns_in_too(project: Path, env: dict[str, str]) -> None:
    path = story(project / "storyboards", "emoji", en="This is a story about light 🌍.")
    result = invoke(["preview", str(path), "--lang", "zh", "--bilingual", "--out", "stills"],
                    env)
    assert result.exit_code == 1
    assert error_lines(result.output) == [
        f"{path}: scene 1 (title) en narration: the font has no glyph for '🌍' (U+1F30D); "
        "replace or remove it (it would draw as a box)"]
    assert final_files(project / "stills") == []
    plain = invoke(["preview", str(path), "--lang", "zh", "--out", "stills"], env)
    assert plain.exit_code == 0, plain.output  # without --bilingual no English is drawn


def test_preview_into_a_folder_under_a_file(project: Path, env: dict[str, str]) -> None:
    path = story(project / "storyboards", "good")
    blocker = project / "taken"
    blocker.write_text("", encoding="utf-8")
    result = invoke(["preview", str(path), "--scene", "1", "--out", str(blocker / "x")], env)
    assert result.exit_code == 1
    assert error_lines(result.output) == [
        f"{blocker / 'x' / 'good.zh.landscape.scene01.png'}: cannot be made: {blocker} is a "
        "file, not a folder"]


def test_a_failed_claim_removes_only_what_its_story_and_language_gained(tmp_path: Path) -> None:
    from storyreel.batch.lock import claim

    folder = tmp_path / "out" / "s"
    folder.mkdir(parents=True)
    (folder / "s.zh.srt").write_text("old")  # there before: kept, even if rewritten
    with pytest.raises(RuntimeError), claim(tmp_path / "out", "s", "zh") as waited:
        assert not waited
        (folder / "s.zh.srt").write_text("new")
        for name in ("s.zh.vtt", "s.zh-en.srt", "s.zh.landscape.ass", "s.en.srt"):
            (folder / name).write_text("x")
        raise RuntimeError("the job failed")
    assert sorted(p.name for p in folder.iterdir()) == ["s.en.srt", "s.zh.srt"]
    with claim(tmp_path / "out", "s", "zh"):  # a job that succeeds keeps what it wrote
        (folder / "s.zh.vtt").write_text("x")
    assert (folder / "s.zh.vtt").exists()
    assert not list((tmp_path / "out").glob(".*"))  # no lock file left
