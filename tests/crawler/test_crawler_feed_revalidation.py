"""Incremental runs and feed dates: a stored article whose feed entry says it was updated after we
fetched it is asked for again (conditional GET); a new version is stored as a revision, a 304 is
remembered so the next run does not ask again."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from crawl_helpers import db_rows, run_crawl, seed_toml
from fixture_server import FixtureServer

from crawler.spiders.news import listed_as_changed

FERRY_ITEM_END = b"<pubDate>Tue, 03 Jun 2025 09:30:00 GMT</pubDate></item>"
FERRY_PATH = "/articles/en-ferry.html"


def _state(lastmod=None, fetched_at="2025-06-05T12:00:00+00:00"):
    return SimpleNamespace(lastmod=lastmod, fetched_at=fetched_at)


@pytest.mark.parametrize("discovery, state, changed", [
    ({"feed_updated": "2025-06-05T12:00:01+00:00"}, _state(), True),
    ({"feed_updated": "2025-06-05T11:00:00+00:00"}, _state(), False),
    ({"feed_updated": "2025-06-05T14:00:00+02:00"}, _state(), False),  # same instant, other zone
    ({"feed_updated": "2025-06-07"}, _state(), True),  # a bare date is its midnight UTC
    ({"lastmod": "2025-06-06T00:00:00Z"}, _state(lastmod="2025-06-05T00:00:00+00:00"), True),
    ({"lastmod": "2025-06-04T00:00:00Z"}, _state(lastmod="2025-06-05T00:00:00+00:00"), False),
    # the last listed date we saw wins over the fetch time (the outlet's clock, not ours)
    ({"lastmod": "2025-06-05T06:00:00Z"}, _state(lastmod="2025-06-05T00:00:00+00:00"), True),
    ({"feed_published": "2030-01-01T00:00:00+00:00"}, _state(), False),  # publication is not an update
    ({"feed_updated": "not a date"}, _state(), False),
    ({}, _state(), False),
])
def test_listed_as_changed(discovery, state, changed):
    assert listed_as_changed(discovery, state) is changed


def _crawl(tmp_path, server):
    return run_crawl(tmp_path / "data", "-a", "source=fixture", seeds_dir=tmp_path / "seeds",
                     settings={"FEEDS": "{}"}, env_extra={"NEWS_STORE_URL": f"sqlite:///{tmp_path / 'news.sqlite'}"})


def _summary(run) -> str:
    return next(line for line in run.stdout.splitlines() if line.startswith("stored "))


def _updated_now(server) -> None:
    """The feed now says the ferry story was updated a moment from now (after every fetch so far)."""
    stamp = (datetime.now(timezone.utc) + timedelta(seconds=2)).isoformat(timespec="seconds")
    server.replacements[FERRY_ITEM_END] = FERRY_ITEM_END.replace(b"</item>", f"<updated>{stamp}</updated></item>".encode())


def test_a_feed_update_date_revalidates_then_stores_a_revision(tmp_path):
    (tmp_path / "seeds").mkdir()
    with FixtureServer() as server:
        (tmp_path / "seeds" / "fixture.toml").write_text(seed_toml(
            server.base, r"^http://127\.0\.0\.1:\d+/articles/en-[a-z0-9-]+\.html$", feeds="/feed.rss"), encoding="utf-8")
        first = _crawl(tmp_path, server)
        assert first.returncode == 0, first.stderr[-3000:]
        assert server.fetched(FERRY_PATH) == 1

        _updated_now(server)  # listed as updated, page itself unchanged: a conditional GET, then 304
        second = _crawl(tmp_path, server)
        assert server.conditional == [FERRY_PATH]
        assert "1 not modified" in _summary(second)

        third = _crawl(tmp_path, server)  # same feed again: the 304 was remembered, nothing asked
        assert server.conditional == [FERRY_PATH] and server.fetched(FERRY_PATH) == 2
        assert _summary(third).startswith("stored 0 articles")

        _updated_now(server)  # updated again, and this time the story really changed
        server.replacements[b"seven days"] = b"eight days"
        fourth = _crawl(tmp_path, server)
    assert server.conditional == [FERRY_PATH, FERRY_PATH]
    assert fourth.returncode == 0, fourth.stderr[-3000:]
    db = tmp_path / "news.sqlite"
    (revision, record) = db_rows(db, "SELECT revision, record FROM pages WHERE canonical_url LIKE ?", (f"%{FERRY_PATH}",))[0]
    assert revision == 2 and "eight days" in record
    old = db_rows(db, "SELECT record FROM revisions WHERE canonical_url LIKE ?", (f"%{FERRY_PATH}",))
    assert len(old) == 1 and "seven days" in old[0][0]
