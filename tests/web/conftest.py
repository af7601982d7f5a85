"""Fixtures for the review app: a demo-crawled store, a store of hand-made hostile records,
and the app served by uvicorn on 127.0.0.1 (port 0) in a thread, stopped after the test."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.storage import PageToStore
from crawler.storage.sqlite import SQLiteStore
from crawler.web.config import WebConfig
from normalise.config import NormaliserConfig

REPO = Path(__file__).resolve().parents[2]
TOKEN = "test-token-5f1c"


@dataclass
class Served:
    url: str
    config: WebConfig


class ServerThread:
    """uvicorn.Server in a daemon thread; `port` is the one the OS picked."""

    def __init__(self, app):
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                                    lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, name="uvicorn-test", daemon=True)

    def start(self) -> int:
        self.thread.start()
        deadline = time.monotonic() + 60  # a hang guard, not a speed assertion
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self.server.servers[0].sockets[0].getsockname()[1]

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture
def serve():
    """serve(config) -> Served: the app on `config`, running until the test ends."""
    from crawler.web.app import create_app

    threads: list[ServerThread] = []

    def start(config: WebConfig) -> Served:
        thread = ServerThread(create_app(config))
        threads.append(thread)
        port = thread.start()
        return Served(f"http://127.0.0.1:{port}", config)

    try:
        yield start
    finally:
        for thread in threads:
            thread.stop()


def web_config(store_url: str, tmp_path: Path, **overrides) -> WebConfig:
    values = dict(store_url=store_url, token=TOKEN, gazetteer_file=tmp_path / "gazetteer.yaml",
                  normaliser=NormaliserConfig(translate=False, data_dir=tmp_path))
    values.update(overrides)
    return WebConfig(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Path:
    """data/news.sqlite of the README's demo crawl (default settings, no Argos model)."""
    data = tmp_path_factory.mktemp("demo-data")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWS_", "SCRAPY_"))}
    env.update(NEWS_DATA_DIR=str(data), ARGOS_PACKAGES_DIR=str(data / "no-packages"))
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "news", "-a", "source=demo",
                          "-s", f"NEWS_BUNDLED_SITE_PORT={port}"], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return data / "news.sqlite"


def save_record(store, record: dict, html: bytes, *, source: str = "hostile",
                fetched_at: str = "2026-01-05T10:00:00+00:00") -> None:
    url = record["canonical_url"]
    store.save(PageToStore(canonical_url=url, url=url, final_url=url, source=source, status=200,
                           headers={"Content-Type": "text/html; charset=utf-8"}, fetched_at=fetched_at, html=html,
                           content_type="text/html; charset=utf-8"), record)


def normalised(html: str, url: str, source: str, **doc) -> dict:
    from normalise.inputs import InputDocument

    normaliser = _normaliser()
    record = normaliser.normalise(InputDocument(id=url, html=html.encode("utf-8"), url=url, source=source, **doc))
    return record.to_dict()


_NORMALISER: list = []


def _normaliser():
    from normalise.pipeline import Normaliser

    if not _NORMALISER:
        _NORMALISER.append(Normaliser(NormaliserConfig(translate=False)))
    return _NORMALISER[0]


@pytest.fixture
def sqlite_store(tmp_path) -> Iterator[SQLiteStore]:
    store = SQLiteStore(tmp_path / "news.sqlite")
    try:
        yield store
    finally:
        store.close()
