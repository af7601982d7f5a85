"""`scrapy serve [--host H] [--port P] [--store URL]`: the review pages and the HTTP API."""
from __future__ import annotations

import sys
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler import defaults
from crawler.web.cli import add_arguments, config_from_args


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "INFO"}

    def syntax(self) -> str:
        return "[--host H] [--port P] [--store URL]"

    def short_desc(self) -> str:
        return ("Serve the review pages and the HTTP API on the configured store "
                f"({defaults.NEWS_WEB_HOST}:{defaults.NEWS_WEB_PORT})")

    def add_options(self, parser) -> None:
        super().add_options(parser)
        add_arguments(parser)

    def run(self, args: list[str], opts) -> None:
        from crawler.web.server import ServeError, serve

        try:
            config = config_from_args(self.settings, opts)
        except ValueError as exc:
            raise UsageError(str(exc), print_help=False) from None
        try:
            serve(config)
        except ServeError as exc:
            print(f"scrapy serve: {exc}", file=sys.stderr)
            self.exitcode = 1
