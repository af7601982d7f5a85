"""The embedded store: one SQLite file in WAL mode, raw HTML zlib-compressed.

The scheduler's run lock is an fcntl lock on a file beside the database; the near-duplicate
index is two tables in the same file, on a connection of its own (WAL lets both write).
"""
from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from crawler.dates import aware_datetime
from crawler.storage import json_text, raw_html
from crawler.storage.base import (
    CurrentVersion,
    FetchState,
    PageRow,
    RevisitState,
    Store,
    StoreCounts,
    StoredPage,
    record_columns,
)
from crawler.storage.file_lock import file_lock

if TYPE_CHECKING:
    from crawler.processing.near_duplicates import SqlIndex

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    canonical_url TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    final_url TEXT NOT NULL,
    source TEXT NOT NULL,
    status INTEGER NOT NULL,
    headers TEXT NOT NULL,            -- JSON object
    content_type TEXT,
    fetched_at TEXT NOT NULL,
    first_stored_at TEXT NOT NULL,
    published_at TEXT,
    language TEXT,
    title TEXT,
    content_hash TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    lastmod TEXT,
    checked_at TEXT,                  -- last fetch or 304 (revisit schedule)
    html BLOB NOT NULL,               -- zlib-compressed raw body
    record TEXT NOT NULL,             -- the normalised record, JSON
    pipeline_version TEXT,
    cluster_id TEXT,
    near_duplicate_of TEXT,
    removed_blocks TEXT,              -- {reason: removed blocks} of the record, JSON (counts page)
    revision INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS pages_source ON pages(source);
CREATE INDEX IF NOT EXISTS pages_language ON pages(language);
CREATE INDEX IF NOT EXISTS pages_published ON pages(published_at);
CREATE TABLE IF NOT EXISTS revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    canonical_url TEXT NOT NULL,
    revision INTEGER NOT NULL,
    fetched_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    html BLOB NOT NULL,
    record TEXT NOT NULL,
    pipeline_version TEXT,
    replaced_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS revisions_url ON revisions(canonical_url);
CREATE TABLE IF NOT EXISTS url_aliases (
    url TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS skips (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL,
    source TEXT,
    reason TEXT NOT NULL,
    detail TEXT,                      -- as of the latest time
    at TEXT NOT NULL,                 -- latest time this URL was skipped for this reason
    first_at TEXT,
    count INTEGER NOT NULL DEFAULT 1  -- times skipped for this reason (one row per URL + reason)
);
CREATE INDEX IF NOT EXISTS skips_reason ON skips(reason);
CREATE TABLE IF NOT EXISTS source_runs (
    source TEXT PRIMARY KEY,
    last_started_at TEXT,
    last_finished_at TEXT,
    last_status TEXT
);
"""
# Columns added to `pages` after the first stores were made (ALTER TABLE on older files).
_ADDED_PAGE_COLUMNS = {"cluster_id": "TEXT", "near_duplicate_of": "TEXT", "checked_at": "TEXT", "removed_blocks": "TEXT"}
# Stores made before removed_blocks existed: counted once from the records (what a save writes).
_REMOVED_BLOCKS_BACKFILL = """
UPDATE pages SET removed_blocks = (
    SELECT json_group_object(reason, n) FROM (
        SELECT json_extract(b.value, '$.removed') AS reason, count(*) AS n FROM json_each(pages.record, '$.blocks') b
        WHERE json_extract(b.value, '$.removed') IS NOT NULL GROUP BY reason ORDER BY reason))
WHERE EXISTS (SELECT 1 FROM json_each(pages.record, '$.blocks') b WHERE json_extract(b.value, '$.removed') IS NOT NULL)
"""

# Stores made before skips were counted held one row per skip event: merge those into one row per
# URL + reason (count = rows, latest detail and time) before the unique index can exist.
_SKIPS_MIGRATION = """
ALTER TABLE skips ADD COLUMN first_at TEXT;
ALTER TABLE skips ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
UPDATE skips SET
    first_at = (SELECT MIN(s.at) FROM skips s WHERE s.url = skips.url AND s.reason = skips.reason),
    count = (SELECT COUNT(*) FROM skips s WHERE s.url = skips.url AND s.reason = skips.reason);
DELETE FROM skips WHERE id NOT IN (SELECT MAX(id) FROM skips GROUP BY url, reason);
"""

_PAGE_COLUMNS = ("canonical_url, url, final_url, source, status, headers, content_type, fetched_at, html, "
                 "record, pipeline_version, lastmod")


def _instant(value: str) -> datetime:
    """A stored ISO timestamp (always written by this store) as an aware datetime."""
    moment = aware_datetime(value)
    if moment is None:
        raise ValueError(f"{value!r} in the store is not an ISO timestamp")
    return moment


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


BUSY_TIMEOUT = 30.0  # seconds a statement waits for another connection's write lock


def _switch_to_wal(db: sqlite3.Connection) -> None:
    """PRAGMA journal_mode=WAL, retried: processes opening a new database file together (two
    workers started at once) each hold a shared lock and ask for an exclusive one to switch, and
    SQLite answers one of them "database is locked" at once, without waiting, to break the deadlock."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    pause = 0.005
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(pause * (1 + random.random()))  # jittered: the other opener gets through first
        pause = min(pause * 2, 0.2)


class SQLiteStore(Store):
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.description = str(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode; every write goes through `_in_transaction` (BEGIN IMMEDIATE .. COMMIT).
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT)
        _switch_to_wal(self._db)
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)
        if "count" not in {row[1] for row in self._db.execute("PRAGMA table_info(skips)")}:
            self._db.executescript(f"BEGIN IMMEDIATE; {_SKIPS_MIGRATION} COMMIT;")
        page_columns = {row[1] for row in self._db.execute("PRAGMA table_info(pages)")}
        for column, kind in _ADDED_PAGE_COLUMNS.items():
            if column not in page_columns:
                self._db.execute(f"ALTER TABLE pages ADD COLUMN {column} {kind}")
                if column == "removed_blocks":
                    self._db.execute(_REMOVED_BLOCKS_BACKFILL)
        self._db.execute("CREATE INDEX IF NOT EXISTS pages_cluster ON pages(cluster_id)")
        self._db.execute("CREATE UNIQUE INDEX IF NOT EXISTS skips_url_reason ON skips(url, reason)")
        self._db.execute("CREATE INDEX IF NOT EXISTS pages_source_first_stored ON pages(source, first_stored_at)")
        # Covering indexes for the review app's counts by day: read instead of rows that hold whole pages.
        self._db.execute("CREATE INDEX IF NOT EXISTS pages_fetched_source ON pages(fetched_at, source)")
        self._db.execute("CREATE INDEX IF NOT EXISTS pages_fetched_removed ON pages(fetched_at, removed_blocks) "
                         "WHERE removed_blocks IS NOT NULL")

    def _in_transaction(self, what: str, body: Callable[[Any], T]) -> T:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            result = body(self._db)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        return result

    def _resolve(self, url: str) -> str | None:
        row = self._db.execute(
            "SELECT canonical_url FROM pages WHERE canonical_url = ? "
            "UNION ALL SELECT canonical_url FROM url_aliases WHERE url = ? LIMIT 1", (url, url)).fetchone()
        return row[0] if row else None

    # -- writes -------------------------------------------------------------------------------
    @staticmethod
    def _values(row: PageRow) -> dict[str, Any]:
        values = {k: v for k, v in vars(row).items() if k != "aliases"}
        values["headers"] = json_text.dumps(row.headers)
        values["record"] = json_text.dumps(row.record)
        return values

    def _current_version(self, tx: Any, canonical_url: str) -> CurrentVersion | None:
        # BEGIN IMMEDIATE already holds the database's write lock: the row cannot change meanwhile.
        found = tx.execute("SELECT content_hash, revision FROM pages WHERE canonical_url = ?",
                           (canonical_url,)).fetchone()
        return CurrentVersion(*found) if found else None

    def _insert_page(self, tx: Any, row: PageRow) -> None:
        values = self._values(row)
        cols = ", ".join(values) + ", first_stored_at, revision"
        marks = ", ".join(f":{k}" for k in values) + ", :first_stored_at, 1"
        tx.execute(f"INSERT INTO pages ({cols}) VALUES ({marks})", {**values, "first_stored_at": _now()})

    def _refresh_page(self, tx: Any, row: PageRow) -> None:
        tx.execute(
            "UPDATE pages SET fetched_at = :fetched_at, checked_at = :checked_at, status = :status, "
            "headers = :headers, etag = :etag, last_modified = :last_modified, lastmod = COALESCE(:lastmod, lastmod), "
            "record = CASE WHEN pipeline_version IS NOT :pipeline_version THEN :record ELSE record END, "
            "removed_blocks = CASE WHEN pipeline_version IS NOT :pipeline_version THEN :removed_blocks "
            "ELSE removed_blocks END, "
            "pipeline_version = :pipeline_version WHERE canonical_url = :canonical_url", self._values(row))

    def _revise_page(self, tx: Any, row: PageRow, current: CurrentVersion) -> None:
        tx.execute(
            "INSERT INTO revisions (canonical_url, revision, fetched_at, content_hash, html, record, "
            "pipeline_version, replaced_at) SELECT canonical_url, revision, fetched_at, content_hash, html, "
            "record, pipeline_version, ? FROM pages WHERE canonical_url = ?", (_now(), row.canonical_url))
        values = self._values(row)
        sets = ", ".join(f"{k} = :{k}" for k in values if k != "canonical_url")
        tx.execute(f"UPDATE pages SET {sets}, revision = revision + 1 WHERE canonical_url = :canonical_url", values)

    def _write_aliases(self, tx: Any, canonical_url: str, aliases: tuple[str, ...]) -> None:
        tx.executemany("INSERT OR REPLACE INTO url_aliases (url, canonical_url) VALUES (?, ?)",
                       [(alias, canonical_url) for alias in aliases])

    def record_skip(self, url: str, source: str | None, reason: str, detail: str | None = None) -> None:
        """One row per URL + reason: a page skipped again (every run re-finds the same 404) counts up."""
        now = _now()
        self._in_transaction(f"skip of {url}", lambda db: db.execute(
            "INSERT INTO skips (url, source, reason, detail, at, first_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (url, reason) DO UPDATE SET count = count + 1, at = excluded.at, "
            "detail = excluded.detail, source = COALESCE(excluded.source, source)",
            (url, source, reason, (detail or "")[:2000] or None, now, now)))

    def update_record(self, canonical_url: str, record: dict[str, Any]) -> None:
        values = dict(record_columns(record), record=json_text.dumps(record))
        sets = ", ".join(f"{k} = :{k}" for k in values)

        def body(db: sqlite3.Connection) -> None:
            if db.execute(f"UPDATE pages SET {sets} WHERE canonical_url = :key",
                          {**values, "key": canonical_url}).rowcount == 0:
                raise KeyError(f"no stored page for {canonical_url}")

        self._in_transaction(f"update of {canonical_url}", body)

    def note_discovery(self, url: str, lastmod: str | None, published_at: str | None, origin: str) -> bool:
        return self._in_transaction(f"discovery of {url}",
                                    lambda db: self._note_discovery(db, url, lastmod, published_at, origin))

    def _note_discovery(self, db: sqlite3.Connection, url: str, lastmod: str | None, published_at: str | None,
                        origin: str) -> bool:
        canonical = self._resolve(url)
        if canonical is None:
            return False
        if lastmod:
            db.execute("UPDATE pages SET lastmod = ? WHERE canonical_url = ? AND (lastmod IS NULL OR lastmod < ?)",
                       (lastmod, canonical, lastmod))
        if published_at:
            row = db.execute("SELECT record FROM pages WHERE canonical_url = ? AND published_at IS NULL",
                             (canonical,)).fetchone()
            if row:
                record = json.loads(row[0])
                record["published_at"] = published_at
                record.setdefault("metadata", {})["published_at_source"] = origin
                db.execute("UPDATE pages SET published_at = ?, record = ? WHERE canonical_url = ?",
                           (published_at, json_text.dumps(record), canonical))
        return True

    def note_checked(self, url: str, at: str) -> bool:
        def body(db: sqlite3.Connection) -> bool:
            canonical = self._resolve(url)
            if canonical is None:
                return False
            db.execute("UPDATE pages SET checked_at = ? WHERE canonical_url = ?", (at, canonical))
            return True

        return self._in_transaction(f"check of {url}", body)

    # -- reads --------------------------------------------------------------------------------
    def revisit_candidates(self, source: str, first_stored_since: datetime) -> list[RevisitState]:
        rows = self._db.execute(
            "SELECT canonical_url, etag, last_modified, first_stored_at, COALESCE(checked_at, fetched_at) "
            "FROM pages WHERE source = ? AND first_stored_at >= ?",
            (source, first_stored_since.astimezone(timezone.utc).isoformat(timespec="seconds")))
        return [RevisitState(url, etag, last_modified, _instant(first), _instant(checked))
                for url, etag, last_modified, first, checked in rows]

    def has(self, url: str) -> bool:
        return self._resolve(url) is not None

    def fetch_state(self, url: str) -> FetchState | None:
        canonical = self._resolve(url)
        if canonical is None:
            return None
        row = self._db.execute("SELECT canonical_url, etag, last_modified, lastmod, content_hash, fetched_at "
                               "FROM pages WHERE canonical_url = ?", (canonical,)).fetchone()
        return FetchState(*row) if row else None

    def iter_raw_pages(self, source: str | None = None) -> Iterator[StoredPage]:
        sql = f"SELECT {_PAGE_COLUMNS} FROM pages"
        args: tuple = ()
        if source:
            sql, args = sql + " WHERE source = ?", (source,)
        # A separate cursor streams rows; update_record may run between rows (WAL allows it).
        for row in self._db.execute(sql + " ORDER BY canonical_url", args):
            (canonical_url, url, final_url, src, status, headers, content_type, fetched_at, html, record,
             pipeline_version, lastmod) = row
            yield StoredPage(canonical_url, url, final_url, src, status, json.loads(headers), fetched_at,
                             raw_html.decompress(html), content_type, json.loads(record) if record else None,
                             pipeline_version, lastmod)

    def iter_records(self, source: str | None = None, language: str | None = None,
                     since: str | None = None, until: str | None = None) -> Iterator[dict[str, Any]]:
        clauses, args = [], []
        for clause, value in (("source = ?", source), ("language = ?", language),
                              ("published_at >= ?", since), ("published_at < ?", until)):
            if value is not None:
                clauses.append(clause)
                args.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        for (record,) in self._db.execute(f"SELECT record FROM pages{where} ORDER BY canonical_url", args):
            yield json.loads(record)

    def recent_records(self, source: str, limit: int) -> list[dict[str, Any]]:
        rows = self._db.execute("SELECT record FROM pages WHERE source = ? ORDER BY fetched_at DESC LIMIT ?",
                                (source, limit)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def counts(self) -> StoreCounts:
        one = lambda sql: self._db.execute(sql).fetchone()[0]  # noqa: E731
        grouped = lambda sql: {k or "unknown": n for k, n in self._db.execute(sql)}  # noqa: E731
        return StoreCounts(
            pages=one("SELECT COUNT(*) FROM pages"),
            revisions=one("SELECT COUNT(*) FROM revisions"),
            skips=one("SELECT COUNT(*) FROM skips"),
            by_source=grouped("SELECT source, COUNT(*) FROM pages GROUP BY source"),
            by_language=grouped("SELECT language, COUNT(*) FROM pages GROUP BY language"),
            skips_by_reason=grouped("SELECT reason, COUNT(*) FROM skips GROUP BY reason"),
        )

    # -- scheduler state ------------------------------------------------------------------------
    def run_lock(self) -> AbstractContextManager[None]:
        return file_lock(self.path.with_name(self.path.name + ".schedule.lock"))

    def last_runs(self) -> dict[str, datetime]:
        rows = self._db.execute("SELECT source, last_started_at FROM source_runs").fetchall()
        return {source: moment for source, started in rows if (moment := aware_datetime(started)) is not None}

    def record_run(self, source: str, started_at: datetime, finished_at: datetime | None, status: str) -> None:
        self._in_transaction("scheduler state", lambda db: db.execute(
            "INSERT INTO source_runs (source, last_started_at, last_finished_at, last_status)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET"
            " last_started_at = excluded.last_started_at, last_finished_at = excluded.last_finished_at,"
            " last_status = excluded.last_status",
            (source, started_at.isoformat(), finished_at.isoformat() if finished_at else None, status)))

    # -- near duplicates ------------------------------------------------------------------------
    def near_duplicate_index(self) -> SqlIndex:
        from crawler.processing.near_duplicates import SqlIndex

        conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT)
        conn.execute("PRAGMA synchronous=NORMAL")  # as the store's own connection: WAL, no fsync per commit
        return SqlIndex(conn)

    def close(self) -> None:
        try:
            self._db.close()
        except sqlite3.Error:
            pass
