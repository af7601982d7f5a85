"""Which sources `scrapy crawl news [-a source=...]` runs, and what it records about the rest."""
from __future__ import annotations

from pathlib import Path

from scrapy.utils.test import get_crawler

from crawler.spiders.news import NewsSpider

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _spider(source=None, **settings):
    crawler = get_crawler(NewsSpider, {"NEWS_SEEDS_DIR": str(SEEDS), **settings})
    return NewsSpider.from_crawler(crawler, source=source)


def test_all_sources_means_every_enabled_one_and_not_the_demo():
    spider = _spider()
    assert "demo" not in spider.sources and {"dw", "lemonde", "cgtn"} <= set(spider.sources)
    assert spider.selection_problems == []


def test_named_sources_unknown_ones_and_offline_mode():
    spider = _spider("demo,dw,nope", NEWS_SKIP_NETWORK_SOURCES=True)
    assert list(spider.sources) == ["demo"]
    reasons = sorted(reason for reason, _ in spider.selection_problems)
    assert reasons == ["network_disabled", "unknown_source"]
    assert "127.0.0.1" in spider.allowed_domains


def test_a_broken_seeds_file_is_reported_and_the_rest_run(tmp_path):
    (tmp_path / "good.toml").write_text((SEEDS / "dw.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.toml").write_text('id = "bad"\nname = 3\n', encoding="utf-8")
    spider = _spider(NEWS_SEEDS_DIR=str(tmp_path))
    assert list(spider.sources) == ["dw"]
    (err,) = spider.source_errors
    assert err.path.endswith("bad.toml") and err.field == "name"
