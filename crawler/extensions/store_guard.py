"""Stop a crawl cleanly when its store is gone, instead of failing every page one by one.

The PostgreSQL store already retries a lost connection (reconnect, replay the transaction);
when its retry policy is exhausted it raises `StoreUnavailable`. This extension turns the first
such error, wherever it surfaces (a callback's fetch-state lookup, the store pipeline), into one
CRITICAL log line naming the store (password redacted) and closes the spider with reason
`store_unavailable`. Nothing is half-written (every save is one transaction), and pages not yet
stored are fetched again by the next run (or resumed from JOBDIR / the Redis queue).
"""
from __future__ import annotations

import logging

from scrapy import signals

from crawler.storage.errors import StoreUnavailable

log = logging.getLogger(__name__)


def _store_unavailable(failure) -> bool:
    return failure is not None and failure.check(StoreUnavailable) is not None


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
        if self.tripped or not _store_unavailable(failure):
            return
        self.tripped = True
        self.crawler.stats.set_value("news/store_unavailable", str(failure.value))
        log.critical("store unavailable, stopping the crawl: %s", failure.value)
        from scrapy.utils.defer import deferred_from_coro

        deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_unavailable"))
