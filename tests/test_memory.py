"""A job hands what its stages free back to the system (glibc's allocator, for real)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

SCENARIO = textwrap.dedent("""
    import json, sys
    import numpy as np
    import psutil
    from storyreel.resources import keep_heap_lean
    if sys.argv[1] == "lean":
        keep_heap_lean()
    first = np.ones(3_000_000, np.float32)  # 12 MB: glibc maps it on its own...
    del first  # ...and by default from now on serves smaller blocks from its heap
    blocks = [np.ones(1_000_000, np.float32) for _ in range(5)]  # 20 MB in 4 MB blocks
    before = psutil.Process().memory_info().rss
    del blocks
    after = psutil.Process().memory_info().rss
    print(json.dumps({"freed": (before - after) / 2**20}))
""")


def _freed(mode: str) -> float:
    done = subprocess.run([sys.executable, "-c", SCENARIO, mode], capture_output=True,
                          text=True, check=True)
    return float(json.loads(done.stdout)["freed"])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_freed_arrays_go_back_to_the_system() -> None:
    # By default the 20 MB stay in the heap (under its trim threshold, raised with the
    # 12 MB block); lean, each block had a mapping of its own, gone when freed.
    assert _freed("lean") >= 19
    assert _freed("default") < 5
