"""A page that never finishes normalising costs only itself: past its deadline the worker process
is killed and replaced, the page's record says `normalise_timeout`, its batch-mates are normalised.
When the normaliser reports which page it is on, the deadline is that page's alone and its
batch-mates are sent again at once; otherwise each page of the batch is retried alone."""
from __future__ import annotations

import multiprocessing
from pathlib import Path

from twisted.internet import task

from crawler.processing.worker import NORMALISE_TIMEOUT, NormaliseWorker
from crawler.testing.worker_doubles import STALL_MARK, RealClockDriver
from normalise import InputDocument, NormaliserConfig
from normalise.pipeline import Normaliser

DOUBLES = "crawler.testing.worker_doubles"  # picked by dotted path, as a crawl does


def _page(i: int, url: str | None = None) -> InputDocument:
    url = url or f"http://ferry.test/{i}"
    return InputDocument(id=url, url=url, html=b"<p>x</p>", source="ferry", expected_languages=["en"])


def _normalise_all(worker: NormaliseWorker, driver: RealClockDriver, docs: list[InputDocument]) -> dict[int, dict]:
    """Each page's record by its position, the worker closed afterwards even when a page fails."""
    results: dict[int, dict] = {}
    try:
        for n, doc in enumerate(docs):
            worker.submit(doc).addCallback(lambda record, n=n: results.__setitem__(n, record))
        driver.run_until(lambda: len(results) == len(docs))
    finally:
        closed: list = []
        worker.close().addCallback(closed.append)
        driver.run_until(lambda: closed)
    return results


def _five_pages_the_second_stalling(factory: str):
    """Five pages through a worker (batches of 4, 1 s deadline) whose normaliser `factory` stalls
    on the second page; checks that only that page is a timeout, naming the setting."""
    driver = RealClockDriver()
    worker = NormaliseWorker(NormaliserConfig(translate=False), batch_size=4, page_timeout=1.0,
                             factory=f"{DOUBLES}.{factory}", clock=driver.clock,
                             call_in_main=driver.call_in_main)
    docs = [_page(0), _page(1, f"http://ferry.test/{STALL_MARK}"), _page(2), _page(3), _page(4)]
    results = _normalise_all(worker, driver, docs)
    codes = [results[n]["error"]["code"] if results[n]["error"] else None for n in range(len(docs))]
    assert codes == [None, NORMALISE_TIMEOUT, None, None, None]
    assert "NEWS_NORMALISE_PAGE_TIMEOUT" in results[1]["error"]["message"]
    return worker, docs, results


def test_a_page_past_its_deadline_is_a_timeout_and_its_batch_mates_are_normalised():
    worker, docs, results = _five_pages_the_second_stalling("StallingNormaliser")
    assert worker.timeouts == 2  # the batch, then the page alone
    assert worker.retried_alone == 4  # which page stalled was unknown: the whole batch, one by one
    assert worker.gave_up is None and multiprocessing.active_children() == []


def test_a_stalled_page_costs_its_batch_mates_one_deadline_they_are_sent_again_without_it():
    worker, docs, results = _five_pages_the_second_stalling("StallingPageNormaliser")
    # One deadline passed, and nothing was retried alone: the batch-mates (and the batch queued
    # behind them) went back as batches to the restarted worker, each with its own record.
    assert worker.timeouts == 1 and worker.retried_alone == 0 and worker.restarts == 1
    assert worker.resent == 4
    assert all(results[n]["url"] == docs[n].url and results[n]["text"] == "ok" for n in (0, 2, 3, 4))
    assert max(results[n]["metadata"]["batch"] for n in (0, 2, 3, 4)) > 1
    assert len({results[n]["metadata"]["pid"] for n in (0, 2, 3, 4)}) == 1  # all by the new worker
    assert worker.gave_up is None and multiprocessing.active_children() == []


def test_a_crawl_with_a_page_that_never_finishes_stores_the_rest_and_keeps_that_page_raw(tmp_path):
    import gzip
    import sqlite3

    from crawls import crawl, crawl_session, fixture_site

    with fixture_site.FixtureSite(articles=8) as site:
        env = crawl.crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{tmp_path / 'news.sqlite'}",
                              tmp_path / "data", NEWS_TEST_STALL_ON="/story-5.html")
        cmd = crawl.crawl_command(settings={"NEWS_NORMALISE_FACTORY": f"{DOUBLES}.StallingRealNormaliser",
                                            "NEWS_NORMALISE_PAGE_TIMEOUT": "3", "FEEDS": "{}",
                                            "NEWS_KEPT_PAGES_DIR": str(tmp_path / "kept")})
        with crawl_session(cmd, env, tmp_path / "crawl.log") as proc:
            code = proc.wait(timeout=300)
        page = site.article(5)
    log = (tmp_path / "crawl.log").read_text()
    assert code == 1, log[-3000:]  # partial: one page failed, the rest stored
    # One deadline passed, on the stalled page itself: its batch-mates were not retried one by one.
    assert log.count("ran past the deadline") == 1, log[-3000:]
    db = sqlite3.connect(tmp_path / "news.sqlite")
    stored = {u.rsplit("/", 1)[1] for (u,) in db.execute("SELECT canonical_url FROM pages")}
    assert stored == {f"story-{i}.html" for i in range(8)} - {"story-5.html"}
    (url, reason, detail), = db.execute("SELECT url, reason, detail FROM skips").fetchall()
    assert url.endswith("/story-5.html") and reason == NORMALISE_TIMEOUT
    kept = Path(detail.rsplit("raw page kept at ", 1)[1])
    assert kept.parent == tmp_path / "kept" and gzip.decompress(kept.read_bytes()) == page


def test_the_in_thread_mode_refuses_a_page_deadline_it_cannot_enforce(tmp_path):
    import subprocess

    import pytest
    from crawls import REPO, crawl

    with pytest.raises(ValueError, match="NEWS_NORMALISE_PAGE_TIMEOUT = 0"):
        NormaliseWorker(NormaliserConfig(translate=False), processes=0, page_timeout=30, clock=task.Clock(),
                        call_in_main=lambda fn, *args: fn(*args))
    env = crawl.crawl_env(tmp_path / "seeds", f"sqlite:///{tmp_path / 'news.sqlite'}", tmp_path / "data")
    asked = {"NEWS_NORMALISE_PROCESSES": "0", "NEWS_NORMALISE_PAGE_TIMEOUT": "30"}
    done = subprocess.run(crawl.crawl_command(settings=asked), cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "NEWS_NORMALISE_PROCESSES = 0" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "news.sqlite").exists()  # refused before anything was crawled or stored
    # Without a deadline, as the message says, the in-thread mode runs.
    worker = NormaliseWorker(NormaliserConfig(translate=False), processes=0, page_timeout=0,
                             factory=f"{DOUBLES}.StallingPageNormaliser", clock=task.Clock(),
                             call_in_main=lambda fn, *args: fn(*args))
    closed: list = []
    worker.close().addCallback(closed.append)
    assert worker.page_timeout is None and closed == [None]


def test_the_in_thread_mode_drops_only_a_deadline_nobody_asked_for():
    from scrapy.settings import Settings

    from crawler.processing.worker import page_deadline

    settings = Settings({"NEWS_NORMALISE_PAGE_TIMEOUT": 30}, priority="project")
    assert page_deadline(settings) == 30  # worker processes: the settings module's deadline
    settings.set("NEWS_NORMALISE_PROCESSES", 0, priority="cmdline")
    assert page_deadline(settings) == 0  # in a thread: the default cannot be kept, so none
    settings.set("NEWS_NORMALISE_PAGE_TIMEOUT", 12, priority="cmdline")
    assert page_deadline(settings) == 12  # asked for: kept, and refused by thread_mode_problem


def test_the_normaliser_reports_each_page_as_it_starts_its_own_stages():
    seen: list[int | None] = []
    docs = [_page(i) for i in range(3)]
    records = list(Normaliser(NormaliserConfig(translate=False)).normalise_many(docs, chunk_size=2, progress=seen.append))
    assert [r.id for r in records] == [d.id for d in docs]
    # Per chunk: each page's preparation, the chunk's translation (None), each page's finishing.
    assert seen == [0, 1, None, 0, 1, 2, None, 2]
