"""Address guard, redirect refusals, canonical choice, failure reasons and the summary line."""
from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from crawler.discovery.sources import parse_source
from crawler.extensions.summary import summary_line
from crawler.middlewares.address_guard import is_private_ip, literal_private_refusal
from crawler.processing.crawled_page import choose_canonical


@pytest.mark.parametrize("address, private", [
    ("127.0.0.1", True), ("10.1.2.3", True), ("172.16.0.1", True), ("192.168.1.1", True),
    ("169.254.169.254", True), ("0.0.0.0", True), ("::1", True), ("fe80::1", True), ("fc00::1", True),
    ("::ffff:127.0.0.1", True), ("100.64.0.1", True), ("8.8.8.8", False), ("2001:4860:4860::8888", False),
])
def test_private_addresses(address, private):
    assert is_private_ip(address) is private


def test_literal_private_urls_are_refused_unless_allowed():
    crawler = get_crawler(settings_dict={"NEWS_PRIVATE_ALLOWLIST": ["127.0.0.1:8765"]})
    assert literal_private_refusal("http://169.254.169.254/latest/meta-data/", crawler)
    assert literal_private_refusal("http://localhost:8765/", crawler)
    assert literal_private_refusal("http://[::1]/", crawler)
    assert literal_private_refusal("http://127.0.0.1:9999/", crawler)
    assert not literal_private_refusal("http://127.0.0.1:8765/feed.rss", crawler)
    assert not literal_private_refusal("https://www.dw.com/de/", crawler)  # names are resolved by the middleware
    allow_all = get_crawler(settings_dict={"NEWS_ALLOW_PRIVATE_ADDRESSES": True})
    assert not literal_private_refusal("http://10.0.0.5/", allow_all)


def test_rel_canonical_is_honoured_only_inside_the_source():
    source = parse_source({"id": "s", "name": "S", "home": "https://news.example.org/",
                           "allowed_domains": ["example.org"], "feeds": ["https://news.example.org/rss"]}, "s.toml")
    fetched = "https://news.example.org/print/7?utm_source=x"
    assert choose_canonical(None, fetched, source) == ("https://news.example.org/print/7", None)
    assert choose_canonical("https://news.example.org/story/7?fbclid=1", fetched, source) == (
        "https://news.example.org/story/7", None)
    url, warning = choose_canonical("https://other-outlet.example.com/story/7", fetched, source)
    assert url == "https://news.example.org/print/7" and "outside" in warning


def test_summary_line():
    stats = {"news/stored/new": 8, "news/stored/revised": 1, "news/stored/language/en": 3,
             "news/stored/language/de": 2, "news/stored/language/fr": 2, "news/stored/language/zh": 2,
             "news/skipped/not_html": 1, "news/skipped/http_404": 1, "news/already_stored": 4}
    assert summary_line(stats, ["demo"], "data/news.sqlite") == (
        "stored 9 articles (en 3, de 2, fr 2, zh 2) from source demo into data/news.sqlite "
        "(1 revised, 4 already stored); 2 skipped: http_404 1, not_html 1; 0 errors")
    assert summary_line({"news/errors": 1, "log_count/ERROR": 7}, ["a", "b"], "x.sqlite") == (
        "stored 0 articles from 2 sources into x.sqlite; 0 skipped; 1 error")


def test_a_refused_private_source_says_which_setting_lets_it_through():
    import asyncio

    from scrapy import Request

    from crawler.middlewares.address_guard import AddressGuardMiddleware
    from crawler.net.failures import RefusedRequest

    guard = AddressGuardMiddleware(get_crawler(settings_dict={"NEWS_ALLOW_PRIVATE_ADDRESSES": False}))
    with pytest.raises(RefusedRequest) as refused:
        asyncio.run(guard.process_request(Request("http://127.0.0.1:8080/feed.rss")))
    assert refused.value.code == "private_address"
    assert 'add "127.0.0.1:8080" to the setting NEWS_PRIVATE_ALLOWLIST' in str(refused.value)
