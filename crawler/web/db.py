"""Read-only database access for the review app: one small adapter per store kind.

The app only reads (pages, revisions, skips) with its own connections, so it never holds
the crawler's write transaction and works while a crawl runs. SQL is written once with `?`
placeholders; the PostgreSQL adapter turns them into `%s`. Values come back as plain Python:
records as dicts, timestamps as ISO strings.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.storage.errors import StoreUnavailable
from crawler.storage.factory import open_store, parse_store_url


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, memoryview):
        return bytes(value)
    return value


class ReadDB:
    """`rows(sql, args)` runs a read query; `dialect` is "sqlite" or "postgresql"."""

    dialect = ""
    description = ""

    def rows(self, sql: str, args: tuple | list = ()) -> list[tuple]:
        raise NotImplementedError

    def record(self, value: Any) -> dict[str, Any]:
        """A record column value (JSON text in SQLite, JSONB in PostgreSQL) as a dict."""
        if isinstance(value, (str, bytes)):
            value = json.loads(value)
        return value if isinstance(value, dict) else {}

    def close(self) -> None:
        """Release connections."""


class SQLiteReadDB(ReadDB):
    dialect = "sqlite"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.description = str(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # Read-only: the web app must never write to the crawler's store.
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30, check_same_thread=False)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def rows(self, sql: str, args: tuple | list = ()) -> list[tuple]:
        return [tuple(_plain(v) for v in row) for row in self._conn().execute(sql, tuple(args))]

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()


class PostgresReadDB(ReadDB):
    dialect = "postgresql"

    def __init__(self, dsn: str):
        import psycopg

        from crawler.storage.postgres import redact_dsn

        self._psycopg = psycopg
        self.dsn = dsn
        self.description = redact_dsn(dsn)
        self._lock = threading.Lock()
        self._connection: Any = None

    def rows(self, sql: str, args: tuple | list = ()) -> list[tuple]:
        sql = sql.replace("?", "%s")
        with self._lock:
            for attempt in (1, 2):  # one reconnect: a server restart must not need an app restart
                try:
                    if self._connection is None or self._connection.closed:
                        self._connection = self._psycopg.connect(self.dsn, autocommit=True, connect_timeout=10)
                    rows = self._connection.execute(sql, tuple(args)).fetchall()
                    return [tuple(_plain(v) for v in row) for row in rows]
                except self._psycopg.OperationalError as exc:
                    self._connection = None
                    if attempt == 2:
                        raise StoreUnavailable(f"PostgreSQL store {self.description} unreachable: {exc}") from exc
        return []

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


def open_read_db(store_url: str) -> ReadDB:
    """Open the store once the crawler's way (creates the schema when missing), then read-only connections."""
    open_store(store_url).close()
    kind, target = parse_store_url(store_url)
    if kind == "postgresql":
        return PostgresReadDB(target)
    return SQLiteReadDB(target)
