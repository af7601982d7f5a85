"""The embedded store: one SQLite file in WAL mode, raw HTML zlib-compressed."""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from crawler.storage import json_text, raw_html
from crawler.storage.base import (
    FetchState,
    PageToStore,
    RevisitState,
    SaveOutcome,
    Store,
    StoreCounts,
    StoredPage,
    content_hash,
)

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
    """A stored ISO timestamp (always written with its UTC offset) as an aware datetime."""
    return datetime.fromisoformat(value)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SQLiteStore(Store):
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.description = str(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode; every write goes through `_transaction` (BEGIN IMMEDIATE .. COMMIT).
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)
        if "count" not in {row[1] for row in self._db.execute("PRAGMA table_info(skips)")}:
            self._db.executescript(f"BEGIN IMMEDIATE; {_SKIPS_MIGRATION} COMMIT;")
        self._db.execute("CREATE UNIQUE INDEX IF NOT EXISTS skips_url_reason ON skips(url, reason)")
        if "checked_at" not in {row[1] for row in self._db.execute("PRAGMA table_info(pages)")}:
            self._db.execute("ALTER TABLE pages ADD COLUMN checked_at TEXT")
        self._db.execute("CREATE INDEX IF NOT EXISTS pages_source_first_stored ON pages(source, first_stored_at)")

    @contextmanager
    def _transaction(self):
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _resolve(self, url: str) -> str | None:
        row = self._db.execute(
            "SELECT canonical_url FROM pages WHERE canonical_url = ? "
            "UNION ALL SELECT canonical_url FROM url_aliases WHERE url = ? LIMIT 1", (url, url)).fetchone()
        return row[0] if row else None

    # -- writes -------------------------------------------------------------------------------
    def save(self, page: PageToStore, record: dict[str, Any], also=None) -> SaveOutcome:
        digest = content_hash(record)
        record_json = json_text.dumps(record)
        html = raw_html.compress(page.html)
        now = _now()
        values = dict(
            canonical_url=page.canonical_url, url=page.url, final_url=page.final_url, source=page.source,
            status=page.status, headers=json_text.dumps(page.headers),
            content_type=page.content_type, fetched_at=page.fetched_at, checked_at=page.fetched_at,
            published_at=record.get("published_at"),
            language=record.get("language"), title=record.get("title"), content_hash=digest, etag=page.etag,
            last_modified=page.last_modified, lastmod=page.lastmod, html=html, record=record_json,
            pipeline_version=record.get("pipeline_version"),
        )
        with self._transaction() as db:
            old = db.execute("SELECT content_hash, revision, fetched_at, html, record, pipeline_version "
                             "FROM pages WHERE canonical_url = ?", (page.canonical_url,)).fetchone()
            if old is None:
                outcome = SaveOutcome.NEW
                cols = ", ".join(values) + ", first_stored_at, revision"
                marks = ", ".join(f":{k}" for k in values) + ", :first_stored_at, 1"
                db.execute(f"INSERT INTO pages ({cols}) VALUES ({marks})", {**values, "first_stored_at": now})
            elif old[0] == digest:
                outcome = SaveOutcome.UNCHANGED
                # Same article text: refresh fetch state (and the record, if the pipeline is newer).
                db.execute(
                    "UPDATE pages SET fetched_at = :fetched_at, checked_at = :checked_at, status = :status, headers = :headers, "
                    "etag = :etag, last_modified = :last_modified, lastmod = COALESCE(:lastmod, lastmod), "
                    "record = CASE WHEN pipeline_version IS NOT :pipeline_version THEN :record ELSE record END, "
                    "pipeline_version = :pipeline_version WHERE canonical_url = :canonical_url", values)
            else:
                outcome = SaveOutcome.REVISED
                db.execute(
                    "INSERT INTO revisions (canonical_url, revision, fetched_at, content_hash, html, record, "
                    "pipeline_version, replaced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (page.canonical_url, old[1], old[2], old[0], old[3], old[4], old[5], now))
                sets = ", ".join(f"{k} = :{k}" for k in values if k != "canonical_url")
                db.execute(f"UPDATE pages SET {sets}, revision = revision + 1 WHERE canonical_url = :canonical_url",
                           values)
            for alias in {page.url, page.final_url, *page.aliases} - {page.canonical_url}:
                db.execute("INSERT OR REPLACE INTO url_aliases (url, canonical_url) VALUES (?, ?)",
                           (alias, page.canonical_url))
            if also is not None:
                also(db)
        return outcome

    def record_skip(self, url: str, source: str | None, reason: str, detail: str | None = None) -> None:
        """One row per URL + reason: a page skipped again (every run re-finds the same 404) counts up."""
        now = _now()
        with self._transaction() as db:
            db.execute("INSERT INTO skips (url, source, reason, detail, at, first_at) VALUES (?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (url, reason) DO UPDATE SET count = count + 1, at = excluded.at, "
                       "detail = excluded.detail, source = COALESCE(excluded.source, source)",
                       (url, source, reason, (detail or "")[:2000] or None, now, now))

    def update_record(self, canonical_url: str, record: dict[str, Any]) -> None:
        with self._transaction() as db:
            db.execute("UPDATE pages SET record = ?, language = ?, title = ?, published_at = ?, "
                       "pipeline_version = ?, content_hash = ? WHERE canonical_url = ?",
                       (json_text.dumps(record), record.get("language"), record.get("title"),
                        record.get("published_at"), record.get("pipeline_version"), content_hash(record),
                        canonical_url))

    def note_discovery(self, url: str, lastmod: str | None, published_at: str | None, origin: str) -> bool:
        with self._transaction() as db:
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
        with self._transaction() as db:
            canonical = self._resolve(url)
            if canonical is None:
                return False
            db.execute("UPDATE pages SET checked_at = ? WHERE canonical_url = ?", (at, canonical))
        return True

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

    def close(self) -> None:
        try:
            self._db.close()
        except sqlite3.Error:
            pass
