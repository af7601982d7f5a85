"""Later runs find what is new: saved crawl state (a job directory, a reused Redis prefix) never stops
discovery, a killed run's resume fetches what it had not fetched, stored articles are revisited on a
schedule that thins out with age, and one source cannot flood the queue."""
from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest

from crawler.testing.fixture_site import FixtureSite
from crawler.testing.local_crawl import crawl_command, crawl_env, run, start
from crawler.testing.local_crawl import sqlite_count as _count


def _pages(db: Path) -> int:
    return _count(db, "SELECT count(*) FROM pages")


def _crawl(site: FixtureSite, tmp_path: Path, log: str, settings: dict | None = None, **env_extra):
    env = crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{tmp_path / 'news.sqlite'}", tmp_path / "data",
                    **env_extra)
    result = run(crawl_command(settings=settings), env, tmp_path / log)
    assert result.returncode == 0, result.stdout[-3000:]
    return result


def test_a_second_run_with_the_same_job_directory_reads_the_sitemap_and_stores_new_articles(tmp_path):
    db = tmp_path / "news.sqlite"
    job = {"JOBDIR": str(tmp_path / "job")}
    with FixtureSite(articles=6) as site:
        _crawl(site, tmp_path, "1.log", job)
        assert _pages(db) == 6
        site.articles = 10  # four stories published since
        _crawl(site, tmp_path, "2.log", job)
        assert site.sitemap_hits == 2  # discovery was not dropped as "already seen"
    assert _pages(db) == 10
    assert len(site.hits) == 10 and set(site.hits.values()) == {1}  # only the new ones were fetched


@pytest.mark.redis
def test_a_second_run_on_a_reused_redis_prefix_stores_new_articles(tmp_path, redis_prefix):
    db = tmp_path / "news.sqlite"
    redis_env = {"module": "settings.production", "NEWS_REDIS_URL": "redis://127.0.0.1:6379/0",
                 "NEWS_REDIS_PREFIX": redis_prefix, "NEWS_REDIS_IDLE": "0", "NEWS_REDIS_PEER_GRACE": "2"}
    with FixtureSite(articles=5) as site:
        _crawl(site, tmp_path, "1.log", {"FEEDS": "{}"}, **redis_env)
        site.articles = 8
        _crawl(site, tmp_path, "2.log", {"FEEDS": "{}"}, **redis_env)
        assert site.sitemap_hits == 2
    assert _pages(db) == 8
    assert len(site.hits) == 8 and set(site.hits.values()) == {1}


def test_sigkill_then_resume_fetches_every_page_the_killed_run_had_not_stored(tmp_path):
    # Enough pages that Scrapy's job directory would have written hundreds of request fingerprints
    # (its file buffer is 8 KiB) before the kill: a resume must not trust them.
    articles = 400
    db = tmp_path / "news.sqlite"
    with FixtureSite(articles=articles, delay=0.01) as site:
        env = crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{db}", tmp_path / "data")
        cmd = crawl_command(settings={"JOBDIR": str(tmp_path / "job"), "FEEDS": "{}"})
        proc = start(cmd, env, tmp_path / "1.log")
        try:
            deadline = time.monotonic() + 240
            while _pages(db) < articles // 2 and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.05)
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.kill()
            proc.wait(timeout=30)
        stored_at_kill = _pages(db)
        assert 0 < stored_at_kill < articles, "the crawl was not killed halfway: nothing was tested"
        result = run(cmd, env, tmp_path / "2.log")
        assert result.returncode == 0, result.stdout[-3000:]
    assert _pages(db) == articles  # nothing lost
    assert _count(db, "SELECT count(*) FROM revisions") == 0  # nothing stored twice
    assert len(site.hits) == articles and all(n <= 2 for n in site.hits.values())


def test_articles_without_change_dates_are_revisited_on_schedule_and_edits_become_revisions(tmp_path):
    db = tmp_path / "news.sqlite"
    later = {"NEWS_REVISIT_SCHEDULE": "3600"}  # seconds after first storage
    due = {"NEWS_REVISIT_SCHEDULE": "1"}
    with FixtureSite(articles=4, lastmod=None) as site:
        _crawl(site, tmp_path, "1.log", due)
        site.version[2] = 1  # an edit the sitemap does not announce
        _crawl(site, tmp_path, "2.log", later)
        assert site.article_hits() == 4  # not due yet: nothing refetched
        time.sleep(1.5)
        log = _crawl(site, tmp_path, "3.log", due).stdout
        assert site.article_hits() == 8  # each stored article checked once, conditionally
        assert sum(site.not_modified.values()) == 3  # unchanged ones answered 304
        assert "1 revised" in log
        _crawl(site, tmp_path, "4.log", due)
        assert site.article_hits() == 8  # checked after the last scheduled age: not due again
    assert _count(db, "SELECT count(*) FROM revisions") == 1


def test_a_source_that_lists_more_urls_than_its_cap_is_cut_with_a_recorded_reason(tmp_path):
    db = tmp_path / "news.sqlite"
    with FixtureSite(articles=30) as site:
        _crawl(site, tmp_path, "1.log", {"NEWS_MAX_URLS_PER_SOURCE": "12"})
        assert _pages(db) == 12
        assert _count(db, "SELECT count(*) FROM skips WHERE reason = 'discovery_capped'") == 1
        _crawl(site, tmp_path, "2.log", {"NEWS_MAX_URLS_PER_SOURCE": "12"})
    assert _pages(db) == 24  # the next run takes the next ones
    assert set(site.hits.values()) == {1}


@pytest.mark.redis
def test_two_demo_workers_started_together_share_the_bundled_site_and_store_each_article_once(
        tmp_path, redis_prefix):
    """The README's `start N workers` example: each process serves the bundled site on its own port,
    yet both crawl the seeds file's URLs, so the shared queue deduplicates them."""
    import sys

    from crawler.testing.local_crawl import REPO

    db = tmp_path / "news.sqlite"
    env = crawl_env(REPO / "seeds", f"sqlite:///{db}", tmp_path / "data", module="settings.production",
                    NEWS_REDIS_URL="redis://127.0.0.1:6379/0", NEWS_REDIS_PREFIX=redis_prefix, NEWS_REDIS_IDLE="0")
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "source=demo", "-s", "FEEDS={}",
           "-s", 'NORMALISER={"translate": false}']
    workers = [start(cmd, env, tmp_path / f"{name}.log") for name in ("a", "b")]
    try:
        for proc, name in zip(workers, "ab", strict=False):
            assert proc.wait(timeout=300) == 0, (tmp_path / f"{name}.log").read_text()[-3000:]
    finally:
        for proc in workers:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    urls = [row[0] for row in sqlite3.connect(db).execute("SELECT canonical_url FROM pages")]
    assert len(urls) == 9 and all(url.startswith("http://127.0.0.1:8765/") for url in urls)
    assert _count(db, "SELECT count(*) FROM revisions") == 0
    logs = [(tmp_path / f"{name}.log").read_text() for name in "ab"]
    stored = [int(line.split()[1]) for log in logs for line in log.splitlines() if line.startswith("stored ")]
    assert sum(stored) == 9, logs  # each article stored by one worker only (the other found it done)


@pytest.mark.parametrize("padding_mb", [0, 12])
def test_robots_txt_rules_are_obeyed_whatever_the_size_of_the_file(tmp_path, padding_mb):
    """RFC 9309: the first 500 KiB are read, even from a file larger than DOWNLOAD_MAXSIZE (10 MB)."""
    db = tmp_path / "news.sqlite"
    with FixtureSite(articles=4) as site:
        comment = b"# " + b"x" * 97 + b"\n"
        site.robots = (b"User-agent: *\nDisallow: /news/story-1.html\n"
                       + comment * (padding_mb * 10_000) + b"Disallow: /news/story-2.html\n")
        _crawl(site, tmp_path, "1.log")
    assert "/news/story-1.html" not in site.hits  # the rule at the top is always read
    assert _pages(db) == (2 if padding_mb == 0 else 3)  # past 500 KiB, a rule is not seen
    assert _count(db, "SELECT count(*) FROM skips WHERE reason = 'robots_disallowed'") >= 1
