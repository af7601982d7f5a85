"""The discovery HTTP cache stays bounded on disk: entries older than HTTPCACHE_EXPIRATION_SECS, then the
oldest beyond NEWS_HTTPCACHE_MAX_BYTES, are deleted when a crawl opens; what is left is served as before."""
from __future__ import annotations

import importlib.util
import os
import time
from pathlib import Path

from scrapy import Spider
from scrapy.http import Request, Response
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from crawler.discovery.revalidate import BoundedFilesystemCacheStorage, cache_entries

DAY = 24 * 3600


def _open(tmp_path: Path, **settings) -> tuple[BoundedFilesystemCacheStorage, Spider]:
    crawler = get_crawler(Spider, {"HTTPCACHE_DIR": str(tmp_path / "cache"), "HTTPCACHE_GZIP": False, **settings})
    spider = Spider.from_crawler(crawler, name="news")
    storage = BoundedFilesystemCacheStorage(crawler.settings)
    storage.open_spider(spider)
    return storage, spider


def _store(storage, spider, url: str, body: bytes, age: float) -> None:
    request = Request(url)
    storage.store_response(spider, request, Response(url, status=200, body=body, headers={"ETag": '"v1"'}))
    meta = Path(storage._get_request_path(spider, request)) / "pickled_meta"
    stamp = time.time() - age
    os.utime(meta, (stamp, stamp))


def _cached(storage, spider, url: str) -> bytes | None:
    response = storage.retrieve_response(spider, Request(url))
    return None if response is None else response.body


def test_entries_older_than_the_expiration_are_deleted_when_a_crawl_opens(tmp_path):
    storage, spider = _open(tmp_path, HTTPCACHE_EXPIRATION_SECS=7 * DAY)
    _store(storage, spider, "https://a.test/feed.xml", b"<rss>a</rss>", age=8 * DAY)
    _store(storage, spider, "https://b.test/feed.xml", b"<rss>b</rss>", age=6 * DAY)
    _store(storage, spider, "https://c.test/sitemap.xml", b"<urlset/>", age=0)
    assert len(cache_entries(tmp_path / "cache")) == 3

    storage, spider = _open(tmp_path, HTTPCACHE_EXPIRATION_SECS=7 * DAY)  # the next crawl
    assert len(cache_entries(tmp_path / "cache")) == 2
    assert _cached(storage, spider, "https://a.test/feed.xml") is None
    assert _cached(storage, spider, "https://b.test/feed.xml") == b"<rss>b</rss>"
    assert _cached(storage, spider, "https://c.test/sitemap.xml") == b"<urlset/>"


def test_past_the_size_bound_the_oldest_entries_go_first(tmp_path):
    storage, spider = _open(tmp_path, HTTPCACHE_EXPIRATION_SECS=0)
    for i in range(5):  # feed-0 is the oldest
        _store(storage, spider, f"https://news.test/feed-{i}.xml", bytes([65 + i]) * 10_000, age=(5 - i) * 60)
    one_entry = cache_entries(tmp_path / "cache")[0].size
    storage, spider = _open(tmp_path, HTTPCACHE_EXPIRATION_SECS=0, NEWS_HTTPCACHE_MAX_BYTES=2 * one_entry + 100)
    left = {i for i in range(5) if _cached(storage, spider, f"https://news.test/feed-{i}.xml") is not None}
    assert left == {3, 4}
    assert sum(e.size for e in cache_entries(tmp_path / "cache")) <= 2 * one_entry + 100


def test_no_bound_keeps_everything_and_an_entry_removed_while_read_is_a_miss(tmp_path):
    storage, spider = _open(tmp_path, HTTPCACHE_EXPIRATION_SECS=0, NEWS_HTTPCACHE_MAX_BYTES=0)
    _store(storage, spider, "https://a.test/feed.xml", b"<rss>a</rss>", age=400 * DAY)
    _store(storage, spider, "https://b.test/feed.xml", b"<rss>b</rss>", age=0)
    storage, spider = _open(tmp_path, HTTPCACHE_EXPIRATION_SECS=0, NEWS_HTTPCACHE_MAX_BYTES=0)
    assert _cached(storage, spider, "https://a.test/feed.xml") == b"<rss>a</rss>"
    # Another crawl pruning the same directory deleted the body between the meta and the body read.
    (Path(storage._get_request_path(spider, Request("https://b.test/feed.xml"))) / "response_body").unlink()
    assert _cached(storage, spider, "https://b.test/feed.xml") is None


def test_the_default_settings_bound_the_cache():
    spec = importlib.util.spec_from_file_location("default_settings", Path(__file__).parents[2] / "settings" / "default.py")
    default = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(default)
    assert load_object(default.HTTPCACHE_STORAGE) is BoundedFilesystemCacheStorage
    assert default.HTTPCACHE_EXPIRATION_SECS > 0 and default.NEWS_HTTPCACHE_MAX_BYTES > 0
