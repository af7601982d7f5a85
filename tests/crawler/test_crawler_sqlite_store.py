"""The SQLite store: upsert by canonical URL, revisions on change, aliases, skips, streaming reads."""
from __future__ import annotations

import sqlite3

import pytest

from crawler.storage import PageToStore, SaveOutcome, open_store
from crawler.storage.base import content_hash


def _page(url="https://n.example/a", html=b"<html><p>one</p></html>", **kw):
    base = dict(canonical_url=url, url=url + "?x=1", final_url=url, source="s", status=200,
                headers={"Content-Type": "text/html"}, fetched_at="2025-06-01T00:00:00+00:00", html=html,
                etag='"e1"', lastmod="2025-06-01")
    base.update(kw)
    return PageToStore(**base)


def _record(text="One story.", **kw):
    return {"id": "https://n.example/a", "title": "T", "text": text, "language": "en",
            "published_at": "2025-06-01", "pipeline_version": "0.1.0", **kw}


@pytest.fixture
def store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path}/sub/news.sqlite")
    yield s
    s.close()


def test_new_unchanged_and_revised(store, tmp_path):
    assert store.save(_page(), _record()) is SaveOutcome.NEW
    assert store.save(_page(etag='"e2"'), _record()) is SaveOutcome.UNCHANGED
    assert store.fetch_state("https://n.example/a").etag == '"e2"'
    assert store.save(_page(html=b"<p>two</p>"), _record(text="A corrected story.")) is SaveOutcome.REVISED
    counts = store.counts()
    assert (counts.pages, counts.revisions) == (1, 1)
    db = sqlite3.connect(tmp_path / "sub" / "news.sqlite")
    old = db.execute("SELECT revision, content_hash, record FROM revisions").fetchone()
    assert old[0] == 1 and old[1] == content_hash(_record()) and "One story." in old[2]
    assert db.execute("SELECT revision FROM pages").fetchone() == (2,)
    (raw,) = list(store.iter_raw_pages())
    assert raw.html == b"<p>two</p>" and raw.record["text"] == "A corrected story."


def test_aliases_lead_to_the_stored_page(store):
    store.save(_page(aliases=("https://n.example/old-path",)), _record())
    assert store.has("https://n.example/a") and store.has("https://n.example/a?x=1")
    assert store.has("https://n.example/old-path") and not store.has("https://n.example/b")
    assert store.fetch_state("https://n.example/old-path").canonical_url == "https://n.example/a"


def test_late_discovery_fills_missing_dates_only(store):
    store.save(_page(lastmod=None), _record(published_at=None))
    assert store.note_discovery("https://n.example/a?x=1", "2025-06-03", "2025-06-02T08:00:00+00:00", "feed")
    (rec,) = list(store.iter_records())
    assert rec["published_at"] == "2025-06-02T08:00:00+00:00" and rec["metadata"]["published_at_source"] == "feed"
    store.note_discovery("https://n.example/a", "2025-06-01", "1999-01-01", "sitemap_news")
    state = store.fetch_state("https://n.example/a")
    assert state.lastmod == "2025-06-03"  # never moves backwards
    assert next(store.iter_records())["published_at"] == "2025-06-02T08:00:00+00:00"
    assert store.note_discovery("https://n.example/unknown", "2025-06-03", None, "feed") is False


def test_skips_and_filters(store):
    store.record_skip("https://n.example/x.pdf", "s", "not_html", "pdf")
    store.save(_page(), _record())
    store.save(_page(url="https://n.example/b", source="t"), _record(language="de", published_at="2025-07-01"))
    counts = store.counts()
    assert counts.skips_by_reason == {"not_html": 1}
    assert counts.by_language == {"en": 1, "de": 1} and counts.by_source == {"s": 1, "t": 1}
    assert [r["language"] for r in store.iter_records(language="de")] == ["de"]
    assert [r["language"] for r in store.iter_records(since="2025-06-15")] == ["de"]
    assert len(store.recent_records("s", 10)) == 1


def test_failed_save_leaves_nothing_half_written(store, tmp_path):
    store.save(_page(), _record())
    # Make the last statement of the transaction (the alias insert) fail, as a full disk would.
    db = sqlite3.connect(tmp_path / "sub" / "news.sqlite")
    db.execute("CREATE TRIGGER fail BEFORE INSERT ON url_aliases WHEN NEW.url LIKE '%b-alias' "
               "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    db.commit()
    db.close()
    with pytest.raises(sqlite3.DatabaseError):
        store.save(_page(url="https://n.example/b", aliases=("https://n.example/b-alias",)), _record())
    assert store.counts().pages == 1 and not store.has("https://n.example/b")
    assert store.save(_page(etag='"e9"'), _record()) is SaveOutcome.UNCHANGED  # the store still works


def test_store_urls():
    from crawler.storage import StoreConfigError

    with pytest.raises(StoreConfigError):
        open_store("mysql://x")
    with pytest.raises(StoreConfigError):
        open_store("")


def test_a_url_skipped_again_for_the_same_reason_is_counted_not_repeated(store):
    store.record_skip("https://n.example/gone", "s", "http_404", "first run")
    store.record_skip("https://n.example/gone", "s", "http_404", "second run")
    store.record_skip("https://n.example/gone", "s", "dns_error", "moved host")
    store.record_skip("https://n.example/x.pdf", "s", "not_html", "pdf")
    rows = store._db.execute("SELECT url, reason, detail, count, first_at <= at FROM skips ORDER BY url, reason")
    assert rows.fetchall() == [("https://n.example/gone", "dns_error", "moved host", 1, 1),
                               ("https://n.example/gone", "http_404", "second run", 2, 1),
                               ("https://n.example/x.pdf", "not_html", "pdf", 1, 1)]
    assert store.counts().skips_by_reason == {"http_404": 1, "dns_error": 1, "not_html": 1}


def test_a_store_with_one_row_per_skip_is_merged_on_open(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:  # the skips table as stores made before counting had it
        db.execute("CREATE TABLE skips (id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL, source TEXT,"
                   " reason TEXT NOT NULL, detail TEXT, at TEXT NOT NULL)")
        db.executemany("INSERT INTO skips (url, source, reason, detail, at) VALUES (?, 's', ?, ?, ?)", [
            ("https://n.example/gone", "http_404", "run 1", "2025-01-01"),
            ("https://n.example/x.pdf", "not_html", "pdf", "2025-01-01"),
            ("https://n.example/gone", "http_404", "run 2", "2025-01-02"),
            ("https://n.example/gone", "http_404", "run 3", "2025-01-03")])
    store = open_store(f"sqlite:///{path}")
    try:
        rows = store._db.execute("SELECT url, reason, detail, at, first_at, count FROM skips ORDER BY url")
        assert rows.fetchall() == [("https://n.example/gone", "http_404", "run 3", "2025-01-03", "2025-01-01", 3),
                                   ("https://n.example/x.pdf", "not_html", "pdf", "2025-01-01", "2025-01-01", 1)]
        store.record_skip("https://n.example/gone", "s", "http_404", "run 4")
        assert store._db.execute("SELECT count, detail FROM skips WHERE reason = 'http_404'").fetchall() == [
            (4, "run 4")]
    finally:
        store.close()
    reopened = open_store(f"sqlite:///{path}")  # already migrated: opening again changes nothing
    assert reopened.counts().skips == 2
    reopened.close()
