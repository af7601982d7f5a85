"""`scrapy renormalise [--source S] [--kept-pages]`: re-run the normaliser over stored raw pages, no
refetching; with --kept-pages, over the pages kept after a normaliser timeout or crash instead,
storing each that now normalises (crawler/jobs/renormalise_kept.py)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from crawler import defaults
from crawler.discovery.sources import load_sources
from crawler.jobs.renormalise import renormalise
from crawler.storage.errors import StoreUnavailable
from crawler.storage.factory import store_from_settings


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def short_desc(self) -> str:
        return "Re-normalise stored raw pages in place (after a model, lexicon or gazetteer update)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--source", help="only the pages of this source id")
        parser.add_argument("--no-near-duplicates", action="store_true",
                            help="keep the stored near-duplicate links instead of recomputing them")
        parser.add_argument("--kept-pages", action="store_true",
                            help="normalise the pages kept in NEWS_KEPT_PAGES_DIR after a normaliser timeout or crash "
                                 "(each alone, under NEWS_NORMALISE_PAGE_TIMEOUT) and store those that now succeed")

    def run(self, args: list[str], opts) -> None:
        from crawler.processing.near_duplicates import detector_for_store
        from normalise.config import NormaliserConfig
        from normalise.pipeline import Normaliser

        settings = self.settings
        assert settings is not None  # Scrapy sets it before running a command
        config = NormaliserConfig.from_mapping(dict(settings.getdict("NORMALISER")))
        sources = load_sources(Path(settings.get("NEWS_SEEDS_DIR") or defaults.NEWS_SEEDS_DIR)).sources
        try:
            store = store_from_settings(settings)
        except StoreUnavailable as exc:
            print(f"renormalise: {exc}", file=sys.stderr)
            self.exitcode = 3
            return
        detector = None
        if opts.kept_pages:
            self._kept_pages(store, config, sources, opts)
            return
        try:
            counts = store.counts()
            total = counts.by_source.get(opts.source, 0) if opts.source else counts.pages
            detector = None if opts.no_near_duplicates else detector_for_store(store)
            outcomes = renormalise(store, Normaliser(config), sources, source=opts.source, detector=detector,
                                   total=total)
        finally:
            if detector is not None:
                detector.index.close()
            store.close()
        print(f"renormalise: {outcomes['updated']} record(s) updated, {outcomes['failed']} failed "
              f"(kept their stored record) in {store.description}", file=sys.stderr)
        feeds = list(settings.getdict("FEEDS"))
        if feeds and outcomes["updated"]:  # the crawl feed is a log of what crawls produced, never rewritten
            print(f"renormalise: {', '.join(feeds)} still holds the records as first crawled; "
                  "`scrapy export` gives the updated ones", file=sys.stderr)
        self.exitcode = 1 if outcomes["failed"] else 0

    def _kept_pages(self, store, config, sources, opts) -> None:
        from crawler.jobs.renormalise_kept import renormalise_kept
        from crawler.processing.kept_pages import KeptPages
        from crawler.processing.near_duplicates import detector_for_store
        from crawler.processing.page_runner import PageRunner

        settings = self.settings
        assert settings is not None
        kept = KeptPages(settings.get("NEWS_KEPT_PAGES_DIR") or defaults.NEWS_KEPT_PAGES_DIR)
        detector = None
        try:
            detector = None if opts.no_near_duplicates else detector_for_store(store)
            deadline = settings.getfloat("NEWS_NORMALISE_PAGE_TIMEOUT", defaults.NEWS_NORMALISE_PAGE_TIMEOUT)
            with PageRunner(config, page_timeout=deadline,
                            factory=settings.get("NEWS_NORMALISE_FACTORY") or defaults.NEWS_NORMALISE_FACTORY,
                            start_method=settings.get("NEWS_NORMALISE_START_METHOD")
                            or defaults.NEWS_NORMALISE_START_METHOD) as runner:
                outcomes = renormalise_kept(store, kept, runner, sources, source=opts.source, detector=detector)
        finally:
            if detector is not None:
                detector.index.close()
            store.close()
        print(f"renormalise: {outcomes['stored']} kept page(s) stored, {outcomes['still_failing']} still failing "
              f"(still kept), {outcomes['refused']} refused by the normaliser (skip recorded), "
              f"{outcomes['unreadable']} unreadable, from {kept.directory} into {store.description}", file=sys.stderr)
        self.exitcode = 1 if outcomes["still_failing"] or outcomes["unreadable"] else 0
