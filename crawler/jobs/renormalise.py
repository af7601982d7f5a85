"""Re-run the normaliser over stored raw pages and update their records in place, no refetching.

Used after a model, lexicon or gazetteer update (`scrapy renormalise [--source S]`). Each page
is rebuilt exactly as the crawl pipeline builds it (`normalise.inputs.page_document`: same
source hints, the source's site-template hashes learned from its stored pages, same canonical
URL, the same discovery facts kept from the old record) and linked to earlier copies by the
crawl's own linker; a page the new normaliser refuses keeps its old record and is counted as
failed, so a bad update never destroys stored work.
"""
from __future__ import annotations

import logging
import sys
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from typing import Any

from crawler.processing.near_duplicates import NearDuplicateDetector
from crawler.storage.base import Store, StoredPage
from normalise.inputs import InputDocument, SourceHints, page_document

log = logging.getLogger(__name__)

# Facts that came from the crawl (feed, sitemap), not from the page: carried over.
_CRAWL_METADATA = ("discovery", "published_at_source")


def document_for(page: StoredPage, sources: Mapping[str, SourceHints],
                 template_hashes: frozenset[str] = frozenset()) -> InputDocument:
    return page_document(page.final_url or page.url, page.html, source=page.source, fetched_at=page.fetched_at,
                         content_type=page.content_type, hints=sources.get(page.source),
                         template_hashes=template_hashes)


def merge(page: StoredPage, new: dict[str, Any]) -> dict[str, Any]:
    """The new record under the stored identity, with crawl-time facts from the old record."""
    old = page.record or {}
    new["id"] = new["canonical_url"] = page.canonical_url
    new["url"] = page.final_url or page.url
    meta = new.setdefault("metadata", {})
    for key in _CRAWL_METADATA:
        if key in (old.get("metadata") or {}):
            meta.setdefault(key, old["metadata"][key])
    if not new.get("published_at") and old.get("published_at"):
        new["published_at"] = old["published_at"]  # from the feed or sitemap at crawl time
    return new


def renormalise(store: Store, normaliser: Any, sources: Mapping[str, SourceHints], *, source: str | None = None,
                detector: NearDuplicateDetector | None = None, progress: bool | None = None,
                total: int | None = None) -> Counter:
    """Re-normalise every stored page (of one source); returns counts of updated/failed pages."""
    from tqdm import tqdm

    from crawler.pipelines import TemplateHashes

    templates = TemplateHashes(store)
    outcomes: Counter = Counter()
    pending: deque = deque()

    def documents() -> Iterable[InputDocument]:
        for page in store.iter_raw_pages(source):
            pending.append(page)
            yield document_for(page, sources, templates.for_source(page.source))

    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=total, desc="renormalise", unit="page", file=sys.stderr, disable=not show) as bar:
        for record in normaliser.normalise_many(documents()):
            page = pending.popleft()
            bar.update(1)
            if record.error is not None:
                log.warning("re-normalising %s failed (%s: %s); the stored record is kept",
                            page.canonical_url, record.error.code, record.error.message)
                outcomes["failed"] += 1
                continue
            data = merge(page, record.to_dict())
            index_it = detector.assign(data) if detector is not None else None
            store.update_record(page.canonical_url, data)
            if index_it is not None:
                index_it()  # once the record is stored, as in the crawl
            outcomes["updated"] += 1
    return outcomes
