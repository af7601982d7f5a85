"""POST /normalise behind the scenes: the CLI's own input handling and batching, run off the
event loop in one worker thread so a slow model never blocks the server's other requests.

Each document of a request is one line of the CLI's JSON Lines input format
(`{"id"?, "url"?, "lang"?, "source"?, "html" | "text"}`), read by the CLI's reader, so the API
returns exactly what `python -m normalise --format jsonl` prints, record for record.
"""
from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from crawler.processing.worker import build_normaliser
from normalise.boilerplate import LexiconError
from normalise.cli import _records
from normalise.config import NormaliserConfig
from normalise.input_files import InputOptions, read_jsonl_bytes
from normalise.inputs import InputDocument
from normalise.names.gazetteer import GazetteerError
from normalise.names.index import get_index

REQUEST_NAME = "request"  # documents without an id get "request:N" (N counts from 1), as CLI lines do


class NormaliserUnavailable(RuntimeError):
    """The normaliser could not be built (a bad user gazetteer or lexicon file, a broken factory)."""


class NormaliseService:
    def __init__(self, config: NormaliserConfig, factory: str | None = None):
        self.config = config
        self.factory = factory
        # One thread: the normaliser's models are not shared between threads; requests queue here.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="normalise")
        self._normaliser: Any = None
        self._lock = threading.Lock()
        self.busy = 0

    def _get(self):
        with self._lock:
            if self._normaliser is None:
                try:
                    normaliser = build_normaliser(self.config, self.factory)
                    if self.config.gazetteer_paths:  # user files load lazily: check them now, as the CLI does
                        get_index(self.config.gazetteer_paths, world=self.config.names_world)
                    self._normaliser = normaliser
                except (GazetteerError, LexiconError, ImportError, AttributeError, ValueError, OSError) as exc:
                    raise NormaliserUnavailable(f"the normaliser could not be built: {type(exc).__name__}: {exc}"
                                                ) from exc
            return self._normaliser

    def _run(self, documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # A lone surrogate (JSON allows "\ud800") cannot be UTF-8: backslashreplace writes it back as
        # that escape, so the reader fails the one document instead of the request raising.
        data = "\n".join(json.dumps(d, ensure_ascii=False) for d in documents).encode("utf-8", "backslashreplace")
        items = list(read_jsonl_bytes(REQUEST_NAME, data, InputOptions()))
        if any(isinstance(item, InputDocument) for item in items):
            self._get()  # a normaliser that cannot be built is the service's fault (503), not each page's
        return [record.to_dict() for record in _records(self._get, items)]

    async def normalise(self, documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.busy += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, self._run, documents)
        finally:
            self.busy -= 1

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
