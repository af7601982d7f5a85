"""`scrapy crawl` whose exit status says whether the crawl did its job (normalise/exit_codes.py).

Stock Scrapy exits 0 whatever happened. A scheduler (cron, `scrapy schedule`, scrapyd) must see
a run that stored nothing, or stopped because its store, queue or normaliser failed, as failed,
or it records the run as fine and waits a whole interval with nothing stored.
"""
from __future__ import annotations

import logging
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from crawler import defaults
from crawler.extensions.redis_queue import QUEUE_UNAVAILABLE
from crawler.extensions.store_guard import STORE_UNAVAILABLE, STORE_WRITE_FAILED
from crawler.processing.worker import (
    NORMALISE_TIMEOUT,
    NORMALISER_CRASHED,
    NORMALISER_FAILED,
    page_deadline,
    thread_mode_problem,
)
from crawler.storage import store_from_settings
from crawler.storage.errors import StoreConfigError, StoreUnavailable
from crawler.storage.preflight import store_refusal
from normalise.exit_codes import ExitCode

log = logging.getLogger(__name__)

# Finish reasons that mean the run stopped before doing its job; "finished" and an operator's
# "shutdown" are not failures.
FAILED_FINISH_REASONS = frozenset({STORE_UNAVAILABLE, STORE_WRITE_FAILED, QUEUE_UNAVAILABLE, NORMALISER_CRASHED})
# Skips that mean something went wrong (not "this URL is not an article" or "unchanged").
FAILURE_SKIPS = frozenset({"unknown_source", "timeout", "dns_error", "connection_refused", "connection_lost", "download_error",
                           "invalid_source", NORMALISER_CRASHED, NORMALISER_FAILED, NORMALISE_TIMEOUT})
# Requests refused on purpose (a redirect to a private address): the site's doing, unless they are
# all the run did.
REFUSAL_SKIPS = frozenset(f"{prefix}{code}" for prefix in ("", "redirect_")
                          for code in ("private_address", "bad_scheme", "bad_url", "loop", "off_domain")) | {
    "too_many_redirects"}
# Outcomes that count as done: the page is in the store and current.
DONE_STATS = ("news/stored/new", "news/stored/revised", "news/stored/unchanged", "news/already_stored",
              "news/not_modified")


def _is_failure_skip(reason: str) -> bool:
    if reason.startswith("http_"):
        return reason not in ("http_404", "http_410")  # gone pages are facts about the site, not failures
    return reason in FAILURE_SKIPS


def crawl_exit_code(stats: dict) -> tuple[ExitCode, str]:
    """(exit status, why) for a finished crawl, from its stats."""
    reason = stats.get("finish_reason")
    if reason in FAILED_FINISH_REASONS:
        return ExitCode.FAILED, f"the crawl stopped: finish_reason {reason}"
    done = sum(stats.get(key, 0) for key in DONE_STATS)
    if stats.get("news/skipped/unknown_source") and not done:
        return ExitCode.USAGE, "a named source is unknown or its seeds file is invalid"
    failures = {k.rsplit("/", 1)[1]: v for k, v in stats.items()
                if k.startswith("news/skipped/") and v and _is_failure_skip(k.rsplit("/", 1)[1])}
    if not done:
        failures.update({k.rsplit("/", 1)[1]: v for k, v in stats.items()
                         if k.startswith("news/skipped/") and v and k.rsplit("/", 1)[1] in REFUSAL_SKIPS})
    failed = sum(failures.values()) + stats.get("news/errors", 0)
    what = ", ".join(f"{k} {v}" for k, v in sorted(failures.items())) or f"{failed} error(s)"
    code = ExitCode.FAILED if failed and not done else ExitCode.PARTIAL if failed else (
        ExitCode.OK if done or stats.get("response_received_count") else ExitCode.NOTHING_TO_DO)
    why = {ExitCode.FAILED: f"nothing stored; failures: {what}",
           ExitCode.PARTIAL: f"{done} page(s) done, failures: {what}",
           ExitCode.NOTHING_TO_DO: "nothing was fetched: no source to crawl",
           ExitCode.OK: "all done"}[code]
    return code, why


def _store_problem(settings) -> str | None:
    """Why the crawl's store cannot be opened, or None. Only what opening it checks without a
    server round trip (a SQLite path); an unreachable PostgreSQL is the store guard's business."""
    try:
        store_from_settings(settings, connect=False).close()
    except StoreConfigError as exc:
        return f"store URL: {exc}"
    except StoreUnavailable as exc:
        return str(exc)
    return None


class Command(ScrapyCrawlCommand):
    def __init__(self) -> None:
        super().__init__()
        self._crawlers: list = []  # the process forgets its crawlers once they finish; their stats are read after

    def _create_crawler(self, spidercls):
        crawler = super()._create_crawler(spidercls)
        self._crawlers.append(crawler)
        return crawler

    def run(self, args, opts) -> None:
        settings = self.settings
        assert settings is not None  # Scrapy sets it before running a command
        processes = settings.getint("NEWS_NORMALISE_PROCESSES", defaults.NEWS_NORMALISE_PROCESSES)
        deadline = page_deadline(settings)
        refused = thread_mode_problem(processes, deadline) or store_refusal(settings)
        if processes == 0 and not deadline and not refused:
            log.warning("the normaliser runs in a thread of the crawl (NEWS_NORMALISE_PROCESSES = 0): no page "
                        "deadline, one page that never finishes stalls the crawl")
        problem = refused or _store_problem(self.settings)
        if problem is not None:  # one line, not a traceback per component that touches the store
            code = ExitCode.USAGE if refused or problem.startswith("store URL") else ExitCode.FAILED
            log.error("crawl status %d, %s: %s", code, code.meaning, problem)
            print(f"crawl: {problem}", file=sys.stderr)
            self.exitcode = int(code)
            return
        super().run(args, opts)
        for crawler in self._crawlers:
            if not crawler.stats:
                continue
            code, why = crawl_exit_code(crawler.stats.get_stats())
            if code is not ExitCode.OK:
                level = logging.WARNING if code is ExitCode.NOTHING_TO_DO else logging.ERROR
                log.log(level, "crawl status %d, %s: %s", code, code.meaning, why)
            self.exitcode = max(int(self.exitcode or 0), int(code))
