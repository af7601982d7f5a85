"""The HTTP API over real HTTP (uvicorn on 127.0.0.1): records, entities, normalise, limits, token."""
from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest
from conftest import TOKEN, web_config

from normalise.cli import main as cli_main

GERMAN = "/de/gespraeche-istanbul.html"


@pytest.fixture
def demo(serve, demo_store, tmp_path):
    return serve(web_config(f"sqlite:///{demo_store}", tmp_path))


def _all_records(base: str, **params) -> list[dict]:
    out, cursor = [], None
    with httpx.Client(base_url=base) as client:
        while True:
            got = client.get("/records", params={**params, **({"cursor": cursor} if cursor else {})})
            assert got.status_code == 200, got.text
            body = got.json()
            out += body["records"]
            cursor = body["next_cursor"]
            if cursor is None:
                return out


def test_records_paginate_with_a_cursor_and_filter(demo):
    everything = _all_records(demo.url, limit=200)
    assert len(everything) == 9
    paged = _all_records(demo.url, limit=2)
    assert [r["canonical_url"] for r in paged] == [r["canonical_url"] for r in everything]
    german = _all_records(demo.url, language="de")
    assert {r["language"] for r in german} == {"de"} and len(german) == 2
    # Translation is off in the demo: every German record has untranslated blocks, English ones none.
    assert {r["canonical_url"] for r in _all_records(demo.url, translation="untranslated")} >= \
        {r["canonical_url"] for r in german}
    assert all(r["language"] == "en" for r in _all_records(demo.url, translation="english"))
    named = _all_records(demo.url, entity="vladimir-medinsky")
    assert named and all(any(n["entity_id"] == "vladimir-medinsky" for n in r["names"]) for r in named)
    assert _all_records(demo.url, since="2100-01-01") == []


def test_record_by_canonical_url_and_unknown_id(demo):
    url = next(r["canonical_url"] for r in _all_records(demo.url) if r["canonical_url"].endswith(GERMAN))
    got = httpx.get(f"{demo.url}/records/{quote(url, safe='')}")
    assert got.status_code == 200 and got.json()["canonical_url"] == url
    missing = httpx.get(f"{demo.url}/records/{quote('https://nowhere.example/x', safe='')}")
    assert missing.status_code == 404 and "nowhere.example" in missing.json()["detail"]


def test_bad_filters_and_cursor_are_422_with_the_reason(demo):
    for params, words in (({"since": "yesterday"}, "not an ISO date"), ({"translation": "maybe"}, "translation"),
                          ({"cursor": "%%%"}, "cursor"), ({"limit": 0}, "limit"), ({"warnings": "lots"}, "warnings")):
        got = httpx.get(f"{demo.url}/records", params=params)
        assert got.status_code == 422, params
        assert words in json.dumps(got.json()), (params, got.text)


def test_entity_lists_variants_seen_and_articles(demo):
    got = httpx.get(f"{demo.url}/entities/vladimir-medinsky")
    assert got.status_code == 200
    body = got.json()
    assert body["canonical"] == "Vladimir Medinsky"
    assert body["articles"] and "Wladimir Medinski" in body["variants_seen"]
    assert httpx.get(f"{demo.url}/entities/no-such-entity").status_code == 404


def test_health_openapi_and_metrics(demo):
    health = httpx.get(f"{demo.url}/health").json()
    assert health["status"] == "ok" and health["store"].endswith("news.sqlite")
    schema = httpx.get(f"{demo.url}/openapi.json").json()
    for path in ("/normalise", "/records", "/records/{record_id}", "/entities/{entity_id}", "/health"):
        assert path in schema["paths"], path
    assert "post" in schema["paths"]["/normalise"]
    httpx.get(f"{demo.url}/records")
    metrics = httpx.get(f"{demo.url}/metrics")
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    assert 'news_web_requests_total{method="GET",route="/records",status="200"}' in metrics.text


def test_normalise_returns_exactly_what_the_cli_prints(demo, tmp_path, capsys):
    page = (tmp_path / "page.html")
    page.write_text("<html lang='de'><head><title>Stadtrat</title></head><body><article><h1>Stadtrat</h1>"
                    "<p>Der Stadtrat hat am Montag den neuen Haushalt beschlossen, teilte die Verwaltung mit.</p>"
                    "<p>Bürgermeisterin Klein sagte in Kiew, die Mittel seien für Schulen bestimmt.</p>"
                    "</article></body></html>", encoding="utf-8")
    line = {"id": "doc-1", "html": page.read_text(encoding="utf-8"), "url": "https://city.example/rat", "lang": "de"}
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(json.dumps(line) + "\n" + json.dumps({"text": "Only a line of text about the harbour."}) + "\n",
                     encoding="utf-8")
    assert cli_main(["--no-translate", "--format", "jsonl", str(jsonl)]) == 0
    cli_records = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    batch = {"documents": [line, {"text": "Only a line of text about the harbour."}]}
    got = httpx.post(f"{demo.url}/normalise", json=batch, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
    assert got.status_code == 200, got.text
    api_records = got.json()["records"]
    cli_records[1]["id"] = api_records[1]["id"]  # an input without id is named after its file or request line
    assert api_records == cli_records
    # untranslated German keeps its own place name (Kiew); the names stage records the entity it saw
    assert api_records[0]["names"] == [] and "sagte in Kiew" in api_records[0]["text"]
    assert any(c["canonical"] == "Kyiv" and c["original"] == "Kiew" for c in api_records[0]["name_candidates"])
    single = httpx.post(f"{demo.url}/normalise", json=line, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
    assert single.status_code == 200 and single.json()["records"] == [api_records[0]]


def test_a_document_with_an_unpaired_surrogate_fails_alone_as_on_the_cli(demo, tmp_path, capsys):
    body = b'{"documents": [{"id": "bad", "text": "Half a pair \\ud800 here."}, {"id": "good", "text": "A page."}]}'
    got = httpx.post(f"{demo.url}/normalise", content=body, timeout=120,
                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert got.status_code == 200, got.text
    bad, good = got.json()["records"]
    assert bad["id"] == "bad" and bad["error"]["code"] == "invalid_jsonl" and "surrogate" in bad["error"]["message"]
    assert good["id"] == "good" and good["error"] is None
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_bytes(b'{"id": "bad", "text": "Half a pair \\ud800 here."}\n')
    cli_main(["--no-translate", str(jsonl)])
    assert json.loads(capsys.readouterr().out)["error"] == bad["error"]


def test_write_endpoints_need_the_token(demo, serve, demo_store, tmp_path):
    doc = {"text": "A short text."}
    assert httpx.post(f"{demo.url}/normalise", json=doc).status_code == 401
    assert httpx.post(f"{demo.url}/normalise", json=doc, headers={"Authorization": "Bearer wrong"}).status_code == 401
    decided = httpx.post(f"{demo.url}/proposals", data={"entity_id": "kyiv", "variant": "Kiiv", "action": "accept",
                                                         "token": "wrong"})
    assert decided.status_code == 401
    assert not (tmp_path / "gazetteer.yaml").exists()
    no_token = serve(web_config(f"sqlite:///{demo_store}", tmp_path, token=None))
    refused = httpx.post(f"{no_token.url}/normalise", json=doc, headers={"Authorization": f"Bearer {TOKEN}"})
    assert refused.status_code == 403 and "NEWS_WEB_TOKEN" in refused.json()["detail"]


def test_request_and_batch_limits_are_413_and_422(serve, demo_store, tmp_path):
    app = serve(web_config(f"sqlite:///{demo_store}", tmp_path, max_request_bytes=4096, max_batch=3))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = httpx.post(f"{app.url}/normalise", json={"text": "x" * 5000}, headers=auth)
    assert big.status_code == 413 and "4096" in big.json()["detail"]

    def chunks():  # no Content-Length: the limit applies while reading
        yield b'{"text": "'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"}'

    streamed = httpx.post(f"{app.url}/normalise", content=chunks(),
                          headers={**auth, "Content-Type": "application/json"})
    assert streamed.status_code == 413
    batch = httpx.post(f"{app.url}/normalise", json={"documents": [{"text": "a"}] * 4}, headers=auth)
    assert batch.status_code == 422 and "limit is 3" in batch.json()["detail"]
    for body, words in (({"documents": []}, "empty"), ({"url": "https://x.example"}, "html' or 'text"),
                        ({"text": "a", "lang": "xx"}, "unknown lang"), ({"text": "a", "colour": 1}, "colour"),
                        ({"text": "a", "documents": [{"text": "b"}]}, "not both")):
        got = httpx.post(f"{app.url}/normalise", json=body, headers=auth)
        assert got.status_code == 422, body
        assert words in json.dumps(got.json()), (body, got.text)


def test_a_normaliser_that_cannot_be_built_is_503_with_the_reason(serve, sqlite_store, tmp_path):
    bad = tmp_path / "bad-gazetteer.yaml"
    bad.write_text("entities: [{id: x}]\n", encoding="utf-8")
    config = web_config(f"sqlite:///{sqlite_store.path}", tmp_path)
    config.normaliser.gazetteer_paths = (bad,)
    app = serve(config)
    got = httpx.post(f"{app.url}/normalise", json={"text": "Talks in Kiev."},
                     headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
    assert got.status_code == 503, got.text
    assert "could not be built" in got.json()["detail"] and "bad-gazetteer.yaml" in got.json()["detail"]
    assert httpx.get(f"{app.url}/health").status_code == 200
    entity = httpx.get(f"{app.url}/entities/kyiv")
    assert entity.status_code == 503 and "bad-gazetteer.yaml" in entity.json()["detail"]


def test_entities_and_proposals_use_the_normalisers_names_index(tmp_path):
    from normalise.config import NormaliserConfig

    hand = web_config("sqlite:///unused", tmp_path, normaliser=NormaliserConfig(translate=False, names_world=False))
    assert "vladimir-medinsky" in hand.names_index().gazetteer.entities  # hand-typed
    assert "shigeru-ishiba" not in hand.names_index().gazetteer.entities  # world layer only
    assert "shigeru-ishiba" in web_config("sqlite:///unused", tmp_path).names_index().gazetteer.entities
