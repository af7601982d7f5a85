"""A page that never finishes normalising costs only itself: past its deadline the worker process
is killed and replaced, the page's record says `normalise_timeout`, its batch-mates are normalised."""
from __future__ import annotations

import multiprocessing
from pathlib import Path

from crawler.processing.worker import NORMALISE_TIMEOUT, NormaliseWorker
from crawler.testing.worker_doubles import STALL_MARK, RealClockDriver
from normalise import InputDocument, NormaliserConfig

DOUBLES = "crawler.testing.worker_doubles"  # picked by dotted path, as a crawl does


def _page(i: int, url: str | None = None) -> InputDocument:
    url = url or f"http://ferry.test/{i}"
    return InputDocument(id=url, url=url, html=b"<p>x</p>", source="ferry", expected_languages=["en"])


def test_a_page_past_its_deadline_is_a_timeout_and_its_batch_mates_are_normalised():
    driver = RealClockDriver()
    worker = NormaliseWorker(NormaliserConfig(translate=False), batch_size=4, page_timeout=1.0,
                             factory=f"{DOUBLES}.StallingNormaliser", clock=driver.clock,
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
    db = sqlite3.connect(tmp_path / "news.sqlite")
    stored = {u.rsplit("/", 1)[1] for (u,) in db.execute("SELECT canonical_url FROM pages")}
    assert stored == {f"story-{i}.html" for i in range(8)} - {"story-5.html"}
    (url, reason, detail), = db.execute("SELECT url, reason, detail FROM skips").fetchall()
    assert url.endswith("/story-5.html") and reason == NORMALISE_TIMEOUT
    kept = Path(detail.rsplit("raw page kept at ", 1)[1])
    assert kept.parent == tmp_path / "kept" and gzip.decompress(kept.read_bytes()) == page
