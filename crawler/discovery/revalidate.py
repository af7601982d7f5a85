"""HTTP cache for discovery pages: keep the last copy, always ask the server again, bounded on disk.

Feeds, sitemaps and section pages are fetched on every run. With their ETag / Last-Modified kept
in Scrapy's HTTP cache, each fetch is a conditional GET: an unchanged feed costs the outlet a 304
and the crawl re-reads its cached copy. Never answering from the cache without asking (what
RFC 2616 freshness allows) is deliberate: a feed that says it is fresh for an hour would hide the
articles published in that hour. Article requests bypass the cache (`dont_cache`): the store keeps
their validators.

The cache directory would otherwise only grow (every feed, sitemap and section page ever fetched,
including sources since removed), so `BoundedFilesystemCacheStorage` prunes it when a crawl
opens: entries stored more than HTTPCACHE_EXPIRATION_SECS ago are deleted (Scrapy already ignores
them; a 304 does not renew an entry, so an unchanged feed is fetched in full once per period),
then the oldest entries until the directory holds at most NEWS_HTTPCACHE_MAX_BYTES. A deleted
entry costs one unconditional fetch, never a missed article.
"""
from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from scrapy.extensions.httpcache import FilesystemCacheStorage, RFC2616Policy

from crawler import defaults

log = logging.getLogger(__name__)


class AlwaysRevalidatePolicy(RFC2616Policy):
    def is_cached_response_fresh(self, cachedresponse, request) -> bool:
        return False


@dataclass(frozen=True)
class _Entry:
    path: Path
    stored_at: float
    size: int


def cache_entries(root: Path) -> list[_Entry]:
    """Every cached response under `root` (<spider>/<xx>/<fingerprint>/ holding pickled_meta), oldest first."""
    entries = []
    for meta in root.glob("*/*/*/pickled_meta"):
        try:
            stored_at = meta.stat().st_mtime
            size = sum(f.stat().st_size for f in meta.parent.iterdir() if f.is_file())
        except OSError:  # removed meanwhile (another crawl pruning)
            continue
        entries.append(_Entry(meta.parent, stored_at, size))
    return sorted(entries, key=lambda e: e.stored_at)


def prune_cache(root: Path, max_age: float, max_bytes: int, now: float | None = None) -> tuple[int, int]:
    """Delete entries older than `max_age` seconds (0: no age limit), then the oldest until at most
    `max_bytes` remain (0: no size limit). Returns (entries deleted, bytes left)."""
    now = time.time() if now is None else now
    entries = cache_entries(root)
    total = sum(e.size for e in entries)
    deleted = 0
    for entry in entries:
        too_old = 0 < max_age < now - entry.stored_at
        if not too_old and not (0 < max_bytes < total):
            break  # oldest first: everything after is younger, and the size fits
        shutil.rmtree(entry.path, ignore_errors=True)
        total -= entry.size
        deleted += 1
    return deleted, total


class BoundedFilesystemCacheStorage(FilesystemCacheStorage):
    def __init__(self, settings):
        super().__init__(settings)
        self.max_bytes = settings.getint("NEWS_HTTPCACHE_MAX_BYTES", defaults.NEWS_HTTPCACHE_MAX_BYTES)

    def open_spider(self, spider) -> None:
        super().open_spider(spider)
        root = Path(self.cachedir)
        if root.is_dir():
            deleted, left = prune_cache(root, self.expiration_secs, self.max_bytes)
            if deleted:
                log.info("HTTP cache: %d old entries deleted, %d bytes left in %s", deleted, left, root)

    def retrieve_response(self, spider, request):
        # An entry deleted while being read (another crawl pruning the same directory) is a cache miss.
        try:
            return super().retrieve_response(spider, request)
        except (FileNotFoundError, EOFError):
            return None
