"""Redis lost mid-crawl (the link to it cut): bounded attempts, then a clean stop with exit status 3
and the queue left in Redis; the next run resumes it and stores the rest."""
from __future__ import annotations

import os
import uuid

import pytest
from crawls import count, crawl, crawl_session, fixture_site, wait_for

from crawler.testing.tcp_proxy import CuttableProxy
from normalise.exit_codes import ExitCode

REDIS = ("127.0.0.1", 6379)


@pytest.fixture
def redis_client():
    redis = pytest.importorskip("redis")
    client = redis.Redis(host=REDIS[0], port=REDIS[1], socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis server reachable at {REDIS[0]}:{REDIS[1]}: {exc}")
    prefix = f"news-faults-{uuid.uuid4().hex[:10]}"
    client.news_prefix = prefix
    try:
        yield client
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        client.close()


@pytest.mark.redis
def test_losing_redis_mid_crawl_stops_cleanly_with_exit_3_and_the_queue_kept(tmp_path, redis_client):
    db = tmp_path / "news.sqlite"
    prefix = redis_client.news_prefix
    articles = 60
    with fixture_site.FixtureSite(articles=articles, delay=0.5) as site:
        def env(port: int) -> dict:
            return crawl.crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{db}", tmp_path / "data",
                                   module="settings.production", NEWS_REDIS_URL=f"redis://127.0.0.1:{port}/0",
                                   NEWS_REDIS_PREFIX=prefix, NEWS_REDIS_IDLE="1", NEWS_REDIS_MAX_FAILURES="3")
        cmd = crawl.crawl_command(settings={"CONCURRENT_REQUESTS": "2", "FEEDS": "{}",
                                            "REDIS_PARAMS": '{"socket_timeout": 5, "socket_connect_timeout": 2}'})
        with CuttableProxy(REDIS) as proxy, crawl_session(cmd, env(proxy.port), tmp_path / "cut.log") as proc:
            wait_for(lambda: site.article_hits() >= 5, what="articles fetched from the queue before the cut")
            proxy.cut()
            code = proc.wait(timeout=180)
        log = (tmp_path / "cut.log").read_text(errors="replace")
        assert code == ExitCode.FAILED, log[-3000:]
        assert "'finish_reason': 'queue_unavailable'" in log
        assert log.count("Traceback") <= 1, log[-5000:]
        stored_at_cut = count(db, "SELECT count(*) FROM pages")
        queued = redis_client.zcard(f"{prefix}:news:requests")
        assert stored_at_cut < articles and queued > 0  # the rest is still waiting in Redis

        with CuttableProxy(REDIS) as proxy, crawl_session(cmd, env(proxy.port), tmp_path / "resume.log") as proc:
            assert proc.wait(timeout=300) == ExitCode.OK, (tmp_path / "resume.log").read_text()[-3000:]
    assert count(db, "SELECT count(*) FROM pages") == articles  # nothing lost
    assert count(db, "SELECT count(*) FROM revisions") == 0
    assert max(site.hits.values()) <= 2 and os.path.exists(db)
