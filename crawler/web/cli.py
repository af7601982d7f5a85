"""Command-line options shared by `scrapy serve` and `python -m crawler.web`."""
from __future__ import annotations

import argparse

from crawler import defaults
from crawler.storage.errors import StoreConfigError
from crawler.storage.factory import parse_store_url
from crawler.web.config import WebConfig


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", help="address to bind (default NEWS_WEB_HOST, 127.0.0.1)")
    p.add_argument("--port", type=int, help=f"port (default NEWS_WEB_PORT, {defaults.NEWS_WEB_PORT}; 0 = any free port)")
    p.add_argument("--store", metavar="URL", help="store to serve: sqlite:///PATH or postgresql://USER@HOST/DB "
                                                   "(default NEWS_STORE_URL)")


def config_from_args(settings, args: argparse.Namespace) -> WebConfig:
    """The settings' config with the command-line overrides; ValueError for a bad option."""
    config = WebConfig.from_settings(settings)
    if args.host:
        config.host = args.host
    if args.port is not None:
        if not 0 <= args.port <= 65535:
            raise ValueError(f"--port must be 0..65535, not {args.port}")
        config.port = args.port
    if args.store:
        config.store_url = args.store
    try:
        parse_store_url(config.store_url)
    except StoreConfigError as exc:
        raise ValueError(str(exc)) from None
    return config
