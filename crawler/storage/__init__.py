"""Stores for pages and records. `open_store(url)` picks one from NEWS_STORE_URL."""
from __future__ import annotations

from crawler.storage.base import FetchState, PageToStore, SaveOutcome, Store, StoreCounts, StoredPage


class StoreConfigError(ValueError):
    pass


def open_store(url: str) -> Store:
    """`sqlite:///path/file.sqlite` or a bare path → SQLite; `postgresql://...` → PostgreSQL (issue 6)."""
    if url.startswith(("postgresql://", "postgres://")):
        try:
            from crawler.storage.postgres import PostgresStore  # lands with issue 6
        except ImportError:
            raise StoreConfigError("the PostgreSQL store is not installed in this version "
                                   "(crawler/storage/postgres.py); use a sqlite:/// URL") from None
        return PostgresStore(url)
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///"):]
    elif "://" in url:
        raise StoreConfigError(f"unsupported store URL {url!r}: use sqlite:///PATH or postgresql://...")
    if not url:
        raise StoreConfigError("empty store URL")
    from crawler.storage.sqlite import SQLiteStore

    return SQLiteStore(url)


__all__ = ["FetchState", "PageToStore", "SaveOutcome", "Store", "StoreConfigError", "StoreCounts",
           "StoredPage", "open_store"]
