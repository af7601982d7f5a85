"""Syndicated copies through a real crawl: `scrapy crawl news` (subprocess, SQLite store) of a
local site where two outlets carry one wire story (own intro line and byline each) and one
outlet also has an unrelated story. The copy is linked to the first copy, the unrelated story
is alone, and re-crawling the same pages changes neither the clusters nor the revisions."""
from __future__ import annotations

import html as htmlmod
import json
import sqlite3
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from crawler.processing.near_duplicates import (
    MemoryIndex,
    NearDuplicateDetector,
    signature,
    signature_bytes,
    stored_jaccard,
)
from crawler.testing.local_crawl import crawl_command, crawl_env, run

from .stories import OTHER_STORY, WIRE_STORY, article_html, normalise_page, page_item

# (outlet, path) -> (headline, paragraphs)
PAGES = {
    ("herald", "/herald/news/rates.html"): (
        "Norland raises rates", ["By Anna Lind, economics correspondent."] + WIRE_STORY),
    ("gazette", "/gazette/news/central-bank.html"): (
        "Central bank lifts rate by half a point",
        ["Staff and agencies."] + WIRE_STORY[:3] + [WIRE_STORY[3] + " Additional reporting by our newsroom."]),
    ("gazette", "/gazette/news/snow.html"): ("Snow closes passes", OTHER_STORY),
}


class TwoOutlets:
    """Both outlets on one local server, each with its own sitemap; `lastmod` moves to force a re-fetch."""

    def __init__(self):
        self.lastmod = "2024-03-05T10:00:00+00:00"
        self.hits: Counter = Counter()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def seeds(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        for outlet in ("herald", "gazette"):
            (directory / f"{outlet}.toml").write_text(
                f'id = "{outlet}"\nname = "{outlet.title()}"\nhome = "{self.url(f"/{outlet}/")}"\n'
                f'allowed_domains = ["127.0.0.1"]\nlanguages = ["en"]\n'
                f'sitemaps = ["{self.url(f"/{outlet}/sitemap.xml")}"]\n'
                f"article_patterns = ['^http://127\\.0\\.0\\.1:\\d+/{outlet}/news/[a-z-]+\\.html$']\n"
                f"interval_minutes = 5\nneeds_network = false\n", encoding="utf-8")
        return directory

    def _body(self, path: str) -> tuple[bytes, str] | None:
        for (outlet, page), (title, paras) in PAGES.items():
            if path == page:
                return article_html(title, paras, canonical=self.url(page), chrome=outlet.title()), "text/html"
        for outlet in ("herald", "gazette"):
            if path == f"/{outlet}/sitemap.xml":
                urls = "".join(f"<url><loc>{htmlmod.escape(self.url(p))}</loc><lastmod>{self.lastmod}</lastmod></url>"
                               for (o, p) in PAGES if o == outlet)
                return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                        f'sitemap/0.9">{urls}</urlset>').encode(), "application/xml"
        if path == "/robots.txt":
            return b"User-agent: *\nAllow: /\n", "text/plain"
        return None

    def __enter__(self) -> TwoOutlets:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                found = site._body(self.path.split("?")[0])
                site.hits[self.path] += 1
                body, ctype = found or (b"not found", "text/plain")
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", f"{ctype}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _records(db_path: Path) -> dict[str, dict]:
    with sqlite3.connect(db_path) as db:
        return {url.split("/")[-1]: json.loads(rec) for url, rec in db.execute("SELECT canonical_url, record FROM pages")}


def _one(db_path: Path, sql: str):
    with sqlite3.connect(db_path) as db:
        return db.execute(sql).fetchone()[0]


def test_crawled_syndicated_copy_is_linked_to_the_first_copy_and_stays_so_on_recrawl(tmp_path):
    db_path = tmp_path / "news.sqlite"
    with TwoOutlets() as site:
        env = crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{db_path}", tmp_path / "data")
        herald_url, copy_url = site.url("/herald/news/rates.html"), site.url("/gazette/news/central-bank.html")

        # The herald runs first (its own schedule), the gazette later: the herald's copy is the first one.
        assert run(crawl_command("herald"), env, tmp_path / "1.log").returncode == 0
        assert run(crawl_command("gazette"), env, tmp_path / "2.log").returncode == 0
        records = _records(db_path)
        assert set(records) == {"rates.html", "central-bank.html", "snow.html"}
        herald, copy, snow = records["rates.html"], records["central-bank.html"], records["snow.html"]
        assert herald["metadata"]["cluster_id"] == herald_url
        assert "near_duplicate_of" not in herald["metadata"]
        assert copy["metadata"]["near_duplicate_of"] == herald_url
        assert copy["metadata"]["cluster_id"] == herald_url
        assert 0.5 <= copy["metadata"]["near_duplicate_similarity"] < 1.0  # edited, not identical
        assert snow["metadata"]["cluster_id"] == site.url("/gazette/news/snow.html")
        assert "near_duplicate_of" not in snow["metadata"]

        # Re-crawl the unchanged pages under a newer pipeline version (so the stored records are
        # rewritten with fresh links): same clusters, the herald is not made a copy of the later copy.
        site.lastmod = "2024-03-06T10:00:00+00:00"
        with sqlite3.connect(db_path) as db:
            db.execute("UPDATE pages SET pipeline_version = 'older'")
        log = run(crawl_command("herald,gazette"), env, tmp_path / "3.log").stdout
        assert site.hits["/herald/news/rates.html"] == 2 and site.hits["/gazette/news/snow.html"] == 2, log[-2000:]
        again = _records(db_path)
        assert {k: v["pipeline_version"] != "older" for k, v in again.items()} == dict.fromkeys(again, True)
        for name in records:
            assert again[name]["metadata"]["cluster_id"] == records[name]["metadata"]["cluster_id"]
            assert again[name]["metadata"].get("near_duplicate_of") == records[name]["metadata"].get(
                "near_duplicate_of")
        assert _one(db_path, "SELECT count(*) FROM revisions") == 0
        assert _one(db_path, "SELECT max(revision) FROM pages") == 1
        assert _one(db_path, "SELECT count(*) FROM near_duplicate_signatures") == 3
        assert _one(db_path, f"SELECT cluster_id FROM near_duplicate_signatures WHERE url = '{herald_url}'") == herald_url
        assert _one(db_path, f"SELECT cluster_id FROM near_duplicate_signatures WHERE url = '{copy_url}'") == herald_url


def _wire_copies():
    first = normalise_page("https://herald.test/rates", article_html("Rates", ["By Anna Lind."] + WIRE_STORY))
    copy = normalise_page("https://gazette.test/cb", article_html("Rate rise", ["Staff and agencies."] + WIRE_STORY))
    return first, copy


def test_linking_leaves_the_index_alone_until_the_record_is_saved():
    index = MemoryIndex()
    links = NearDuplicateDetector(index)
    first, copy = _wire_copies()
    index_first = links.assign(first)
    assert index.rows == {}  # a save that fails now leaves nothing behind
    assert links.assign(copy) and "near_duplicate_of" not in copy["metadata"]  # first copy not indexed yet
    index_first()
    assert set(index.rows) == {"https://herald.test/rates"}
    links.assign(copy)
    assert copy["metadata"]["near_duplicate_of"] == "https://herald.test/rates"


def _store_thread(store):
    """The pipeline's store-thread step alone (no crawler): link, save, index."""
    from crawler.pipelines import NormaliseAndStorePipeline, TemplateHashes

    pipeline = NormaliseAndStorePipeline.__new__(NormaliseAndStorePipeline)
    pipeline.near_dups, pipeline.templates = None, TemplateHashes(store)
    return lambda record: pipeline._store_page(store, page_item(record["canonical_url"], b"<html>...</html>"),
                                               record)


def _index_rows(store) -> list[tuple[str, str]]:
    return store._db.execute("SELECT url, cluster_id FROM near_duplicate_signatures ORDER BY url").fetchall()


def test_the_crawl_saves_a_page_and_its_index_entry_in_one_transaction(tmp_path):
    from crawler.storage.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "news.sqlite")
    store_page = _store_thread(store)
    first, copy = _wire_copies()
    assert store_page(first)[2] == []
    assert store_page(copy)[2] == []
    assert _index_rows(store) == [("https://gazette.test/cb", "https://herald.test/rates"),
                                  ("https://herald.test/rates", "https://herald.test/rates")]
    assert copy["metadata"]["near_duplicate_of"] == "https://herald.test/rates"
    commits = []
    store._db.set_trace_callback(lambda sql: commits.append(sql) if sql.strip().upper() == "COMMIT" else None)
    store_page(normalise_page("https://courier.test/x", article_html("Rates", WIRE_STORY), source="courier"))
    assert len(commits) == 1  # the page and its index entry: one commit


def test_a_failing_index_write_rolls_back_its_rows_and_the_page_is_stored_without_it(tmp_path):
    from crawler.storage.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "news.sqlite")
    store_page = _store_thread(store)
    first, copy = _wire_copies()
    store_page(first)
    from crawler.processing.near_duplicates import SqlIndex

    real_write = SqlIndex.write

    def half_write(self, conn, *args):
        real_write(self, conn, *args)  # rows written in the page's transaction, then a failure
        raise RuntimeError("index write failed")

    SqlIndex.write = half_write
    try:
        outcome, _, errors = store_page(copy)
    finally:
        SqlIndex.write = real_write
    assert outcome.value == "new" and errors == ["news/near_duplicates/index_errors"]
    [stored] = [r for r in store.iter_records() if r["canonical_url"] == "https://gazette.test/cb"]
    assert stored["metadata"]["cluster_id"] == "https://herald.test/rates"
    assert _index_rows(store) == [("https://herald.test/rates", "https://herald.test/rates")]  # rolled back


def test_first_copy_reassigned_after_its_copy_keeps_its_cluster_and_no_link():
    index = MemoryIndex()
    links = NearDuplicateDetector(index)
    first, copy = _wire_copies()
    links.assign(first)()
    links.assign(copy)()
    again = dict(first, metadata={})
    assert links.assign(again)() is None
    assert again["metadata"] == {"cluster_id": "https://herald.test/rates"}
    assert index.rows["https://herald.test/rates"].cluster_id == "https://herald.test/rates"


def test_jaccard_on_stored_bytes_matches_datasketch():
    a = signature(" ".join(WIRE_STORY))
    b = signature(" ".join(WIRE_STORY[:3] + OTHER_STORY[:2]))
    assert 0 < a.jaccard(b) < 1
    assert stored_jaccard(a, signature_bytes(b)) == a.jaccard(b)


def test_renormalise_kept_pages_stores_a_page_without_its_index_entry_when_the_write_fails(tmp_path, monkeypatch):
    """`scrapy renormalise --kept-pages` saves as the crawl does (crawled_page.save_linked)."""
    import copy as copying

    from crawler.items import RawPage
    from crawler.jobs.renormalise_kept import renormalise_kept
    from crawler.processing.kept_pages import KeptPages
    from crawler.processing.near_duplicates import SqlIndex, detector_for_store
    from crawler.storage.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "news.sqlite")
    first, copy = _wire_copies()
    _store_thread(store)(first)
    kept = KeptPages(tmp_path / "kept")
    kept.keep(RawPage(url=copy["url"], final_url=copy["url"], status=200, headers={}, source="gazette",
                      fetched_at="2024-03-05T10:00:00+00:00", body=b"<html>...</html>"), "normalise_timeout")

    class Runner:  # the normaliser now finishes the page
        def normalise(self, doc):
            return copying.deepcopy(copy)

    real_write = SqlIndex.write

    def half_write(self, conn, *args):
        real_write(self, conn, *args)
        raise RuntimeError("index write failed")

    monkeypatch.setattr(SqlIndex, "write", half_write)
    outcomes = renormalise_kept(store, kept, Runner(), {}, detector=detector_for_store(store))
    assert outcomes == {"stored": 1} and list(kept.directory.iterdir()) == []
    [stored] = [r for r in store.iter_records() if r["canonical_url"] == "https://gazette.test/cb"]
    assert stored["metadata"]["cluster_id"] == "https://herald.test/rates"
    assert _index_rows(store) == [("https://herald.test/rates", "https://herald.test/rates")]  # rolled back
