"""A real `scrapy crawl` of the benchmark's realistic generated pages (crawler/testing/news_pages.py):
every page is stored with its own story (chrome dropped), each syndicated copy and the article
whose wire story it carries are linked (one cluster, one a near-duplicate of the other) and no
other page is, and the crawl reports where its CPU went."""
from __future__ import annotations

import json
import re
import sqlite3

from crawler.testing.fixture_site import FixtureSite
from crawler.testing.local_crawl import crawl_command, crawl_env, run
from crawler.testing.news_pages import SYNDICATE_EVERY, article_story, wire_source


def test_realistic_pages_are_stored_with_their_story_and_syndicated_copies_linked(tmp_path):
    articles = 2 * SYNDICATE_EVERY + 2
    db_path = tmp_path / "news.sqlite"
    with FixtureSite(articles=articles, pages="realistic") as site:
        sizes = [len(site.article(i)) for i in range(articles)]
        env = crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{db_path}", tmp_path / "data")
        result = run(crawl_command(settings={"FEEDS": "{}"}), env, tmp_path / "crawl.log")
        url = {i: site.article_url(i) for i in range(articles)}
    assert result.returncode == 0, result.stdout[-3000:]
    assert min(sizes) > 40_000 and max(sizes) < 400_000  # news-page sized, not toy pages
    with sqlite3.connect(db_path) as db:
        records = {u: json.loads(r) for u, r in db.execute("SELECT canonical_url, record FROM pages")}
    assert set(records) == set(url.values())
    copies = {i for i in range(articles) if wire_source(i) is not None}
    assert copies == {SYNDICATE_EVERY, 2 * SYNDICATE_EVERY}
    pairs = {i: wire_source(i) for i in copies}
    paired = set(pairs) | set(pairs.values())
    for i in range(articles):
        record = records[url[i]]
        headline, paragraphs, _ = article_story(i)
        assert record["title"] == headline
        body = paragraphs[1:-1] if i in pairs else paragraphs  # a copy's credit line may go as boilerplate
        assert body[0] in record["text"] and body[-1] in record["text"]
        assert "We use cookies" not in record["text"] and "Most read" not in record["text"]
        if i not in paired:
            assert "near_duplicate_of" not in record["metadata"], (i, record["metadata"].get("near_duplicate_of"))
    for copy, original in pairs.items():
        # Concurrent downloads: whichever of the two was stored first is the cluster's origin.
        a, b = records[url[copy]]["metadata"], records[url[original]]["metadata"]
        assert a["cluster_id"] == b["cluster_id"] in (url[copy], url[original])
        links = {a.get("near_duplicate_of"), b.get("near_duplicate_of")} - {None}
        assert len(links) == 1 and links <= {url[copy], url[original]}, (copy, original, links)
    cpu = dict(re.findall(r"'news/cpu/(\w+)': ([0-9.]+)", result.stdout))
    assert float(cpu["crawl_process_s"]) > 0 and float(cpu["normaliser_processes_s"]) > 0
