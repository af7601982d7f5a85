"""One line at the end of every crawl saying what was stored, skipped and failed."""
from __future__ import annotations

import logging
import sys

from scrapy import signals

from crawler.runtime import store_for

log = logging.getLogger(__name__)


def _breakdown(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def summary_line(stats: dict, sources: list[str], store: str) -> str:
    def prefixed(prefix: str) -> dict[str, int]:
        return {k[len(prefix):]: v for k, v in stats.items() if k.startswith(prefix) and v}

    new, revised = stats.get("news/stored/new", 0), stats.get("news/stored/revised", 0)
    langs = prefixed("news/stored/language/")
    skipped = prefixed("news/skipped/")
    errors = stats.get("news/errors", 0)
    what = f"source {sources[0]}" if len(sources) == 1 else f"{len(sources)} sources"
    line = f"stored {new + revised} articles"
    if langs:
        line += f" ({_breakdown(langs)})"
    line += f" from {what} into {store}"
    extras = [f"{n} {label}" for n, label in ((revised, "revised"), (stats.get("news/stored/unchanged", 0), "unchanged"),
                                             (stats.get("news/already_stored", 0), "already stored"),
                                             (stats.get("news/not_modified", 0), "not modified")) if n]
    if extras:
        line += f" ({', '.join(extras)})"
    line += f"; {sum(skipped.values())} skipped"
    if skipped:
        line += f": {_breakdown(skipped)}"
    line += f"; {errors} error{'s' if errors != 1 else ''}"
    not_stored = stats.get("news/not_stored", 0)
    if not_stored:
        line += f"; {not_stored} fetched but NOT stored (fetched again next run)"
    stopped = stats.get("finish_reason")
    if stopped not in (None, "finished"):
        line += f"; stopped: {stopped}"
    no_model = prefixed("news/no_model/")
    if no_model:  # say it where a newcomer looks: their text is stored, but not in English yet
        line += (f"; left untranslated, no Argos model installed for: {', '.join(sorted(no_model))}"
                 " (python -m normalise models list)")
    return line


# Loggers whose ERROR records are network failures that already end as recorded skips
# (retries given up, robots.txt unreachable): they are skips, not errors of the service.
_SKIP_LOGGERS = ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt")


class _ErrorCounter(logging.Handler):
    def __init__(self, stats):
        super().__init__(level=logging.ERROR)
        self.stats = stats

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(_SKIP_LOGGERS):
            self.stats.inc_value("news/errors")


class RunSummary:
    def __init__(self, crawler):
        self.crawler = crawler
        self.counter = _ErrorCounter(crawler.stats)
        logging.getLogger().addHandler(self.counter)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    def engine_stopped(self):
        logging.getLogger().removeHandler(self.counter)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason):
        line = summary_line(self.crawler.stats.get_stats(), sorted(getattr(spider, "sources", {})),
                            store_for(self.crawler).description)
        log.info(line)
        print(line, file=sys.stdout, flush=True)
