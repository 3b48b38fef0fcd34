"""Fixtures shared by the test modules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for CLI runs: a speech cache of the module's own."""
    return {"STORYREEL_CACHE": str(tmp_path_factory.mktemp("cache"))}


@pytest.fixture(scope="session")
def tiny_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the tiny story in storyboards/, rendered small and fast in zh and en
    in every preset into output/ (shared: tests that change it work on a copy)."""
    from storyreel.batch.job import RenderSettings
    from storyreel.batch.runner import run_batch, select
    from storyreel.render.graph import PREVIEW

    root = tmp_path_factory.mktemp("project")
    shutil.copytree(Path(__file__).parent / "data" / "tiny", root / "storyboards")
    jobs = select([root / "storyboards" / "tiny.yaml"], ["zh", "en"],
                  ["landscape", "portrait", "square"]).jobs
    settings = RenderSettings(out_root=root / "output", frame_size=(320, 180),
                              encoding=PREVIEW, cache_root=root / ".storyreel-cache")
    results = run_batch(jobs, settings)
    assert all(r.status == "rendered" for r in results), [r.error for r in results]
    return root
