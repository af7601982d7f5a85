"""One source cannot flood a run: feed entries and discovered article URLs are capped, and the cut is
recorded as a skip with its reason (the spider's callbacks, driven directly)."""
from __future__ import annotations

import sqlite3

from scrapy.http import HtmlResponse, Request, XmlResponse
from scrapy.utils.test import get_crawler

from crawler.spiders.news import NewsSpider

SEEDS = """id = "capped"
name = "Capped"
home = "https://news.example.org/"
allowed_domains = ["example.org"]
feeds = ["https://news.example.org/rss"]
sections = ["https://news.example.org/latest"]
"""


def _spider(tmp_path, **settings):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "capped.toml").write_text(SEEDS, encoding="utf-8")
    crawler = get_crawler(NewsSpider, settings_dict={
        "NEWS_SEEDS_DIR": str(seeds), "NEWS_STORE_URL": f"sqlite:///{tmp_path / 'news.sqlite'}",
        "NEWS_MAX_XML_BYTES": 10_000_000, "NEWS_MAX_URLS_PER_SITEMAP": 50_000, "NEWS_MAX_SITEMAP_DEPTH": 3,
        "NEWS_REVISIT_SCHEDULE": [], **settings})
    crawler.spider = NewsSpider.from_crawler(crawler, source="capped")
    return crawler.spider


def _skips(tmp_path) -> list[tuple[str, str]]:
    with sqlite3.connect(tmp_path / "news.sqlite") as db:
        return db.execute("SELECT reason, detail FROM skips").fetchall()


def _feed(entries: int) -> bytes:
    items = "".join(f"<item><title>Story {i}</title><link>https://news.example.org/story/{i}</link></item>"
                    for i in range(entries))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>N</title>{items}</channel></rss>'.encode()


def _response(cls, url: str, body: bytes):
    return cls(url=url, body=body, request=Request(url, meta={"source": "capped"}), encoding="utf-8")


def test_a_feed_longer_than_the_entry_cap_is_read_up_to_the_cap(tmp_path):
    spider = _spider(tmp_path, NEWS_MAX_FEED_ENTRIES=25, NEWS_MAX_URLS_PER_SOURCE=1000)
    requests = list(spider.parse_feed(_response(XmlResponse, "https://news.example.org/rss", _feed(300))))
    assert len(requests) == 25
    assert [reason for reason, _ in _skips(tmp_path)] == ["feed_truncated"]
    assert "NEWS_MAX_FEED_ENTRIES" in _skips(tmp_path)[0][1]


def test_article_urls_per_source_stop_at_the_cap_across_feeds_and_sections(tmp_path):
    spider = _spider(tmp_path, NEWS_MAX_FEED_ENTRIES=5000, NEWS_MAX_URLS_PER_SOURCE=30)
    from_feed = list(spider.parse_feed(_response(XmlResponse, "https://news.example.org/rss", _feed(20))))
    links = "".join(f'<a href="/more/{i}">more {i}</a>' for i in range(50))
    section = _response(HtmlResponse, "https://news.example.org/latest", f"<html><body>{links}</body></html>".encode())
    from_section = list(spider.parse_section(section))
    assert len(from_feed) == 20 and len(from_section) == 10
    skips = _skips(tmp_path)
    assert [reason for reason, _ in skips] == ["discovery_capped"]  # recorded once, not per URL
    assert "the rest are left for the next run" in skips[0][1]
