"""Runtime-fault tests reuse the crawl helpers and fixture server of tests/crawler."""
from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS / "crawler") not in sys.path:
    sys.path.insert(0, str(TESTS / "crawler"))
