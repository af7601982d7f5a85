"""Shared test configuration: paths to the repo and to ../shared (absent on a user's laptop)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from normalise.names.build.compiled import cache_dir

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

# The compiled names index (built by the set-up script) is found through the user's cache folder;
# tests that run the CLI or a crawl as a user with a HOME of their own would each rebuild it (about
# a minute). Name the folder explicitly, so every child process finds the one already built.
os.environ.setdefault("NEWS_INGEST_CACHE", str(cache_dir()))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip(f"{path} is absent: the real seed documents are only beside the project checkout")
    return path
