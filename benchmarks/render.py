"""Render benchmark: one sample story, full size, 100 s, per preset, against the x264 floor.

    python benchmarks/render.py [--story storyboards/solar-lamps.yaml] [--lang en]
                                [--presets landscape,portrait,square]

Each render runs in a fresh process so its peak memory (the Python process and, apart,
its largest ffmpeg child) is its own. The floor is x264 re-encoding the finished video
with the same settings: what encoding that content costs at least. Timings on a shared
2-core machine are noisy: compare the ratios within one run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def child(story: Path, lang: str, preset: str, out: Path, cache: Path) -> None:
    """Render one job here and print its figures as JSON."""
    from storyreel.batch.job import Job, RenderSettings, run_job
    from storyreel.storyboard.load import load_storyboard

    board = load_storyboard(story)
    stages: dict[str, float] = {}
    current, since = "load", time.perf_counter()

    def progress(stage: str, done: float) -> None:
        nonlocal current, since
        if stage != current:
            now = time.perf_counter()
            stages[current] = stages.get(current, 0.0) + now - since
            current, since = stage, now

    started = time.perf_counter()
    result = run_job(Job(story, board.id, lang, preset),
                     RenderSettings(out_root=out, cache_root=cache, force=True), progress)
    wall = time.perf_counter() - started
    if result.status != "rendered":
        raise SystemExit(f"render failed: {result.error}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    video = next(p for p in result.files if p.suffix == ".mp4")
    print(json.dumps({"wall": wall, "python_mib": own, "ffmpeg_mib": kids,
                      "video": str(video), "seconds": board.target_seconds,
                      "stages": stages}))


def floor(video: Path) -> float:
    """Seconds x264 needs to re-encode ``video`` with the render's own settings."""
    from storyreel.render.graph import Encoding
    from storyreel.resources import ffmpeg_exe

    opts = Encoding().output_args(30)
    video_opts = [x for k, v in opts.items() if not k.endswith(":a") and k not in ("ar", "ac")
                  for x in (f"-{k}", str(v))]
    started = time.perf_counter()
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(video), *video_opts, "-an",
                    "-f", "null", "-"], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--story", type=Path, default=ROOT / "storyboards" / "solar-lamps.yaml")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--presets", default="landscape,portrait,square")
    parser.add_argument("--child", nargs=4, metavar=("PRESET", "OUT", "CACHE", "LANG"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        preset, out, cache, lang = args.child
        child(args.story, lang, preset, Path(out), Path(cache))
        return

    print(f"story {args.story.name}, {args.lang}; 2-core figures are noisy, read the ratios")
    header = (f"{'preset':<10} {'render s':>9} {'x realtime':>10} {'x264 floor s':>13} "
              f"{'render/floor':>13} {'python MiB':>11} {'ffmpeg MiB':>11}  stages (s)")
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        for preset in args.presets.split(","):
            proc = subprocess.run(
                [sys.executable, __file__, "--story", str(args.story), "--child", preset,
                 str(Path(tmp) / "out"), str(cache), args.lang],
                capture_output=True, text=True, check=False,
            )
            if proc.returncode != 0:
                print(f"{preset:<10} failed: {proc.stderr.strip().splitlines()[-1:]}")
                continue
            fig: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
            floor_s = floor(Path(fig["video"]))
            stages = ", ".join(f"{k} {v:.1f}" for k, v in fig["stages"].items())
            print(f"{preset:<10} {fig['wall']:>9.1f} {fig['seconds'] / fig['wall']:>10.2f} "
                  f"{floor_s:>13.1f} {fig['wall'] / floor_s:>13.2f} "
                  f"{fig['python_mib']:>11.0f} {fig['ffmpeg_mib']:>11.0f}  {stages}")


if __name__ == "__main__":
    main()
