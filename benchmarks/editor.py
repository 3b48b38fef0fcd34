"""Editor tools benchmark: how long editors wait for check and previews.

    python benchmarks/editor.py [--copies 100] [--story storyboards/solar-lamps.yaml]

* ``check`` over COPIES storyboards (copies of the samples with their own ids, in a
  project of their own), as the command runs (a fresh process each time):
  cold (empty cache: speech synthesized), first check (speech cached, as after a render,
  nothing else remembered) and again (unchanged storyboards);
* one preview still (the command, and the library call alone);
* a contact sheet of the story; a ``--video`` preview of one scene.

Timings on a shared 2-core machine are noisy: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORYREEL = [sys.executable, "-m", "storyreel"]


def project(where: Path, copies: int) -> Path:
    """A project with ``copies`` storyboards copied round-robin from the samples."""
    boards = where / "storyboards"
    boards.mkdir(parents=True)
    shutil.copytree(ROOT / "storyboards" / "images", boards / "images")
    shutil.copy(ROOT / "lexicon.yaml", where / "lexicon.yaml")
    samples = sorted((ROOT / "storyboards").glob("*.yaml"))
    for k in range(copies):
        sample = samples[k % len(samples)]
        text = sample.read_text(encoding="utf-8")
        story_id = sample.stem
        text = text.replace(f"id: {story_id}\n", f"id: {story_id}-{k:03d}\n", 1)
        (boards / f"{story_id}-{k:03d}.yaml").write_text(text, encoding="utf-8")
    return where


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stdout}{done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--story", type=Path, default=ROOT / "storyboards" / "solar-lamps.yaml")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="storyreel-bench-") as tmp:
        work = project(Path(tmp) / "project", args.copies)
        cold = Path(tmp) / "cold-cache"
        env = {**os.environ, "STORYREEL_CACHE": str(cold)}
        check = [*STORYREEL, "check", "storyboards"]
        print(f"check {args.copies} storyboards, cold (nothing cached):    "
              f"{timed(check, work, env):6.2f} s")
        shutil.rmtree(cold / "check")
        print(f"check {args.copies} storyboards, first (speech cached):    "
              f"{timed(check, work, env):6.2f} s")
        print(f"check {args.copies} storyboards, again (nothing changed):  "
              f"{timed(check, work, env):6.2f} s")

        out = Path(tmp) / "preview"
        story = str(args.story)
        preview = [*STORYREEL, "preview", story, "--out", str(out)]
        timed([*preview, "--scene", "1"], ROOT, env)  # speech for the story, cached
        print(f"preview still, the command (scene 3):                "
              f"{timed([*preview, '--scene', '3'], ROOT, env):6.2f} s")
        sys.path.insert(0, str(ROOT / "src"))
        from storyreel.editor.preview import PreviewSettings, stills

        settings = PreviewSettings(out_dir=out, cache_root=cold)
        stills(args.story, [3], "zh", "landscape", settings)  # imports, fonts warm
        started = time.perf_counter()
        stills(args.story, [3], "zh", "landscape", settings)
        print(f"preview still, the library call alone:               "
              f"{time.perf_counter() - started:6.2f} s")
        print(f"contact sheet (every scene, captions):               "
              f"{timed([*preview, '--contact-sheet'], ROOT, env):6.2f} s")
        print(f"--video preview of scene 3 (640x360, narration):     "
              f"{timed([*preview, '--scene', '3', '--video'], ROOT, env):6.2f} s")


if __name__ == "__main__":
    main()
