"""A page that never finishes normalising costs only itself: past its deadline the worker process
is killed and replaced, the page's record says `normalise_timeout`, its batch-mates are normalised."""
from __future__ import annotations

import multiprocessing
import os
import queue
import time
from pathlib import Path

from twisted.internet import task

from crawler.processing.worker import NORMALISE_TIMEOUT, NormaliseWorker
from normalise import InputDocument, NormaliserConfig
from normalise.record import Record

MODULE = Path(__file__).stem  # importable in the worker: pytest put this directory on sys.path
STALL_MARK = "stall-forever"


class StallingNormaliser:
    """Test-only: loops forever on a page whose URL has STALL_MARK (like a backtracking regex)."""

    def __init__(self, config):
        self.config = config

    def normalise_many(self, docs, chunk_size=16):
        docs = list(docs)
        while any(STALL_MARK in (d.url or "") for d in docs):
            time.sleep(0.01)
        for doc in docs:
            yield Record(id=doc.id, url=doc.url, text="ok", metadata={"pid": os.getpid(), "batch": len(docs)})

    def normalise(self, doc):
        return next(self.normalise_many([doc]))


class RealClockDriver:
    """Runs the worker's main-thread callbacks in the test thread, on a clock that follows real time."""

    def __init__(self):
        self.clock = task.Clock()
        self.calls: queue.Queue = queue.Queue()
        self._last = time.monotonic()

    def call_in_main(self, fn, *args):
        self.calls.put((fn, args))

    def run_until(self, done):
        while not done():
            try:
                fn, args = self.calls.get(timeout=0.05)
                fn(*args)
            except queue.Empty:
                pass
            now = time.monotonic()
            self.clock.advance(now - self._last)
            self._last = now


def _page(i: int, url: str | None = None) -> InputDocument:
    url = url or f"http://ferry.test/{i}"
    return InputDocument(id=url, url=url, html=b"<p>x</p>", source="ferry", expected_languages=["en"])


def test_a_page_past_its_deadline_is_a_timeout_and_its_batch_mates_are_normalised():
    driver = RealClockDriver()
    worker = NormaliseWorker(NormaliserConfig(translate=False), batch_size=4, page_timeout=1.0,
                             factory=f"{MODULE}.StallingNormaliser", clock=driver.clock,
                             call_in_main=driver.call_in_main)
    docs = [_page(0), _page(1, f"http://ferry.test/{STALL_MARK}"), _page(2), _page(3), _page(4)]
    results: dict[int, dict] = {}
    try:
        for n, doc in enumerate(docs):
            worker.submit(doc).addCallback(lambda record, n=n: results.__setitem__(n, record))
        driver.run_until(lambda: len(results) == len(docs))
    finally:
        closed = []
        worker.close().addCallback(closed.append)
        driver.run_until(lambda: closed)
    codes = [results[n]["error"]["code"] if results[n]["error"] else None for n in range(len(docs))]
    assert codes == [None, NORMALISE_TIMEOUT, None, None, None]
    assert "NEWS_NORMALISE_PAGE_TIMEOUT" in results[1]["error"]["message"]
    assert worker.timeouts == 2  # the batch, then the page alone
    assert worker.gave_up is None and multiprocessing.active_children() == []
