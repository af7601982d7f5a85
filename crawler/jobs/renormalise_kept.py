"""Normalise the pages kept after a normaliser timeout or crash again, and store them as the crawl would.

`scrapy renormalise --kept-pages`: each kept page (crawler/processing/kept_pages.py) is rebuilt
into the crawl's own normaliser input (crawler/processing/crawled_page.py: same source hints, the
source's learned site-template hashes), normalised alone in a worker process under
NEWS_NORMALISE_PAGE_TIMEOUT, linked to earlier copies of the story and saved with the crawl's
page row (crawled_page.save_linked: without its near-duplicate entry when the index fails, as in
the crawl); once saved, its files are removed. A page that times out or crashes the worker again
stays kept, its facts naming the latest reason, and the skip is recorded again; a page the
normaliser now refuses for a reason of its own (not HTML, empty) is recorded as that skip and
removed, as a crawl would have.
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from typing import Any

from crawler.processing.crawled_page import document_for, page_to_store, save_linked
from crawler.processing.kept_pages import KEEP_RAW_FOR, KeptPage, KeptPages
from crawler.processing.near_duplicates import NearDuplicateDetector
from crawler.storage.base import Store
from normalise.inputs import SourceHints

log = logging.getLogger(__name__)


def renormalise_kept(store: Store, kept: KeptPages, runner: Any, sources: Mapping[str, Any], *,
                     source: str | None = None, detector: NearDuplicateDetector | None = None) -> Counter:
    """Returns counts: `stored` (saved, files removed), `still_failing` (kept), `refused` (a skip
    of the normaliser's own, files removed), `unreadable` (kept files that could not be read)."""
    from crawler.pipelines import TemplateHashes

    templates = TemplateHashes(store)
    outcomes: Counter = Counter()
    for entry in kept.pages():
        if isinstance(entry, str):
            log.error("%s", entry)
            outcomes["unreadable"] += 1
            continue
        if source is not None and entry.page.source != source:
            continue
        outcomes[_one(store, kept, runner, entry, sources.get(entry.page.source), templates, detector)] += 1
    return outcomes


def _one(store: Store, kept: KeptPages, runner: Any, entry: KeptPage, hints: SourceHints | None,
         templates, detector: NearDuplicateDetector | None) -> str:
    item = entry.page
    data = runner.normalise(document_for(item, hints, templates.for_source(item.source)))
    error = data.get("error")
    if error is not None:
        detail = f"{error['message']} (renormalise --kept-pages)"
        store.record_skip(item.final_url, item.source, error["code"], detail)
        if error["code"] in KEEP_RAW_FOR:
            kept.note(entry, error["code"])
            log.warning("%s still fails (%s); it stays kept", item.final_url, error["code"])
            return "still_failing"
        kept.remove(item.final_url)
        return "refused"
    page = page_to_store(item, data, hints)
    save_linked(store, page, data, detector.assign if detector is not None else None)  # as the crawl saves
    templates.stored(item.source, templates.fingerprints(data.get("blocks", ())))
    kept.remove(item.final_url)
    return "stored"
