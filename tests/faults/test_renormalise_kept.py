"""`scrapy renormalise --kept-pages`: a page kept after a normaliser timeout is normalised again and
stored as the crawl stores a page; a page that still runs out of time stays kept with its reason.

Real crawls and commands: a fixture site, a SQLite store, the real normaliser in a worker process
(crawler.testing.worker_doubles.StallingRealNormaliser never finishes preparing one chosen page).
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

from crawls import REPO, crawl, crawl_session, fixture_site

from crawler.processing.worker import NORMALISE_TIMEOUT

HERE = Path(__file__).parent
STALLER = "crawler.testing.worker_doubles.StallingRealNormaliser"
STALLED = "/story-2.html"
# Per page, from a record: what the normaliser and the crawl's own additions made of the page.
RECORD_KEYS = ("canonical_url", "url", "source", "language", "title", "text", "blocks", "published_at",
               "authors", "warnings")


def _env(tmp_path: Path, site, store: Path, **extra: str) -> dict:
    return crawl.crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{store}", tmp_path / "data",
                           NEWS_TEST_STALL_ON=STALLED, **extra)


def _crawl(tmp_path: Path, site, store: Path, kept: Path, settings: dict) -> str:
    cmd = crawl.crawl_command(settings={"FEEDS": "{}", "NEWS_KEPT_PAGES_DIR": str(kept), **settings})
    log = tmp_path / f"crawl-{store.stem}.log"
    with crawl_session(cmd, _env(tmp_path, site, store), log) as proc:
        proc.wait(timeout=300)
    return log.read_text()


def _renormalise_kept(tmp_path: Path, site, store: Path, kept: Path, settings: dict) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "scrapy", "renormalise", "--kept-pages", "-s", f"NEWS_KEPT_PAGES_DIR={kept}",
           "-s", 'NORMALISER={"translate": false}']
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    return subprocess.run(cmd, cwd=REPO, env=_env(tmp_path, site, store), capture_output=True, text=True,
                          timeout=300)


def _stored(store: Path) -> dict[str, tuple]:
    db = sqlite3.connect(store)
    db.row_factory = sqlite3.Row
    rows = {}
    for row in db.execute("SELECT * FROM pages"):
        record = json.loads(zlib.decompress(row["record"]) if isinstance(row["record"], bytes) else row["record"])
        columns = {k: row[k] for k in ("url", "final_url", "source", "status", "etag", "last_modified", "lastmod")}
        facts = {k: record.get(k) for k in RECORD_KEYS}
        facts["discovery"] = record["metadata"].get("discovery")
        facts["published_at_source"] = record["metadata"].get("published_at_source")
        rows[row["canonical_url"].rsplit("/", 1)[1]] = (columns, facts, row["html"])
    return rows


def test_kept_pages_are_stored_as_the_crawl_stores_them_and_a_page_still_stalling_stays_kept(tmp_path):
    store, kept = tmp_path / "news.sqlite", tmp_path / "kept"
    with fixture_site.FixtureSite(articles=4) as site:
        log = _crawl(tmp_path, site, store, kept, {"NEWS_NORMALISE_FACTORY": STALLER, "NEWS_NORMALISE_PAGE_TIMEOUT": "3"})
        assert set(_stored(store)) == {"story-0.html", "story-1.html", "story-3.html"}, log[-3000:]
        assert len(list(kept.glob("*.html.gz"))) == 1 and len(list(kept.glob("*.json"))) == 1
        # What a crawl stores depends on what is stored already (site templates learned from the
        # source's pages, near-duplicate links): the control crawl below starts from this state.
        control = tmp_path / "control.sqlite"
        with sqlite3.connect(store) as source_db, sqlite3.connect(control) as copy:
            source_db.backup(copy)

        # Still stalling: stays kept, the skip is counted again with the latest reason.
        done = _renormalise_kept(tmp_path, site, store, kept,
                                 {"NEWS_NORMALISE_FACTORY": STALLER, "NEWS_NORMALISE_PAGE_TIMEOUT": "2"})
        assert done.returncode == 1, done.stderr[-3000:]
        assert "0 kept page(s) stored, 1 still failing" in done.stderr
        assert len(list(kept.glob("*.html.gz"))) == 1
        facts = json.loads(next(kept.glob("*.json")).read_text())
        assert facts["reason"] == NORMALISE_TIMEOUT and facts["final_url"].endswith(STALLED)
        db = sqlite3.connect(store)
        assert db.execute("SELECT reason, count FROM skips WHERE url LIKE ?", (f"%{STALLED}",)).fetchall() == [
            (NORMALISE_TIMEOUT, 2)]
        assert "story-2.html" not in _stored(store)

        # The current normaliser finishes it: stored, the kept files removed.
        done = _renormalise_kept(tmp_path, site, store, kept, {"NEWS_NORMALISE_PAGE_TIMEOUT": "60"})
        assert done.returncode == 0, done.stderr[-3000:]
        assert "1 kept page(s) stored, 0 still failing" in done.stderr
        assert list(kept.iterdir()) == []

        # From the same stored pages, a crawl whose normaliser does not stall fetches only that page
        # and stores it as renormalise did.
        log = _crawl(tmp_path, site, control, tmp_path / "kept-control", {})
        assert site.hits[f"/news{STALLED}"] == 2, log[-3000:]  # once by the first crawl, once now
    renormalised, crawled = _stored(store), _stored(control)
    assert set(renormalised) == set(crawled) == {f"story-{i}.html" for i in range(4)}, log[-3000:]
    assert renormalised["story-2.html"] == crawled["story-2.html"]
