"""The PostgreSQL store against a real server: upserts, revisions, skips, indexes, entity queries,
atomic saves and a clear error (or a retry) when the server goes away."""
from __future__ import annotations

import psycopg
import pytest

from crawler.storage.errors import StoreUnavailable
from crawler.storage.postgres import PostgresStore, redact_dsn

from .stories import (
    GERMAN_STORY,
    OTHER_STORY,
    WIRE_STORY,
    article_html,
    normalise_page,
    page_item,
    with_names,
)

pytestmark = pytest.mark.postgres

URL = "https://herald.test/business/rates-up"


def _stored(store, sql, params=()):
    return store.conn.execute(sql, params).fetchall()


def test_upsert_by_canonical_url_stores_one_row(pg_store):
    html = article_html("Rates up", WIRE_STORY, canonical=URL)
    record = normalise_page(URL + "?utm_source=feed", html)
    assert record["canonical_url"] == URL
    assert pg_store.save(page_item(URL + "?utm_source=feed", html), record) == "new"
    # the same article again, reached through another URL: still one row, no revision
    again = normalise_page(URL + "?ref=home", html)
    assert pg_store.save(page_item(URL + "?ref=home", html), again) == "unchanged"
    assert pg_store.counts().pages == 1
    assert pg_store.counts().revisions == 0
    assert pg_store.has(URL)
    assert pg_store.has(URL + "?ref=home")  # a URL known to lead to the stored page
    assert not pg_store.has(URL + "-other")
    stored = pg_store.get_record(URL)
    assert stored["text"] == record["text"]
    raw = next(pg_store.iter_raw_pages())
    assert raw.html == html  # raw page kept (compressed) for re-normalisation


def test_changed_text_is_a_revision_and_the_old_version_is_kept(pg_store):
    first = article_html("Rates up", WIRE_STORY, canonical=URL)
    second = article_html("Rates up", WIRE_STORY + ["Update: the finance ministry welcomed the decision."],
                          canonical=URL)
    pg_store.save(page_item(URL, first), normalise_page(URL, first))
    assert pg_store.save(page_item(URL, second), normalise_page(URL, second)) == "revised"
    assert "finance ministry" in pg_store.get_record(URL)["text"]
    old = pg_store.revisions(URL)
    assert len(old) == 1 and "finance ministry" not in old[0]["text"]
    assert _stored(pg_store, "SELECT revision FROM pages WHERE canonical_url = %s", (URL,)) == [(2,)]
    counts = pg_store.counts()
    assert (counts.pages, counts.revisions) == (1, 1)


def test_skips_are_recorded_with_their_reason(pg_store):
    pg_store.record_skip("https://herald.test/report.pdf", "herald", "not_html", "application/pdf")
    pg_store.record_skip("https://herald.test/empty", "herald", "empty_body")
    skips = pg_store.skips()
    assert [(s["url"].rsplit("/", 1)[-1], s["reason"]) for s in skips] == [("report.pdf", "not_html"),
                                                                          ("empty", "empty_body")]
    assert pg_store.counts().pages == 0
    assert pg_store.counts().skips_by_reason == {"not_html": 1, "empty_body": 1}


def test_a_url_skipped_again_for_the_same_reason_is_counted_not_repeated(pg_store):
    for detail in ("run 1", "run 2", "run 3"):
        pg_store.record_skip("https://herald.test/gone", "herald", "http_404", detail)
    pg_store.record_skip("https://herald.test/gone", "herald", "dns_error", "moved")
    assert [(s["reason"], s["detail"], s["count"]) for s in pg_store.skips()] == [("http_404", "run 3", 3),
                                                                                  ("dns_error", "moved", 1)]


def test_a_store_with_one_row_per_skip_is_merged_on_connect(pg_dsn):
    import psycopg

    from crawler.storage.postgres import PostgresStore

    with psycopg.connect(pg_dsn, autocommit=True) as conn:  # the skips table as stores made before counting had it
        conn.execute("CREATE TABLE skips (id BIGSERIAL PRIMARY KEY, url TEXT NOT NULL, source TEXT,"
                     " reason TEXT NOT NULL, detail TEXT, at TIMESTAMPTZ NOT NULL DEFAULT now())")
        for detail, at in (("run 1", "2025-01-01"), ("run 2", "2025-01-02"), ("pdf", "2025-01-01")):
            conn.execute("INSERT INTO skips (url, source, reason, detail, at) VALUES (%s, 'herald', %s, %s, %s)",
                         ("https://herald.test/x.pdf" if detail == "pdf" else "https://herald.test/gone",
                          "not_html" if detail == "pdf" else "http_404", detail, at))
    store = PostgresStore(pg_dsn, attempts=1).open()
    try:
        assert sorted((s["reason"], s["detail"], s["count"]) for s in store.skips()) == [
            ("http_404", "run 2", 2), ("not_html", "pdf", 1)]
        store.record_skip("https://herald.test/gone", "herald", "http_404", "run 3")
        assert [s["count"] for s in store.skips("https://herald.test/gone")] == [3]
    finally:
        store.close()
    again = PostgresStore(pg_dsn, attempts=1).open()  # already migrated: connecting again changes nothing
    assert again.counts().skips == 2
    again.close()


def test_etag_and_last_modified_are_kept_for_conditional_get(pg_store):
    html = article_html("Rates up", WIRE_STORY, canonical=URL)
    pg_store.save(page_item(URL, html, etag='"v1"', last_modified="Tue, 05 Mar 2024 09:30:00 GMT",
                            lastmod="2024-03-05T09:30:00Z"), normalise_page(URL, html))
    state = pg_store.fetch_state(URL)
    assert (state.etag, state.last_modified, state.lastmod) == ('"v1"', "Tue, 05 Mar 2024 09:30:00 GMT",
                                                                "2024-03-05T09:30:00Z")
    assert pg_store.fetch_state(URL + "-unknown") is None
    assert pg_store.mark_not_modified(URL) is True
    assert pg_store.mark_not_modified(URL + "-unknown") is False
    assert pg_store.not_modified_count() == 1


def _save_story(store, url, paragraphs, *, source, lang="en", published, entities=()):
    html = article_html(url.rsplit("/", 1)[-1], paragraphs, canonical=url, lang=lang, published=published)
    record = with_names(normalise_page(url, html, source=source, lang=lang), *entities)
    store.save(page_item(url, html, source=source), record)
    return record


def test_filters_and_entity_queries_use_the_indexes(pg_store):
    _save_story(pg_store, "https://herald.test/a", WIRE_STORY, source="herald", published="2024-03-05T09:00:00Z",
                entities=[("Q-marten", "Ilse Marten")])
    _save_story(pg_store, "https://gazette.test/b", GERMAN_STORY, source="gazette", lang="de",
                published="2024-04-01T12:00:00Z")
    _save_story(pg_store, "https://gazette.test/c", WIRE_STORY[:2] + OTHER_STORY[2:], source="gazette",
                published="2024-04-20T08:00:00Z", entities=[("Q-marten", "Ilse Marten"), ("Q-norland", "Norland")])

    def urls(**kw):
        return [r["canonical_url"] for r in pg_store.iter_records(**kw)]

    from crawler.jobs.export import parse_bound

    assert urls(entity="Q-marten") == ["https://gazette.test/c", "https://herald.test/a"]
    assert urls(entity="Q-norland") == ["https://gazette.test/c"]
    assert urls(source="gazette", language="de") == ["https://gazette.test/b"]
    assert urls(since=parse_bound("2024-04-01", end=False), until=parse_bound("2024-04-01", end=True)) == [
        "https://gazette.test/b"]
    assert urls(source="nobody") == []

    indexed = {(t, d) for t, d in _stored(pg_store, "SELECT tablename, indexdef FROM pg_indexes")}
    for table, column in [("pages", "(source)"), ("pages", "(language)"), ("pages", "(published_at)"),
                          ("entities", "(entity_id)")]:
        assert any(t == table and d.endswith(column) for t, d in indexed), (table, column)
    # With sequential scans priced out, the entity query is answered from the entity index.
    with pg_store.conn.transaction():
        pg_store.conn.execute("SET LOCAL enable_seqscan = off")
        plan = "\n".join(r[0] for r in _stored(
            pg_store, "EXPLAIN SELECT canonical_url FROM entities WHERE entity_id = %s", ("Q-marten",)))
    assert "entities_entity" in plan or "entities_pkey" in plan


def test_raw_pages_are_not_compressed_twice_and_records_use_lz4(pg_store):
    pg_store.save(page_item(URL, article_html("Rates up", WIRE_STORY)), normalise_page(URL, article_html("Rates up",
                                                                                                     WIRE_STORY)))
    settings = dict(((t, c), (s, z)) for t, c, s, z in _stored(
        pg_store, "SELECT attrelid::regclass::text, attname, attstorage, attcompression::text FROM pg_attribute"
                  " WHERE attrelid IN ('pages'::regclass, 'revisions'::regclass) AND attname IN ('html', 'record')"))
    assert settings[("pages", "html")][0] == settings[("revisions", "html")][0] == "e"  # external, uncompressed
    assert settings[("pages", "record")][1] == settings[("revisions", "record")][1] == "l"  # lz4
    # Opening the store again leaves them as they are (and does not fail).
    again = PostgresStore(pg_store.dsn)
    assert again.counts().pages == 1
    again.close()


def test_a_failing_save_leaves_no_half_written_record(pg_store):
    html = article_html("Rates up", WIRE_STORY, canonical=URL)
    good = with_names(normalise_page(URL, html), ("Q-marten", "Ilse Marten"))
    pg_store.save(page_item(URL, html), good)
    changed_html = article_html("Rates up", OTHER_STORY, canonical=URL)
    # PostgreSQL refuses NUL in text: the entity insert fails after the page row was updated.
    broken = with_names(normalise_page(URL, changed_html), ("Q-\x00bad", "Norland"))
    with pytest.raises(psycopg.DataError):
        pg_store.save(page_item(URL, changed_html), broken)
    assert pg_store.get_record(URL)["text"] == good["text"]  # page row rolled back with it
    assert pg_store.revisions(URL) == []  # and no revision was written
    assert [r["canonical_url"] for r in pg_store.iter_records(entity="Q-marten")] == [URL]
    new_url = URL + "-2"
    with pytest.raises(psycopg.DataError):
        pg_store.save(page_item(new_url, changed_html), dict(broken, canonical_url=new_url))
    assert pg_store.counts().pages == 1
    assert not pg_store.has(new_url)


def test_a_lost_connection_is_retried_and_the_save_completes(pg_store, pg_dsn):
    pg_store.record_skip("https://herald.test/warm-up", None, "test")  # opens the store's connection
    pid = pg_store.conn.info.backend_pid
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
    html = article_html("Rates up", WIRE_STORY, canonical=URL)
    assert pg_store.save(page_item(URL, html), normalise_page(URL, html)) == "new"
    assert pg_store.conn.info.backend_pid != pid
    assert pg_store.counts().pages == 1


def test_unreachable_server_gives_a_clear_error_with_the_password_redacted():
    store = PostgresStore("postgresql://news:s3cret@127.0.0.1:1/news", attempts=2, backoff=0.01,
                          connect_timeout=2)
    with pytest.raises(StoreUnavailable) as err:
        store.open()
    message = str(err.value)
    assert "postgresql://news:***@127.0.0.1:1/news" in message
    assert "s3cret" not in message
    assert "2 attempt(s)" in message


def test_redact_dsn_handles_both_dsn_forms():
    assert redact_dsn("postgresql://u:pw@db.example:5433/news") == "postgresql://u:***@db.example:5433/news"
    assert redact_dsn("postgresql://u@db/news") == "postgresql://u@db/news"
    assert redact_dsn("host=db user=u password=pw dbname=news") == "host=db user=u password=*** dbname=news"


def test_note_discovery_keeps_newest_lastmod_and_fills_a_missing_date(pg_store):
    html = article_html("Rates up", WIRE_STORY, canonical=URL, published=None)
    record = normalise_page(URL, html)
    assert record["published_at"] is None
    pg_store.save(page_item(URL, html, lastmod="2024-03-05T09:30:00Z"), record)
    assert pg_store.note_discovery(URL, "2024-03-01T00:00:00Z", "2024-03-05T08:00:00Z", "feed") is True
    assert pg_store.fetch_state(URL).lastmod == "2024-03-05T09:30:00Z"  # an older lastmod does not win
    assert pg_store.note_discovery(URL, "2024-03-07T00:00:00Z", None, "sitemap") is True
    assert pg_store.fetch_state(URL).lastmod == "2024-03-07T00:00:00Z"
    stored = pg_store.get_record(URL)
    assert stored["published_at"] == "2024-03-05T08:00:00Z"
    assert stored["metadata"]["published_at_source"] == "feed"
    from crawler.jobs.export import parse_bound
    assert [r["canonical_url"] for r in pg_store.iter_records(since=parse_bound("2024-03-05", end=False))] == [URL]
    assert pg_store.note_discovery(URL + "-unknown", None, None, "feed") is False


@pytest.mark.postgres
def test_workers_starting_together_create_the_near_duplicate_index_without_a_race(pg_dsn):
    """CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin in PostgreSQL (a unique
    violation on pg_type): several crawl workers open the index at the same moment."""
    import threading

    from crawler.processing.near_duplicates import PostgresSignatureIndex

    errors: list[Exception] = []

    def open_index():
        try:
            with psycopg.connect(pg_dsn, autocommit=True) as conn:
                PostgresSignatureIndex(conn)
        except Exception as exc:  # collected: the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=open_index) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
