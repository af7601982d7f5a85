"""The normaliser worker: batches cross into a worker process and come back as record dicts; a
dead worker costs only the page that kills it (its batch-mates are retried alone; the killer is a
`normaliser_crashed` skip, the pool restarted); repeated deaths stop it; close() leaves no process
behind. Last, a real `scrapy crawl` whose worker dies on one page.

The batching logic runs without a reactor: `Driver` stands in for callLater/callFromThread.
The stand-in normalisers (crawler/testing/worker_doubles.py) are picked by dotted path
(NEWS_NORMALISE_FACTORY), as a crawl would.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pickle
import sqlite3
import time

from crawler.processing.worker import (
    NORMALISER_CRASHED,
    NormaliseWorker,
)
from crawler.testing import fixture_site
from crawler.testing import local_crawl as crawl
from crawler.testing.worker_doubles import CRASH_MARK, Driver
from normalise import InputDocument, NormaliserConfig
from normalise.pipeline import Normaliser
from normalise.record import NameChange, Record

CONFIG = NormaliserConfig(translate=False)
DOUBLES = "crawler.testing.worker_doubles"  # picked by dotted path, as a crawl does


def _worker(driver, **kw) -> NormaliseWorker:
    kw.setdefault("factory", f"{DOUBLES}.FakeNormaliser")
    return NormaliseWorker(CONFIG, clock=driver.clock, call_in_main=driver.call_in_main, **kw)


def _page(i: int, url: str | None = None) -> InputDocument:
    html = (f"<html lang='en'><head><title>Ferry {i}</title></head><body><article><h1>Ferry {i}</h1>"
            f"<p>The ferry to Kelmore island number {i} resumed service on Tuesday after a week of storms, "
            f"the operator said.</p><p>Passengers queued from dawn; the harbour master expects timetable "
            f"{i} to hold for the rest of the month.</p></article></body></html>").encode()
    return InputDocument(id=url or f"http://ferry.test/{i}", url=url or f"http://ferry.test/{i}", html=html,
                         source="ferry", expected_languages=["en"], template_hashes=frozenset({f"h{i}"}))


def _collect(worker, driver, docs):
    results: dict[int, dict] = {}
    for n, doc in enumerate(docs):
        worker.submit(doc).addCallback(lambda record, n=n: results.__setitem__(n, record))
    driver.run_until(lambda: len(results) == len(docs))
    return [results[n] for n in range(len(docs))]


def _close(worker, driver):
    closed = []
    worker.close().addCallback(closed.append)
    driver.run_until(lambda: closed)


def test_pages_and_records_survive_pickling():
    doc = _page(1)
    assert pickle.loads(pickle.dumps(doc)) == doc
    record = Normaliser(CONFIG).normalise(doc)
    assert record.error is None and record.blocks
    assert pickle.loads(pickle.dumps(record)).to_dict() == record.to_dict()
    failed = Record.failed("x", "not_html", "binary")
    assert pickle.loads(pickle.dumps(failed)).to_dict() == failed.to_dict()


def test_record_to_dict_equals_asdict():
    record = Normaliser(CONFIG).normalise(_page(1))
    record.names.append(NameChange("Kiev", "Kyiv", "Q1899", 3, 7, "exact", block=1))
    record.metadata["discovery"] = {"via": "sitemap", "dates": ["2024-05-01", None], "pair": ("a", 1)}
    record.name_candidates.append({"original": "Mentinsky", "scores": [0.8, 0.7]})
    for rec in (record, Record.failed("x", "not_html", "binary", url="http://ferry.test/x")):
        data = rec.to_dict()
        assert data == dataclasses.asdict(rec)
        assert list(data) == list(dataclasses.asdict(rec))  # same field order in the stored JSON
    data = record.to_dict()
    data["blocks"][0]["text"] = "changed"
    data["metadata"]["discovery"]["dates"].append("x")
    assert record.blocks[0].text != "changed"  # a copy, like asdict: the record is not aliased
    assert record.metadata["discovery"]["dates"] == ["2024-05-01", None]


def test_next_batch_goes_to_the_worker_before_the_finished_batch_is_stored():
    """Storing a batch's records (the callbacks) must not leave the worker idle."""
    driver = Driver()
    worker = _worker(driver, batch_size=2)
    results, callbacks_done = {}, []

    def slow_save(record, n):  # stands in for the pipeline storing the page
        results[n] = record
        if n == 1:
            time.sleep(0.5)
            callbacks_done.append(time.monotonic())

    try:
        for n in range(4):
            worker.submit(_page(n)).addCallback(slow_save, n)
        driver.run_until(lambda: len(results) == 4)
    finally:
        _close(worker, driver)
    assert [results[n]["metadata"]["batch"] for n in range(4)] == [2, 2, 2, 2]
    assert results[2]["metadata"]["started"] < callbacks_done[0]  # normalised while batch 1 was being stored


def test_worker_process_gives_the_same_records_as_the_normaliser_in_process():
    driver = Driver()
    worker = _worker(driver, factory=None, batch_size=4)
    try:
        docs = [_page(i) for i in range(6)]
        records = _collect(worker, driver, docs)
    finally:
        _close(worker, driver)
    expected = list(Normaliser(CONFIG).normalise_many(docs))
    assert records == [r.to_dict() for r in expected]


def test_batches_run_in_another_process_full_batch_first_then_the_rest_after_the_wait():
    driver = Driver()
    worker = _worker(driver, batch_size=4)
    try:
        records = _collect(worker, driver, [_page(i) for i in range(6)])
    finally:
        _close(worker, driver)
    assert {r["metadata"]["pid"] for r in records} != {os.getpid()}
    assert [r["metadata"]["batch"] for r in records] == [4, 4, 4, 4, 2, 2]
    assert [r["id"] for r in records] == [f"http://ferry.test/{i}" for i in range(6)]


def test_in_thread_mode_runs_in_this_process():
    driver = Driver()
    worker = _worker(driver, processes=0, batch_size=2)
    try:
        records = _collect(worker, driver, [_page(i) for i in range(3)])
    finally:
        _close(worker, driver)
    assert {r["metadata"]["pid"] for r in records} == {os.getpid()}
    assert [r["text"] for r in records] == [f"{len(_page(i).html)} bytes" for i in range(3)]


def test_a_dead_worker_costs_only_the_page_that_kills_it_and_the_pool_restarts():
    driver = Driver()
    worker = _worker(driver, batch_size=1)
    try:
        before, crashed, after = _collect(worker, driver, [_page(1), _page(2, f"http://ferry.test/{CRASH_MARK}"),
                                                          _page(3)])
    finally:
        _close(worker, driver)
    assert before["error"] is None
    assert crashed["error"]["code"] == NORMALISER_CRASHED
    assert "died" in crashed["error"]["message"] and "on its own" in crashed["error"]["message"]
    assert crashed["url"] == f"http://ferry.test/{CRASH_MARK}"
    # Page 3 was queued behind the crash and died with it: retried alone, in a new worker process.
    assert after["error"] is None and after["metadata"]["pid"] != before["metadata"]["pid"]
    assert after["metadata"]["batch"] == 1
    assert worker.restarts == 2 and worker.gave_up is None  # the batch's death, then the page's alone


def test_batch_mates_of_a_page_that_kills_the_worker_are_normalised_not_skipped():
    driver = Driver()
    worker = _worker(driver, batch_size=4)
    docs = [_page(0), _page(1, f"http://ferry.test/{CRASH_MARK}"), _page(2), _page(3), _page(4), _page(5)]
    try:
        records = _collect(worker, driver, docs)
    finally:
        _close(worker, driver)
    assert [r["error"]["code"] if r["error"] else None for r in records] == [None, NORMALISER_CRASHED] + [None] * 4
    assert [r["id"] for r in records] == [d.id for d in docs]  # each answer belongs to its own page
    assert [r["metadata"]["batch"] for r in records if not r["error"]][:3] == [1, 1, 1]  # retried alone
    assert worker.gave_up is None


def test_repeated_deaths_stop_the_worker_and_say_so():
    driver = Driver()
    given_up: list[str] = []
    worker = _worker(driver, batch_size=1, max_restarts=1, on_give_up=given_up.append)
    try:
        crash = [_page(i, f"http://ferry.test/{CRASH_MARK}/{i}") for i in range(2)]
        records = _collect(worker, driver, crash)
        assert [r["error"]["code"] for r in records] == [NORMALISER_CRASHED, NORMALISER_CRASHED]
        assert len(given_up) == 1 and "2 times in a row" in given_up[0]
        late = _collect(worker, driver, [_page(9)])[0]  # answered at once, not silently dropped
        assert late["error"]["code"] == NORMALISER_CRASHED and late["error"]["message"] == worker.gave_up
    finally:
        _close(worker, driver)


def test_close_waits_for_work_and_leaves_no_process():
    driver = Driver()
    worker = _worker(driver, processes=2, batch_size=8)
    results = []
    for i in range(3):
        worker.submit(_page(i)).addCallback(results.append)
    _close(worker, driver)  # the 3 pages were still waiting for batch-mates
    assert len(results) == 3 and all(r["error"] is None for r in results)
    assert multiprocessing.active_children() == []


# -- a real crawl ---------------------------------------------------------------------------------
def test_a_crawl_whose_worker_dies_records_the_batch_as_skips_and_stores_the_rest(tmp_path):
    with fixture_site.FixtureSite(articles=12) as site:
        env = crawl.crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{tmp_path / 'news.sqlite'}",
                              tmp_path / "data", NEWS_TEST_CRASH_ON="/story-5.html")
        cmd = crawl.crawl_command(settings={"NEWS_NORMALISE_FACTORY": f"{DOUBLES}.CrashingNormaliser",
                                            "NEWS_NORMALISE_BATCH": "1", "FEEDS": "{}"})
        result = crawl.run(cmd, env, tmp_path / "crawl.log")
    assert result.returncode == 1, result.stdout[-3000:]  # partial: one page failed, the rest stored
    db = sqlite3.connect(tmp_path / "news.sqlite")
    stored = {u.rsplit("/", 1)[1] for (u,) in db.execute("SELECT canonical_url FROM pages")}
    skips = db.execute("SELECT url, reason, detail FROM skips").fetchall()
    assert stored == {f"story-{i}.html" for i in range(12)} - {"story-5.html"}
    assert [(u.rsplit("/", 1)[1], reason) for u, reason, _ in skips] == [("story-5.html", NORMALISER_CRASHED)]
    assert "worker process died" in skips[0][2]
    assert "normaliser worker process died" in result.stdout  # and the log says so


def test_warm_up_loads_every_model_before_the_first_page():
    """Models load lazily; the worker asks for all of them up front, then runs its warm-up page."""
    from crawler.processing.worker import warm_up

    calls = []

    class Recording:
        def warm_up(self):
            calls.append("models")

        def normalise(self, doc):
            calls.append(doc.id)

    class WithoutModels:  # a NEWS_NORMALISE_FACTORY normaliser need not have warm_up()
        def normalise(self, doc):
            calls.append(doc.id)

    warm_up(Recording())
    warm_up(WithoutModels())
    assert calls == ["models", "warm-up", "warm-up"]
