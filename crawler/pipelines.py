"""RawPage → normalise → store. The record (a dict) is what the JSON Lines feed receives.

One Normaliser per crawl, configured from the NORMALISER setting (a dict mapped onto
normalise.config.NormaliserConfig). A page the normaliser refuses (not HTML, empty, ...)
becomes a skip with the normaliser's error code; nothing already stored is touched.
"""
from __future__ import annotations

import logging

from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future

from crawler.items import RawPage
from crawler.normalise_worker import NormaliseWorker
from crawler.runtime import record_skip, store_for
from crawler.storage import PageToStore, SaveOutcome
from crawler.urls import canonical_url
from normalise.config import NormaliserConfig
from normalise.inputs import InputDocument

log = logging.getLogger(__name__)

# Where `published_at` comes from when the page itself does not say, in order of trust.
_DATE_FALLBACKS = (("publication_date", "sitemap_news"), ("feed_published", "feed"), ("lastmod", "sitemap_lastmod"))
TEMPLATE_SAMPLE = 50  # newest stored pages of a source used to learn its template
TEMPLATE_RELEARN_EVERY = 10  # stored pages of a source between re-learning


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


class TemplateHashes:
    """Site-template block hashes per source, learned from that source's stored pages
    (normalise.boilerplate.templates, issue 3); empty when that module is absent."""

    def __init__(self, store):
        self.store = store
        try:
            from normalise.boilerplate.templates import learn_site_templates
        except ImportError:
            learn_site_templates = None
        self._learn = learn_site_templates
        self._cache: dict[str, tuple[int, int, frozenset[str]]] = {}  # stored, examined, hashes
        self._stored: dict[str, int] = {}

    def stored(self, source: str) -> None:
        self._stored[source] = self._stored.get(source, 0) + 1

    def for_source(self, source: str) -> frozenset[str]:
        if self._learn is None:
            return frozenset()
        stored = self._stored.get(source, 0)
        cached = self._cache.get(source)
        if cached is not None:
            learned_at, examined, hashes = cached
            # Re-learn on every new page while the sample is small (cheap), then every N pages.
            due = TEMPLATE_RELEARN_EVERY if examined >= TEMPLATE_SAMPLE else 1
            if stored - learned_at < due:
                return hashes
        pages = [[b.get("text", "") for b in rec.get("blocks", [])]
                 for rec in self.store.recent_records(source, TEMPLATE_SAMPLE)]
        try:
            learned = self._learn(pages) if len(pages) >= 2 else ()
            hashes = frozenset(getattr(learned, "fingerprints", learned))  # TemplateReport or plain hashes
        except Exception:  # a learning bug must not stop the crawl; pages are still cleaned without it
            log.exception("learning the site template of %s failed; continuing without it", source)
            self._learn = None
            hashes = frozenset()
        self._cache[source] = (stored, len(pages), hashes)
        return hashes


class NormaliseAndStorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.config = NormaliserConfig.from_mapping(dict(crawler.settings.getdict("NORMALISER")))
        self.worker: NormaliseWorker | None = None
        self.templates: TemplateHashes | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        from normalise.pipeline import Normaliser

        self.store = store_for(self.crawler)
        self.templates = TemplateHashes(self.store)
        self.worker = NormaliseWorker(Normaliser(self.config),
                                      batch_size=self.crawler.settings.getint("NEWS_NORMALISE_BATCH", 16))

    def close_spider(self):
        if self.worker is not None:
            self.worker.close()

    async def process_item(self, item):
        if not isinstance(item, RawPage):
            return item
        source = self.crawler.spider.sources.get(item.source)
        doc = InputDocument(
            id=item.final_url, html=item.body, url=item.final_url, source=item.source,
            fetched_at=item.fetched_at, content_type=item.content_type,
            expected_languages=list(source.languages) if source else [],
            drop_selectors=list(source.drop_selectors) if source else [],
            template_hashes=self.templates.for_source(item.source),
        )
        record = await maybe_deferred_to_future(self.worker.submit(doc))
        if record.error is not None:
            record_skip(self.crawler, item.final_url, item.source, record.error.code, record.error.message)
            raise DropItem(f"{item.final_url}: {record.error.code}", log_level="DEBUG")
        canonical, warning = choose_canonical(record.canonical_url if record.canonical_url != item.final_url
                                              else None, item.final_url, source)
        record.id = record.canonical_url = canonical
        record.url = item.final_url
        if warning:
            record.warnings.append(warning)
        discovery = {k: v for k, v in item.discovery.items() if v is not None}
        self._fill_published_at(record, discovery)
        record.metadata["discovery"] = discovery
        data = record.to_dict()
        page = PageToStore(
            canonical_url=canonical, url=canonical_url(item.url), final_url=canonical_url(item.final_url),
            source=item.source, status=item.status, headers=item.headers, fetched_at=item.fetched_at,
            html=item.body, content_type=item.content_type, etag=item.headers.get("Etag"),
            last_modified=item.headers.get("Last-Modified"), lastmod=discovery.get("lastmod"),
            aliases=tuple(canonical_url(u) for u in item.redirect_urls),
        )
        outcome = self.store.save(page, data)
        stats = self.crawler.stats
        stats.inc_value(f"news/stored/{outcome.value}")
        if outcome is SaveOutcome.UNCHANGED:
            raise DropItem(f"{canonical}: unchanged, already stored", log_level="DEBUG")
        self.templates.stored(item.source)
        stats.inc_value(f"news/stored/language/{data.get('language') or 'unknown'}")
        return data

    @staticmethod
    def _fill_published_at(record, discovery: dict) -> None:
        if record.published_at:
            record.metadata["published_at_source"] = "page"
            return
        for key, origin in _DATE_FALLBACKS:
            if discovery.get(key):
                record.published_at = discovery[key]
                record.metadata["published_at_source"] = origin
                return
