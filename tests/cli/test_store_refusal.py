"""A PostgreSQL store that refuses us for good (no such database) fails at once, in one line."""
from __future__ import annotations

import logging
import socket
import uuid

import pytest

from crawler.storage.errors import StoreUnavailable
from crawler.storage.postgres import PostgresStore, StoreRefused

from .test_scrapy_commands import scrapy

pytestmark = pytest.mark.postgres


def _server_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def missing_db_url():
    if not _server_up():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    return f"postgresql://postgres@127.0.0.1:5432/news_missing_{uuid.uuid4().hex[:10]}"


def test_missing_database_is_refused_without_retrying(missing_db_url, caplog):
    store = PostgresStore(missing_db_url, attempts=5, backoff=0.01)
    with caplog.at_level(logging.WARNING, logger="crawler.storage.postgres"), pytest.raises(StoreRefused) as info:
        store.open()
    assert "does not exist" in str(info.value) and "Creating the PostgreSQL database" in str(info.value)
    assert not [r for r in caplog.records if "retry" in r.getMessage()]


def test_an_unreachable_server_is_still_retried(caplog):
    with socket.socket() as sock:  # a port nobody listens on: connection refused, a transient failure
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = PostgresStore(f"postgresql://postgres@127.0.0.1:{port}/news", attempts=3, backoff=0.01)
    with caplog.at_level(logging.WARNING, logger="crawler.storage.postgres"), \
            pytest.raises(StoreUnavailable) as info:
        store.open()
    assert not isinstance(info.value, StoreRefused)
    assert len([r for r in caplog.records if "retry" in r.getMessage()]) == 2


def test_crawl_with_a_missing_database_stops_before_crawling(tmp_path, missing_db_url):
    proc = scrapy(tmp_path, "crawl", "news", "-a", "source=demo", NEWS_STORE_URL=missing_db_url,
                  NEWS_SEEDS_DIR="seeds")
    assert proc.returncode == 2, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr and "Spider error" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if " ERROR: " in line or " CRITICAL: " in line]
    assert len(errors) == 1 and "does not exist" in errors[0], errors
    for command in (["export", "-o", str(tmp_path / "out.jsonl")], ["schedule", "--dry-run"], ["renormalise"]):
        proc = scrapy(tmp_path, *command, NEWS_STORE_URL=missing_db_url)
        assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
        assert "does not exist" in proc.stderr
