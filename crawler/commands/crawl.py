"""`scrapy crawl` that exits 1 when the crawl stopped on a failure, not only when it failed to start.

Stock Scrapy exits 0 whatever the finish reason. A scheduler (cron, `scrapy schedule`, scrapyd)
must see a run that stopped because its store went away or its normaliser kept crashing as failed,
or it records the run as fine and waits a whole interval with nothing stored.
"""
from __future__ import annotations

import logging

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from crawler.processing.worker import NORMALISER_CRASHED
from crawler.storage.preflight import store_refusal

log = logging.getLogger(__name__)

# Finish reasons that mean the run did not do its job (set by crawler/extensions/store_guard.py
# and crawler/pipelines.py); "finished" and an operator's "shutdown" are not failures.
FAILED_FINISH_REASONS = frozenset({"store_unavailable", NORMALISER_CRASHED})


class Command(ScrapyCrawlCommand):
    def __init__(self) -> None:
        super().__init__()
        self._crawlers = []  # the process forgets its crawlers once they finish; their stats are read after

    def _create_crawler(self, spidercls):
        crawler = super()._create_crawler(spidercls)
        self._crawlers.append(crawler)
        return crawler

    def run(self, args, opts) -> None:
        refused = store_refusal(self.settings)
        if refused:  # no such database/role/password: one line, nothing crawled
            log.error("%s", refused)
            self.exitcode = 2
            return
        super().run(args, opts)
        for crawler in self._crawlers:
            reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
            if reason in FAILED_FINISH_REASONS:
                log.error("crawl failed: finish_reason %s; exit status 1", reason)
                self.exitcode = 1
