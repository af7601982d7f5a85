"""Per-crawl shared state: the one store of a crawl, and recording skips in one place."""
from __future__ import annotations

import logging

from scrapy import signals

from crawler import defaults
from crawler.storage import Store, store_from_settings

log = logging.getLogger(__name__)


def store_for(crawler) -> Store:
    """The crawl's store, opened on first use and closed when the engine stops."""
    store = getattr(crawler, "_news_store", None)
    if store is None:
        store = store_from_settings(crawler.settings, connect=False)
        crawler._news_store = store
        crawler.signals.connect(store.close, signal=signals.engine_stopped, weak=False)
    return store


def record_skip(crawler, url: str, source: str | None, reason: str, detail: str | None = None) -> None:
    """Every page (or seeds file, feed, sitemap) that is not stored ends here: a row in `skips`."""
    crawler.stats.inc_value(f"news/skipped/{reason}")
    log.info("skipped %s [%s]: %s", url, reason, detail or "")
    try:
        store_for(crawler).record_skip(url, source, reason, detail)
    except Exception:  # the store being down must not hide the skip: it is logged as an error
        log.exception("could not record skip of %s (%s)", url, reason)


def private_allowlist(crawler) -> set[str]:
    """host:port pairs allowed despite being private (the bundled demo site adds itself)."""
    allow = getattr(crawler, "_news_private_allowlist", None)
    if allow is None:
        allow = {str(x).lower() for x in crawler.settings.getlist("NEWS_PRIVATE_ALLOWLIST", defaults.NEWS_PRIVATE_ALLOWLIST)}
        crawler._news_private_allowlist = allow
    return allow
