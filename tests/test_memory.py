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


WORDS = textwrap.dedent("""
    import json
    import psutil
    from storyreel.resources import keep_heap_lean, release_memory
    from storyreel.text.segment import add_words, release_words, word_spans
    keep_heap_lean()
    text = "志愿者在喀拉湖畔的村子里装上了太阳能灯"
    add_words(["喀拉湖畔"])  # a storyboard's name, kept whole
    before = word_spans(text)
    loaded = psutil.Process().memory_info().rss
    release_words()
    release_memory()
    released = psutil.Process().memory_info().rss
    print(json.dumps({"before": before, "after": word_spans(text),
                      "freed": (loaded - released) / 2**20}))
""")


def test_the_words_dictionary_goes_and_comes_back_with_the_names_added() -> None:
    done = subprocess.run([sys.executable, "-c", WORDS], capture_output=True, text=True,
                          check=True)
    found = json.loads(done.stdout)
    assert [4, 8] in found["before"]  # 喀拉湖畔 whole
    assert found["after"] == found["before"]  # loaded again, the name still whole
    assert found["freed"] >= 30  # jieba's dictionary: about 65 MiB
