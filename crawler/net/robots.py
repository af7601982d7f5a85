"""robots.txt of any size: read its first 500 KiB, as RFC 9309 (section 2.5) asks of a crawler.

Scrapy downloads robots.txt like any page: past DOWNLOAD_MAXSIZE the download is cancelled and
the site is treated as having no robots.txt at all (everything allowed); a 9 MB file that does
arrive is parsed whole, and every URL check then walks its rules. Here the robots.txt request
may be as large as it likes, but the download stops after ROBOTS_MAX_BYTES and only that much
(cut at the last complete line) is parsed.
"""
from __future__ import annotations

from scrapy import signals
from scrapy.exceptions import StopDownload
from scrapy.robotstxt import ProtegoRobotParser

ROBOTS_MAX_BYTES = 500 * 1024
_META = "news_robots_body"


def _is_robots_request(request) -> bool:
    return bool(request.meta.get("dont_obey_robotstxt")) and request.url.endswith("/robots.txt")


class RobotsTxtSizeLimit:
    """Downloader middleware (before the download): lets robots.txt past DOWNLOAD_MAXSIZE and stops
    its download after ROBOTS_MAX_BYTES, keeping what arrived."""

    def __init__(self, crawler):
        self._received: dict[int, int] = {}
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        if _is_robots_request(request):
            request.meta[_META] = True
            request.meta["download_maxsize"] = 0  # no cancellation: the stop below keeps the prefix
        return None

    def bytes_received(self, data: bytes, request, spider=None) -> None:
        if not request.meta.get(_META):
            return
        key = id(request)
        total = self._received.get(key, 0) + len(data)
        if total >= ROBOTS_MAX_BYTES:
            self._received.pop(key, None)
            raise StopDownload(fail=False)
        self._received[key] = total


class BoundedProtegoRobotParser(ProtegoRobotParser):
    """Scrapy's Protego parser on at most the first ROBOTS_MAX_BYTES of the file, whole lines only."""

    def __init__(self, robotstxt_body: bytes, spider):
        if len(robotstxt_body) > ROBOTS_MAX_BYTES:
            head = robotstxt_body[:ROBOTS_MAX_BYTES]
            robotstxt_body = head[: head.rfind(b"\n") + 1] or head
        super().__init__(robotstxt_body, spider)
