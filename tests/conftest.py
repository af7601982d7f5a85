"""Shared test configuration: paths to the repo and to ../shared (absent on a user's laptop)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# tests/support (servers, crawl runner, Argos package builder) is imported as `support`: a
# site-packages "tests" package can shadow this folder's name, so the folder itself goes on the path.
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip(f"{path} is absent: the real seed documents are only beside the project checkout")
    return path
