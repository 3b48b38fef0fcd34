"""One job on a Dask cluster of two single-thread workers: its segments spread over the
cluster (this code) against encoded one after another inside the job (``--before``).

    python benchmarks/cluster_segments.py [--size 640x360] [--story solar-lamps]
        [--lang en] [--rounds 1] [--before SRC] [--pin]

Each round starts a fresh ``dask scheduler`` and two ``dask worker --nthreads 1`` on
127.0.0.1 (fresh working folders, so no segment or speech cache is warm), renders the one
job with ``storyreel render --scheduler`` and prints its wall time, the job's own time
(``report.json``), its encode stage (segments, soundtrack, join: from the job's
``encode`` stage to its ``done`` as the client hears them) and how many segments each
worker encoded (the scheduler's task stream). ``SRC`` is the ``src`` folder of another
storyreel checkout (``git archive main src | tar -x -C /tmp/main`` gives
``/tmp/main/src``): its code runs the "before" rounds, in the scheduler, the workers and
the client alike. Rounds alternate before/after, as the
machine's load drifts.

Measured on the 2-core development machine, solar-lamps, en, landscape 640x360, 100 s
(9 segments), while other work kept the load at 8-16, so single runs vary by 2x:

    --pin (two one-core "machines"), the job's encode stage, before -> after:
      render of 7a5d4d9 (segments encoded after all scenes are drawn), load 9-16:
        34.2 / 39.8 s -> 33.4 / 34.2 / 31.1 s; segments side by side 1.82-1.89x
        (e.g. 38.6 s of encoding in 20.5 s), then 12.7 s after the last one
        (soundtrack, join, provenance, publishing)
      render of a062069 (scenes drawn as segments are encoded, soundtrack beside), load 9:
        16.5 / 14.3 s -> 18.4 / 13.2 s; segments side by side 1.85x / 1.95x (29.6 s of
        encoding in 16.0 s, 23.5 in 12.1), 0.4-1.7 s before the first, 0.7 s after
    no pinning (x264 in one segment already uses both cores): 14.0 / 15.0 s ->
        18.1 / 12.9 s (render of 7a5d4d9); no gain expected on one machine

The segments do run side by side on two workers (about 1.9x), but on this loaded machine
they took about twice as long on the workers as in the job (23.5-29.6 s of encoding
against a whole encode stage of 14.3-16.5 s in the job; the same 9 segments encoded
in-process, inputs copied and every plate converted again as a worker does, took 6.4 s
against 6.1 s: working from a scratch copy is not what costs). Measure on two real
machines before drawing conclusions about the speed-up.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DASK = Path(sys.executable).with_name("dask")


def _env(src: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYREEL_")}
    if src:
        env["PYTHONPATH"] = src
    return env


def _start(args: list[str], cwd: Path, env: dict[str, str],
           core: int | None = None) -> subprocess.Popen[bytes]:
    pin = ["taskset", "-c", str(core)] if core is not None else []
    with (cwd / "log.txt").open("wb") as log:
        return subprocess.Popen([*pin, str(DASK), *args], cwd=cwd, stdout=log,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)


def one_round(tmp: Path, src: str | None, size: str, story: str, lang: str,
              pin: bool) -> str:
    from distributed import Client

    env = _env(src)
    procs = []
    try:
        (tmp / "scheduler").mkdir()
        info = tmp / "scheduler" / "scheduler.json"
        procs.append(_start(["scheduler", "--host", "127.0.0.1", "--port", "0",
                             "--no-dashboard", "--scheduler-file", str(info)],
                            tmp / "scheduler", env))
        while not info.is_file():
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        for core, name in enumerate(("worker-a", "worker-b")):
            (tmp / name).mkdir()
            procs.append(_start(["worker", address, "--nthreads", "1", "--no-dashboard",
                                 "--name", name, "--local-directory", str(tmp / name)],
                                tmp / name, env, core if pin else None))
        with Client(address, timeout=30) as client:  # type: ignore[no-untyped-call]
            client.wait_for_workers(2, timeout=60)
            names = {a: w["name"] for a, w in client.scheduler_info()["workers"].items()}
            client.get_task_stream()
            started = time.time()
            heard: dict[str, float] = {}  # stage -> when the client first heard of it
            with subprocess.Popen(
                [sys.executable, "-m", "storyreel", "--project", str(ROOT), "render",
                 str(ROOT / "storyboards" / f"{story}.yaml"), "--lang", lang, "--preset",
                 "landscape", "--size", size, "--scheduler", address, "--out",
                 str(tmp / "out"), "--json"], env=env, stdout=subprocess.PIPE, text=True,
            ) as render:
                assert render.stdout is not None
                for line in render.stdout:
                    event = json.loads(line)
                    if event["event"] == "stage":
                        heard.setdefault(event["stage"], time.time())
            wall = time.time() - started
            stream = client.get_task_stream(start=started)
        report = json.loads((tmp / "out" / "report.json").read_text())
        [job] = report["jobs"]
        ours = [t for t in stream if str(t["key"]).startswith("storyreel-segment-")]
        segments = Counter(names[t["worker"]] for t in ours)
        where = ", ".join(f"{w}: {n}" for w, n in sorted(segments.items())) or "all in the job"
        computes = [s for t in ours for s in t["startstops"] if s["action"] == "compute"]
        if computes:  # how much of the segments' work ran side by side
            busy = sum(s["stop"] - s["start"] for s in computes)
            span = max(s["stop"] for s in computes) - min(s["start"] for s in computes)
            first = min(s["start"] for s in computes) - heard["encode"]
            last = heard["done"] - max(s["stop"] for s in computes)
            where += (f" ({busy:.1f} s of encoding in {span:.1f} s: {busy / span:.2f}x; "
                      f"{first:.1f} s before the first, {last:.1f} s after the last)")
        encode = heard["done"] - heard["encode"]
        return (f"wall {wall:5.1f} s, job {job['seconds']:5.1f} s ({job['status']}), of "
                f"which encode {encode:5.1f} s; segments {where}")
    finally:
        for proc in reversed(procs):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--story", default="solar-lamps")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--before", default=None, help="src folder of the code to compare")
    parser.add_argument("--pin", action="store_true",
                        help="each worker (and all it starts) on a core of its own, like two "
                             "one-core machines (taskset)")
    args = parser.parse_args()
    kinds = [("before", args.before), ("after", None)] if args.before else [("after", None)]
    print(f"{args.story} {args.lang} landscape {args.size}, one job, two single-thread "
          f"workers on {os.cpu_count()} cores" + (", one core each" if args.pin else ""))
    for _ in range(args.rounds):
        for kind, src in kinds:
            with tempfile.TemporaryDirectory(prefix="storyreel-bench-") as tmp:
                line = one_round(Path(tmp), src, args.size, args.story, args.lang, args.pin)
            print(f"{kind:6s}  {line}", flush=True)


if __name__ == "__main__":
    main()
