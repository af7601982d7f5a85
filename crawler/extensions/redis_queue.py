"""The scrapy-redis scheduler, with a bound on how long a lost Redis is waited for.

Stock, every call the engine makes to a scheduler whose Redis is gone raises, and the engine
logs a traceback and asks again a few seconds later, forever. Here each failed call is one
warning line; after NEWS_REDIS_MAX_FAILURES failures in a row (no call succeeding in between)
the crawl stops with finish reason `queue_unavailable` (exit status 3). The queue and the
dupefilter stay in Redis as they were (SCHEDULER_PERSIST), so the next run resumes them; a request
that could not be queued is counted (`news/not_queued`) and found again by the next run's discovery.
"""
from __future__ import annotations

import logging

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from scrapy_redis.scheduler import Scheduler

from crawler import defaults

log = logging.getLogger(__name__)

QUEUE_UNAVAILABLE = "queue_unavailable"
_LOST = (RedisConnectionError, RedisTimeoutError, OSError)


class GuardedRedisScheduler(Scheduler):
    crawler = None
    max_failures = defaults.NEWS_REDIS_MAX_FAILURES
    failures = 0
    gave_up = False

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.max_failures = max(1, crawler.settings.getint("NEWS_REDIS_MAX_FAILURES", defaults.NEWS_REDIS_MAX_FAILURES))
        return scheduler

    def _call(self, what: str, fn, *args, default):
        if self.gave_up:
            return default
        try:
            result = fn(*args)
        except _LOST as exc:
            self.failures += 1
            log.warning("Redis unreachable (%s, failure %d of %d): %s", what, self.failures, self.max_failures, exc)
            if self.failures >= self.max_failures:
                self._give_up(exc)
            return default
        self.failures = 0
        return result

    def _give_up(self, exc: BaseException) -> None:
        self.gave_up = True
        location = getattr(getattr(self.server, "connection_pool", None), "connection_kwargs", {})
        where = f"{location.get('host', '?')}:{location.get('port', '?')}"
        message = f"Redis at {where} unreachable {self.failures} times in a row: {exc}"
        log.critical("%s; stopping the crawl (the queue in Redis is kept for the next run)", message)
        if self.crawler is not None:
            self.crawler.stats.set_value("news/queue_unavailable", message)
            if self.crawler.engine is not None:
                from scrapy.utils.defer import deferred_from_coro

                deferred_from_coro(self.crawler.engine.close_spider_async(reason=QUEUE_UNAVAILABLE))

    def enqueue_request(self, request):
        queued = self._call("queueing a request", super().enqueue_request, request, default=None)
        if queued is None:  # not queued because Redis is gone (False means a duplicate)
            if self.stats:
                self.stats.inc_value("news/not_queued")
            return False
        return queued

    def next_request(self):
        return self._call("taking the next request", super().next_request, default=None)

    def has_pending_requests(self):
        return self._call("counting queued requests", super().has_pending_requests, default=False)
