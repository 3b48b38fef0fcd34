"""Placement stability: how often a narration edit changes only its own scene and the sink.

    python benchmarks/placement.py [--stories 2000] [--src DIR]

* synthetic: random 9-scene stories (1-5 chunks of 1.2-5.5 s, 1-8 s of slack, 30 fps),
  one chunk of one scene (not the sink) spoken longer or shorter by an edit of each size;
  the share of edits after which every other scene has the same length, clips and
  captions (relative to its start), and how many scenes change on average;
* the samples: each scene of each sample storyboard edited as ``benchmarks/render.py``
  does (its last two words, or three characters, replaced), planned with the real voice
  (espeak, speech cache under a temporary folder): the scenes that changed besides the
  edited one and the sink, and whether the speaking rate changed.

``--src`` plans with another checkout's code (before/after); a checkout without the
sink counts every changed scene.
"""

from __future__ import annotations

import argparse
import importlib
import random
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def own(p: Any, j: int, fps: int) -> tuple[object, ...]:
    from storyreel.timeline.model import frame_to_ms

    span = p.scenes[j]
    start = frame_to_ms(span.start_frame, fps)
    return (span.frames,
            [(c.start_ms - start, c.duration_ms) for c in p.clips if c.scene == j],
            [(c.start_ms - start, c.end_ms - start) for c in p.cues if c.scene == j])


def synthetic(stories: int, low: int, high: int, seed: int) -> tuple[float, float]:
    """Share of edits that keep every other scene, and scenes changed per edit."""
    from storyreel.timeline.place import DEFAULT_PACING, Overrun, SpokenChunk, place
    from storyreel.timeline.place import scene_minimum_ms as minimum

    rng = random.Random(seed)
    kept = changed = tried = 0
    while tried < stories:
        spoken = [[SpokenChunk("Sentence." if rng.random() < 0.5 or c == n - 1 else "clause,",
                               ("x",), Path("a.wav"), rng.randint(1200, 5500))
                   for c in range(n)] for n in (rng.randint(1, 5) for _ in range(9))]
        needed = sum(minimum(s, i, 9, DEFAULT_PACING) for i, s in enumerate(spoken))
        target = -(-(needed + rng.randint(1000, 8000)) // 1000) * 1000
        before = place(spoken, target_ms=target, fps=30)
        sink = getattr(before, "sink", -1)
        k = rng.choice([i for i in range(9) if i != sink])
        index = rng.randrange(len(spoken[k]))
        delta = rng.randint(low, high) * rng.choice((-1, 1))
        if spoken[k][index].duration_ms + delta < 800:
            delta = -delta
        edited = [list(s) for s in spoken]
        edited[k][index] = replace(edited[k][index], duration_ms=spoken[k][index].duration_ms
                                   + delta)
        try:
            after = place(edited, target_ms=target, fps=30)
        except Overrun:
            continue
        tried += 1
        others = [j for j in range(9) if own(after, j, 30) != own(before, j, 30)
                  and j not in (k, sink)]
        kept += not others
        changed += len(others)
    return kept / tried, changed / tried


def planned(story: Path, lang: str, cache: Path, placed: list[Any]) -> tuple[Any, int]:
    """The Timeline of ``story`` in ``lang`` with the real voice, and its sink (-1 for
    code without one)."""
    from storyreel.pipeline.story import speaker
    from storyreel.presets import get_preset
    from storyreel.storyboard.load import load_storyboard
    from storyreel.timeline import plan as planning
    from storyreel.tts import get_engine

    board = load_storyboard(story)
    speak = speaker(board, lang, get_engine("espeak"), cache)
    timeline = planning.plan(board, lang, get_preset("landscape"), speak)
    return timeline, getattr(placed[-1], "sink", -1)


def samples() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    render = importlib.import_module("render")
    from storyreel.storyboard.load import load_storyboard
    from storyreel.timeline import plan as planning

    placed: list[Any] = []
    place = getattr(planning, "place")  # noqa: B009 (the planner's own import, spied on)

    def spy(*args: Any, **kwargs: Any) -> Any:
        result = place(*args, **kwargs)
        placed.append(result)
        return result

    setattr(planning, "place", spy)  # noqa: B010
    with tempfile.TemporaryDirectory(prefix="storyreel-place-") as tmp:
        work = render.make_project(Path(tmp) / "project")
        cache = Path(tmp) / "cache"
        total = kept = rates = 0
        for story in sorted((work / "storyboards").glob("*.yaml")):
            for lang in ("en", "zh"):
                count = len(load_storyboard(story).scenes)
                for scene in range(1, count + 1):
                    text = story.read_text(encoding="utf-8")

                    before, sink = planned(story, lang, cache, placed)
                    render.edit_narration(story, lang, scene)
                    after, sink_after = planned(story, lang, cache, placed)
                    story.write_text(text, encoding="utf-8")
                    others = [j + 1 for j in range(count)
                              if own(after, j, 30) != own(before, j, 30)
                              and j + 1 != scene and j not in (sink, sink_after)]
                    rate = "" if after.speech_rate == before.speech_rate else \
                        f", rate {before.speech_rate} -> {after.speech_rate}"
                    print(f"  {story.stem} {lang} scene {scene}: sink {sink + 1}, others "
                          f"changed: {others or 'none'}{rate}", flush=True)
                    total += 1
                    kept += not others
                    rates += bool(rate)
        print(f"samples: {kept}/{total} edits changed no other scene "
              f"({rates} changed the speaking rate)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--src", type=Path, default=None)
    parser.add_argument("--skip", default="", help="synthetic, samples")
    args = parser.parse_args()
    if args.src is not None:
        sys.path.insert(0, str(args.src.resolve()))
    skip = set(args.skip.split(","))
    if "synthetic" not in skip:
        print(f"synthetic: {args.stories} random stories per edit size")
        for low, high in ((200, 600), (200, 1500), (600, 1500), (1500, 3000)):
            share, changed = synthetic(args.stories, low, high, seed=low + high)
            print(f"  edits of {low / 1000:.1f}-{high / 1000:.1f} s: {share:.1%} change no "
                  f"other scene; {changed:.2f} other scenes change per edit", flush=True)
    if "samples" not in skip:
        samples()


if __name__ == "__main__":
    main()
