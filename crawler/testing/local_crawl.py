"""The crawl runner (`crawl`) with the local test site's defaults: a source named "fixture", the
local-site settings, seeds and store given per run."""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crawler.testing.crawl import LOCAL_SITE, REPO, run, start
from crawler.testing.crawl import crawl_command as _command
from crawler.testing.crawl import crawl_env as _env

__all__ = ["LOCAL_SITE", "REPO", "crawl_command", "crawl_env", "run", "sqlite_count", "start", "wait_for"]


def crawl_command(source: str = "fixture", settings: dict | None = None) -> list[str]:
    return _command("-a", f"source={source}", settings={**LOCAL_SITE, **(settings or {})})


def crawl_env(seeds: Path, store_url: str, data_dir: Path, module: str = "settings.test", **extra: str) -> dict:
    return _env(data_dir, seeds=seeds, store_url=store_url, module=module, **extra)


def sqlite_count(path: Path, sql: str) -> int:
    """One number from a crawl's SQLite store (read-only, while the crawl writes), 0 before the file
    or its schema exists."""
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            return db.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def wait_for(predicate: Callable[[], Any], timeout: float = 120, what: str = "condition") -> None:
    """Poll `predicate` every 0.1 s; TimeoutError naming `what` when it stays false."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise TimeoutError(f"timed out waiting for {what}")
