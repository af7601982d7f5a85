"""PostgreSQL store for production (psycopg 3): same schema and behaviour as the SQLite store.

Tables: pages (one row per canonical URL: raw HTML, zlib-compressed, the current record as
JSONB and the columns downstream queries filter on), revisions (earlier versions of an article
whose text changed), skips (pages not stored, with the reason), entities (entity ids named in a
record, for entity queries), source_runs (scheduler state) and the near-duplicate index.

Every save is one transaction: the page row, its revision and its entity rows land together
or not at all. A lost connection is retried (reconnect, replay the whole transaction: saves
are idempotent upserts); after the last attempt `StoreUnavailable` names the DSN with the
password redacted and the retry policy that was applied.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.types.json import Jsonb

from crawler import defaults
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
from crawler.storage.errors import LockHeld, StoreUnavailable

if TYPE_CHECKING:
    from crawler.processing.near_duplicates import PostgresSignatureIndex

T = TypeVar("T")

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    canonical_url   TEXT PRIMARY KEY,
    url             TEXT NOT NULL,
    final_url       TEXT,
    source          TEXT,
    status          INTEGER,
    headers         JSONB,
    content_type    TEXT,
    fetched_at      TIMESTAMPTZ,
    checked_at      TIMESTAMPTZ,
    published_at    TIMESTAMPTZ,
    lastmod         TEXT,
    etag            TEXT,
    last_modified   TEXT,
    language        TEXT,
    title           TEXT,
    content_hash    TEXT,
    html            BYTEA,
    record          JSONB NOT NULL,
    pipeline_version TEXT,
    cluster_id      TEXT,
    near_duplicate_of TEXT,
    removed_blocks  TEXT,                                -- {reason: removed blocks} of the record, JSON
    revision        INTEGER NOT NULL DEFAULT 1,
    not_modified    INTEGER NOT NULL DEFAULT 0,
    first_seen_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS pages_source ON pages (source);
CREATE INDEX IF NOT EXISTS pages_language ON pages (language);
CREATE INDEX IF NOT EXISTS pages_published_at ON pages (published_at);
CREATE INDEX IF NOT EXISTS pages_source_published ON pages (source, published_at);
CREATE INDEX IF NOT EXISTS pages_cluster ON pages (cluster_id);
CREATE INDEX IF NOT EXISTS pages_url ON pages (url);
CREATE INDEX IF NOT EXISTS pages_source_first_seen ON pages (source, first_seen_at);

CREATE TABLE IF NOT EXISTS revisions (
    id              BIGSERIAL PRIMARY KEY,
    canonical_url   TEXT NOT NULL REFERENCES pages (canonical_url) ON DELETE CASCADE,
    revision        INTEGER NOT NULL,
    fetched_at      TIMESTAMPTZ,
    content_hash    TEXT,
    html            BYTEA,
    record          JSONB NOT NULL,
    pipeline_version TEXT,
    superseded_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (canonical_url, revision)
);

-- TOAST settings, changed only when they differ (ALTER TABLE locks the table). Raw pages are
-- stored zlib-compressed already: TOAST need not try again. Records: lz4 (PostgreSQL 14+, when
-- built with it) costs the server half the CPU of the default pglz per page stored.
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'pages'::regclass AND attname = 'checked_at') THEN
        ALTER TABLE pages ADD COLUMN checked_at TIMESTAMPTZ;  -- stores made before revisits existed
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'pages'::regclass AND attname = 'removed_blocks') THEN
        ALTER TABLE pages ADD COLUMN removed_blocks TEXT;  -- counted once from the records, as a save does
        UPDATE pages SET removed_blocks = c.counts FROM (
            SELECT p.canonical_url, jsonb_object_agg(r.reason, r.n)::text AS counts FROM pages p,
                LATERAL (SELECT b->>'removed' AS reason, count(*) AS n FROM jsonb_array_elements(p.record->'blocks') b
                         WHERE b->>'removed' IS NOT NULL GROUP BY 1) r
            GROUP BY p.canonical_url) c
        WHERE pages.canonical_url = c.canonical_url;
    END IF;
    IF (SELECT attstorage FROM pg_attribute WHERE attrelid = 'pages'::regclass AND attname = 'html') <> 'e' THEN
        ALTER TABLE pages ALTER COLUMN html SET STORAGE EXTERNAL;
    END IF;
    IF (SELECT attstorage FROM pg_attribute WHERE attrelid = 'revisions'::regclass AND attname = 'html') <> 'e' THEN
        ALTER TABLE revisions ALTER COLUMN html SET STORAGE EXTERNAL;
    END IF;
    IF current_setting('server_version_num')::int >= 140000 THEN
        BEGIN
            IF (SELECT count(*) FROM pg_attribute WHERE attrelid IN ('pages'::regclass, 'revisions'::regclass)
                AND attname = 'record' AND attcompression <> 'l') > 0 THEN
                EXECUTE 'ALTER TABLE pages ALTER COLUMN record SET COMPRESSION lz4';
                EXECUTE 'ALTER TABLE revisions ALTER COLUMN record SET COMPRESSION lz4';
            END IF;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'records keep the default TOAST compression: %', SQLERRM;
        END;
    END IF;
END $$;

CREATE TABLE IF NOT EXISTS url_aliases (
    url             TEXT PRIMARY KEY,
    canonical_url   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS skips (
    id              BIGSERIAL PRIMARY KEY,
    url             TEXT NOT NULL,
    source          TEXT,
    reason          TEXT NOT NULL,
    detail          TEXT,                                -- as of the latest time
    at              TIMESTAMPTZ NOT NULL DEFAULT now(),  -- latest time skipped for this reason
    first_at        TIMESTAMPTZ DEFAULT now(),
    count           INTEGER NOT NULL DEFAULT 1           -- one row per URL + reason, counting repeats
);
CREATE INDEX IF NOT EXISTS skips_url ON skips (url);
CREATE INDEX IF NOT EXISTS skips_reason ON skips (reason);
-- Stores made before skips were counted held one row per skip event: merge them (once).
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                   WHERE table_schema = current_schema() AND table_name = 'skips' AND column_name = 'count') THEN
        ALTER TABLE skips ADD COLUMN first_at TIMESTAMPTZ DEFAULT now();
        ALTER TABLE skips ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
        UPDATE skips SET first_at = m.first_at, count = m.n
          FROM (SELECT url, reason, min(at) AS first_at, count(*) AS n FROM skips GROUP BY url, reason) m
         WHERE skips.url = m.url AND skips.reason = m.reason;
        DELETE FROM skips WHERE id NOT IN (SELECT max(id) FROM skips GROUP BY url, reason);
    END IF;
END $$;
CREATE UNIQUE INDEX IF NOT EXISTS skips_url_reason ON skips (url, reason);

CREATE TABLE IF NOT EXISTS entities (
    canonical_url   TEXT NOT NULL REFERENCES pages (canonical_url) ON DELETE CASCADE,
    entity_id       TEXT NOT NULL,
    canonical       TEXT,
    mentions        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (canonical_url, entity_id)
);
CREATE INDEX IF NOT EXISTS entities_entity ON entities (entity_id);

CREATE TABLE IF NOT EXISTS source_runs (
    source          TEXT PRIMARY KEY,
    last_started_at TIMESTAMPTZ,
    last_finished_at TIMESTAMPTZ,
    last_status     TEXT
);
"""

# A fixed key for the scheduler's advisory lock ("news-ingest" folded into a bigint).
SCHEDULER_LOCK_KEY = int.from_bytes(hashlib.blake2b(b"news-ingest scheduler", digest_size=8).digest(), "big",
                                    signed=True)


def redact_dsn(dsn: str) -> str:
    """The DSN with any password replaced by ***, for error messages and logs."""
    if "://" in dsn:
        parts = urlsplit(dsn)
        if parts.password:
            host = parts.hostname or ""
            if parts.port:
                host = f"{host}:{parts.port}"
            netloc = f"{parts.username}:***@{host}" if parts.username else f"***@{host}"
            return urlunsplit(parts._replace(netloc=netloc))
        return dsn
    # key=value form
    return " ".join("password=***" if tok.startswith("password=") else tok for tok in dsn.split())


def _entities(record: dict) -> list[tuple[str, str | None, int]]:
    counts: dict[str, list] = {}
    for name in record.get("names") or []:
        eid = name.get("entity_id")
        if eid:
            counts.setdefault(eid, [name.get("canonical"), 0])[1] += 1
    return [(eid, canonical, n) for eid, (canonical, n) in sorted(counts.items())]


def _columns(row: PageRow) -> dict[str, Any]:
    """`row` as this schema's column values: JSONB documents, timestamps."""
    values = {k: v for k, v in vars(row).items() if k != "aliases"}
    values.update(headers=Jsonb(row.headers), record=Jsonb(row.record, dumps=json_text.dumps),
                  fetched_at=aware_datetime(row.fetched_at), checked_at=aware_datetime(row.checked_at),
                  published_at=aware_datetime(row.published_at))
    return values


class StoreRefused(StoreUnavailable):
    """The server answered but will never accept this connection as configured (no such database,
    role or password): retrying cannot help, so the store fails at once with one line."""


# Answers that no retry can change. A refused connection carries no SQLSTATE in libpq, only the
# server's message; errors raised after connecting (schema setup) carry one.
_PERMANENT_SQLSTATES = ("3D000", "28000", "28P01", "42501")  # no database, auth spec, password, privilege
_PERMANENT_MESSAGES = (
    ("does not exist", "the database or role does not exist"),
    ("password authentication failed", "wrong password"),
    ("no password supplied", "a password is required"),
    ("no pg_hba.conf entry", "the server's pg_hba.conf does not allow this user/host/database"),
    ("permission denied", "permission denied"),
    ("is not permitted to log in", "the role may not log in"),
)


def permanent_refusal(exc: psycopg.Error) -> str | None:
    """Why `exc` is permanent (a short hint plus the server's own line), or None when a retry may help."""
    server_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    server_line = server_line.split("FATAL:", 1)[-1].strip()
    if getattr(exc, "sqlstate", None) in _PERMANENT_SQLSTATES:
        return server_line
    text = str(exc)
    for marker, hint in _PERMANENT_MESSAGES:
        if marker in text:
            return f"{server_line} ({hint}; see docs/operations.md, 'Creating the PostgreSQL database')"
    return None


class PostgresStore(Store):
    """Store pages and records in PostgreSQL. `dsn` is a libpq URL or key=value string.

    Connects lazily (first use creates the schema); `open()` connects now and returns the store.
    """

    def __init__(self, dsn: str, *, attempts: int = defaults.NEWS_STORE_RETRIES,
                 backoff: float = defaults.NEWS_STORE_RETRY_BACKOFF, connect_timeout: int = 5):
        self.dsn = dsn
        self.description = redact_dsn(dsn)
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.connect_timeout = connect_timeout
        self._conn: psycopg.Connection | None = None
        self._schema_ready = False

    # -- connection and retry policy --------------------------------------------------------
    @property
    def retry_policy(self) -> str:
        return f"{self.attempts} attempt(s), backoff {self.backoff:g}s doubling"

    def _connect(self, autocommit: bool = False) -> psycopg.Connection:
        return psycopg.connect(self.dsn, connect_timeout=self.connect_timeout, autocommit=autocommit)

    def _connect_with_schema(self) -> psycopg.Connection:
        conn = self._connect()
        if not self._schema_ready:
            with conn.transaction():
                # Concurrent crawler processes may all start at once: serialise schema creation.
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEDULER_LOCK_KEY + 1,))
                conn.execute(SCHEMA)
            self._schema_ready = True
        return conn

    def _ensure_schema(self) -> None:
        """Connect (creating the schema) before a stream opens its own connection."""
        self.conn  # noqa: B018 - the property connects

    @property
    def conn(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            self._conn = self._retry("connect", self._connect_with_schema)
        return self._conn

    def _retry(self, what: str, fn):
        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            try:
                return fn()
            except psycopg.OperationalError as exc:
                self._drop_connection()
                refused = permanent_refusal(exc)
                if refused:
                    raise StoreRefused(f"PostgreSQL at {redact_dsn(self.dsn)} refused the connection: {refused}"
                                       ) from None
                if attempt == self.attempts:
                    raise StoreUnavailable(
                        f"PostgreSQL at {redact_dsn(self.dsn)} unavailable during {what}: "
                        f"{str(exc).strip()} (retry policy: {self.retry_policy}; gave up)") from exc
                log.warning("PostgreSQL at %s: %s failed (%s); retry %d/%d in %.1fs", redact_dsn(self.dsn),
                            what, str(exc).strip(), attempt, self.attempts - 1, delay)
                time.sleep(delay)
                delay *= 2

    def _drop_connection(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                pass
        self._conn = None

    def _run(self, what: str, body, pipelined: bool = False):
        """Run `body(cursor)` in one transaction, replayed whole after a lost connection.

        `pipelined`: statements go out without waiting for each answer (psycopg pipeline mode); a
        result the body reads (fetchone) waits for what was sent before it. A page save is then two
        round trips (BEGIN + the row lock, then everything else + COMMIT) instead of one per
        statement: on a busy machine every round trip waits for the server to be scheduled."""
        def attempt():
            conn = self.conn
            with conn.pipeline() if pipelined else contextlib.nullcontext():
                with conn.transaction():
                    with conn.cursor() as cur:
                        return body(cur)
        return self._retry(what, attempt)

    def open(self) -> PostgresStore:
        self._run("schema setup", lambda cur: None)
        return self

    def close(self) -> None:
        self._drop_connection()

    # -- writes -------------------------------------------------------------------------------
    def _in_transaction(self, what: str, body: Callable[[Any], T]) -> T:
        return self._run(what, body, pipelined=True)

    def _current_version(self, tx: Any, canonical_url: str) -> CurrentVersion | None:
        tx.execute("SELECT content_hash, revision FROM pages WHERE canonical_url = %s FOR UPDATE", (canonical_url,))
        found = tx.fetchone()
        return CurrentVersion(*found) if found else None

    def _insert_page(self, tx: Any, row: PageRow, revision: int = 1) -> None:
        values = dict(_columns(row), revision=revision)
        cols = list(values)
        updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "canonical_url")
        tx.execute(
            f"INSERT INTO pages ({', '.join(cols)}) VALUES ({', '.join('%(' + c + ')s' for c in cols)})"
            f" ON CONFLICT (canonical_url) DO UPDATE SET {updates}, updated_at = now()", values)
        self._replace_entities(tx, row.canonical_url, _entities(row.record))

    def _refresh_page(self, tx: Any, row: PageRow) -> None:
        tx.execute(
            "UPDATE pages SET fetched_at = %(fetched_at)s, checked_at = %(checked_at)s, status = %(status)s,"
            " headers = %(headers)s, etag = %(etag)s, last_modified = %(last_modified)s,"
            " lastmod = coalesce(%(lastmod)s, lastmod),"
            " record = CASE WHEN pipeline_version IS DISTINCT FROM %(pipeline_version)s"
            "   THEN %(record)s ELSE record END,"
            " removed_blocks = CASE WHEN pipeline_version IS DISTINCT FROM %(pipeline_version)s"
            "   THEN %(removed_blocks)s ELSE removed_blocks END,"
            " pipeline_version = %(pipeline_version)s, updated_at = now()"
            " WHERE canonical_url = %(canonical_url)s", _columns(row))

    def _revise_page(self, tx: Any, row: PageRow, current: CurrentVersion) -> None:
        tx.execute(
            "INSERT INTO revisions (canonical_url, revision, fetched_at, content_hash, html, record, pipeline_version)"
            " SELECT canonical_url, revision, fetched_at, content_hash, html, record, pipeline_version FROM pages"
            " WHERE canonical_url = %s ON CONFLICT (canonical_url, revision) DO NOTHING", (row.canonical_url,))
        self._insert_page(tx, row, revision=current.revision + 1)

    def _write_aliases(self, tx: Any, canonical_url: str, aliases: tuple[str, ...]) -> None:
        tx.executemany("INSERT INTO url_aliases (url, canonical_url) VALUES (%s, %s) ON CONFLICT (url)"
                       " DO UPDATE SET canonical_url = excluded.canonical_url", [(a, canonical_url) for a in aliases])

    @staticmethod
    def _replace_entities(cur, key: str, entities) -> None:
        cur.execute("DELETE FROM entities WHERE canonical_url = %s", (key,))
        if entities:
            cur.executemany("INSERT INTO entities (canonical_url, entity_id, canonical, mentions)"
                            " VALUES (%s, %s, %s, %s)", [(key, e, c, n) for e, c, n in entities])

    def update_record(self, canonical_url: str, record: dict[str, Any]) -> None:
        """Replace the record of a stored page (re-normalising) in place, keeping its raw page."""
        values = record_columns(record)
        values.update(record=Jsonb(record, dumps=json_text.dumps),
                      published_at=aware_datetime(values["published_at"]))
        sets = ", ".join(f"{k} = %({k})s" for k in values)

        def body(cur) -> None:
            cur.execute(f"UPDATE pages SET {sets}, updated_at = now() WHERE canonical_url = %(key)s",
                        {**values, "key": canonical_url})
            if cur.rowcount == 0:
                raise KeyError(f"no stored page for {canonical_url}")
            self._replace_entities(cur, canonical_url, _entities(record))

        self._run(f"update of {canonical_url}", body)

    def record_skip(self, url: str, source: str | None, reason: str, detail: str | None = None) -> None:
        """One row per URL + reason: a page skipped again (every run re-finds the same 404) counts up."""
        self._run(f"skip of {url}", lambda cur: cur.execute(
            "INSERT INTO skips (url, source, reason, detail) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (url, reason) DO UPDATE SET count = skips.count + 1, at = now(),"
            " detail = excluded.detail, source = coalesce(excluded.source, skips.source)",
            (url, source, reason, (detail or "")[:2000] or None)))

    def note_discovery(self, url: str, lastmod: str | None, published_at: str | None, origin: str) -> bool:
        """A feed or sitemap listed a stored page: keep the newest lastmod, fill a missing published date."""
        def body(cur) -> bool:
            cur.execute(f"SELECT canonical_url FROM {self._RESOLVE} AS r", (url, url))
            row = cur.fetchone()
            if row is None:
                return False
            key = row[0]
            if lastmod:
                cur.execute("UPDATE pages SET lastmod = %s WHERE canonical_url = %s"
                            " AND (lastmod IS NULL OR lastmod < %s)", (lastmod, key, lastmod))
            moment = aware_datetime(published_at)
            if published_at:
                cur.execute(
                    "UPDATE pages SET published_at = %s, record = jsonb_set(jsonb_set(record, '{published_at}', %s),"
                    " '{metadata}', coalesce(record->'metadata', '{}'::jsonb) || jsonb_build_object("
                    "'published_at_source', %s::text)) WHERE canonical_url = %s AND published_at IS NULL"
                    " AND (record->>'published_at') IS NULL",
                    (moment, Jsonb(published_at), origin, key))
            return True
        return self._run(f"discovery of {url}", body)

    def mark_not_modified(self, url: str) -> bool:
        """A 304 for a stored page: counted on the page, nothing stored twice. False if not stored."""
        def body(cur) -> bool:
            cur.execute("UPDATE pages SET not_modified = not_modified + 1, updated_at = now()"
                        " WHERE canonical_url = (SELECT canonical_url FROM pages WHERE canonical_url = %s"
                        " UNION ALL SELECT canonical_url FROM url_aliases WHERE url = %s LIMIT 1)", (url, url))
            return cur.rowcount > 0
        return self._run(f"304 of {url}", body)

    def note_checked(self, url: str, at: str) -> bool:
        def body(cur) -> bool:
            cur.execute(f"UPDATE pages SET checked_at = %s WHERE canonical_url = {self._RESOLVE}",
                        (aware_datetime(at), url, url))
            return cur.rowcount > 0
        return self._run(f"check of {url}", body)

    # -- reads --------------------------------------------------------------------------------
    def revisit_candidates(self, source: str, first_stored_since: datetime) -> list[RevisitState]:
        rows = self._query("revisit lookup", "SELECT canonical_url, etag, last_modified, first_seen_at,"
                           " coalesce(checked_at, fetched_at, first_seen_at) FROM pages"
                           " WHERE source = %s AND first_seen_at >= %s", (source, first_stored_since))
        return [RevisitState(*row) for row in rows]

    def _query(self, what: str, sql: str, params=()) -> list[tuple]:
        def body(cur):
            cur.execute(sql, params)
            return cur.fetchall()
        return self._run(what, body)

    _RESOLVE = ("(SELECT canonical_url FROM pages WHERE canonical_url = %s"
                " UNION ALL SELECT canonical_url FROM url_aliases WHERE url = %s LIMIT 1)")

    def has(self, url: str) -> bool:
        return bool(self._query("lookup", f"SELECT 1 FROM {self._RESOLVE} AS r", (url, url)))

    def fetch_state(self, url: str) -> FetchState | None:
        rows = self._query("lookup", "SELECT canonical_url, etag, last_modified, lastmod, content_hash, fetched_at"
                           f" FROM pages WHERE canonical_url = {self._RESOLVE}", (url, url))
        if not rows:
            return None
        key, etag, last_modified, lastmod, digest, fetched_at = rows[0]
        return FetchState(key, etag, last_modified, lastmod, digest, _iso(fetched_at))

    def get_record(self, canonical_url: str) -> dict | None:
        rows = self._query("lookup", "SELECT record FROM pages WHERE canonical_url = %s", (canonical_url,))
        return rows[0][0] if rows else None

    def revisions(self, canonical_url: str) -> list[dict]:
        rows = self._query("lookup", "SELECT record FROM revisions WHERE canonical_url = %s ORDER BY revision",
                           (canonical_url,))
        return [r[0] for r in rows]

    def skips(self, url: str | None = None) -> list[dict]:
        sql = "SELECT url, source, reason, detail, count FROM skips"
        rows = self._query("lookup", sql + (" WHERE url = %s ORDER BY id" if url else " ORDER BY id"),
                           (url,) if url else ())
        return [dict(zip(("url", "source", "reason", "detail", "count"), r, strict=True)) for r in rows]

    def not_modified_count(self) -> int:
        return int(self._query("counts", "SELECT coalesce(sum(not_modified), 0) FROM pages")[0][0])

    def counts(self) -> StoreCounts:
        def grouped(sql):
            return {k or "unknown": int(n) for k, n in self._query("counts", sql)}
        pages, revisions, skips = self._query("counts", "SELECT (SELECT count(*) FROM pages),"
                                              " (SELECT count(*) FROM revisions), (SELECT count(*) FROM skips)")[0]
        return StoreCounts(pages=int(pages), revisions=int(revisions), skips=int(skips),
                           by_source=grouped("SELECT source, count(*) FROM pages GROUP BY source"),
                           by_language=grouped("SELECT language, count(*) FROM pages GROUP BY language"),
                           skips_by_reason=grouped("SELECT reason, count(*) FROM skips GROUP BY reason"))

    def recent_records(self, source: str, limit: int) -> list[dict[str, Any]]:
        rows = self._query("lookup", "SELECT record FROM pages WHERE source = %s ORDER BY fetched_at DESC LIMIT %s",
                           (source, limit))
        return [r[0] for r in rows]

    def _stream(self, sql: str, params, batch: int = 500) -> Iterator[tuple]:
        """Rows through a server-side cursor on its own connection: flat memory, writes may go on meanwhile."""
        conn = self._retry("connect", self._connect)
        try:
            with conn.cursor(name="news_stream") as cur:
                cur.itersize = batch
                cur.execute(sql, params)
                yield from cur
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"PostgreSQL at {redact_dsn(self.dsn)} lost while streaming: "
                                   f"{str(exc).strip()} (a stream is not resumed; re-run the command)") from exc
        finally:
            conn.close()

    def iter_raw_pages(self, source: str | None = None) -> Iterator[StoredPage]:
        """Stored raw pages (HTML decompressed) with their current record, for re-normalisation."""
        self._ensure_schema()
        sql = ("SELECT canonical_url, url, final_url, source, status, headers, fetched_at, html, content_type,"
               " record, pipeline_version, lastmod FROM pages"
               + (" WHERE source = %s" if source else "") + " ORDER BY canonical_url")
        for row in self._stream(sql, (source,) if source else ()):
            key, url, final_url, src, status, headers, fetched_at, html, ctype, record, version, lastmod = row
            yield StoredPage(key, url, final_url or url, src, status, headers or {}, _iso(fetched_at) or "",
                             raw_html.decompress(html) if html else b"", ctype, record, version, lastmod)

    def iter_records(self, source: str | None = None, language: str | None = None,
                     since: str | datetime | None = None, until: str | datetime | None = None,
                     entity: str | None = None) -> Iterator[dict[str, Any]]:
        """Current records matching the filters (published_at in [since, until)), in canonical-URL order."""
        self._ensure_schema()
        where, params = [], []
        for clause, value in (("p.source = %s", source), ("p.language = %s", language),
                              ("p.published_at >= %s", aware_datetime(since)),
                              ("p.published_at < %s", aware_datetime(until))):
            if value is not None:
                where.append(clause)
                params.append(value)
        if entity:
            where.append("EXISTS (SELECT 1 FROM entities e WHERE e.canonical_url = p.canonical_url"
                         " AND e.entity_id = %s)")
            params.append(entity)
        sql = "SELECT p.record FROM pages p" + (" WHERE " + " AND ".join(where) if where else "")
        for (record,) in self._stream(sql + " ORDER BY p.canonical_url", params):
            yield record

    # -- scheduler state ----------------------------------------------------------------------
    def last_runs(self) -> dict[str, datetime]:
        rows = self._query("scheduler state", "SELECT source, last_started_at FROM source_runs")
        return {s: t for s, t in rows if t is not None}

    def record_run(self, source: str, started_at: datetime, finished_at: datetime | None, status: str) -> None:
        self._run("scheduler state", lambda cur: cur.execute(
            "INSERT INTO source_runs (source, last_started_at, last_finished_at, last_status)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (source) DO UPDATE SET last_started_at = excluded.last_started_at,"
            " last_finished_at = excluded.last_finished_at, last_status = excluded.last_status",
            (source, started_at, finished_at, status)))

    @contextmanager
    def run_lock(self):
        """Hold the scheduler's session-level advisory lock; raise `LockHeld` if another run has it."""

        conn = self._retry("connect", lambda: self._connect(autocommit=True))
        try:
            got = conn.execute("SELECT pg_try_advisory_lock(%s)", (SCHEDULER_LOCK_KEY,)).fetchone()[0]
            if not got:
                raise LockHeld(f"another scheduled run holds the PostgreSQL advisory lock {SCHEDULER_LOCK_KEY}"
                               f" on {redact_dsn(self.dsn)}")
            yield
        finally:
            conn.close()  # ending the session releases the lock, also when the holder crashes

    # -- near duplicates ------------------------------------------------------------------------
    def near_duplicate_index(self) -> PostgresSignatureIndex:
        from crawler.processing.near_duplicates import PostgresSignatureIndex

        # Its own connection, in autocommit mode: each lookup and each index write is one statement
        # and one round trip, committed on its own, never inside a page save.
        conn = self._retry("connect", lambda: self._connect(autocommit=True))
        # The index commits after each page on its own connection; waiting for each WAL flush
        # doubled its cost. `scrapy renormalise` rebuilds the index from the stored records, so
        # the last few entries lost in a server crash are no real loss.
        conn.execute("SET synchronous_commit TO off")
        # Every query on this connection is a lookup by band key or URL. Until autovacuum has
        # analysed the tables (a young index, or one that grew fast in this run) the planner
        # guesses that a band lookup matches ~12% of the rows and scans the whole table: 18 ms a
        # page at 15k band rows, growing with the index. Index scans are right at every size.
        conn.execute("SET enable_seqscan TO off")
        return PostgresSignatureIndex(conn)


def _iso(value) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, datetime) else str(value)
