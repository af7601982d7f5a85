"""`scrapy schedule`: crawl every due source (see crawler/jobs/schedule.py)."""
from __future__ import annotations

from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from crawler.jobs.schedule import add_arguments, run_from_args


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "INFO"}

    def short_desc(self) -> str:
        return "Crawl every source whose interval_minutes have passed; one run at a time (lock)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        add_arguments(parser)

    def run(self, args: list[str], opts) -> None:
        self.exitcode = run_from_args(opts, self.settings)
