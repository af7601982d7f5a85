"""RawPage → normalise → link syndicated copies → store. The record (a dict) is what the JSON
Lines feed receives.

One normaliser per crawl, configured from the NORMALISER setting (a dict mapped onto
normalise.config.NormaliserConfig), running in a worker process (crawler/processing/worker.py;
NEWS_NORMALISE_PROCESSES, NEWS_NORMALISE_BATCH). A page the normaliser refuses (not HTML,
empty, ...) or that kills the worker process on its own becomes a skip with the error code
(`normaliser_crashed` for the latter); nothing already stored is touched.

Each record is linked to earlier copies of the same wire story (crawler/processing/near_duplicates.py:
metadata.cluster_id / near_duplicate_of) before it is saved; its signature enters the index
in the same transaction as the page. Linking, saving and indexing run on one store thread
(crawler/storage/writer.py), page after page in arrival order, so the reactor thread keeps
downloading and feeding the normaliser meanwhile; an item completes only once its save committed.
"""
from __future__ import annotations

import logging
import resource
import time
from collections import Counter, deque

from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future

from crawler import defaults
from crawler.items import RawPage
from crawler.processing.crawled_page import document_for, page_to_store, save_linked
from crawler.processing.kept_pages import KEEP_RAW_FOR, KeptPages
from crawler.processing.near_duplicates import NearDuplicateDetector, detector_for_store
from crawler.processing.worker import NORMALISER_CRASHED, NormaliseWorker, page_deadline
from crawler.runtime import record_skip, store_for
from crawler.storage import PageToStore, SaveOutcome, store_from_settings
from crawler.storage.errors import StoreUnavailable
from crawler.storage.writer import StoreWriter
from normalise.config import NormaliserConfig

log = logging.getLogger(__name__)

TEMPLATE_SAMPLE = 50  # newest stored pages of a source used to learn its template


class TemplateHashes:
    """Site-template block hashes per source (normalise.boilerplate.templates), learned
    from that source's newest TEMPLATE_SAMPLE stored pages; empty when that module is absent.

    The window of pages is kept in memory, as block fingerprints: seeded once per source from
    the store (pages of earlier runs), then updated as this crawl stores pages (`stored`). Each
    page is fingerprinted once, and the learned set is re-derived from running counts after
    every stored page, by the same rule as `learn_site_templates` (a fingerprint on at least
    `min_pages` pages and at least `min_share` of the window). Re-reading and re-learning 50
    stored records from the store took most of the crawl process's time on real pages.
    Pages stored meanwhile by other crawler processes (scrapy-redis) are seen from the next run on.
    """

    def __init__(self, store):
        self.store = store
        try:
            import inspect

            from normalise.boilerplate.templates import (
                block_fingerprint,
                learn_site_templates,
            )
        except ImportError:
            block_fingerprint = learn_site_templates = None
        self._fingerprint = block_fingerprint
        if learn_site_templates is not None:
            defaults = inspect.signature(learn_site_templates).parameters
            self.min_pages = defaults["min_pages"].default
            self.min_share = defaults["min_share"].default
        self._windows: dict[str, _TemplateWindow] = {}

    def fingerprints(self, blocks) -> frozenset[str] | None:
        """The distinct fingerprints of one record's block texts (any thread; pure)."""
        if self._fingerprint is None:
            return None
        try:
            return frozenset(self._fingerprint(b.get("text") or "") for b in blocks if (b.get("text") or "").strip())
        except Exception:  # a learning bug must not stop the crawl; pages are still cleaned without it
            log.exception("fingerprinting blocks for the site template failed; continuing without it")
            self._fingerprint = None
            return None

    def stored(self, source: str, fingerprints: frozenset[str] | None) -> None:
        """A page of `source` was stored (reactor thread): it enters the window."""
        if fingerprints is not None and self._fingerprint is not None:
            self._window(source).add(fingerprints)

    def for_source(self, source: str) -> frozenset[str]:
        if self._fingerprint is None:
            return frozenset()
        return self._window(source).hashes(self.min_pages, self.min_share)

    def _window(self, source: str) -> _TemplateWindow:
        window = self._windows.get(source)
        if window is None:
            window = self._windows[source] = _TemplateWindow(TEMPLATE_SAMPLE)
            # Oldest first, so the oldest leave the window first.
            for rec in reversed(self.store.recent_records(source, TEMPLATE_SAMPLE)):
                fps = self.fingerprints(rec.get("blocks", ()))
                if fps is None:
                    break
                window.add(fps)
        return window


class _TemplateWindow:
    """Fingerprint sets of a source's newest pages and how many of them carry each fingerprint."""

    def __init__(self, size: int):
        self.pages: deque[frozenset[str]] = deque()
        self.size = size
        self.counts: Counter = Counter()
        self._hashes: frozenset[str] | None = None

    def add(self, fingerprints: frozenset[str]) -> None:
        if len(self.pages) == self.size:
            old = self.pages.popleft()
            self.counts.subtract(old)
            for fp in old:
                if self.counts[fp] <= 0:
                    del self.counts[fp]
        self.pages.append(fingerprints)
        self.counts.update(fingerprints)
        self._hashes = None

    def hashes(self, min_pages: int, min_share: float) -> frozenset[str]:
        if self._hashes is None:
            n = len(self.pages)
            self._hashes = frozenset() if n < min_pages else frozenset(
                fp for fp, c in self.counts.items() if c >= min_pages and c / n >= min_share)
        return self._hashes


# SQLSTATE classes of a connection the server dropped: connection exception, operator intervention.
_CONNECTION_LOST_STATES = ("08", "57")


def _cpu_seconds(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


class NormaliseAndStorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.config = NormaliserConfig.from_mapping(dict(crawler.settings.getdict("NORMALISER")))
        self.worker: NormaliseWorker | None = None
        self._cpu_at_open = 0.0
        self.writer: StoreWriter | None = None
        self.templates: TemplateHashes | None = None
        self.near_dups: NearDuplicateDetector | None = None  # made and used on the store thread only
        self._store_failed = False

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        settings = self.crawler.settings
        self._cpu_at_open = _cpu_seconds(resource.RUSAGE_SELF)
        self._opened_at = time.monotonic()
        self.store = store_for(self.crawler)
        self.templates = TemplateHashes(self.store)
        # Saves, near-duplicate lookups and index writes: on their own thread, with their own store.
        self.writer = StoreWriter(lambda: store_from_settings(settings, connect=False))
        self.writer.close_hooks.append(lambda store: self._close_index())
        self.worker = NormaliseWorker(
            self.config,
            processes=settings.getint("NEWS_NORMALISE_PROCESSES", defaults.NEWS_NORMALISE_PROCESSES),
            batch_size=settings.getint("NEWS_NORMALISE_BATCH", defaults.NEWS_NORMALISE_BATCH),
            max_wait=settings.getfloat("NEWS_NORMALISE_MAX_WAIT", defaults.NEWS_NORMALISE_MAX_WAIT),
            factory=settings.get("NEWS_NORMALISE_FACTORY") or defaults.NEWS_NORMALISE_FACTORY,
            max_restarts=settings.getint("NEWS_NORMALISE_MAX_RESTARTS", defaults.NEWS_NORMALISE_MAX_RESTARTS),
            start_method=settings.get("NEWS_NORMALISE_START_METHOD") or defaults.NEWS_NORMALISE_START_METHOD,
            on_give_up=self._normaliser_gave_up,
            page_timeout=page_deadline(settings),
        )
        self.kept_pages = KeptPages(settings.get("NEWS_KEPT_PAGES_DIR") or defaults.NEWS_KEPT_PAGES_DIR)

    def _story_links(self, store) -> NearDuplicateDetector:
        """Made on first use, on the store thread (like the store's own connection): an unreachable
        database then fails a page save, which the store guard turns into a clean stop."""
        if self.near_dups is None:
            self.near_dups = detector_for_store(store)
        return self.near_dups

    def _normaliser_gave_up(self, message: str) -> None:
        from scrapy.utils.defer import deferred_from_coro

        self.crawler.stats.set_value("news/normaliser_gave_up", message)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=NORMALISER_CRASHED))

    async def close_spider(self):
        try:
            if self.worker is not None:
                await maybe_deferred_to_future(self.worker.close())
        finally:
            if self.writer is not None:
                await maybe_deferred_to_future(self.writer.close())
        # Where the CPU went (bench/ingestion.py reports it per page): this process (reactor,
        # store thread; the normaliser too when NEWS_NORMALISE_PROCESSES = 0) and the normaliser
        # worker processes (joined by now, so counted as reaped children).
        stats = self.crawler.stats
        if self.worker is not None:
            stats.set_value("news/normaliser/busy_s", round(self.worker.busy_seconds, 3))
            stats.set_value("news/normaliser/working_s", round(self.worker.working_seconds, 3))
            if self.worker.ready_at is not None:
                stats.set_value("news/normaliser/ready_after_s", round(self.worker.ready_at - self._opened_at, 3))
        stats.set_value("news/cpu/crawl_process_s", round(_cpu_seconds(resource.RUSAGE_SELF) - self._cpu_at_open, 3))
        if self.writer is not None:
            stats.set_value("news/cpu/store_thread_s", round(self.writer.cpu_seconds, 3))
        stats.set_value("news/cpu/normaliser_processes_s", round(_cpu_seconds(resource.RUSAGE_CHILDREN), 3))

    def _linked(self, store, data: dict):
        """The detector's `assign`, once more on a fresh index connection when the server dropped the
        old one (a PostgreSQL restart or failover): else every later page would lose its links."""
        try:
            return self._story_links(store).assign(data)
        except Exception as exc:
            state = getattr(exc, "sqlstate", None) or ""
            if not state.startswith(_CONNECTION_LOST_STATES):
                raise
            log.warning("near-duplicate index connection lost (%s); reconnecting", exc)
            self._close_index()
            self.near_dups = None
            return self._story_links(store).assign(data)

    def _close_index(self) -> None:
        if self.near_dups is not None:
            try:
                self.near_dups.index.close()
            except Exception:
                log.debug("closing the near-duplicate index connection failed", exc_info=True)

    async def process_item(self, item):
        if not isinstance(item, RawPage):
            return item
        source = self.crawler.spider.sources.get(item.source)
        doc = document_for(item, source, self.templates.for_source(item.source))
        data = await maybe_deferred_to_future(self.worker.submit(doc))  # the record, as a dict
        error = data.get("error")
        if error is not None:
            message = error["message"]
            if error["code"] in KEEP_RAW_FOR:  # the page may be fine: keep it for a later retry
                message += self.kept_pages.keep(item, error["code"])
            record_skip(self.crawler, item.final_url, item.source, error["code"], message)
            raise DropItem(f"{item.final_url}: {error['code']}", log_level="DEBUG")
        page = page_to_store(item, data, source)
        canonical = page.canonical_url
        try:
            outcome, fingerprints, errors = await maybe_deferred_to_future(
                self.writer.run(self._store_page, page, data))
        except StoreUnavailable as exc:
            # The first failure reaches the store guard (item_error), which stops the crawl; the pages
            # queued behind it are counted, not each logged with a traceback. Nothing about them is
            # stored, so the next run fetches them again.
            self.crawler.stats.inc_value("news/not_stored")
            if self._store_failed:
                raise DropItem(f"{canonical}: not stored, the store failed: {exc}", log_level="DEBUG") from exc
            self._store_failed = True
            raise
        stats = self.crawler.stats
        for key in errors:
            stats.inc_value(key)
        stats.inc_value(f"news/stored/{outcome.value}")
        if outcome is SaveOutcome.UNCHANGED:
            raise DropItem(f"{canonical}: unchanged, already stored", log_level="DEBUG")
        self.templates.stored(item.source, fingerprints)
        stats.inc_value(f"news/stored/language/{data.get('language') or 'unknown'}")
        for block in data.get("blocks", ()):
            if block.get("translation") == "untranslated" and "no Argos model" in (block.get("translation_reason") or ""):
                stats.inc_value(f"news/no_model/{block.get('language')}")
        return data

    def _store_page(self, store, page: PageToStore, data: dict):
        """On the store thread: link to earlier copies, then save the page with its index entry
        (crawled_page.save_linked). Returns (outcome, the page's template fingerprints, error stats
        to count)."""
        outcome, errors = save_linked(store, page, data, lambda record: self._linked(store, record))
        fingerprints = None
        if outcome is not SaveOutcome.UNCHANGED and self.templates is not None:
            fingerprints = self.templates.fingerprints(data.get("blocks", ()))
        return outcome, fingerprints, errors
