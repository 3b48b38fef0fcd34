"""Start-up time of the command line: ``storyreel --help`` and ``--version``.

    python benchmarks/startup.py [--runs 7] [--src OTHER_CHECKOUT/src]

Runs ``python -m storyreel ARGS`` in fresh processes and prints the best and the median
wall time of each (the target is 0.3 s for ``--help``); ``--src`` times another
checkout's code with this interpreter (e.g. main's, to compare). A loaded machine
shows in the median, less in the best.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time


def timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "storyreel", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--src", default=None, help="a checkout's src/ to time instead")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = args.src
    timed(["--version"], env)  # warm the file cache
    print(f"{'command':<28} {'best s':>7} {'median s':>9}")
    for command in (["--help"], ["--version"], ["render", "--help"]):
        times = [timed(command, env) for _ in range(args.runs)]
        label = "storyreel " + " ".join(command)
        print(f"{label:<28} {min(times):>7.3f} {statistics.median(times):>9.3f}")


if __name__ == "__main__":
    main()
