"""The crawl runner for the ingestion tests: tests/support/crawl.py, with this folder's defaults
(a source named "fixture", the local-site settings, seeds and store given per test)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from support.crawl import LOCAL_SITE, REPO, run, start
from support.crawl import crawl_command as _command
from support.crawl import crawl_env as _env

__all__ = ["LOCAL_SITE", "REPO", "crawl_command", "crawl_env", "run", "sqlite_count", "start"]


def crawl_command(source: str = "fixture", settings: dict | None = None) -> list[str]:
    return _command("-a", f"source={source}", settings={**LOCAL_SITE, **(settings or {})})


def crawl_env(seeds: Path, store_url: str, data_dir: Path, module: str = "settings.test", **extra: str) -> dict:
    return _env(data_dir, seeds=seeds, store_url=store_url, module=module, **extra)


def sqlite_count(path: Path, sql: str) -> int:
    """One number from a crawl's SQLite store, 0 before the file or its schema exists."""
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return db.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0
