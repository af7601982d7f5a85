"""The review app and API on the PostgreSQL store (a throw-away database; skips without a server)."""
from __future__ import annotations

import copy
import re
from urllib.parse import quote

import httpx
import pytest
from conftest import save_record, web_config
from ingestion.conftest import pg_dsn  # noqa: F401 (fixture: a fresh database, dropped afterwards)

from crawler.storage.sqlite import SQLiteStore

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_demo(pg_dsn, demo_store):  # noqa: F811
    """The demo crawl's pages and records copied into PostgreSQL, plus one revised article."""
    from crawler.storage.postgres import PostgresStore

    source = SQLiteStore(demo_store)
    store = PostgresStore(pg_dsn, attempts=2, backoff=0.05).open()
    try:
        pages = list(source.iter_raw_pages())
        for page in pages:
            save_record(store, page.record, page.html, source=page.source, fetched_at=page.fetched_at)
        german = next(p for p in pages if p.canonical_url.endswith("/de/gespraeche-istanbul.html"))
        revised = copy.deepcopy(german.record)
        revised["title"] = "Gespräche in Istanbul: neue Runde"
        save_record(store, revised, german.html + b"<!-- v2 -->", source="demo", fetched_at="2026-02-01T00:00:00Z")
    finally:
        source.close()
        store.close()
    return pg_dsn, german.canonical_url


def test_records_entities_articles_and_charts_on_postgresql(serve, pg_demo, tmp_path):
    dsn, german = pg_demo
    app = serve(web_config(dsn, tmp_path))
    assert httpx.get(f"{app.url}/health").json()["status"] == "ok"
    seen, cursor = [], None
    while True:
        body = httpx.get(f"{app.url}/records", params={"limit": 4, **({"cursor": cursor} if cursor else {})}).json()
        seen += [r["canonical_url"] for r in body["records"]]
        if not (cursor := body["next_cursor"]):
            break
    assert len(seen) == 9 and seen == sorted(seen)
    de = httpx.get(f"{app.url}/records", params={"language": "de", "since": "2025-06-01", "until": "2025-06-30"})
    assert {r["language"] for r in de.json()["records"]} == {"de"}
    named = httpx.get(f"{app.url}/records", params={"entity": "vladimir-medinsky"}).json()["records"]
    assert german in [r["canonical_url"] for r in named]
    record = httpx.get(f"{app.url}/records/{quote(german, safe='')}").json()
    assert record["title"] == "Gespräche in Istanbul: neue Runde"
    first = httpx.get(f"{app.url}/records/{quote(german, safe='')}", params={"revision": 1}).json()
    assert first["title"].startswith("Gespräche in Istanbul: Gefangenenaustausch")
    page = httpx.get(f"{app.url}/article", params={"url": german}).text
    assert "revision 1</a>" in page and '<span class="reason-code">cookie_wall</span>' in page
    assert re.search(r'<mark class="name" title="Wladimir Medinski → Vladimir Medinsky', page)
    raw = httpx.get(f"{app.url}/raw", params={"url": german})
    assert raw.status_code == 200 and raw.content.endswith(b"<!-- v2 -->")
    entity = httpx.get(f"{app.url}/entities/vladimir-medinsky").json()
    assert "Wladimir Medinski" in entity["variants_seen"]
    for series in ("source", "reason"):
        assert httpx.get(f"{app.url}/charts/{series}.svg").status_code == 200
    assert "cookie_wall" in httpx.get(f"{app.url}/stats").text
