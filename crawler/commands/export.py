"""`scrapy export`: stored records to JSON Lines, CSV or Parquet, filtered and streamed."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler import defaults
from crawler.jobs.export import (
    FORMATS,
    ExportError,
    RecordFilter,
    export,
    stored_records,
    unknown_filter_value,
)
from crawler.storage.errors import StoreUnavailable
from crawler.storage.factory import store_from_settings
from normalise.exit_codes import ExitCode


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "--format jsonl|csv|parquet [--source S] [--lang L] [--since D] [--until D] [--entity ID] -o OUT"

    def short_desc(self) -> str:
        return "Export stored records (JSON Lines, CSV or Parquet), filtered, streamed"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--format", dest="fmt", default="jsonl", choices=FORMATS)
        parser.add_argument("--source", help="only this source id")
        parser.add_argument("--lang", help="only records whose main language is this ISO 639-1 code")
        parser.add_argument("--since", help="published on or after this ISO date/datetime")
        parser.add_argument("--until", help="published before this datetime; a bare date includes that day")
        parser.add_argument("--entity", help="only records naming this entity id (from the name gazetteer)")
        parser.add_argument("-o", "--output", default="-", help="output file; '-' = stdout (not for parquet)")

    def run(self, args: list[str], opts) -> None:
        try:
            flt = RecordFilter.from_strings(opts.source, opts.lang, opts.since, opts.until, opts.entity)
        except ExportError as exc:
            raise UsageError(str(exc), print_help=False) from None
        try:
            store = store_from_settings(self.settings)
        except StoreUnavailable as exc:
            print(f"export: {exc}", file=sys.stderr)
            self.exitcode = int(ExitCode.FAILED)
            return
        try:
            problem = unknown_filter_value(flt, store.counts().by_source, self._seed_sources(),
                                           self._entity_ids)
            if problem:
                raise UsageError(problem, print_help=False)
            n = export(stored_records(store, flt), opts.fmt, opts.output, flt)
        except ExportError as exc:
            raise UsageError(str(exc), print_help=False) from None
        finally:
            store.close()
        print(f"exported {n} record(s) as {opts.fmt} to {opts.output}", file=sys.stderr)
        if n == 0:
            print("export: no stored record matches the filters", file=sys.stderr)
            self.exitcode = int(ExitCode.NOTHING_TO_DO)

    def _seed_sources(self) -> list[str]:
        from crawler.discovery.sources import load_sources

        assert self.settings is not None  # set by Scrapy before run()
        return list(load_sources(Path(self.settings.get("NEWS_SEEDS_DIR") or defaults.NEWS_SEEDS_DIR)).sources)

    def _entity_ids(self) -> list[str]:
        """The ids the crawl's names stage knows: the world layer's too, unless NORMALISER turns it off."""
        from normalise.config import NormaliserConfig
        from normalise.names.gazetteer import load_gazetteer

        assert self.settings is not None
        config = NormaliserConfig.from_mapping(dict(self.settings.getdict("NORMALISER")))
        return list(load_gazetteer(config.gazetteer_paths, world=config.names_world).entities)
