"""Run the real `scrapy crawl news` in a subprocess (Twisted's reactor cannot restart in-process)."""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass
class CrawlRun:
    returncode: int
    stdout: str
    stderr: str


def run_crawl(data_dir: Path, *args: str, settings_module: str | None = "settings.test",
              seeds_dir: Path | None = None, settings: dict | None = None, timeout: int = 300,
              env_extra: dict | None = None) -> CrawlRun:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWS_", "SCRAPY_"))}
    env.update(env_extra or {})
    env["NEWS_DATA_DIR"] = str(data_dir)
    if settings_module:
        env["SCRAPY_SETTINGS_MODULE"] = settings_module
    if seeds_dir:
        env["NEWS_SEEDS_DIR"] = str(seeds_dir)
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", *args]
    for key, value in (settings or {}).items():
        cmd += ["-s", f"{key}={value}"]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    return CrawlRun(proc.returncode, proc.stdout, proc.stderr)


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
