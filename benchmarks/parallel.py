"""Batch throughput: videos per hour at ``--jobs 1``, ``2`` and ``auto``.

    python benchmarks/parallel.py [--size 640x360] [--stories lusaka-water,solar-lamps]
                                  [--langs zh,en] [--jobs 1,2,auto]

Renders the samples (each 100 s long) at a small frame so the run stays modest, once per
``--jobs`` setting, each into a fresh output folder with a shared speech cache warmed
first (so every setting does the same work: draw, mix, encode). Prints wall seconds and
videos per hour for each, and the core count; ``auto`` is what
:func:`storyreel.project.auto_jobs` picks here. The question it answers: do two jobs at
once beat one job at a time whose ffmpeg uses every core? Timings on a shared machine
are noisy: compare the settings within one run.

Measured on the 2-core development machine (shared with other work):

    run 1, load ~2:   --jobs 1  76.4 s  189 videos/hour;  --jobs 2  59.6 s  242
    run 2, load ~10:  --jobs 1 155.4 s   93 videos/hour;  --jobs 2  91.1 s  158;
                      auto (= 2) 104.5 s 138

Two jobs at once win by 28-70 %: ffmpeg alone leaves cores idle (its start, the
Python stages before it, x264's threading on small frames), which a second job fills.
Hence ``auto`` = one job per core, at most four (memory: see RENDER-NOTES.md).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from storyreel.batch.job import RenderSettings
from storyreel.batch.runner import run_batch, select
from storyreel.layout import theme_for
from storyreel.pipeline.story import plan_narration
from storyreel.project import auto_jobs
from storyreel.storyboard.load import load_storyboard
from storyreel.tts import get_engine

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--stories", default="lusaka-water,solar-lamps")
    parser.add_argument("--langs", default="zh,en")
    parser.add_argument("--jobs", default="1,2,auto")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    paths = [ROOT / "storyboards" / f"{s}.yaml" for s in args.stories.split(",")]
    langs = args.langs.split(",")
    jobs = select(paths, langs, ["landscape"]).jobs
    cores = os.cpu_count() or 1
    print(f"{len(jobs)} jobs ({args.stories}; {args.langs}; landscape {args.size}, 100 s "
          f"each) on {cores} cores; auto = {auto_jobs(cores)}")
    with tempfile.TemporaryDirectory(prefix="storyreel-bench-") as tmp:
        cache = Path(tmp) / "cache"
        settings = RenderSettings(frame_size=(w, h), cache_root=cache)
        engine = get_engine("espeak")
        for job in jobs:  # warm the speech cache: every setting then does the same work
            board = load_storyboard(job.storyboard)
            plan_narration(board, job.lang, settings.preset(job.preset), theme_for(board),
                           engine, cache)
        print(f"{'--jobs':>8} {'workers':>8} {'seconds':>9} {'videos/hour':>12}")
        for name in args.jobs.split(","):
            workers = auto_jobs(cores) if name == "auto" else int(name)
            out = Path(tmp) / f"out-{name}"
            started = time.perf_counter()
            results = run_batch(jobs, RenderSettings(
                out_root=out, frame_size=(w, h), cache_root=cache), workers=workers)
            seconds = time.perf_counter() - started
            failed = [r.error for r in results if r.status != "rendered"]
            if failed:
                raise SystemExit(f"--jobs {name}: {failed[0]}")
            print(f"{name:>8} {workers:>8} {seconds:>9.1f} {len(jobs) * 3600 / seconds:>12.1f}",
                  flush=True)


if __name__ == "__main__":
    main()
