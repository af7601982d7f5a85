"""`scrapy sources`: the news sources defined in the seeds folder (`scrapy list` only names the spider)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from crawler import defaults
from crawler.discovery.sources import Source, load_sources
from normalise.exit_codes import ExitCode


def describe(source: Source) -> dict[str, Any]:
    return {"id": source.id, "name": source.name, "enabled": source.enabled, "needs_network": source.needs_network,
            "interval_minutes": source.interval_minutes, "languages": list(source.languages), "home": source.home,
            "file": source.path}


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def short_desc(self) -> str:
        return "List the news sources (seeds/*.toml): id, schedule, languages, whether they need the network"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--json", action="store_true", help="one JSON object per source")

    def run(self, args: list[str], opts) -> None:
        assert self.settings is not None  # set by Scrapy before run()
        seeds = Path(self.settings.get("NEWS_SEEDS_DIR") or defaults.NEWS_SEEDS_DIR)
        loaded = load_sources(seeds)
        rows = [describe(s) for s in sorted(loaded.sources.values(), key=lambda s: s.id)]
        if opts.json:
            for row in rows:
                print(json.dumps(row, ensure_ascii=False))
        else:
            print(f"{'id':<14} {'every':>6} {'runs':<8} {'network':<8} {'languages':<16} name")
            for r in rows:
                print(f"{r['id']:<14} {str(r['interval_minutes']) + 'm':>6} {'always' if r['enabled'] else 'if named':<8} "
                      f"{'yes' if r['needs_network'] else 'no':<8} {','.join(r['languages']) or '-':<16} {r['name']}")
        for err in loaded.errors:
            print(f"sources: invalid: {err}", file=sys.stderr)
        if loaded.errors:
            self.exitcode = int(ExitCode.USAGE)
        elif not rows:
            print(f"sources: no *.toml source in {seeds}", file=sys.stderr)
            self.exitcode = int(ExitCode.NOTHING_TO_DO)
