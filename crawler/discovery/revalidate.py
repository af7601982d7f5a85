"""HTTP cache policy for discovery pages: keep the last copy, always ask the server again.

Feeds, sitemaps and section pages are fetched on every run. With their ETag / Last-Modified kept
in Scrapy's HTTP cache, each fetch is a conditional GET: an unchanged feed costs the outlet a 304
and the crawl re-reads its cached copy. Never answering from the cache without asking (what
RFC 2616 freshness allows) is deliberate: a feed that says it is fresh for an hour would hide the
articles published in that hour. Article requests bypass the cache (`dont_cache`): the store keeps
their validators.
"""
from __future__ import annotations

from scrapy.extensions.httpcache import RFC2616Policy


class AlwaysRevalidatePolicy(RFC2616Policy):
    def is_cached_response_fresh(self, cachedresponse, request) -> bool:
        return False
