"""The review pages over real HTTP: hostile text escaped, raw pages locked down, lists, charts,
entity pages and the name proposals' accept / reject writing the user's files."""
from __future__ import annotations

import re
from urllib.parse import quote

import httpx
import pytest
import yaml
from conftest import TOKEN, normalised, save_record, web_config
from review_fixtures import HOSTILE_PAGE, HOSTILE_URL, PROPOSAL_RECORDS

from normalise.names.gazetteer import load_gazetteer

# A hang guard, not a speed limit: a page that reloads the names index takes seconds on a busy machine.
HTTP = httpx.Client(timeout=120, limits=httpx.Limits(max_keepalive_connections=0))  # no connection outlives its server
BEACON = "http://127.0.0.1:9"  # never contacted by these tests: only the rendered HTML is checked


@pytest.fixture
def hostile(serve, sqlite_store, tmp_path):
    html = HOSTILE_PAGE.format(beacon=BEACON)
    save_record(sqlite_store, normalised(html, HOSTILE_URL, "hostile"), html.encode("utf-8"))
    return serve(web_config(f"sqlite:///{sqlite_store.path}", tmp_path))


def _page(base: str, path: str) -> httpx.Response:
    got = HTTP.get(base + path, headers={"Accept": "text/html"})
    assert got.status_code == 200, (path, got.text[:500])
    return got


def test_hostile_text_is_escaped_on_every_page(hostile):
    pages = ["/", f"/article?url={quote(HOSTILE_URL, safe='')}", f"/article/raw?url={quote(HOSTILE_URL, safe='')}"]
    for path in pages:
        got = _page(hostile.url, path)
        assert "<script" not in got.text.lower(), path
        assert "<img src=x" not in got.text, path
        assert "script-src" not in got.headers["content-security-policy"]  # default-src 'none' covers scripts
        assert "default-src 'none'" in got.headers["content-security-policy"]
    article = _page(hostile.url, pages[1]).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "&lt;img src=x onerror=alert(2)&gt;" in article


def test_raw_page_is_sandboxed_and_under_a_blocking_policy(hostile):
    frame = _page(hostile.url, f"/article/raw?url={quote(HOSTILE_URL, safe='')}").text
    iframe = re.search(r"<iframe[^>]*>", frame).group(0)
    assert 'sandbox=""' in iframe and "allow-scripts" not in iframe
    src = re.search(r'src="([^"]+)"', iframe).group(1).replace("&amp;", "&")
    raw = HTTP.get(hostile.url + src)
    assert raw.status_code == 200
    assert b'document.title = "pwned"' in raw.content  # the page as fetched, byte for byte
    policy = raw.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "img-src data:" in policy and "sandbox" in policy
    assert raw.headers["x-content-type-options"] == "nosniff"


def test_article_view_shows_removed_blocks_names_and_untranslated_reasons(serve, demo_store, tmp_path):
    app = serve(web_config(f"sqlite:///{demo_store}", tmp_path))
    listing = _page(app.url, "/?language=de").text
    link = re.search(r'href="(/article\?url=[^"]*gespraeche-istanbul[^"]*)"', listing).group(1)
    page = _page(app.url, link.replace("&amp;", "&")).text
    cookie = re.search(r'<tr class="removed".*?</tr>', page, re.S).group(0)
    assert '<span class="reason-code">cookie_wall</span>' in cookie and "<del>" in cookie
    mark = re.search(r'<mark class="name" title="([^"]+)"[^>]*>([^<]+)</mark>', page)
    assert mark and "→" in mark.group(1) and mark.group(2) in mark.group(1)
    assert "score" in mark.group(1)
    assert 'class="untranslated">untranslated: no Argos model installed' in page
    assert "/article/raw?url=" in page


def test_article_list_filters_and_chart(serve, demo_store, tmp_path):
    app = serve(web_config(f"sqlite:///{demo_store}", tmp_path))
    german = _page(app.url, "/?language=de&translation=untranslated").text
    assert german.count('<a href="/article?url=') == 2
    assert _page(app.url, "/?source=nope").text.count('<a href="/article?url=') == 0
    bad = HTTP.get(app.url + "/?since=never", headers={"Accept": "text/html"})
    assert bad.status_code == 422 and "not an ISO date" in bad.text and "<h1>Error 422</h1>" in bad.text
    stats = _page(app.url, "/stats").text
    assert '<img class="chart" src="/charts/source.svg"' in stats and "cookie_wall" in stats
    assert "<td>http_404</td><td>1</td>" in stats and "<td>not_html</td><td>1</td>" in stats  # the demo's skips
    for series in ("source", "reason"):
        chart = HTTP.get(f"{app.url}/charts/{series}.svg")
        assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
        assert chart.content.lstrip().startswith(b"<?xml") and b"<svg" in chart.content
        assert b"<script" not in chart.content
    assert HTTP.get(f"{app.url}/charts/other.svg").status_code == 404


def test_entity_page_lists_forms_and_articles(serve, demo_store, tmp_path):
    app = serve(web_config(f"sqlite:///{demo_store}", tmp_path))
    page = _page(app.url, "/entity/vladimir-medinsky").text
    assert "Wladimir Medinski" in page and "gespraeche-istanbul" in page


def test_proposals_accept_writes_the_gazetteer_and_reject_hides_them(serve, sqlite_store, tmp_path):
    for i, record in enumerate(PROPOSAL_RECORDS):
        save_record(sqlite_store, record, b"<html></html>", source="wire", fetched_at=f"2026-01-0{i + 1}T00:00:00Z")
    app = serve(web_config(f"sqlite:///{sqlite_store.path}", tmp_path))
    page = _page(app.url, "/proposals").text
    assert "Mentinsky" in page and "delegation head" in page
    gazetteer = tmp_path / "gazetteer.yaml"
    accepted = HTTP.post(f"{app.url}/proposals", data={"entity_id": "vladimir-medinsky", "variant": "Mentinsky",
                                                         "action": "accept", "token": TOKEN})
    assert accepted.status_code == 303 and accepted.headers["location"] == "/proposals?done=accepted"
    data = yaml.safe_load(gazetteer.read_text(encoding="utf-8"))
    assert data == {"entities": [{"id": "vladimir-medinsky", "variants": ["Mentinsky"]}]}
    assert "Mentinsky" in load_gazetteer([gazetteer]).entities["vladimir-medinsky"].variants
    # Now a known variant: no longer proposed.
    assert "Mentinsky" not in _page(app.url, "/proposals").text
    rejected = HTTP.post(f"{app.url}/proposals", data={"entity_id": "kyiv", "variant": "Kiyv", "action": "reject"},
                          headers={"Authorization": f"Bearer {TOKEN}"})
    assert rejected.status_code == 303
    assert yaml.safe_load((tmp_path / "gazetteer.rejected.yaml").read_text()) == {
        "rejected": [{"id": "kyiv", "variant": "Kiyv"}]}
    unknown = HTTP.post(f"{app.url}/proposals", data={"entity_id": "no-such", "variant": "X", "action": "accept",
                                                        "token": TOKEN})
    assert unknown.status_code == 422 and "unknown entity" in unknown.text


def test_rejected_proposal_is_not_shown_again(serve, sqlite_store, tmp_path):
    for record in PROPOSAL_RECORDS:
        save_record(sqlite_store, record, b"<html></html>", source="wire")
    app = serve(web_config(f"sqlite:///{sqlite_store.path}", tmp_path))
    assert "Mentinsky" in _page(app.url, "/proposals").text
    HTTP.post(f"{app.url}/proposals", data={"entity_id": "vladimir-medinsky", "variant": "Mentinsky",
                                             "action": "reject", "token": TOKEN})
    assert "Mentinsky" not in _page(app.url, "/proposals").text
    assert not (tmp_path / "gazetteer.yaml").exists()


def test_article_links_its_revisions_and_near_duplicate_copies(serve, sqlite_store, tmp_path):
    first = {"id": "https://a.example/story", "canonical_url": "https://a.example/story", "source": "a",
             "title": "Bridge reopens", "text": "The bridge reopened on Monday.", "blocks": [], "names": [],
             "metadata": {"cluster_id": "https://a.example/story"}}
    copy = {**first, "id": "https://b.example/copy", "canonical_url": "https://b.example/copy", "source": "b",
            "title": "Bridge reopens (wire copy)",
            "metadata": {"cluster_id": "https://a.example/story", "near_duplicate_of": "https://a.example/story"}}
    save_record(sqlite_store, first, b"<html>v1</html>", source="a")
    save_record(sqlite_store, {**first, "text": "The bridge reopened on Monday after repairs."}, b"<html>v2</html>",
                source="a", fetched_at="2026-01-06T10:00:00+00:00")
    save_record(sqlite_store, copy, b"<html>copy</html>", source="b")
    app = serve(web_config(f"sqlite:///{sqlite_store.path}", tmp_path))
    page = _page(app.url, "/article?url=" + quote(first["canonical_url"], safe="")).text
    assert "revision 1</a> fetched 2026-01-05T10:00:00+00:00" in page
    assert '<a href="/article?url=https%3A//b.example/copy">Bridge reopens (wire copy)</a>' in page
    old = _page(app.url, "/article?url=" + quote(first["canonical_url"], safe="") + "&revision=1").text
    assert "<dt>Revision</dt><dd>1</dd>" in old
    old_raw = HTTP.get(app.url + "/raw", params={"url": first["canonical_url"], "revision": 1})
    assert old_raw.content == b"<html>v1</html>"
    back = _page(app.url, "/article?url=" + quote(copy["canonical_url"], safe="")).text
    assert '<a href="/article?url=https%3A//a.example/story">Bridge reopens</a>' in back
