"""Runtime-fault tests reuse the crawl helpers and fixture server of tests/crawler."""
from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
# The repository root too: with tests/ on the path, tests/normalise (a folder without __init__) would
# otherwise be imported as the `normalise` package under an editable install's import hook.
for path in (TESTS / "crawler", TESTS, TESTS.parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
