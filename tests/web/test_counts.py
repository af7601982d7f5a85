"""The counts page adds up small per-page columns, never the stored records: on a real SQLite file,
the counts by day equal what the records say, a store made before the count column existed is
filled in when opened, and the queries read covering indexes instead of the page rows."""
from __future__ import annotations

import random
import sqlite3
from collections import Counter

from crawler.storage import PageToStore
from crawler.storage.sqlite import SQLiteStore
from crawler.web import queries
from crawler.web.db import SQLiteReadDB

REASONS = ["cookie_wall", "newsletter", "related", "share_bar", None, None, None]


def _fill(path, pages: int = 60, seed: int = 5) -> list[tuple[str, str, dict]]:
    """Pages over three fetch days and two sources, each with random kept and removed blocks."""
    rng = random.Random(seed)
    saved = []
    store = SQLiteStore(path)
    try:
        for i in range(pages):
            url = f"https://news.test/{i}"
            day, source = f"2024-05-0{1 + i % 3}", ("herald", "gazette")[i % 2]
            blocks = [{"kind": "paragraph", "text": f"block {j} of page {i}", "removed": rng.choice(REASONS)}
                      for j in range(rng.randint(1, 8))]
            record = {"id": url, "canonical_url": url, "title": f"Story {i}", "text": f"Story {i} text.",
                      "language": "en", "pipeline_version": "1", "metadata": {}, "blocks": blocks}
            store.save(PageToStore(canonical_url=url, url=url, final_url=url, source=source, status=200, headers={},
                                   fetched_at=f"{day}T08:00:00+00:00", html=b"<html></html>"), record)
            saved.append((day, source, record))
    finally:
        store.close()
    return saved


def _expected(saved) -> tuple[dict, dict]:
    by_source: dict[str, Counter] = {}
    by_reason: dict[str, Counter] = {}
    for day, source, record in saved:
        by_source.setdefault(source, Counter())[day] += 1
        for block in record["blocks"]:
            if block["removed"]:
                by_reason.setdefault(block["removed"], Counter())[day] += 1
    return ({k: dict(v) for k, v in by_source.items()}, {k: dict(v) for k, v in by_reason.items()})


def test_counts_by_day_equal_what_the_records_say(tmp_path):
    saved = _fill(tmp_path / "news.sqlite")
    db = SQLiteReadDB(tmp_path / "news.sqlite")
    try:
        by_source, by_reason = _expected(saved)
        assert queries.counts_by_day(db, "source") == by_source
        assert queries.counts_by_day(db, "reason") == by_reason
    finally:
        db.close()


def test_a_store_made_before_the_count_column_is_filled_in_when_opened(tmp_path):
    path = tmp_path / "news.sqlite"
    saved = _fill(path)
    with sqlite3.connect(path) as old:  # the schema as it was: no count column, no indexes on it
        old.execute("DROP INDEX pages_fetched_removed")
        old.execute("ALTER TABLE pages DROP COLUMN removed_blocks")
    SQLiteStore(path).close()
    db = SQLiteReadDB(path)
    try:
        assert queries.counts_by_day(db, "reason") == _expected(saved)[1]
    finally:
        db.close()


def test_the_counts_read_indexes_not_page_rows(tmp_path):
    _fill(tmp_path / "news.sqlite", pages=5)
    with sqlite3.connect(tmp_path / "news.sqlite") as conn:
        for series in queries.COUNT_SERIES:
            sql = queries._COUNTS[series]["sqlite"]
            plan = " ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            assert "COVERING INDEX" in plan, (series, plan)
