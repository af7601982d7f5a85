"""Real services for the ingestion tests: a throw-away PostgreSQL database and a Redis key prefix.

Each test that needs PostgreSQL gets its own database (created here, dropped afterwards);
each test that needs Redis gets its own key prefix (deleted afterwards). Without a server on
127.0.0.1 the tests skip and say why.
"""
from __future__ import annotations

import os
import uuid

import pytest

PG_HOST = os.environ.get("NEWS_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("NEWS_TEST_PG_PORT", "5432"))
REDIS_URL = os.environ.get("NEWS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _pg_admin():
    import psycopg

    errors = []
    for user in ("postgres", "root", os.environ.get("USER") or "postgres"):
        for db in ("postgres", "template1"):
            dsn = f"postgresql://{user}@{PG_HOST}:{PG_PORT}/{db}"
            try:
                return psycopg.connect(dsn, autocommit=True, connect_timeout=3), user
            except psycopg.Error as exc:
                errors.append(f"{dsn}: {str(exc).strip().splitlines()[0]}")
    pytest.skip("no PostgreSQL server usable on "
                f"{PG_HOST}:{PG_PORT} (trust auth as postgres or root): " + "; ".join(errors[:2]))


@pytest.fixture
def pg_dsn():
    """DSN of a fresh, uniquely named database, dropped after the test."""
    admin, user = _pg_admin()
    name = f"news_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://{user}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                      "pg_backend_pid()", (name,))
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


@pytest.fixture
def pg_store(pg_dsn):
    from crawler.storage.postgres import PostgresStore

    store = PostgresStore(pg_dsn, attempts=2, backoff=0.05).open()
    yield store
    store.close()


@pytest.fixture
def redis_prefix():
    """A unique key prefix on the real Redis; every key under it is deleted afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis server reachable at {REDIS_URL}: {exc}")
    prefix = f"news-test-{uuid.uuid4().hex[:10]}"
    try:
        yield prefix
    finally:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()
