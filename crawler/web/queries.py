"""What the review pages and the API read from the store: filtered record lists with cursor
pagination, one article with its revisions, near-duplicate siblings and raw page, entities,
and counts over time.

Filters shared with `scrapy export` (source, language, published date range, entity) use its
`RecordFilter`, pushed down into SQL where the store can and applied exactly afterwards; the
review-only filters (translation state, warnings) look at the record itself.
"""
from __future__ import annotations

import base64
import binascii
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from crawler.jobs.export import ExportError, RecordFilter
from crawler.storage import raw_html
from crawler.web.db import ReadDB
from normalise.names.index import NameIndex
from normalise.names.learn import LearnRecord
from normalise.names.learn_cli import record_blocks

TRANSLATION_STATES = ("translated", "untranslated", "english", "none")
MAX_PAGE_SIZE = 200
_SCAN_BATCH = 200  # rows read per query while filling a page


class QueryError(ValueError):
    """A bad filter or cursor: the API answers 422 with this message."""


def translation_state(record: dict[str, Any]) -> str:
    """One label per record: any kept block left untranslated wins, then any translated block;
    "english" when every kept block was English already; "none" without kept blocks."""
    statuses = {b.get("translation") for b in record.get("blocks") or [] if not b.get("removed")}
    if "untranslated" in statuses:
        return "untranslated"
    if "translated" in statuses:
        return "translated"
    if "source_english" in statuses:
        return "english"
    return "none"


@dataclass
class RecordQuery:
    """The filters of the article list and of `GET /records`."""

    base: RecordFilter = field(default_factory=RecordFilter)
    translation: str | None = None
    warnings: bool | None = None  # True: only records with warnings (or an error); False: only clean ones

    @classmethod
    def from_strings(cls, source: str | None = None, language: str | None = None, since: str | None = None,
                     until: str | None = None, entity: str | None = None, translation: str | None = None,
                     warnings: str | None = None) -> RecordQuery:
        try:
            base = RecordFilter.from_strings(source, language, since, until, entity)
        except ExportError as exc:
            raise QueryError(str(exc)) from None
        if translation and translation not in TRANSLATION_STATES:
            raise QueryError(f"unknown translation state {translation!r}: "
                             f"choose one of {', '.join(TRANSLATION_STATES)}")
        flag = {"": None, None: None, "yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
        if warnings not in flag:
            raise QueryError(f"warnings must be yes or no, not {warnings!r}")
        return cls(base, translation or None, flag[warnings])

    def matches(self, record: dict[str, Any]) -> bool:
        if not self.base.matches(record):
            return False
        if self.translation and translation_state(record) != self.translation:
            return False
        if self.warnings is not None and bool(record.get("warnings") or record.get("error")) != self.warnings:
            return False
        return True


def encode_cursor(canonical_url: str) -> str:
    return base64.urlsafe_b64encode(canonical_url.encode("utf-8")).decode("ascii")


def decode_cursor(cursor: str | None) -> str:
    if not cursor:
        return ""
    try:
        after = base64.b64decode(cursor.encode("ascii"), altchars=b"-_", validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        after = ""
    if not after:
        raise QueryError("invalid cursor: pass the next_cursor value of a previous page unchanged")
    return after


@dataclass
class RecordPage:
    records: list[dict[str, Any]]
    next_cursor: str | None


def _pushdown(db: ReadDB, flt: RecordFilter) -> tuple[list[str], list[Any]]:
    """SQL clauses narrowing the scan; `RecordQuery.matches` makes the exact cut afterwards."""
    clauses: list[str] = []
    args: list[Any] = []
    if flt.source:
        clauses.append("source = ?")
        args.append(flt.source)
    if flt.language:
        clauses.append("language = ?")
        args.append(flt.language)
    if db.dialect == "sqlite":
        # published_at is ISO text of mixed offsets in SQLite: widen by a day, cut exactly in Python.
        since = (flt.since - timedelta(days=1)).date().isoformat() if flt.since else None
        until = (flt.until + timedelta(days=1)).date().isoformat() if flt.until else None
    else:
        since, until = flt.since, flt.until  # type: ignore[assignment]
    if since is not None:
        clauses.append("published_at >= ?")
        args.append(since)
    if until is not None:
        clauses.append("published_at < ?")
        args.append(until)
    if flt.entity:
        clauses.append(_ENTITY_CLAUSE[db.dialect])
        args.append(flt.entity)
    return clauses, args


_ENTITY_CLAUSE = {
    "sqlite": "EXISTS (SELECT 1 FROM json_each(pages.record, '$.names') n "
              "WHERE json_extract(n.value, '$.entity_id') = ?)",
    "postgresql": "EXISTS (SELECT 1 FROM entities e WHERE e.canonical_url = pages.canonical_url AND e.entity_id = ?)",
}


def list_records(db: ReadDB, query: RecordQuery, cursor: str | None = None, limit: int = 50) -> RecordPage:
    """Records in canonical-URL order after `cursor`; `next_cursor` is None on the last page."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise QueryError(f"limit must be between 1 and {MAX_PAGE_SIZE}")
    after = decode_cursor(cursor)
    clauses, args = _pushdown(db, query.base)
    out: list[dict[str, Any]] = []
    while True:
        where = " AND ".join(["canonical_url > ?", *clauses])
        rows = db.rows(f"SELECT canonical_url, record FROM pages WHERE {where} ORDER BY canonical_url LIMIT ?",
                       [after, *args, _SCAN_BATCH])
        for key, value in rows:
            after = key
            record = db.record(value)
            if query.matches(record):
                out.append(record)
                if len(out) > limit:  # one more than asked: proves a next page exists
                    return RecordPage(out[:limit], encode_cursor(out[limit - 1]["canonical_url"] or ""))
        if len(rows) < _SCAN_BATCH:
            return RecordPage(out, None)


@dataclass
class StoredArticle:
    canonical_url: str
    source: str | None
    fetched_at: str | None
    revision: int
    content_type: str | None
    record: dict[str, Any]


def _resolve(db: ReadDB, url: str) -> str | None:
    rows = db.rows("SELECT canonical_url FROM pages WHERE canonical_url = ? "
                   "UNION ALL SELECT canonical_url FROM url_aliases WHERE url = ?", [url, url])
    return rows[0][0] if rows else None


def article(db: ReadDB, url: str, revision: int | None = None) -> StoredArticle | None:
    """The stored page (by canonical URL or a URL that led to it); `revision`: an earlier version."""
    key = _resolve(db, url)
    if key is None:
        return None
    rows = db.rows("SELECT canonical_url, source, fetched_at, revision, content_type, record FROM pages "
                   "WHERE canonical_url = ?", [key])
    key, source, fetched_at, current, content_type, value = rows[0]
    if revision is None or revision == current:
        return StoredArticle(key, source, fetched_at, current, content_type, db.record(value))
    old = db.rows("SELECT fetched_at, record FROM revisions WHERE canonical_url = ? AND revision = ?", [key, revision])
    if not old:
        return None
    return StoredArticle(key, source, old[0][0], revision, content_type, db.record(old[0][1]))


def revisions(db: ReadDB, canonical_url: str) -> list[tuple[int, str | None]]:
    """(revision number, fetched_at) of the earlier versions, oldest first."""
    return [(int(n), at) for n, at in db.rows(
        "SELECT revision, fetched_at FROM revisions WHERE canonical_url = ? ORDER BY revision", [canonical_url])]


_CLUSTER = {"sqlite": "json_extract(record, '$.metadata.cluster_id')",
            "postgresql": "record->'metadata'->>'cluster_id'"}


def siblings(db: ReadDB, record: dict[str, Any], limit: int = 50) -> list[tuple[str, str | None]]:
    """(canonical URL, title) of the near-duplicate copies in the same story cluster."""
    own = record.get("canonical_url") or ""
    cluster = (record.get("metadata") or {}).get("cluster_id")
    if not cluster:
        return []
    return [(u, t) for u, t in db.rows(
        f"SELECT canonical_url, title FROM pages WHERE {_CLUSTER[db.dialect]} = ? AND canonical_url <> ? "
        "ORDER BY canonical_url LIMIT ?", [cluster, own, limit])]


def raw_page(db: ReadDB, canonical_url: str, revision: int | None = None) -> tuple[bytes, str | None] | None:
    """The raw body as fetched and its content type."""
    rows = db.rows("SELECT html, content_type, revision FROM pages WHERE canonical_url = ?", [canonical_url])
    if not rows:
        return None
    html, content_type, current = rows[0]
    if revision is not None and revision != current:
        old = db.rows("SELECT html FROM revisions WHERE canonical_url = ? AND revision = ?", [canonical_url, revision])
        if not old:
            return None
        html = old[0][0]
    return (raw_html.decompress(html) if html else b""), content_type


@dataclass
class EntityMentions:
    variants: Counter = field(default_factory=Counter)  # original form -> mentions
    methods: Counter = field(default_factory=Counter)
    articles: list[dict[str, Any]] = field(default_factory=list)
    more: bool = False


def entity_view(db: ReadDB, names_index: Callable[[], NameIndex], entity_id: str) -> tuple[Any, EntityMentions] | None:
    """An entity's gazetteer entry (None when only records name it) and its mentions in the store;
    None when neither knows the id. `names_index` gives the normaliser's index (loaded on first use)."""
    entity = names_index().gazetteer.entities.get(entity_id)
    mentions = entity_mentions(db, entity_id)
    if entity is None and not mentions.articles:
        return None
    return entity, mentions


def entity_mentions(db: ReadDB, entity_id: str, limit: int = 200) -> EntityMentions:
    """Forms seen for one entity and the articles that name it (newest fetch first)."""
    out = EntityMentions()
    rows = db.rows(f"SELECT record FROM pages WHERE {_ENTITY_CLAUSE[db.dialect]} ORDER BY fetched_at DESC LIMIT ?",
                   [entity_id, limit + 1])
    out.more = len(rows) > limit
    for (value,) in rows[:limit]:
        record = db.record(value)
        names = [n for n in record.get("names") or [] if n.get("entity_id") == entity_id]
        for n in names:
            out.variants[n.get("original") or ""] += 1
            out.methods[n.get("method") or ""] += 1
        out.articles.append({"canonical_url": record.get("canonical_url"), "title": record.get("title"),
                             "source": record.get("source"), "published_at": record.get("published_at"),
                             "mentions": len(names)})
    return out


_DAY = {"sqlite": "substr(fetched_at, 1, 10)",
        "postgresql": "to_char(fetched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"}
# Removed blocks are added up from each page's small per-reason count column (removed_block_counts
# in crawler/storage/base.py), never from the records themselves: the counts stay cheap on a big store.
_COUNTS = {
    "source": {dialect: f"SELECT {day}, source, count(*) FROM pages GROUP BY 1, 2" for dialect, day in _DAY.items()},
    "reason": {
        "sqlite": ("SELECT substr(p.fetched_at, 1, 10), r.key, sum(r.value) "
                   "FROM pages p, json_each(p.removed_blocks) r WHERE p.removed_blocks IS NOT NULL GROUP BY 1, 2"),
        "postgresql": ("SELECT to_char(p.fetched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), r.key, sum(r.value::int) "
                       "FROM pages p, jsonb_each_text(p.removed_blocks::jsonb) r "
                       "WHERE p.removed_blocks IS NOT NULL GROUP BY 1, 2"),
    },
}
COUNT_SERIES = tuple(_COUNTS)


def counts_by_day(db: ReadDB, series: str) -> dict[str, dict[str, int]]:
    """{series key: {day: count}} by fetch day: articles per source, or removed blocks per reason."""
    if series not in _COUNTS:
        raise QueryError(f"unknown series {series!r}: choose one of {', '.join(COUNT_SERIES)}")
    out: dict[str, dict[str, int]] = {}
    for day, key, n in db.rows(_COUNTS[series][db.dialect]):
        out.setdefault(key or "unknown", {})[day or "unknown"] = int(n)
    return out


def skip_counts(db: ReadDB) -> dict[str, int]:
    """Pages (and feeds, sitemaps) not stored, by reason: what the crawl recorded instead of dropping."""
    rows = db.rows("SELECT reason, count(*) FROM skips GROUP BY reason ORDER BY 2 DESC")
    return {reason: int(n) for reason, n in rows}


def distinct(db: ReadDB, column: str) -> list[str]:
    """Values seen in a filter column (source, language), for the list page's choices."""
    if column not in ("source", "language"):
        raise QueryError(f"no such filter column {column!r}")
    return [v for (v,) in db.rows(f"SELECT DISTINCT {column} FROM pages WHERE {column} IS NOT NULL ORDER BY 1")]


def english_texts(db: ReadDB, limit: int) -> list[LearnRecord]:
    """The newest records as the name learner reads them (English-source and translated blocks apart)."""
    out = []
    for (value,) in db.rows("SELECT record FROM pages ORDER BY fetched_at DESC LIMIT ?", [limit]):
        record = db.record(value)
        out.append(LearnRecord(str(record.get("id") or record.get("canonical_url")), record_blocks(record)))
    return out
