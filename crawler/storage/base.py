"""The store contract: SQLite (embedded default) and PostgreSQL implement it.

Pages are keyed by canonical URL. `save` stores the raw page and its normalised record in
one transaction (upsert); when the article text changes the previous version becomes a
revision, never lost. Skips record every page that was not stored, with a reason code.

What a save writes and how it decides NEW / UNCHANGED / REVISED is decided here, once
(`PageRow`, `Store.save`); a backend only says how its SQL reads and writes one row. Besides
pages, every store keeps the scheduler's state (`run_lock`, `last_runs`, `record_run`) and
hands out the near-duplicate index that lives beside its records (`near_duplicate_index`).
"""
from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from crawler.storage import raw_html

if TYPE_CHECKING:
    from crawler.processing.near_duplicates import SignatureIndex

T = TypeVar("T")


class SaveOutcome(str, Enum):
    NEW = "new"  # first time this canonical URL is stored
    REVISED = "revised"  # text changed: the previous version was kept as a revision
    UNCHANGED = "unchanged"  # same text: fetch state refreshed, nothing stored twice


@dataclass
class PageToStore:
    canonical_url: str
    url: str
    final_url: str
    source: str
    status: int
    headers: dict[str, str]
    fetched_at: str
    html: bytes
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    lastmod: str | None = None  # from the sitemap that listed the page
    aliases: tuple[str, ...] = ()  # other canonicalised URLs that led to this page


@dataclass
class StoredPage:
    """A stored raw page, for re-normalising without refetching."""

    canonical_url: str
    url: str
    final_url: str
    source: str
    status: int
    headers: dict[str, str]
    fetched_at: str
    html: bytes
    content_type: str | None
    record: dict[str, Any] | None
    pipeline_version: str | None
    lastmod: str | None = None


@dataclass
class FetchState:
    """What a conditional or incremental fetch needs to know about a stored page."""

    canonical_url: str
    etag: str | None
    last_modified: str | None
    lastmod: str | None
    content_hash: str | None
    fetched_at: str | None


@dataclass
class RevisitState:
    """When a stored page was first stored and last checked (fetched, or answered 304)."""

    canonical_url: str
    etag: str | None
    last_modified: str | None
    first_stored_at: datetime
    checked_at: datetime


def revisit_due(page: RevisitState, now: datetime, schedule: tuple[timedelta, ...]) -> bool:
    """Due when a point of the schedule (ages after first storage) has passed since the last check:
    a story is edited most in its first hours, so checks thin out as it ages."""
    return any(page.checked_at < page.first_stored_at + age <= now for age in schedule)


@dataclass
class StoreCounts:
    pages: int = 0
    revisions: int = 0
    skips: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)
    skips_by_reason: dict[str, int] = field(default_factory=dict)


def content_hash(record: dict[str, Any]) -> str:
    """Identity of an article's content: its title and clean text (not the page chrome)."""
    text = f"{record.get('title') or ''}\n{record.get('text') or ''}"
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def _text(value: Any) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def plain_headers(headers: Mapping[Any, Any] | None) -> dict[str, Any]:
    """Response headers as JSON-ready text (Scrapy gives bytes, sometimes lists of values)."""
    out: dict[str, Any] = {}
    for key, value in (headers or {}).items():
        if isinstance(value, (list, tuple)):
            out[_text(key)] = [_text(v) for v in value]
        else:
            out[_text(key)] = _text(value)
    return out


def header(headers: Mapping[str, Any], name: str) -> str | None:
    """One header's (first) value, matched case-insensitively, from `plain_headers` output."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            if isinstance(value, list):
                return value[0] if value else None
            return str(value)
    return None


@dataclass(frozen=True)
class PageRow:
    """Every column one save writes, derived from the page and its record in one place."""

    canonical_url: str
    url: str
    final_url: str
    source: str
    status: int
    headers: dict[str, Any]
    content_type: str | None
    fetched_at: str
    checked_at: str  # last fetch or 304 (the revisit schedule): a save is a fetch
    published_at: str | None
    lastmod: str | None
    etag: str | None
    last_modified: str | None
    language: str | None
    title: str | None
    content_hash: str
    html: bytes  # zlib-compressed (crawler/storage/raw_html.py)
    record: dict[str, Any]
    pipeline_version: str | None
    cluster_id: str | None
    near_duplicate_of: str | None
    removed_blocks: str | None  # removed_block_counts(record)
    aliases: tuple[str, ...]  # other URLs that lead to this page

    @classmethod
    def build(cls, page: PageToStore, record: dict[str, Any]) -> PageRow:
        headers = plain_headers(page.headers)
        key = page.canonical_url
        return cls(
            canonical_url=key, url=page.url, final_url=page.final_url, source=page.source,
            status=page.status, headers=headers, content_type=page.content_type, fetched_at=page.fetched_at,
            checked_at=page.fetched_at, lastmod=page.lastmod, etag=page.etag or header(headers, "ETag"),
            last_modified=page.last_modified or header(headers, "Last-Modified"),
            html=raw_html.compress(page.html), aliases=tuple(sorted({page.url, page.final_url, *page.aliases}
                                                                   - {key, ""})),
            **record_columns(record))


def record_columns(record: dict[str, Any]) -> dict[str, Any]:
    """The columns derived from a record: written by a save and by a re-normalisation alike."""
    meta = record.get("metadata") or {}
    return {"published_at": record.get("published_at"), "language": record.get("language"),
            "title": record.get("title"), "content_hash": content_hash(record), "record": record,
            "pipeline_version": record.get("pipeline_version"), "cluster_id": meta.get("cluster_id"),
            "near_duplicate_of": meta.get("near_duplicate_of"), "removed_blocks": removed_block_counts(record)}


def removed_block_counts(record: dict[str, Any]) -> str | None:
    """The record's removed blocks counted per reason, as a JSON object (None when there are none):
    the review app's counts add up this small column instead of reading every record's blocks."""
    counts = Counter(block.get("removed") for block in record.get("blocks") or () if block.get("removed"))
    return json.dumps(dict(sorted(counts.items()))) if counts else None


@dataclass(frozen=True)
class CurrentVersion:
    """What a save needs to know of the stored row it is about to replace."""

    content_hash: str
    revision: int


def save_outcome(current: CurrentVersion | None, digest: str) -> SaveOutcome:
    """The one rule: a new URL is NEW, the same title and text is UNCHANGED, anything else REVISED."""
    if current is None:
        return SaveOutcome.NEW
    if current.content_hash == digest:
        return SaveOutcome.UNCHANGED
    return SaveOutcome.REVISED


class Store(ABC):
    """Where pages, records, revisions and skips live."""

    #: human-readable location for logs and the run summary, e.g. "data/news.sqlite"
    description: str = ""

    def save(self, page: PageToStore, record: dict[str, Any],
             also: Callable[[Any], None] | None = None) -> SaveOutcome:
        """Upsert page + record atomically by canonical URL; keep a revision if the text changed.

        `also(tx)`, when given, writes more rows in the same transaction (the crawl's
        near-duplicate index entry): `tx` has DB-API `execute` and `executemany`."""
        row = PageRow.build(page, record)

        def body(tx: Any) -> SaveOutcome:
            current = self._current_version(tx, row.canonical_url)
            outcome = save_outcome(current, row.content_hash)
            if current is None:
                self._insert_page(tx, row)
            elif outcome is SaveOutcome.UNCHANGED:
                # Same article text: refresh the fetch state; the record only if the pipeline is newer.
                self._refresh_page(tx, row)
            else:
                self._revise_page(tx, row, current)
            if row.aliases:
                self._write_aliases(tx, row.canonical_url, row.aliases)
            if also is not None:
                also(tx)
            return outcome

        return self._in_transaction(f"save of {row.canonical_url}", body)

    # -- what a backend provides for `save` ---------------------------------------------------------
    @abstractmethod
    def _in_transaction(self, what: str, body: Callable[[Any], T]) -> T:
        """Run `body(tx)` in one transaction (`what` names it in errors)."""

    @abstractmethod
    def _current_version(self, tx: Any, canonical_url: str) -> CurrentVersion | None:
        """The stored row's hash and revision, locked against concurrent saves until commit."""

    @abstractmethod
    def _insert_page(self, tx: Any, row: PageRow) -> None:
        ...

    @abstractmethod
    def _refresh_page(self, tx: Any, row: PageRow) -> None:
        """Fetch state from `row`; the record only when its pipeline version differs."""

    @abstractmethod
    def _revise_page(self, tx: Any, row: PageRow, current: CurrentVersion) -> None:
        """Keep the stored version as a revision, then replace the page with `row`."""

    @abstractmethod
    def _write_aliases(self, tx: Any, canonical_url: str, aliases: tuple[str, ...]) -> None:
        ...

    @abstractmethod
    def record_skip(self, url: str, source: str | None, reason: str, detail: str | None = None) -> None:
        """Remember a page (or seeds file, feed, sitemap) that was not stored, and why."""

    @abstractmethod
    def has(self, url: str) -> bool:
        """Is this canonical URL, or a URL known to lead to a stored page, stored?"""

    @abstractmethod
    def fetch_state(self, url: str) -> FetchState | None:
        """ETag / Last-Modified / sitemap lastmod of a stored page (by canonical URL or alias)."""

    @abstractmethod
    def note_discovery(self, url: str, lastmod: str | None, published_at: str | None, origin: str) -> bool:
        """A feed or sitemap listed an already stored page: keep the newest `lastmod`, and fill a
        missing published date (recording `origin` in the record's metadata). False if not stored."""

    @abstractmethod
    def note_checked(self, url: str, at: str) -> bool:
        """A conditional GET of a stored page answered 304 at `at`: it was checked, nothing changed.
        False if not stored."""

    @abstractmethod
    def revisit_candidates(self, source: str, first_stored_since: datetime) -> list[RevisitState]:
        """Pages of `source` first stored at or after `first_stored_since` (the revisit window)."""

    def revisits_due(self, source: str, now: datetime, schedule: tuple[timedelta, ...]) -> list[RevisitState]:
        """Stored pages of `source` whose next scheduled check has come (see `revisit_due`)."""
        if not schedule:
            return []
        # A check missed while no crawl ran is made up later, within a day or as long again as the schedule.
        last = max(schedule)
        candidates = self.revisit_candidates(source, now - last - max(last, timedelta(days=1)))
        return [page for page in candidates if revisit_due(page, now, schedule)]

    @abstractmethod
    def iter_raw_pages(self, source: str | None = None) -> Iterator[StoredPage]:
        """Stored raw pages, streamed, for re-normalising after a model or lexicon update."""

    @abstractmethod
    def update_record(self, canonical_url: str, record: dict[str, Any]) -> None:
        """Replace a page's record in place (re-normalising), keeping its raw page."""

    @abstractmethod
    def iter_records(self, source: str | None = None, language: str | None = None,
                     since: str | None = None, until: str | None = None) -> Iterator[dict[str, Any]]:
        """Stored records, streamed, filtered by source, language and published date range."""

    @abstractmethod
    def recent_records(self, source: str, limit: int) -> list[dict[str, Any]]:
        """The newest records of one source (e.g. to learn that site's page template)."""

    @abstractmethod
    def counts(self) -> StoreCounts:
        ...

    # -- scheduler state ------------------------------------------------------------------------------
    @abstractmethod
    def run_lock(self) -> AbstractContextManager[None]:
        """Held while a scheduled run goes on; raises `LockHeld` if another run holds it. Released
        by the kernel or the server when the holder dies, so a crash never wedges it."""

    @abstractmethod
    def last_runs(self) -> dict[str, datetime]:
        """When each source's last scheduled run started (timezone-aware)."""

    @abstractmethod
    def record_run(self, source: str, started_at: datetime, finished_at: datetime | None, status: str) -> None:
        ...

    # -- near duplicates ------------------------------------------------------------------------------
    @abstractmethod
    def near_duplicate_index(self) -> SignatureIndex:
        """The near-duplicate signature index beside this store's records, on a connection of its
        own (the caller closes it); its `write` also runs inside a `save` transaction (`also`)."""

    @abstractmethod
    def close(self) -> None:
        ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
