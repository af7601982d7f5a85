"""Both stores keep one contract: the same save decisions, the same columns, the same scheduler
state and near-duplicate index, on a real SQLite file and a real PostgreSQL database."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from crawler.processing.near_duplicates import detector_for_store
from crawler.storage import PageToStore, SaveOutcome, Store
from crawler.storage.errors import LockHeld

URL = "https://herald.test/rates"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "sqlite":
        from crawler.storage.sqlite import SQLiteStore

        opened: Store = SQLiteStore(tmp_path / "news.sqlite")
    else:
        opened = request.getfixturevalue("pg_store")
    yield opened
    opened.close()


def _page(**changes) -> PageToStore:
    fields = dict(canonical_url=URL, url=URL + "?utm_source=x", final_url=URL, source="herald", status=200,
                  headers={b"ETag": [b'"v1"'], "Last-Modified": "Tue, 07 May 2024 08:00:00 GMT"},
                  fetched_at="2024-05-07T08:00:00+00:00", html=b"<html><p>Rates rise.</p></html>")
    return PageToStore(**{**fields, **changes})


def _record(text: str, **metadata) -> dict:
    return {"id": URL, "canonical_url": URL, "title": "Rates", "text": text, "language": "en",
            "published_at": "2024-05-07T07:00:00Z", "pipeline_version": "1", "metadata": metadata}


def _column(store: Store, column: str):
    """One column of the stored page, read back through the store's own connection."""
    from crawler.storage.sqlite import SQLiteStore

    if isinstance(store, SQLiteStore):
        return store._db.execute(f"SELECT {column} FROM pages WHERE canonical_url = ?", (URL,)).fetchone()[0]
    return store._query("test", f"SELECT {column} FROM pages WHERE canonical_url = %s", (URL,))[0][0]


def test_save_decides_new_unchanged_revised_the_same_way(store):
    assert store.save(_page(), _record("Rates rise by half a point.")) is SaveOutcome.NEW
    assert store.save(_page(), _record("Rates  rise by half a point.")) is SaveOutcome.UNCHANGED  # spacing only
    assert store.save(_page(), _record("Rates rise by a full point.")) is SaveOutcome.REVISED
    counts = store.counts()
    assert (counts.pages, counts.revisions) == (1, 1)
    assert store.has(URL + "?utm_source=x")  # the fetched URL became an alias


def test_etag_falls_back_to_the_headers_and_cluster_columns_are_filled(store):
    store.save(_page(), _record("Rates rise.", cluster_id="https://wire.test/a", near_duplicate_of="https://wire.test/a"))
    state = store.fetch_state(URL)
    assert state is not None and state.etag == '"v1"' and state.last_modified.startswith("Tue, 07 May")
    assert _column(store, "cluster_id") == "https://wire.test/a"
    assert _column(store, "near_duplicate_of") == "https://wire.test/a"
    store.update_record(URL, _record("Rates rise.", cluster_id=URL))
    assert _column(store, "cluster_id") == URL
    assert _column(store, "near_duplicate_of") is None
    with pytest.raises(KeyError):
        store.update_record(URL + "/gone", _record("x"))


def test_scheduler_state_and_run_lock(store):
    started = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
    store.record_run("herald", started, None, "running")
    assert store.last_runs() == {"herald": started}
    with store.run_lock():
        pass
    with store.run_lock():  # released on exit: taken again
        pass


def test_the_sqlite_run_lock_refuses_a_second_holder(tmp_path):
    from crawler.storage.sqlite import SQLiteStore

    first, second = SQLiteStore(tmp_path / "news.sqlite"), SQLiteStore(tmp_path / "news.sqlite")
    try:
        with first.run_lock(), pytest.raises(LockHeld, match="holds the lock"):
            with second.run_lock():
                pass
    finally:
        first.close()
        second.close()


def test_the_index_entry_commits_with_the_page(store):
    detector = detector_for_store(store)
    try:
        record = _record(" ".join(f"word{i} of the wire story" for i in range(40)))
        index_it = detector.assign(record)
        store.save(_page(), record, also=index_it)
        copy = dict(_record(record["text"]), id="https://gazette.test/b", canonical_url="https://gazette.test/b")
        detector.assign(copy)
        assert copy["metadata"]["near_duplicate_of"] == URL
    finally:
        detector.index.close()


def _blocks(*reasons) -> list[dict]:
    return [{"kind": "paragraph", "text": f"block {i}", "removed": reason} for i, reason in enumerate(reasons)]


def test_removed_block_counts_follow_the_stored_record(store):
    store.save(_page(), dict(_record("Rates rise."), blocks=_blocks(None, "cookie_wall", "cookie_wall", "newsletter")))
    assert json.loads(_column(store, "removed_blocks")) == {"cookie_wall": 2, "newsletter": 1}
    # Same text, newer pipeline: the record is replaced, so are its counts.
    store.save(_page(), dict(_record("Rates rise."), pipeline_version="2", blocks=_blocks("related")))
    assert json.loads(_column(store, "removed_blocks")) == {"related": 1}
    store.save(_page(), dict(_record("Rates fall."), pipeline_version="2", blocks=_blocks(None)))  # a revision
    assert _column(store, "removed_blocks") is None
    store.update_record(URL, dict(_record("Rates fall."), blocks=_blocks("share_bar", None)))
    assert json.loads(_column(store, "removed_blocks")) == {"share_bar": 1}


@pytest.mark.postgres
def test_a_postgres_store_made_before_the_count_column_is_filled_in_when_opened(pg_dsn):
    from crawler.storage.postgres import PostgresStore

    store = PostgresStore(pg_dsn, attempts=2, backoff=0.05).open()
    try:
        store.save(_page(), dict(_record("Rates rise."), blocks=_blocks("cookie_wall", None, "cookie_wall")))
        store._run("old schema", lambda cur: cur.execute("ALTER TABLE pages DROP COLUMN removed_blocks"))
    finally:
        store.close()
    reopened = PostgresStore(pg_dsn, attempts=2, backoff=0.05).open()
    try:
        assert json.loads(_column(reopened, "removed_blocks")) == {"cookie_wall": 2}
    finally:
        reopened.close()
