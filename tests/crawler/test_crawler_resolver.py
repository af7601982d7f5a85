"""The connect-time DNS check (crawler/net/resolver.py): a name that resolves to a private address when the
download connects is refused, even when the address guard middleware let the request through."""
from __future__ import annotations

import pytest
from crawl_helpers import db_rows, run_crawl, seed_toml
from fixture_server import FixtureServer
from twisted.internet import defer

from crawler.net.failures import failure_reason
from crawler.net.resolver import GuardedResolver, PrivateAddressResolved


class _ScriptedLookup(GuardedResolver):
    """The guard's logic over a scripted answer (the real lookup is exercised by the crawl below)."""

    def __init__(self, answer: str, **kwargs):
        super().__init__(reactor=None, cache_size=0, timeout=1.0, **kwargs)
        self.answer = answer

    def _lookup(self, name, timeout):
        return defer.succeed(self.answer)


def _resolve(resolver, name):
    results = []
    resolver.getHostByName(name).addBoth(results.append)
    return results[0]


@pytest.mark.parametrize("answer", ["10.0.0.5", "169.254.169.254", "127.0.0.1", "192.168.1.20"])
def test_a_private_answer_is_refused_with_its_reason(answer):
    outcome = _resolve(_ScriptedLookup(answer), "news.example.com")
    assert outcome.check(PrivateAddressResolved)
    code, detail = failure_reason(outcome)
    assert code == "private_address"
    assert "news.example.com" in detail and answer in detail


def test_public_answers_and_allowed_hosts_pass():
    assert _resolve(_ScriptedLookup("93.184.216.34"), "news.example.com") == "93.184.216.34"
    assert _resolve(_ScriptedLookup("10.0.0.5", allowlist=frozenset({"intranet.test:8080"})), "intranet.test") == "10.0.0.5"
    assert _resolve(_ScriptedLookup("10.0.0.5", allow_private=True), "news.example.com") == "10.0.0.5"


def test_ip_literals_are_left_to_the_address_guard():
    """A literal cannot rebind; the middleware already judged it with its port (the demo site's)."""
    assert _resolve(_ScriptedLookup("127.0.0.1"), "127.0.0.1") == "127.0.0.1"


def test_a_real_crawl_refuses_a_name_that_resolves_to_loopback_at_connect_time(tmp_path):
    """The address guard middleware is switched off here, as if a rebinding name had fooled it:
    the connection's own lookup of `localhost` (127.0.0.1) must still be refused and recorded."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    with FixtureServer() as server:
        (seeds / "rebind.toml").write_text(seed_toml(f"http://localhost:{server.port}", r"^http://localhost:\d+/articles/[a-z0-9-]+\.html$",
                                                     source_id="rebind", sections="/section/"), encoding="utf-8")
        result = run_crawl(tmp_path / "data", "-a", "source=rebind", seeds_dir=seeds, settings={
            "NEWS_ALLOW_PRIVATE_ADDRESSES": "False", "FEEDS": "{}", "RETRY_TIMES": "0",
            "DOWNLOADER_MIDDLEWARES": '{"crawler.middlewares.address_guard.AddressGuardMiddleware": null,'
                                      ' "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": null,'
                                      ' "crawler.middlewares.redirects.GuardedRedirectMiddleware": 600}',
        }, env_extra={"NEWS_STORE_URL": f"sqlite:///{tmp_path / 'news.sqlite'}"})
        hits = server.fetched("/section/")
    log = result.stdout + result.stderr
    assert hits == 0, "the fixture server was reached through a loopback name"
    reasons = db_rows(tmp_path / "news.sqlite", "SELECT reason, detail FROM skips")
    assert reasons and all(reason == "private_address" for reason, _ in reasons), reasons
    assert any("resolved to 127.0.0.1" in detail for _, detail in reasons), log[-3000:]
