"""Workers sharing one scrapy-redis queue stay until the whole crawl is done, not their own part.

Several `scrapy crawl` processes on one Redis queue each go idle whenever the shared queue is
momentarily empty: for instance while another worker is still reading the sitemap that will fill
it. Scrapy would close such a worker at once with nothing done. Each worker here publishes when it
was last active (a response received, an item stored) in a Redis hash next to the queue; an idle
worker stays open while any other worker was active within NEWS_REDIS_PEER_GRACE seconds, and
closes once every worker has been quiet that long. A worker killed without closing is forgotten
the same way.
"""
from __future__ import annotations

import logging
import os
import socket
import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

from crawler import defaults

log = logging.getLogger(__name__)
PUBLISH_EVERY = 1.0  # seconds between two activity updates of one worker


def _redis_scheduler(path) -> bool:
    """Is the SCHEDULER setting scrapy-redis's scheduler or a subclass of it?"""
    from scrapy.utils.misc import load_object

    try:
        from scrapy_redis.scheduler import Scheduler

        return isinstance(path, (str, type)) and issubclass(load_object(path), Scheduler)
    except (ImportError, NameError, ValueError, TypeError):
        return False


class SharedQueueWorkers:
    def __init__(self, crawler):
        self.crawler = crawler
        self.grace = crawler.settings.getfloat("NEWS_REDIS_PEER_GRACE", defaults.NEWS_REDIS_PEER_GRACE)
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.server = None
        self.key = ""
        self._published = 0.0
        for handler, signal in ((self.spider_opened, signals.spider_opened),
                                (self.spider_idle, signals.spider_idle),
                                (self.spider_closed, signals.spider_closed),
                                (self.active, signals.response_received),
                                (self.active, signals.item_scraped)):
            crawler.signals.connect(handler, signal=signal)

    @classmethod
    def from_crawler(cls, crawler):
        if not _redis_scheduler(crawler.settings.get("SCHEDULER")):
            raise NotConfigured
        return cls(crawler)

    def spider_opened(self, spider) -> None:
        from scrapy_redis.connection import get_redis_from_settings

        self.server = get_redis_from_settings(self.crawler.settings)
        queue_key = self.crawler.settings.get("SCHEDULER_QUEUE_KEY", "%(spider)s:requests")
        self.key = (queue_key % {"spider": spider.name}) + ":workers"
        self.active()

    def active(self, *args, **kwargs) -> None:
        now = time.time()
        if self.server is None or now - self._published < PUBLISH_EVERY:
            return
        self._published = now
        try:
            self.server.hset(self.key, self.worker, now)
            self.server.expire(self.key, int(self.grace * 10) + 60)
        except Exception as exc:  # Redis trouble is the scheduler's to report; never fail a page here
            log.debug("could not publish worker activity: %s", exc)

    def spider_idle(self, spider) -> None:
        if self.server is None:
            return
        try:
            peers = self.server.hgetall(self.key)
        except Exception as exc:
            log.warning("cannot see the other workers (%s): closing when idle", exc)
            return
        cutoff = time.time() - self.grace
        busy = [name.decode() for name, at in peers.items()
                if name.decode() != self.worker and float(at) > cutoff]
        if busy:
            log.debug("queue empty, but %s still active: waiting for more work", ", ".join(busy))
            raise DontCloseSpider

    def spider_closed(self, spider) -> None:
        if self.server is None:
            return
        try:
            self.server.hdel(self.key, self.worker)
        except Exception as exc:
            log.debug("could not remove this worker from %s: %s", self.key, exc)
