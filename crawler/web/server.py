"""Run the app with uvicorn: shared by `scrapy serve` and `python -m crawler.web`."""
from __future__ import annotations

import logging

from crawler.web.config import WebConfig

log = logging.getLogger(__name__)


class ServeError(RuntimeError):
    """The app cannot start (store unreachable or unusable): the message says why."""


def serve(config: WebConfig) -> None:
    """Serve until interrupted. Uvicorn logs the bound address (with the real port when port is 0)."""
    import sqlite3

    import uvicorn

    from crawler.storage.errors import StoreConfigError, StoreUnavailable
    from crawler.web.app import create_app

    try:
        app = create_app(config)
    except (StoreUnavailable, StoreConfigError, sqlite3.Error, OSError) as exc:
        raise ServeError(f"cannot open the store: {exc}") from exc
    if config.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("serving on %s: reachable from other machines; write endpoints need NEWS_WEB_TOKEN",
                    config.host)
    uvicorn.run(app, host=config.host, port=config.port, log_level="info", access_log=True,
                server_header=False, timeout_graceful_shutdown=5)
