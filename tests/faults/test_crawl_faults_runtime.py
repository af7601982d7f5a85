"""Real crawls under runtime faults: kill -9, a store that cannot write. Every process started is
ended by the test (crawls.crawl_session), whatever the outcome."""
from __future__ import annotations

import signal

from crawls import count, crawl, crawl_session, fixture_site, wait_for, wait_until_gone

from normalise.exit_codes import ExitCode


def test_kill_9_of_a_crawl_leaves_no_worker_or_resource_tracker_behind(tmp_path):
    db = tmp_path / "news.sqlite"
    with fixture_site.FixtureSite(articles=30, delay=0.2) as site:
        env = crawl.crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{db}", tmp_path / "data")
        cmd = crawl.crawl_command(settings={"CONCURRENT_REQUESTS": "2", "FEEDS": "{}"})
        with crawl_session(cmd, env, tmp_path / "crawl.log") as proc:
            wait_for(lambda: count(db, "SELECT count(*) FROM pages") >= 2, what="pages stored (worker up)")
            assert len(wait_until_gone(proc.pid, timeout=0)) >= 2  # the crawl and its worker(s)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            left = wait_until_gone(proc.pid)
    assert left == [], f"processes outlived the killed crawl: {left}"


def test_a_store_that_cannot_write_stops_the_crawl_at_once_with_exit_3(tmp_path):
    db = tmp_path / "news.sqlite"
    articles = 150
    # Slow pages (2 at a time: ~15 s for all) keep pages arriving long after the normaliser is up.
    with fixture_site.FixtureSite(articles=articles, delay=0.2) as site:
        env = crawl.crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{db}", tmp_path / "data")
        cmd = crawl.crawl_command(settings={"CONCURRENT_REQUESTS": "2", "FEEDS": "{}", "NEWS_NORMALISE_BATCH": "1"})
        # Files this crawl writes may not grow past 160 KiB: the database fills up after a few pages.
        with crawl_session(cmd, env, tmp_path / "full.log", file_size_limit=160 * 1024) as proc:
            code = proc.wait(timeout=300)
        fetched_when_full = site.article_hits()
        log = (tmp_path / "full.log").read_text(errors="replace")
        assert code == ExitCode.FAILED, log[-3000:]
        assert "'finish_reason': 'store_write_failed'" in log
        assert "store write failed, stopping the crawl" in log
        assert "fetched but NOT stored" in log  # the summary line says what was lost to this run
        stored_when_full = count(db, "SELECT count(*) FROM pages")
        assert stored_when_full < articles
        assert fetched_when_full < articles, "the crawl went on fetching pages it could not store"

        # Space again: the next run stores every page the full disk refused, none twice.
        with crawl_session(cmd, env, tmp_path / "again.log") as proc:
            assert proc.wait(timeout=300) == ExitCode.OK, (tmp_path / "again.log").read_text()[-3000:]
    assert count(db, "SELECT count(*) FROM pages") == articles
    assert count(db, "SELECT count(*) FROM revisions") == 0
