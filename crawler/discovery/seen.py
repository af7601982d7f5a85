"""Which requests a crawl has already made: within one run only, never across runs.

Scrapy's own duplicate filter remembers every request in the job directory (and scrapy-redis's in
Redis, for good), so the next run or a resumed one drops the feeds, sitemaps and articles it
remembers, even those it never fetched or stored. Here what crosses runs is the store's knowledge
of stored articles; the filters below only stop a request made twice in one run (locally), or by
two workers of one crawl within NEWS_REDIS_SEEN_TTL seconds (shared through Redis).
"""
from __future__ import annotations

from scrapy.dupefilters import RFPDupeFilter
from scrapy_redis.dupefilter import RFPDupeFilter as RedisRFPDupeFilter

from crawler import defaults


class RunDupeFilter(RFPDupeFilter):
    """Scrapy's request fingerprint filter, kept in memory: a job directory never persists it."""

    def __init__(self, path: str | None = None, debug: bool = False, **kwargs) -> None:
        super().__init__(None, debug, **kwargs)


class RecentRedisDupeFilter(RedisRFPDupeFilter):
    """scrapy-redis's shared filter, with each fingerprint forgotten after `ttl` seconds: workers of one
    crawl share the work, and a request taken by a worker that died is not barred for ever."""

    def __init__(self, server, key: str, debug: bool = False, ttl: int = defaults.NEWS_REDIS_SEEN_TTL) -> None:
        super().__init__(server, key, debug)
        self.ttl = ttl

    @classmethod
    def from_spider(cls, spider) -> RecentRedisDupeFilter:
        base = super().from_spider(spider)
        ttl = spider.settings.getint("NEWS_REDIS_SEEN_TTL", defaults.NEWS_REDIS_SEEN_TTL)
        return cls(base.server, base.key, base.debug, ttl=ttl)

    def request_seen(self, request) -> bool:
        fingerprint = self.request_fingerprint(request)
        # SET NX: exactly one worker wins a fingerprint; EX: the claim ends with the crawl's window.
        return not self.server.set(f"{self.key}:{fingerprint}", 1, nx=True, ex=self.ttl)

    def clear(self) -> None:
        for key in self.server.scan_iter(match=f"{self.key}:*", count=1000):
            self.server.delete(key)
