"""A real crawl of the local fixture site by the real `news` spider, asserted through SQLite and the feed."""
from __future__ import annotations

import json
import re
import sqlite3

import pytest
from crawl_helpers import db_rows, feed_records, run_crawl
from fixture_server import FixtureServer

SEED = """
id = "fixture"
name = "Fixture Gazette"
home = "{base}/"
allowed_domains = ["127.0.0.1"]
languages = ["en", "de", "fr", "zh"]
feeds = ["{base}/feed.rss"]
sitemaps = ["{base}/sitemap_index.xml"]
sections = ["{base}/section/"]
article_patterns = ['^http://127\\.0\\.0\\.1:\\d+/(?:articles|print|private)/[a-z0-9-]+\\.html$']
needs_network = false
"""
BROKEN_SEED = 'id = "broken"\nname = "Broken"\nhome = "http://127.0.0.1/"\nallowed_domains = ["127.0.0.1"]\n' \
              'feeds = "http://127.0.0.1/feed.rss"\n'

STORED = {"en-ferry", "en-council", "en-moved-target", "flaky", "de-wahl", "fr-greve", "zh-gbk"}
SKIPPED = {  # path -> reason code
    "/articles/report.html": "not_html",
    "/articles/photo.html": "not_html",
    "/articles/empty.html": "empty_input",
    "/articles/missing.html": "http_404",
    "/articles/huge.html": "too_large",
    "/articles/loop-a.html": "redirect_loop",
    "/articles/to-metadata.html": "redirect_private_address",
    "/articles/to-file.html": "redirect_bad_scheme",
    "/private/secret.html": "robots_disallowed",
}
TRACKING = re.compile(r"utm_|fbclid|gclid")


def _crawl(server, data_dir, seeds_dir):
    return run_crawl(data_dir, "-a", "source=fixture,broken", seeds_dir=seeds_dir, settings={
        # Strict address guard: only the fixture server itself is allowed, so the redirect to
        # 169.254.169.254 must be refused exactly as it would be in production.
        "NEWS_ALLOW_PRIVATE_ADDRESSES": "False",
        "NEWS_PRIVATE_ALLOWLIST": f"127.0.0.1:{server.port}",
        "DOWNLOAD_MAXSIZE": "100000",
    })


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    root = tmp_path_factory.mktemp("crawl")
    seeds, data = root / "seeds", root / "data"
    seeds.mkdir()
    with FixtureServer() as server:
        (seeds / "fixture.toml").write_text(SEED.format(base=server.base), encoding="utf-8")
        (seeds / "broken.toml").write_text(BROKEN_SEED, encoding="utf-8")
        first = _crawl(server, data, seeds)
        # Keep the state after the first run; the re-run below works on the live file.
        snapshot = root / "after-first-run.sqlite"
        src, dst = sqlite3.connect(data / "news.sqlite"), sqlite3.connect(snapshot)
        src.backup(dst)
        src.close(), dst.close()
        hits_after_first = dict(server.hits)
        feed_after_first = feed_records(data / "records.jsonl")
        # The news sitemap now says one article changed: the re-run must ask the server (conditional
        # GET with the stored ETag) instead of skipping it or storing it again.
        server.replacements[b"2025-06-04T10:00:00+02:00"] = b"2025-06-09T10:00:00+02:00"
        second = _crawl(server, data, seeds)
        yield dict(server=server, first=first, second=second, db=snapshot, live_db=data / "news.sqlite",
                   hits=hits_after_first, feed=feed_after_first, feed_path=data / "records.jsonl")


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def _pages(db):
    return {_path(r[0]): r for r in db_rows(db, "SELECT canonical_url, lastmod, published_at, record FROM pages")}


def test_the_crawl_finishes_cleanly_and_prints_a_summary(crawl):
    run = crawl["first"]
    assert run.returncode == 1, run.stderr[-3000:]  # partial: the named source "broken" has an invalid seeds file
    summary = [line for line in run.stdout.splitlines() if line.startswith("stored ")]
    assert len(summary) == 1, run.stdout
    assert summary[0].startswith(f"stored {len(STORED)} articles (")
    assert "from source fixture into" in summary[0]
    assert summary[0].endswith("; 0 errors"), summary[0]


def test_each_article_is_stored_once_under_its_canonical_url(crawl):
    pages = _pages(crawl["db"])
    assert set(pages) == {f"/articles/{name}.html" for name in STORED}
    assert not any(TRACKING.search(url) for url in pages)
    # The print copy declares the article as canonical: it became an alias, not a second row.
    aliases = dict(db_rows(crawl["db"], "SELECT url, canonical_url FROM url_aliases"))
    print_alias = [u for u in aliases if u.endswith("/print/en-ferry.html")]
    assert print_alias and aliases[print_alias[0]].endswith("/articles/en-ferry.html")


def test_feed_export_has_the_same_records_once_each(crawl):
    records = crawl["feed"]
    urls = [r["canonical_url"] for r in records]
    assert len(urls) == len(set(urls)) == len(STORED)
    assert {_path(u) for u in urls} == {f"/articles/{name}.html" for name in STORED}
    stored = {r[0]: r[3] for r in db_rows(crawl["db"], "SELECT canonical_url, lastmod, published_at, record FROM pages")}
    for record in records:
        assert record["id"] == record["canonical_url"]
        assert record["source"] == "fixture"
        assert record["text"] and record["fetched_at"] and record["pipeline_version"]
        assert not TRACKING.search(record["url"])
        assert record["canonical_url"] in stored


def test_sitemap_lastmod_and_news_publication_date_are_kept(crawl):
    pages = _pages(crawl["db"])
    _, lastmod, published, _ = pages["/articles/de-wahl.html"]
    assert lastmod == "2025-06-04T08:00:00+00:00"  # 10:00+02:00 in the news sitemap
    assert published == "2025-06-04T05:45:00+00:00"  # news:publication_date, the page has none
    _, lastmod, published, _ = pages["/articles/fr-greve.html"]
    assert (lastmod, published) == ("2025-06-05T12:00:00+00:00", "2025-06-05")
    # A page's own date wins over discovery dates.
    assert pages["/articles/en-council.html"][2] == "2025-06-02T16:00:00Z"


def test_feed_date_survives_a_redirect(crawl):
    page = _pages(crawl["db"])["/articles/en-moved-target.html"]
    assert page[2] == "2025-06-04T11:00:00+00:00"
    aliases = dict(db_rows(crawl["db"], "SELECT url, canonical_url FROM url_aliases"))
    assert any(u.endswith("/articles/moved.html") and c == page[0] for u, c in aliases.items())


def test_robots_txt_disallowed_page_is_never_fetched(crawl):
    assert crawl["hits"].get("/robots.txt", 0) >= 1
    assert crawl["server"].fetched("/private/secret.html") == 0


def test_a_500_that_recovers_on_retry_is_stored(crawl):
    assert crawl["hits"]["/articles/flaky.html"] == 2
    assert "/articles/flaky.html" in _pages(crawl["db"])


def test_every_failure_is_a_skip_with_its_reason(crawl):
    rows = db_rows(crawl["db"], "SELECT url, source, reason, detail FROM skips")
    by_path = {}
    for url, _source, reason, _detail in rows:
        if url.startswith("http"):
            by_path.setdefault(_path(url), set()).add(reason)
    for path, reason in SKIPPED.items():
        assert by_path.get(path) == {reason}, (path, by_path.get(path))
    invalid = [r for r in rows if r[2] == "invalid_source"]
    assert len(invalid) == 1 and invalid[0][0].endswith("broken.toml")
    assert "field 'feeds'" in invalid[0][3] and "expected a list" in invalid[0][3]


def test_oversized_page_is_cut_off_not_stored(crawl):
    detail = db_rows(crawl["db"], "SELECT detail FROM skips WHERE reason = 'too_large'")[0][0]
    assert "100000" in detail


def test_gbk_page_declared_utf8_is_decoded_end_to_end(crawl):
    record = json.loads(_pages(crawl["db"])["/articles/zh-gbk.html"][3])
    assert "城市中心公园扩建工程正式启动" in record["text"]
    assert record["language"] == "zh"
    assert any("does not decode" in w for w in record["warnings"])


def test_raw_html_is_kept_compressed_for_renormalising(crawl):
    import zlib

    (html,) = db_rows(crawl["db"], "SELECT html FROM pages WHERE canonical_url LIKE '%/articles/fr-greve.html'")[0]
    assert "Grève des transports".encode() in zlib.decompress(html)
    (mode,) = db_rows(crawl["db"], "PRAGMA journal_mode")[0]
    assert mode == "wal"


def test_rerun_stores_nothing_twice_and_loses_nothing(crawl):
    run = crawl["second"]
    assert run.returncode == 1, run.stderr[-3000:]  # partial: the named source "broken" is still invalid
    before = db_rows(crawl["db"], "SELECT canonical_url, content_hash, record, first_stored_at FROM pages "
                                  "ORDER BY canonical_url")
    after = db_rows(crawl["live_db"], "SELECT canonical_url, content_hash, record, first_stored_at FROM pages "
                                      "ORDER BY canonical_url")
    assert after == before
    assert db_rows(crawl["live_db"], "SELECT COUNT(*) FROM revisions") == [(0,)]
    assert len(feed_records(crawl["feed_path"])) == len(crawl["feed"])
    summary = next(line for line in run.stdout.splitlines() if line.startswith("stored "))
    assert summary.startswith("stored 0 articles") and "already stored" in summary
    # Stored articles are not even requested again.
    assert crawl["server"].fetched("/articles/en-council.html") == crawl["hits"]["/articles/en-council.html"]


def test_rerun_revalidates_a_page_whose_sitemap_lastmod_moved(crawl):
    server = crawl["server"]
    assert server.conditional == ["/articles/de-wahl.html"]
    summary = next(line for line in crawl["second"].stdout.splitlines() if line.startswith("stored "))
    assert "1 not modified" in summary
    (lastmod,) = db_rows(crawl["live_db"], "SELECT lastmod FROM pages WHERE canonical_url LIKE '%de-wahl.html'")[0]
    assert lastmod == "2025-06-09T08:00:00+00:00"  # remembered, so the next run does not ask again
