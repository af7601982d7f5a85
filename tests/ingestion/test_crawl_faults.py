"""Real crawls (`scrapy crawl news` in subprocesses) against a generated local site:
incremental runs, two workers on one Redis, SIGKILL + resume, and the store going away."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import psycopg
import pytest

from crawler.testing.fixture_site import FixtureSite
from crawler.testing.local_crawl import crawl_command, crawl_env, run, start
from crawler.testing.local_crawl import sqlite_count as _sqlite_count
from crawler.testing.local_crawl import wait_for as _wait_for


def _descendants(pid: int) -> list[int]:
    """Every live process below `pid` (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _pg_count(dsn: str, sql: str) -> int:
    with psycopg.connect(dsn) as conn:
        try:
            return conn.execute(sql).fetchone()[0]
        except psycopg.errors.UndefinedTable:
            return 0


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_incremental_runs_fetch_only_new_or_changed_articles(backend, tmp_path, request):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'news.sqlite'}"
        count = lambda sql: _sqlite_count(tmp_path / "news.sqlite", sql)  # noqa: E731
    else:
        dsn = request.getfixturevalue("pg_dsn")
        url = dsn
        count = lambda sql: _pg_count(dsn, sql)  # noqa: E731
    with FixtureSite(articles=8) as site:
        env = crawl_env(site.seeds(tmp_path / "seeds"), url, tmp_path / "data")
        assert run(crawl_command(), env, tmp_path / "1.log").returncode == 0
        assert site.article_hits() == 8 and count("SELECT count(*) FROM pages") == 8

        # Nothing changed: the sitemap lastmods are not newer, no article is requested again.
        assert run(crawl_command(), env, tmp_path / "2.log").returncode == 0
        assert site.article_hits() == 8

        # Article 3's text changed (new ETag, newer lastmod); article 5's lastmod moved but not its text.
        site.version[3] = 1
        site.touched[5] = 1
        log = run(crawl_command(), env, tmp_path / "3.log").stdout
        assert site.hits["/news/story-3.html"] == 2
        assert site.not_modified["/news/story-5.html"] == 1  # conditional GET answered 304
        assert count("SELECT count(*) FROM pages") == 8  # nothing stored twice
        assert count("SELECT count(*) FROM revisions") == 1  # the old text of article 3 is kept
        assert "1 revised" in log
        assert count("SELECT revision FROM pages WHERE canonical_url LIKE '%/story-3.html'") == 2


@pytest.mark.redis
@pytest.mark.postgres
def test_two_workers_on_one_redis_fetch_and_store_each_article_once(tmp_path, pg_dsn, redis_prefix):
    import redis

    articles = 60
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    # Started together, as `start N workers` means: whichever reads the sitemap first fills the
    # shared queue while the other waits for it instead of closing with nothing done. The site
    # answers no article until both have asked for one, so a worker slow to start under load still
    # gets its share (without that, the first one up could take the whole queue).
    with FixtureSite(articles=articles, delay=0.5) as site:
        site.hold_articles_for = {"worker-a", "worker-b"}
        env = crawl_env(site.seeds(tmp_path / "seeds"), pg_dsn, tmp_path / "data", module="settings.production",
                        NEWS_REDIS_URL="redis://127.0.0.1:6379/0", NEWS_REDIS_PREFIX=redis_prefix,
                        NEWS_REDIS_IDLE="0")
        extra = {"CONCURRENT_REQUESTS": "2", "FEEDS": "{}",
                 "DOWNLOAD_TIMEOUT": str(int(site.hold_timeout) + 60)}  # a held request is not a timeout
        first = start(crawl_command(settings={**extra, "USER_AGENT": "worker-a"}), env, tmp_path / "a.log")
        second = start(crawl_command(settings={**extra, "USER_AGENT": "worker-b"}), env, tmp_path / "b.log")
        try:
            assert first.wait(timeout=300) == 0, (tmp_path / "a.log").read_text()[-3000:]
            assert second.wait(timeout=300) == 0, (tmp_path / "b.log").read_text()[-3000:]
        finally:
            for proc in (first, second):
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    assert set(site.hits.values()) == {1} and len(site.hits) == articles  # every article fetched exactly once
    assert site.by_agent["worker-a"] > 0 and site.by_agent["worker-b"] > 0  # both workers did share the work
    assert site.by_agent["worker-a"] + site.by_agent["worker-b"] == articles
    assert _pg_count(pg_dsn, "SELECT count(*) FROM pages") == articles  # stored once
    assert _pg_count(pg_dsn, "SELECT count(*) FROM revisions") == 0
    assert client.keys(f"{redis_prefix}:news:dupefilter:*")  # the shared filter was used


def test_sigkill_halfway_then_resume_from_jobdir(tmp_path):
    articles = 40
    db = tmp_path / "news.sqlite"
    with FixtureSite(articles=articles, delay=0.15) as site:
        env = crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{db}", tmp_path / "data")
        cmd = crawl_command(settings={"JOBDIR": str(tmp_path / "job"), "CONCURRENT_REQUESTS": "2",
                                      "CONCURRENT_REQUESTS_PER_DOMAIN": "2"})
        proc = start(cmd, env, tmp_path / "1.log")
        _wait_for(lambda: _sqlite_count(db, "SELECT count(*) FROM pages") >= 1, what="the normaliser worker up")
        started = _descendants(proc.pid)  # the normaliser worker and multiprocessing's resource tracker
        _wait_for(lambda: _sqlite_count(db, "SELECT count(*) FROM pages") >= articles // 4, what="a quarter stored")
        try:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            # They exit with their parent (crawler/processing/orphans.py), not live on under PID 1.
            _wait_for(lambda: not [p for p in started if _alive(p)], timeout=15, what="the crawl's children to exit")
        finally:
            for pid in started:  # whatever happened above, nothing this test started lives on
                if _alive(pid):
                    os.kill(pid, signal.SIGKILL)
        stored_at_kill = _sqlite_count(db, "SELECT count(*) FROM pages")
        assert 0 < stored_at_kill < articles
        result = run(cmd, env, tmp_path / "2.log")
        assert result.returncode == 0, result.stdout[-3000:]
    assert _sqlite_count(db, "SELECT count(*) FROM pages") == articles  # nothing lost
    assert _sqlite_count(db, "SELECT count(*) FROM revisions") == 0  # nothing stored twice
    assert len(site.hits) == articles
    # Only pages in flight at the kill (downloaded, not yet stored) may be fetched a second time.
    refetched = [p for p, n in site.hits.items() if n > 1]
    assert all(n <= 2 for n in site.hits.values())
    assert len(refetched) <= articles - stored_at_kill


@pytest.mark.postgres
def test_postgres_connections_killed_mid_run_are_retried(tmp_path, pg_dsn):
    articles = 30
    # Slow responses (2 at a time: ~4.5 s for all) keep pages arriving after the normaliser worker
    # is up (~2 s); with fast ones every page was downloaded during its start-up and all 30 were
    # saved within a fraction of a second, before the kill. Batches of one page make saves trickle in.
    with FixtureSite(articles=articles, delay=0.3) as site:
        env = crawl_env(site.seeds(tmp_path / "seeds"), pg_dsn, tmp_path / "data", module="settings.production")
        proc = start(crawl_command(settings={"CONCURRENT_REQUESTS": "2", "FEEDS": "{}", "NEWS_NORMALISE_BATCH": "1"}),
                     env, tmp_path / "1.log")
        _wait_for(lambda: _pg_count(pg_dsn, "SELECT count(*) FROM pages") >= 5, what="some pages stored")
        dbname = pg_dsn.rsplit("/", 1)[-1]
        with psycopg.connect(pg_dsn, autocommit=True) as admin:
            stored_at_kill = admin.execute("SELECT count(*) FROM pages").fetchone()[0]
            killed = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                   " WHERE datname = %s AND pid <> pg_backend_pid()", (dbname,)).fetchone()[0]
        assert killed >= 1
        assert stored_at_kill < articles, "the crawl had finished before the kill: nothing was tested"
        assert proc.wait(timeout=300) == 0
    log = (tmp_path / "1.log").read_text()
    assert "retry 1/" in log  # the store said it lost the connection and retried
    assert _pg_count(pg_dsn, "SELECT count(*) FROM pages") == articles
    # every stored page is whole: its record, raw HTML and hash are all there
    assert _pg_count(pg_dsn, "SELECT count(*) FROM pages WHERE record IS NULL OR html IS NULL"
                             " OR content_hash IS NULL") == 0


def test_unreachable_postgres_stops_the_crawl_with_a_clear_error(tmp_path):
    with FixtureSite(articles=5) as site:
        env = crawl_env(site.seeds(tmp_path / "seeds"), "postgresql://news:s3cret@127.0.0.1:1/news",
                        tmp_path / "data", module="settings.production", NEWS_STORE_RETRIES="2",
                        NEWS_STORE_RETRY_BACKOFF="0.05")
        log = run(crawl_command(settings={"FEEDS": "{}"}), env, tmp_path / "1.log").stdout
    assert "PostgreSQL at postgresql://news:***@127.0.0.1:1/news unavailable" in log
    assert "retry policy: 2 attempt(s)" in log
    assert "s3cret" not in log
    assert "'finish_reason': 'store_unavailable'" in log
    assert site.article_hits() == 0  # nothing fetched that could not be stored


def test_unreachable_redis_fails_the_run_with_a_clear_error(tmp_path):
    with FixtureSite(articles=5) as site:
        env = crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{tmp_path / 'news.sqlite'}", tmp_path / "data",
                        module="settings.production", NEWS_REDIS_URL="redis://127.0.0.1:1/0")
        result = run(crawl_command(settings={"FEEDS": "{}", "REDIS_PARAMS": '{"socket_connect_timeout": 2}'}),
                     env, tmp_path / "1.log")
    assert result.returncode != 0
    assert "127.0.0.1:1" in result.stdout and "onnect" in result.stdout  # names the Redis address it tried
    assert site.article_hits() == 0
    assert _sqlite_count(tmp_path / "news.sqlite", "SELECT count(*) FROM pages") == 0
