"""A fetched page (RawPage) to the normaliser's input, and its record to what the store saves.

One construction used by the crawl pipeline and by `scrapy renormalise --kept-pages`, so a page
kept after a normaliser timeout is stored as the crawl would have stored it.
"""
from __future__ import annotations

from typing import Any

from crawler.discovery.urls import canonical_url
from crawler.items import RawPage
from crawler.storage import PageToStore
from normalise.inputs import InputDocument, SourceHints, page_document

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
