"""The review gallery in a real browser: ``storyreel review`` on a rendered tiny batch,
Debian's Chromium driven headless by Playwright (the README's test command installs
Chromium when it is missing; this test never skips)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Route, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = Path(__file__).resolve().parent.parent / "output" / "review-gallery.png"


def _storyreel(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", "from storyreel.cli import run; run()",
                             *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


@pytest.fixture
def served(tiny_project: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A copy of the rendered project, its output served by ``storyreel review``."""
    root = tmp_path / "project"
    shutil.copytree(tiny_project, root, ignore=shutil.ignore_patterns(".storyreel-cache"))
    server = _storyreel("review", "--out", "output", "--port", "0", cwd=root)
    try:
        assert server.stderr is not None
        line = server.stderr.readline()  # "reviewing output at http://127.0.0.1:PORT/ …"
        assert " at http://127.0.0.1:" in line, line + server.stderr.read()
        url = line.split(" at ", 1)[1].split()[0]
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "storyreel review did not answer"
                time.sleep(0.2)
        yield root, url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_reviewers_watch_every_video_with_subtitles_and_approve_one(
        served: tuple[Path, str], tmp_path: Path) -> None:
    root, url = served
    outside: list[str] = []

    def local_only(route: Route) -> None:
        if route.request.url.startswith(url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1440, "height": 900})
        try:
            page = browser.new_page()
            page.route("**/*", local_only)
            page.goto(url)
            assert page.locator("article.card").count() == 6
            # Every video loads its metadata, and is exactly as long as it was rendered.
            page.wait_for_function("""() => [...document.querySelectorAll('video')]
                .every(v => v.readyState >= 1)""", timeout=60_000)
            lengths = page.evaluate("""() => [...document.querySelectorAll('video')]
                .map(v => [Number(v.closest('.card').dataset.durationMs), v.duration])""")
            assert len(lengths) == 6
            for expected_ms, seconds in lengths:
                assert expected_ms == 12_000 and abs(seconds - 12.0) < 0.05, lengths
            # Each has its subtitle tracks, selectable, and every track has cues.
            labels = page.evaluate("""() => [...document.querySelectorAll('video')].map(v =>
                [...v.textTracks].map(t => { t.mode = 'hidden'; return t.label; }))""")
            assert all(set(ls) == {"中文", "English", "中文 + English"} for ls in labels), labels
            page.wait_for_function("""() => [...document.querySelectorAll('video')]
                .every(v => [...v.textTracks].every(t => t.cues && t.cues.length > 0))""",
                                   timeout=30_000)
            cues = page.evaluate("""() => [...document.querySelectorAll('video')]
                .map(v => [...v.textTracks].map(t => t.cues.length))""")
            assert all(n >= 2 for per_video in cues for n in per_video), cues
            # Approve one: the decision reaches review.json.
            card = page.locator('article[data-key="tiny.zh.portrait"]')
            card.locator("input[name=who]").fill("Test Reviewer")
            card.locator("button[data-action=approved]").click()
            card.locator(".badge.approved").wait_for(timeout=15_000)
            page.reload()
            page.wait_for_function("""() => [...document.querySelectorAll('video')]
                .every(v => v.readyState >= 1)""", timeout=60_000)
            page.locator('article[data-key="tiny.zh.portrait"] details').first.evaluate(
                "d => d.open = true")
            # Chinese is drawn with the shipped font, from the output folder itself.
            faces = page.evaluate("""async () => [
                (await document.fonts.load('400 14px "Storyreel CJK"', '河边的灯')).length,
                (await document.fonts.load('700 20px "Storyreel CJK"', '河边的灯')).length]""")
            assert faces == [1, 1], faces
            page.wait_for_timeout(500)  # let the page repaint with them before the picture
            page.evaluate("window.scrollTo(0, 0)")
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert outside == []  # nothing was asked of the internet
    decision = json.loads((root / "output" / "review.json").read_text(encoding="utf-8"))[
        "decisions"]["tiny.zh.portrait"]
    assert decision["status"] == "approved" and decision["who"] == "Test Reviewer"
    meta = json.loads((root / "output" / "tiny" / "tiny.zh.portrait.json").read_text(
        encoding="utf-8"))
    assert decision["fingerprint"] == meta["fingerprint"]
    # Then publish takes that video, and only it.
    run = _storyreel("publish", "--out", "output", cwd=root)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    published = sorted(p.relative_to(root / "output" / "publish").as_posix()
                       for p in (root / "output" / "publish").rglob("*.mp4"))
    assert published == [f"{key}/tiny.zh/tiny.zh.portrait.mp4"
                         for key in ("douyin", "wechat-channels", "xiaohongshu")]
