"""Pick the store from one URL: `sqlite:///path/to/file.sqlite` or `postgresql://user@host/db`.

The URL comes from the environment variable NEWS_STORE_URL (wins, so one deployment can be
pointed elsewhere without a settings change), else the Scrapy setting NEWS_STORE_URL, else
the SQLite file of setting NEWS_SQLITE_PATH, else crawler/defaults.py. PostgreSQL's retry
policy is read the same way: NEWS_STORE_RETRIES and NEWS_STORE_RETRY_BACKOFF, environment
first. This is the only place the store's configuration is read: the stores take arguments.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from crawler import defaults
from crawler.storage.errors import StoreConfigError, StoreUnavailable

if TYPE_CHECKING:
    from crawler.storage.base import Store


def parse_store_url(url: str) -> tuple[str, str]:
    """("sqlite", file path) or ("postgresql", libpq DSN); a bare path means SQLite."""
    url = (url or "").strip()
    if not url:
        raise StoreConfigError("empty store URL: use sqlite:///PATH or postgresql://USER@HOST/DB")
    if "://" not in url:
        return "sqlite", url
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if not path:
            raise StoreConfigError("sqlite store URL needs a file path: sqlite:///data/news.sqlite")
        # sqlite:////abs/path keeps its leading slash; sqlite:///rel/path is relative to the cwd
        return "sqlite", path
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql", url
    raise StoreConfigError(f"unsupported store URL {url[:40]!r}: use sqlite:///PATH or postgresql://USER@HOST/DB")


def _setting(settings: Any, name: str) -> Any:
    return os.environ.get(name) or (settings.get(name) if settings is not None else None)


def retry_options(settings: Any = None) -> dict[str, Any]:
    """PostgreSQL's retry policy: environment, else settings, else crawler/defaults.py."""
    attempts = _setting(settings, "NEWS_STORE_RETRIES")
    backoff = _setting(settings, "NEWS_STORE_RETRY_BACKOFF")
    try:
        return {"attempts": defaults.NEWS_STORE_RETRIES if attempts in (None, "") else int(attempts),
                "backoff": defaults.NEWS_STORE_RETRY_BACKOFF if backoff in (None, "") else float(backoff)}
    except ValueError as exc:
        raise StoreConfigError(f"NEWS_STORE_RETRIES / NEWS_STORE_RETRY_BACKOFF must be numbers: {exc}") from None


def store_url_from_settings(settings=None) -> str:
    env = os.environ.get("NEWS_STORE_URL")
    if env:
        return env
    if settings is not None:
        if settings.get("NEWS_STORE_URL"):
            return settings.get("NEWS_STORE_URL")
        path = settings.get("NEWS_SQLITE_PATH") or settings.get("NEWS_DB_PATH")
        if path:
            return f"sqlite:///{path}"
    return defaults.NEWS_STORE_URL


def open_store(url: str, *, connect: bool = True, **options: Any) -> Store:
    """The store for `url` (schema created if missing). connect=False defers PostgreSQL's
    first connection to first use, so a crawl reports an unreachable server through the
    store guard (clear error, finish_reason store_unavailable) instead of failing to start."""
    kind, target = parse_store_url(url)
    if kind == "postgresql":
        from crawler.storage.postgres import PostgresStore

        store = PostgresStore(target, **options)
        return store.open() if connect else store
    import sqlite3

    from crawler.storage.sqlite import SQLiteStore  # the embedded default

    try:
        return SQLiteStore(target)
    except (sqlite3.Error, OSError) as exc:  # a directory, an unwritable or missing parent, not a database
        raise StoreUnavailable(f"cannot open the SQLite store {target}: {exc}") from exc


def store_from_settings(settings: Any = None, *, connect: bool = True) -> Store:
    """The store a crawl, an export or a scheduler run should use."""
    url = store_url_from_settings(settings)
    if parse_store_url(url)[0] == "postgresql":
        return open_store(url, connect=connect, **retry_options(settings))
    return open_store(url, connect=connect)
