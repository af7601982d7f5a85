"""Stand-ins for testing the normaliser worker (crawler/processing/worker.py) and for the fault
benchmark: normalisers that kill their process or never finish on a marked page, and drivers that
run the worker's main-thread callbacks in the caller's thread.

The normalisers are picked by dotted path (NEWS_NORMALISE_FACTORY,
`crawler.testing.worker_doubles.CrashingNormaliser`), so a spawned worker process imports them
from here as a crawl would. The page to fail on is a URL substring: CRASH_MARK / STALL_MARK, or
$NEWS_TEST_CRASH_ON / $NEWS_TEST_STALL_ON for the normalisers built on the real one.
"""
from __future__ import annotations

import os
import queue
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from twisted.internet import task

from normalise import InputDocument, NormaliserConfig
from normalise.pipeline import Normaliser
from normalise.record import Record

CRASH_MARK = "crash-the-normaliser"
STALL_MARK = "stall-forever"


def _marked(docs: list[InputDocument], mark: str) -> bool:
    return any(mark in (d.url or "") for d in docs)


class _Stub:
    """Fast to start (no models): the worker's own logic is what is under test."""

    def __init__(self, config: NormaliserConfig) -> None:
        self.config = config

    def normalise(self, doc: InputDocument) -> Record:
        return next(iter(self.normalise_many([doc])))

    def normalise_many(self, docs: Iterable[InputDocument], chunk_size: int = 16) -> Iterator[Record]:
        raise NotImplementedError


class FakeNormaliser(_Stub):
    """Says which process and batch ran each page, and kills its process (os._exit, like a native
    crash) on a page whose URL has CRASH_MARK."""

    def normalise_many(self, docs: Iterable[InputDocument], chunk_size: int = 16) -> Iterator[Record]:
        batch = list(docs)
        if _marked(batch, CRASH_MARK):
            os._exit(70)
        for doc in batch:
            yield Record(id=doc.id, url=doc.url, text=f"{len(doc.html or b'')} bytes",
                         metadata={"pid": os.getpid(), "batch": len(batch), "started": time.monotonic()})


class StallingNormaliser(_Stub):
    """Loops forever on a page whose URL has STALL_MARK (like a backtracking regex)."""

    def normalise_many(self, docs: Iterable[InputDocument], chunk_size: int = 16) -> Iterator[Record]:
        batch = list(docs)
        while _marked(batch, STALL_MARK):
            time.sleep(0.01)
        for doc in batch:
            yield Record(id=doc.id, url=doc.url, text="ok", metadata={"pid": os.getpid(), "batch": len(batch)})


class CrashingNormaliser(Normaliser):
    """The real normaliser, except that its process dies on a page whose URL contains
    $NEWS_TEST_CRASH_ON (default CRASH_MARK)."""

    def normalise_many(self, docs: Iterable[InputDocument], chunk_size: int = 16,
                       progress: Callable[[int | None], None] | None = None) -> Iterator[Record]:
        batch = list(docs)
        if _marked(batch, os.environ.get("NEWS_TEST_CRASH_ON", CRASH_MARK)):
            os._exit(70)
        return super().normalise_many(batch, chunk_size, progress)


class StallingPageNormaliser(_Stub):
    """Reports its progress page by page, as the real normaliser does, and loops forever on a page
    whose URL has STALL_MARK; records say which process and batch size made them."""

    def normalise_many(self, docs: Iterable[InputDocument], chunk_size: int = 16,
                       progress: Callable[[int | None], None] | None = None) -> Iterator[Record]:
        batch = list(docs)
        for i, doc in enumerate(batch):
            if progress is not None:
                progress(i)
            while STALL_MARK in (doc.url or ""):
                time.sleep(0.01)
        for doc in batch:
            yield Record(id=doc.id, url=doc.url, text="ok", metadata={"pid": os.getpid(), "batch": len(batch)})


class StallingRealNormaliser(Normaliser):
    """The real normaliser, except that preparing a page whose URL contains $NEWS_TEST_STALL_ON
    (default STALL_MARK) never ends, like a backtracking pattern in one of its stages."""

    def _prepare_safely(self, doc: InputDocument) -> Any:
        mark = os.environ.get("NEWS_TEST_STALL_ON", STALL_MARK)
        while mark in (doc.url or ""):
            time.sleep(0.01)
        return super()._prepare_safely(doc)


class Driver:
    """Runs the worker's main-thread callbacks in the caller's thread; when idle, advances a fake
    clock by a second (which fires a pending batch timer)."""

    def __init__(self) -> None:
        self.clock = task.Clock()
        self.calls: queue.Queue[tuple[Callable[..., Any], tuple[Any, ...]]] = queue.Queue()

    def call_in_main(self, fn: Callable[..., Any], *args: Any) -> None:
        self.calls.put((fn, args))

    def run_until(self, done: Callable[[], Any]) -> None:
        while not done():
            try:
                fn, args = self.calls.get(timeout=0.05)
            except queue.Empty:
                self.idle()
                continue
            fn(*args)
            self.ran()

    def idle(self) -> None:
        self.clock.advance(1)

    def ran(self) -> None:
        pass


class RealClockDriver(Driver):
    """A Driver whose clock follows real time (deadlines measured in seconds of work)."""

    def __init__(self) -> None:
        super().__init__()
        self._last = time.monotonic()

    def idle(self) -> None:
        self.ran()

    def ran(self) -> None:
        now = time.monotonic()
        self.clock.advance(now - self._last)
        self._last = now
