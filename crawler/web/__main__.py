"""`python -m crawler.web [--host H] [--port P] [--store URL]`: the review app and API.

Reads the project's Scrapy settings (SCRAPY_SETTINGS_MODULE, default from scrapy.cfg) like
`scrapy serve`, so both serve the store the crawl writes to.
"""
from __future__ import annotations

import argparse
import sys

from crawler import defaults
from crawler.web.cli import add_arguments, config_from_args

DESCRIPTION = ("Serve the review pages and the HTTP API on the configured store (the crawl's NEWS_STORE_URL), "
               f"on {defaults.NEWS_WEB_HOST}:{defaults.NEWS_WEB_PORT} by default.")


def main(argv: list[str] | None = None) -> int:
    from scrapy.utils.project import get_project_settings

    from crawler.web.server import ServeError, serve

    p = argparse.ArgumentParser(prog="python -m crawler.web", description=DESCRIPTION)
    add_arguments(p)
    args = p.parse_args(argv)
    try:
        config = config_from_args(get_project_settings(), args)
    except ValueError as exc:
        p.error(str(exc))
    try:
        serve(config)
    except ServeError as exc:
        print(f"python -m crawler.web: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
