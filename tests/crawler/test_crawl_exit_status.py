"""`scrapy crawl` exits 3 when the crawl stops on a failure (cron and `scrapy schedule` read the status)."""
from __future__ import annotations

from crawl_helpers import db_rows, run_crawl, seed_toml
from fixture_server import FixtureServer

LOCAL = {"NEWS_ALLOW_PRIVATE_ADDRESSES": "True", "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
         "NORMALISER": '{"translate": false}', "FEEDS": "{}"}


def _crawl(tmp_path, server, store_url: str, **env):
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    (seeds / "fixture.toml").write_text(seed_toml(server.base, r"^http://127\.0\.0\.1:\d+/articles/[a-z0-9-]+\.html$",
                                                  sitemaps="/sitemap_index.xml"), encoding="utf-8")
    return run_crawl(tmp_path / "data", "-a", "source=fixture", seeds_dir=seeds, settings=LOCAL,
                     env_extra={"NEWS_STORE_URL": store_url, **env})


def test_a_crawl_stopped_by_an_unreachable_store_exits_3(tmp_path):
    with FixtureServer() as server:
        result = _crawl(tmp_path, server, "postgresql://news@127.0.0.1:1/news",
                        NEWS_STORE_RETRIES="1", NEWS_STORE_RETRY_BACKOFF="0.01")
    log = result.stdout + result.stderr
    assert "'finish_reason': 'store_unavailable'" in log
    assert "crawl status 3, the run failed" in log and "finish_reason store_unavailable" in log
    assert result.returncode == 3


def test_a_crawl_that_finishes_exits_0(tmp_path):
    with FixtureServer() as server:
        result = _crawl(tmp_path, server, f"sqlite:///{tmp_path / 'news.sqlite'}")
    log = result.stdout + result.stderr
    assert "'finish_reason': 'finished'" in log
    assert result.returncode == 0, log[-3000:]
    assert db_rows(tmp_path / "news.sqlite", "SELECT count(*) FROM pages")[0][0] > 0
