"""Stop a crawl cleanly when its store is gone, instead of failing every page one by one.

The PostgreSQL store already retries a lost connection (reconnect, replay the transaction);
when its retry policy is exhausted it raises `StoreUnavailable`. This extension turns the first
such error, wherever it surfaces (a callback's fetch-state lookup, the store pipeline), into one
CRITICAL log line naming the store (password redacted) and closes the spider with reason
`store_unavailable` (`store_write_failed` when the store is reachable but cannot write: disk
full, read-only). Nothing is half-written (every save is one transaction), and pages not yet
stored are fetched again by the next run (or resumed from JOBDIR / the Redis queue).
"""
from __future__ import annotations

import logging

from scrapy import signals

from crawler.storage.errors import StoreUnavailable, StoreWriteFailed, as_write_failure

log = logging.getLogger(__name__)

STORE_UNAVAILABLE = "store_unavailable"
STORE_WRITE_FAILED = "store_write_failed"


def _store_failure(failure) -> StoreUnavailable | None:
    """The store error a failure carries (a backend's "disk full" seen outside the store thread too)."""
    if failure is None:
        return None
    if failure.check(StoreUnavailable) is not None:
        return failure.value
    return as_write_failure(failure.value)


class StoreGuard:
    def __init__(self, crawler):
        self.crawler = crawler
        self.tripped = False

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.on_error, signal=signals.spider_error)
        crawler.signals.connect(ext.on_error, signal=signals.item_error)
        return ext

    def on_error(self, failure=None, *args, **kwargs):
        error = None if self.tripped else _store_failure(failure)
        if error is None:
            return
        self.tripped = True
        reason = STORE_WRITE_FAILED if isinstance(error, StoreWriteFailed) else STORE_UNAVAILABLE
        self.crawler.stats.set_value(f"news/{reason}", str(error))
        log.critical("%s, stopping the crawl (pages not stored are fetched again by the next run): %s",
                     reason.replace("_", " "), error)
        from scrapy.utils.defer import deferred_from_coro

        deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))
