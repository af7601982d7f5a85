"""The store interface: SQLite (embedded default) and PostgreSQL (issue 6) implement it.

Pages are keyed by canonical URL. `save` stores the raw page and its normalised record in
one transaction (upsert); when the article text changes the previous version becomes a
revision, never lost. Skips record every page that was not stored, with a reason code.
"""
from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Callable, Iterator


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


class Store(ABC):
    """Where pages, records, revisions and skips live."""

    #: human-readable location for logs and the run summary, e.g. "data/news.sqlite"
    description: str = ""

    @abstractmethod
    def save(self, page: PageToStore, record: dict[str, Any],
             also: Callable[[Any], None] | None = None) -> SaveOutcome:
        """Upsert page + record atomically by canonical URL; keep a revision if the text changed.

        `also(conn)`, when given, writes more rows in the same transaction (the crawl's
        near-duplicate index entry): `conn` has DB-API `execute` (and `cursor()` or `executemany`)."""

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

    @abstractmethod
    def close(self) -> None:
        ...

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
