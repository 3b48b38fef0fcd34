"""Provenance, the output manifest and checksums, review decisions and the publish kit,
on a real (tiny, small-frame) batch."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from storyreel.batch.job import RenderSettings
from storyreel.batch.runner import run_batch, select
from storyreel.errors import ReviewError
from storyreel.package.catalog import approval, decide, find_renders, read_review, refresh
from storyreel.package.platforms import load_platforms, measure
from storyreel.package.publish import publish
from storyreel.render.graph import PREVIEW


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project(tiny_project: Path, tmp_path: Path) -> Path:
    """A copy of the rendered project to change."""
    root = tmp_path / "project"
    shutil.copytree(tiny_project, root, ignore=shutil.ignore_patterns(".storyreel-cache"))
    return root


def test_every_render_records_its_provenance(tiny_project: Path) -> None:
    out = tiny_project / "output" / "tiny"
    metas = sorted(out.glob("tiny.*.*.json"))
    assert len(metas) == 6
    for path in metas:
        meta = json.loads(path.read_text(encoding="utf-8"))
        prov = meta["provenance"]
        names = {r["name"] for r in prov["outputs"]}
        assert {meta["video"], meta["cover"], meta["captions"],
                *meta["subtitles"].values()} == names
        for record in prov["outputs"]:
            file = out / record["name"]
            assert record["bytes"] == file.stat().st_size and record["sha256"] == _sha(file)
        assert prov["inputs"][0]["name"] == "storyboards/tiny.yaml"
        assert prov["inputs"][0]["sha256"] == _sha(tiny_project / "storyboards" / "tiny.yaml")
        assert any(i["name"] == "storyboards/images/river.jpg" for i in prov["inputs"])
        tools = prov["tools"]
        assert tools["ffmpeg"].startswith("ffmpeg version")
        assert tools["x264"].startswith("x264 - core ")
        assert tools["libass"].startswith("0x")
        assert tools["tts"]["engine"] == "espeak" and tools["tts"]["voice"]
        assert {f["name"] for f in tools["fonts"]} == {"Noto Sans CJK SC",
                                                        "Noto Sans CJK SC Bold"}
        assert all(len(f["sha256"]) == 64 for f in tools["fonts"])
        if meta["lang"] == "zh":  # the gallery's bilingual track, written through pysubs2
            vtt = out / meta["subtitles"]["zh-en.vtt"]
            assert vtt.read_text(encoding="utf-8").startswith("WEBVTT")


def test_sha256sums_are_accepted_by_sha256sum(tiny_project: Path) -> None:
    out = tiny_project / "output"
    run = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True,
                         text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    checked = [line.rsplit(":", 1)[0] for line in run.stdout.splitlines()]
    assert "tiny/tiny.zh.portrait.mp4" in checked and "manifest.csv" in checked
    assert len(checked) == sum(1 for p in out.rglob("*") if p.is_file()) - 1  # not itself


def test_manifest_has_one_row_per_video(tiny_project: Path) -> None:
    out = tiny_project / "output"
    with (out / "manifest.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    videos = sorted(p.relative_to(out).as_posix() for p in out.glob("tiny/*.mp4"))
    assert sorted(r["path"] for r in rows) == videos and len(rows) == 6
    platforms = load_platforms()
    for row in rows:
        assert row["sha256"] == _sha(out / row["path"])
        assert int(row["bytes"]) == (out / row["path"]).stat().st_size
        assert float(row["duration_s"]) == 12.0 and row["approval"] == "pending"
        assert row["platforms"].split() == [p.key for p in
                                           platforms.taking(row["lang"], row["preset"])]
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["videos"] == [
        {**r, "bytes": int(r["bytes"]), "duration_s": float(r["duration_s"])} for r in rows]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count("<video ") == 6 and "http://" not in html and "https://" not in html
    assert "api/review" not in html  # the static page has no buttons


def test_publish_takes_approved_renders_and_hard_links_them(project: Path) -> None:
    out = project / "output"
    platforms = load_platforms(project)
    assert publish(out, platforms, project=project) == []  # nothing approved yet
    decide(out, "tiny.zh.portrait", "approved", "Li Wei")
    done = publish(out, platforms, project=project)
    assert sorted(d.platform for d in done) == ["douyin", "wechat-channels", "xiaohongshu"]
    source = out / "tiny" / "tiny.zh.portrait.mp4"
    for d in done:
        video = d.folder / "tiny.zh.portrait.mp4"
        assert d.linked and os.path.samefile(video, source)  # a hard link, not a copy
        post = json.loads((d.folder / "post.json").read_text(encoding="utf-8"))
        assert post["title"] == "河边的灯" and post["story"] == "tiny"
        assert (d.folder / "post.txt").read_text(encoding="utf-8").startswith("[title]\n河边的灯")
        from PIL import Image

        with Image.open(d.folder / "cover.jpg") as cover:
            assert cover.size == platforms.get(d.platform).cover
    assert not any((out / "publish" / "youtube").iterdir())
    refresh(out, platforms)
    with (out / "manifest.csv").open(encoding="utf-8") as f:
        states = {r["path"]: r["approval"] for r in csv.DictReader(f)}
    assert states["tiny/tiny.zh.portrait.mp4"] == "approved"


def test_publish_all_fills_every_platform_within_its_limits(project: Path) -> None:
    out = project / "output"
    platforms = load_platforms(project)
    done = publish(out, platforms, every=True, project=project)
    refresh(out, platforms)
    for platform in platforms:
        folders = sorted((out / "publish" / platform.key).iterdir())
        assert [f.name for f in folders] == [f"tiny.{lang}" for lang in sorted(platform.langs)]
        for folder in folders:
            post = json.loads((folder / "post.json").read_text(encoding="utf-8"))
            assert measure(post["text"], platform.description.count) <= platform.description.max
            if platform.title is not None:
                assert measure(post["title"], platform.title.count) <= platform.title.max
            assert len(post["tags"]) <= platform.tags.max_items
            for kind in platform.subtitles:
                assert (folder / f"{folder.name}.{kind}").is_file()
    assert len(done) == sum(len(p.langs) for p in platforms)
    (out / "report.json").write_text("{}\n", encoding="utf-8")  # a later batch's report
    run = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=out,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_render_after_approval_needs_approving_again(project: Path) -> None:
    out = project / "output"
    platforms = load_platforms(project)
    with pytest.raises(ReviewError, match="needs a comment"):
        decide(out, "tiny.en.landscape", "changes", "Ana")
    decide(out, "tiny.en.landscape", "approved", "Ana")
    [render] = [r for r in find_renders(out) if r.key == "tiny.en.landscape"]
    assert approval(render, read_review(out)) == "approved"
    assert [d.platform for d in publish(out, platforms, project=project)] == [
        "youtube", "x", "linkedin", "website"]
    story = project / "storyboards" / "tiny.yaml"  # an edit, then a render of it
    story.write_text(story.read_text(encoding="utf-8").replace(
        "This is a story about light.", "This is a story about lamps."), encoding="utf-8")
    jobs = [j for j in select([story], ["en"], ["landscape"]).jobs]
    settings = RenderSettings(out_root=out, frame_size=(320, 180), encoding=PREVIEW,
                              cache_root=project / ".storyreel-cache")
    assert [r.status for r in run_batch(jobs, settings)] == ["rendered"]
    [render] = [r for r in find_renders(out) if r.key == "tiny.en.landscape"]
    assert approval(render, read_review(out)) == "stale"
    assert publish(out, platforms, project=project) == []  # it leaves the kit
    assert not (out / "publish" / "youtube" / "tiny.en").exists()
    decide(out, "tiny.en.landscape", "approved", "Ana", "lamps, not light: fine")
    assert approval(render, read_review(out)) == "approved"
    history = json.loads((out / "review.json").read_text(encoding="utf-8"))["history"]
    assert [h["fingerprint"] == render.fingerprint for h in history] == [False, True]


def test_the_batch_summary_names_platforms_a_video_does_not_suit(project: Path) -> None:
    (project / "platforms.yaml").write_text(
        "x:\n  max_seconds: 10\ntiktok:\n  max_bytes: 1000\n"
        "douyin:\n  title: {max: 2}\n", encoding="utf-8")
    story = project / "storyboards" / "tiny.yaml"
    jobs = select([story], ["zh", "en"], ["landscape", "portrait"]).jobs
    settings = RenderSettings(out_root=project / "output", frame_size=(320, 180),
                              encoding=PREVIEW, cache_root=project / ".storyreel-cache")
    results = run_batch(jobs, settings)
    assert {r.status for r in results} == {"skipped"}  # up to date: only the table changed
    warned = {r.job.label: [w for w in r.warnings if w.startswith("platform ")]
              for r in results}
    assert warned["tiny en landscape"] == [
        "platform x: 12 s is longer than the 10 s X takes"]
    [tiktok] = warned["tiny en portrait"]
    assert tiktok.startswith("platform tiktok: ") and "more than the 1000 TikTok takes" in tiktok
    [douyin] = warned["tiny zh portrait"]
    assert douyin.startswith("platform douyin (zh): the title cannot fit in 2")
    assert warned["tiny zh landscape"] == []


def test_the_review_server_takes_decisions_and_refuses_bad_ones(project: Path) -> None:
    import threading
    import urllib.error
    import urllib.request

    from storyreel.package.review import make_server

    out = project / "output"
    server = make_server(out, load_platforms(project), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"

    def post(body: dict[str, str]) -> tuple[int, dict[str, str]]:
        request = urllib.request.Request(base + "api/review", json.dumps(body).encode(),
                                         {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    try:
        assert server.server_address[0] == "127.0.0.1"  # loopback unless asked otherwise
        with urllib.request.urlopen(base, timeout=10) as response:
            page = response.read().decode("utf-8")
        assert page.count('data-action="approved"') == 6 and "https://" not in page
        with urllib.request.urlopen(base + "tiny/tiny.zh-en.vtt", timeout=10) as response:
            assert response.headers["Content-Type"].startswith("text/vtt")
            assert response.read().decode("utf-8").startswith("WEBVTT")
        assert post({"key": "tiny.zh.square", "status": "changes", "who": "Ana"}) == (
            400, {"error": "review: 'needs changes' needs a comment saying what to change"})
        assert post({"key": "nope.zh.square", "status": "approved", "who": "Ana"})[0] == 400
        assert not (out / "review.json").exists()
        status, data = post({"key": "tiny.zh.square", "status": "changes", "who": "Ana",
                             "comment": "the title is cut"})
        assert status == 200 and data["approval"] == "changes"
        assert read_review(out)["tiny.zh.square"]["comment"] == "the title is cut"
    finally:
        server.shutdown()
        server.server_close()
