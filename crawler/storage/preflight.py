"""Check a PostgreSQL store before a command starts: a permanent refusal (no such database, role
or password) stops the command with one line instead of failing every page of a crawl."""
from __future__ import annotations

from crawler.storage.factory import open_store, store_url_from_settings


def store_refusal(settings) -> str | None:
    """The one-line reason the configured store refuses us for good, or None (SQLite, reachable, or a
    transient failure, which the crawl's own retries and store guard handle)."""
    url = store_url_from_settings(settings)
    if not url.startswith("postgres"):
        return None
    from crawler.storage.errors import StoreUnavailable
    from crawler.storage.postgres import StoreRefused

    try:
        open_store(url, connect=True, attempts=1).close()
    except StoreRefused as exc:
        return str(exc)
    except StoreUnavailable:
        return None
    return None
