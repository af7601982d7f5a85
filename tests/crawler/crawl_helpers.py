"""Helpers for the crawl tests: the crawl runner (crawler/testing/crawl.py), ports, store and feed reads."""
from __future__ import annotations

import json
import socket
import sqlite3
from pathlib import Path

from crawler.testing.crawl import REPO, CrawlRun, run_crawl

__all__ = ["REPO", "CrawlRun", "db_rows", "feed_records", "free_port", "run_crawl", "seed_toml"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def db_rows(db_path: Path, sql: str, args: tuple = ()) -> list[tuple]:
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def feed_records(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_toml(base: str, article_pattern: str, source_id: str = "fixture", **discovery: str) -> str:
    """A one-source seeds file for a local test server at `base` (English; `discovery` maps feeds /
    sitemaps / sections to one path each, e.g. feeds="/feed.rss")."""
    host = base.split("://", 1)[1].split(":", 1)[0]
    lines = [f'id = "{source_id}"', f'name = "{source_id} test source"', f'home = "{base}/"',
             f'allowed_domains = ["{host}"]', 'languages = ["en"]']
    lines += [f'{kind} = ["{base}{path}"]' for kind, path in discovery.items()]
    lines += [f"article_patterns = ['{article_pattern}']", "needs_network = false"]
    return "\n".join(lines) + "\n"
