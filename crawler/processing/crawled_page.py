"""A fetched page (RawPage) to the normaliser's input, its record to what the store saves, and
the save with its near-duplicate index entry.

One construction used by the crawl pipeline and by `scrapy renormalise --kept-pages`, so a page
kept after a normaliser timeout is stored as the crawl would have stored it.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from crawler.discovery.urls import canonical_url
from crawler.items import RawPage
from crawler.processing.near_duplicates import IndexWrite, nothing_to_index
from crawler.storage import PageToStore, SaveOutcome
from crawler.storage.base import Store
from crawler.storage.errors import StoreUnavailable, as_write_failure
from normalise.inputs import InputDocument, SourceHints, page_document

log = logging.getLogger(__name__)
LOOKUP_ERRORS = "news/near_duplicates/lookup_errors"
INDEX_ERRORS = "news/near_duplicates/index_errors"

# Where `published_at` comes from when the page itself does not say, in order of trust.
_DATE_FALLBACKS = (("publication_date", "sitemap_news"), ("feed_published", "feed"), ("lastmod", "sitemap_lastmod"))


def document_for(item: RawPage, source: SourceHints | None, template_hashes: frozenset[str]) -> InputDocument:
    return page_document(item.final_url, item.body, source=item.source, fetched_at=item.fetched_at,
                         content_type=item.content_type, hints=source, template_hashes=template_hashes)


def choose_canonical(declared: str | None, fetched_url: str, source) -> tuple[str, str | None]:
    """Honour <link rel=canonical> only inside the source's own domains (else a page could
    overwrite another outlet's article). Returns (canonical URL, warning or None)."""
    fetched = canonical_url(fetched_url)
    if not declared:
        return fetched, None
    try:
        candidate = canonical_url(declared)
    except ValueError:
        return fetched, f"unusable rel=canonical {declared!r} ignored"
    if source is not None and not source.in_domain(candidate):
        return fetched, f"rel=canonical {candidate} is outside the source's domains; ignored"
    return candidate, None


def page_to_store(item: RawPage, data: dict[str, Any], source) -> PageToStore:
    """Completes the record `data` (canonical URL, crawl-time dates and discovery facts) in place
    and returns the page row to save with it."""
    declared = data.get("canonical_url")
    canonical, warning = choose_canonical(declared if declared != item.final_url else None, item.final_url, source)
    data["id"] = data["canonical_url"] = canonical
    data["url"] = item.final_url
    if warning:
        data["warnings"].append(warning)
    discovery = {k: v for k, v in item.discovery.items() if v is not None}
    fill_published_at(data, discovery)
    data["metadata"]["discovery"] = discovery
    return PageToStore(
        canonical_url=canonical, url=canonical_url(item.url), final_url=canonical_url(item.final_url),
        source=item.source, status=item.status, headers=item.headers, fetched_at=item.fetched_at,
        html=item.body, content_type=item.content_type, etag=item.headers.get("Etag"),
        last_modified=item.headers.get("Last-Modified"), lastmod=discovery.get("lastmod"),
        aliases=tuple(canonical_url(u) for u in item.redirect_urls),
    )


def fill_published_at(data: dict, discovery: dict) -> None:
    if data.get("published_at"):
        data["metadata"]["published_at_source"] = "page"
        return
    for key, origin in _DATE_FALLBACKS:
        if discovery.get(key):
            data["published_at"] = discovery[key]
            data["metadata"]["published_at_source"] = origin
            return


def save_linked(store: Store, page: PageToStore, data: dict, link: Callable[[dict], IndexWrite] | None
                ) -> tuple[SaveOutcome, list[str]]:
    """Link the record `data` to earlier copies of its story (`link`: a detector's `assign`; None:
    no linking) and save the page with its index entry in one transaction (a failed save leaves no
    index entry). A page is never lost to its index: when the lookup or the index write fails, it
    is saved without an entry (logged). Returns the save's outcome and the error stats to count
    (LOOKUP_ERRORS, INDEX_ERRORS). The store unavailable or unable to write at all is raised."""
    errors = []
    index_it: IndexWrite = nothing_to_index
    if link is not None:
        try:
            index_it = link(data)
        except Exception as exc:  # the index unreachable: store the page unlinked rather than lose it
            if isinstance(exc, StoreUnavailable):
                raise  # the database is gone: the caller stops cleanly
            cannot_write = as_write_failure(exc)
            if cannot_write is not None:
                raise cannot_write from exc  # disk full: storing it unlinked would fail too
            log.exception("near-duplicate lookup for %s failed; stored without a cluster", page.canonical_url)
            errors.append(LOOKUP_ERRORS)
    try:
        return store.save(page, data, also=index_it), errors
    except Exception as exc:
        if index_it is nothing_to_index or isinstance(exc, StoreUnavailable) or as_write_failure(exc) is not None:
            raise  # nothing to leave out, or saving without the index entry would fail too
        log.exception("saving %s with its near-duplicate index entry failed; saving it without", page.canonical_url)
        errors.append(INDEX_ERRORS)
        return store.save(page, data), errors
