"""The store thread (crawler/storage/writer.py) and what the pipeline runs on it.

Jobs run one after another, in submission order, on one thread that is not the caller's, with
a store opened on that thread; a vanished database fails that job and every later one without
touching the store again; close() runs the hooks and closes the store on the thread. The page
job links, saves, then indexes: a failed save leaves no index entry.

No reactor runs here: `FakeReactor` delivers the thread's results when the test pumps it.
"""
from __future__ import annotations

import queue
import threading

import pytest
from scrapy.utils.test import get_crawler

from crawler.pipelines import NormaliseAndStorePipeline, TemplateHashes
from crawler.processing.near_duplicates import MemoryIndex, NearDuplicateDetector
from crawler.storage import SaveOutcome
from crawler.storage.errors import StoreUnavailable
from crawler.storage.writer import StoreWriter

from .stories import WIRE_STORY, article_html, normalise_page, page_item


class FakeReactor:
    """callFromThread queues the call; `pump` runs queued calls in the test thread."""

    def __init__(self):
        self.calls: queue.Queue = queue.Queue()

    def callFromThread(self, fn, *args, **kwargs):
        self.calls.put((fn, args, kwargs))

    def pump(self, done, timeout: float = 10.0):
        while not done():
            fn, args, kwargs = self.calls.get(timeout=timeout)
            fn(*args, **kwargs)


class RecordingStore:
    def __init__(self):
        self.thread = threading.get_ident()  # where it was opened
        self.calls: list = []
        self.closed_on = None

    def close(self):
        self.closed_on = threading.get_ident()


def _results(deferreds):
    out = [None] * len(deferreds)
    for n, d in enumerate(deferreds):
        d.addBoth(lambda r, n=n: out.__setitem__(n, r))
    return out


def _writer(opened: list, reactor: FakeReactor) -> StoreWriter:
    def open_store():
        store = RecordingStore()
        opened.append(store)
        return store
    return StoreWriter(open_store, reactor=reactor)


def _close(writer: StoreWriter, reactor: FakeReactor) -> None:
    done = []
    writer.close().addCallback(done.append)
    reactor.pump(lambda: done)


def test_jobs_run_in_order_on_one_other_thread_with_a_store_opened_there():
    reactor, opened = FakeReactor(), []
    writer = _writer(opened, reactor)
    hooks = []
    writer.close_hooks.append(lambda store: hooks.append((store, threading.get_ident())))

    def job(store, n):
        store.calls.append((n, threading.get_ident()))
        return n * 10

    deferreds = [writer.run(job, n) for n in range(20)]
    results = _results(deferreds)
    reactor.pump(lambda: None not in results)
    _close(writer, reactor)
    assert results == [n * 10 for n in range(20)]
    assert len(opened) == 1  # opened once, on first use
    store = opened[0]
    assert [n for n, _ in store.calls] == list(range(20))
    threads = {t for _, t in store.calls}
    assert len(threads) == 1 and threading.get_ident() not in threads
    assert store.thread in threads and store.closed_on in threads
    assert hooks == [(store, store.thread)]
    with pytest.raises(RuntimeError, match="closed"):
        writer.run(job, 99)


def test_a_vanished_database_fails_that_job_and_every_later_one_without_touching_the_store():
    reactor, opened = FakeReactor(), []
    writer = _writer(opened, reactor)

    def job(store, n):
        store.calls.append(n)
        if n == 2:
            raise StoreUnavailable("PostgreSQL at postgresql://db/news unavailable during save (gave up)")
        if n == 1:
            raise ValueError("one bad page")
        return n

    results = _results([writer.run(job, n) for n in range(5)])
    reactor.pump(lambda: None not in results)
    _close(writer, reactor)
    assert results[0] == 0
    assert results[1].check(ValueError)  # an ordinary failure is that job's alone
    assert all(r.check(StoreUnavailable) for r in results[2:])
    assert "unavailable during save" in str(results[4].value)
    assert opened[0].calls == [0, 1, 2]  # jobs 3 and 4 never reached the store


class FailingStore:
    def save(self, page, record, also=None):
        raise OSError("disk full")


class MemoryStore:
    def __init__(self):
        self.saved = {}

    def save(self, page, record, also=None):
        self.saved[page.canonical_url] = record
        if also is not None:
            also(self)  # the index entry "in the same transaction"
        return SaveOutcome.NEW

    def recent_records(self, source, limit):
        return []


def _pipeline(store) -> NormaliseAndStorePipeline:
    pipeline = NormaliseAndStorePipeline(get_crawler(settings_dict={"NORMALISER": {"translate": False}}))
    pipeline.templates = TemplateHashes(store)
    pipeline.near_dups = NearDuplicateDetector(MemoryIndex())
    return pipeline


def test_page_job_indexes_only_after_a_successful_save():
    url = "https://herald.test/rates"
    html = article_html("Rates", ["By Anna Lind."] + WIRE_STORY, canonical=url)
    record = normalise_page(url, html)
    pipeline = _pipeline(MemoryStore())
    index = pipeline.near_dups.index
    with pytest.raises(OSError, match="disk full"):
        pipeline._store_page(FailingStore(), page_item(url, html), dict(record))
    assert index.rows == {}  # the failed save left nothing in the index

    store = MemoryStore()
    outcome, fingerprints, errors = pipeline._store_page(store, page_item(url, html), dict(record))
    assert outcome is SaveOutcome.NEW and errors == []
    assert set(index.rows) == {url}
    assert store.saved[url]["metadata"]["cluster_id"] == url
    assert fingerprints == pipeline.templates.fingerprints(record["blocks"]) and len(fingerprints) > 3
