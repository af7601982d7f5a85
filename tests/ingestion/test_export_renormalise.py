"""Export (JSON Lines, CSV, Parquet) with filters, and re-normalising in place, on both stores."""
from __future__ import annotations

import csv
import json
import socket
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crawler.jobs.export import ExportError, RecordFilter, export, stored_records
from crawler.jobs.renormalise import renormalise

from .stories import (
    GERMAN_STORY,
    OTHER_STORY,
    WIRE_STORY,
    article_html,
    normalise_page,
    page_item,
    with_names,
)

REPO = Path(__file__).resolve().parents[2]

STORIES = [
    # url, source, lang, paragraphs, published, entities
    ("https://herald.test/a", "herald", "en", WIRE_STORY, "2024-03-05T09:00:00Z", [("Q-marten", "Ilse Marten")]),
    ("https://gazette.test/b", "gazette", "de", GERMAN_STORY, "2024-04-01T12:00:00+00:00", []),
    ("https://gazette.test/c", "gazette", "en", OTHER_STORY, "2024-04-20T08:00:00Z", [("Q-norland", "Norland")]),
    ("https://gazette.test/d", "gazette", "en", WIRE_STORY[:2] + OTHER_STORY[:2], None, [("Q-marten", "Ilse Marten")]),
]


def _fill(store):
    for url, source, lang, paragraphs, published, entities in STORIES:
        html = article_html(url.rsplit("/", 1)[-1], paragraphs, lang=lang, canonical=url, published=published)
        record = with_names(normalise_page(url, html, source=source, lang=lang), *entities)
        store.save(page_item(url, html, source=source), record)
    return store


@pytest.fixture
def sqlite_store(tmp_path):
    from crawler.storage.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "news.sqlite")
    yield _fill(store)
    store.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request):
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_store")
    return _fill(request.getfixturevalue("pg_store"))


FILTER_CASES = [
    ({}, ["https://gazette.test/b", "https://gazette.test/c", "https://gazette.test/d", "https://herald.test/a"]),
    ({"source": "herald"}, ["https://herald.test/a"]),
    ({"language": "de"}, ["https://gazette.test/b"]),
    ({"since": "2024-04-01", "until": "2024-04-01"}, ["https://gazette.test/b"]),  # a bare until = that whole day
    ({"since": "2024-04-01T12:00:01Z"}, ["https://gazette.test/c"]),
    ({"entity": "Q-marten"}, ["https://gazette.test/d", "https://herald.test/a"]),
    ({"entity": "Q-marten", "source": "gazette"}, ["https://gazette.test/d"]),
    ({"source": "nobody"}, []),
]


@pytest.mark.parametrize("filters,expected", FILTER_CASES)
def test_jsonl_export_filters_the_same_on_both_stores(store, tmp_path, filters, expected):
    flt = RecordFilter.from_strings(**filters)
    out = tmp_path / "out.jsonl"
    n = export(stored_records(store, flt), "jsonl", out, flt)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert n == len(rows)
    assert sorted(r["canonical_url"] for r in rows) == expected


def test_csv_and_parquet_carry_the_same_records(store, tmp_path):
    flt = RecordFilter.from_strings(source="gazette")
    assert export(stored_records(store, flt), "csv", tmp_path / "out.csv", flt) == 3
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_url = {r["canonical_url"]: r for r in rows}
    assert set(by_url) == {"https://gazette.test/b", "https://gazette.test/c", "https://gazette.test/d"}
    assert by_url["https://gazette.test/c"]["entities"] == "Q-norland"
    assert "Schneefall" in by_url["https://gazette.test/b"]["text"]  # UTF-8 text survives
    assert json.loads(by_url["https://gazette.test/c"]["names"])[0]["entity_id"] == "Q-norland"

    assert export(stored_records(store, flt), "parquet", tmp_path / "out.parquet", flt, ) == 3
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.num_rows == 3
    data = table.to_pydict()
    assert sorted(data["canonical_url"]) == sorted(by_url)
    i = data["canonical_url"].index("https://gazette.test/c")
    assert data["entities"][i] == ["Q-norland"]
    assert data["text"][i] == by_url["https://gazette.test/c"]["text"]


def test_parquet_is_written_in_row_groups(tmp_path):
    records = ({"id": f"r{i}", "canonical_url": f"https://x.test/{i}", "text": "t" * 50, "names": []}
               for i in range(250))
    from crawler.jobs.export import write_parquet

    assert write_parquet(records, tmp_path / "big.parquet", row_group=100) == 250
    meta = pq.ParquetFile(tmp_path / "big.parquet").metadata
    assert (meta.num_rows, meta.num_row_groups) == (250, 3)


def test_bad_export_requests_get_clear_errors(tmp_path):
    with pytest.raises(ExportError, match="not an ISO date"):
        RecordFilter.from_strings(since="last tuesday")
    with pytest.raises(ExportError, match="unknown format"):
        export([], "xml", tmp_path / "x")
    with pytest.raises(ExportError, match="parquet needs an output file"):
        export([], "parquet", "-")


def test_renormalise_updates_records_in_place_without_network(store, monkeypatch):
    from normalise.config import NormaliserConfig
    from normalise.pipeline import Normaliser

    def no_network(*args, **kwargs):
        raise AssertionError("re-normalising must not open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    before = {r["canonical_url"]: r for r in store.iter_records()}

    class Updated(Normaliser):  # stands for a lexicon update: every record gains a marker warning
        def normalise_many(self, docs, chunk_size=16):
            for record in super().normalise_many(docs, chunk_size):
                record.warnings.append("renormalised")
                yield record

    outcomes = renormalise(store, Updated(NormaliserConfig(translate=False)), {}, source="gazette", progress=False)
    assert outcomes == {"updated": 3}
    after = {r["canonical_url"]: r for r in store.iter_records()}
    assert set(after) == set(before)  # same pages, no new rows
    for url, record in after.items():
        if url.startswith("https://gazette.test/"):
            assert record["warnings"] == ["renormalised"]
            assert record["text"] == before[url]["text"]
            assert record["canonical_url"] == url
        else:
            assert record == before[url]  # other sources untouched
    assert store.counts().pages == 4


def test_scrapy_export_and_renormalise_commands(sqlite_store, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "NEWS_STORE_URL": f"sqlite:///{sqlite_store.path}",
           "NEWS_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO)}
    scrapy = [sys.executable, "-m", "scrapy"]
    out = tmp_path / "gazette.jsonl"
    proc = subprocess.run(scrapy + ["export", "--format", "jsonl", "--source", "gazette", "--lang", "en",
                                    "-o", str(out)], cwd=REPO, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "exported 2 record(s)" in proc.stderr
    assert sorted(json.loads(line)["canonical_url"] for line in out.read_text().splitlines()) == [
        "https://gazette.test/c", "https://gazette.test/d"]
    proc = subprocess.run(scrapy + ["export", "--since", "yesterday", "-o", str(out)], cwd=REPO, env=env,
                          capture_output=True, text=True)
    assert proc.returncode != 0 and "not an ISO date" in proc.stderr

    proc = subprocess.run(scrapy + ["renormalise", "--source", "herald", "-s", "NORMALISER={\"translate\": false}"],
                          cwd=REPO, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "1 record(s) updated, 0 failed" in proc.stderr
