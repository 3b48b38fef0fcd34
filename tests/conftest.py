"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for CLI runs: a speech cache of the module's own."""
    return {"STORYREEL_CACHE": str(tmp_path_factory.mktemp("cache"))}
