"""Sitemaps and feeds an attacker controls: entity expansion, external entities, gzip bombs and
100k-URL sitemaps end as a FeedError with a reason code (the spider records it as a skip) or are
streamed in bounded memory. Complements tests/crawler/test_crawler_sitemaps_feeds.py, which covers
the plain forms; these are the forms that slip past a byte-level check."""
from __future__ import annotations

import gzip
import tracemalloc
import zlib

import pytest

from crawler.discovery.feeds import parse_feed
from crawler.discovery.sitemaps import parse_sitemap
from crawler.discovery.xmlsafe import FeedError, iter_elements, prepare

LIMIT = 50 * 1024 * 1024  # NEWS_MAX_XML_BYTES in settings/default.py
SECRET = "TOP-SECRET-7f3a"

LAUGHS_DTD = ('<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
              + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)) + "]>")


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def _dtds(secret_file):
    url = secret_file.as_uri()
    evil_dtd = secret_file.with_name("evil.dtd")
    evil_dtd.write_text(f'<!ENTITY x SYSTEM "{url}">')
    return {
        "billion_laughs": (LAUGHS_DTD, "&lol9;"),
        "external_entity": (f'<!DOCTYPE u [<!ENTITY x SYSTEM "{url}">]>', "&x;"),
        "parameter_entity": (f'<!DOCTYPE u [<!ENTITY % p SYSTEM "{url}"> %p;]>', "x"),
        "external_dtd": (f'<!DOCTYPE urlset SYSTEM "{evil_dtd.as_uri()}">', "&x;"),
    }


def _sitemap(dtd: str, ref: str, disguise: str) -> bytes:
    encoding = "utf-16" if disguise == "utf16" else "utf-8"
    # 70 kB of comment pushes the DTD past the byte-level pre-check's window.
    padding = "<!--" + "p" * 70_000 + "-->" if disguise == "padded" else ""
    doc = (f'<?xml version="1.0" encoding="{encoding}"?>{padding}{dtd}'
           f"<urlset><url><loc>https://n.example/{ref}</loc></url></urlset>")
    return doc.encode(encoding)


def _feed(dtd: str, ref: str, disguise: str) -> bytes:
    encoding = "utf-16" if disguise == "utf16" else "utf-8"
    padding = "<!--" + "p" * 70_000 + "-->" if disguise == "padded" else ""
    doc = (f'<?xml version="1.0" encoding="{encoding}"?>{padding}{dtd}<rss><channel><item><title>{ref}</title>'
           f"<link>https://n.example/{ref}</link></item></channel></rss>")
    return doc.encode(encoding)


@pytest.mark.parametrize("disguise", ["plain", "padded", "utf16"])
@pytest.mark.parametrize("attack", ["billion_laughs", "external_entity", "parameter_entity", "external_dtd"])
@pytest.mark.parametrize("kind", ["sitemap", "feed"])
def test_entity_attacks_are_refused_and_nothing_is_read_or_expanded(secret_file, kind, attack, disguise):
    dtd, ref = _dtds(secret_file)[attack]
    body = (_sitemap if kind == "sitemap" else _feed)(dtd, ref, disguise)
    parse = parse_sitemap if kind == "sitemap" else parse_feed
    tracemalloc.start()
    try:
        try:
            entries, refusal = list(parse(body, LIMIT)), None
        except FeedError as exc:
            entries, refusal = [], exc
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    if attack == "external_dtd":
        # Old RSS 0.91 feeds name an external DTD legitimately: it is not refused, it is never loaded,
        # so the entity it would define stays undefined and nothing of the file reaches an entry.
        assert refusal is None and [e.loc if kind == "sitemap" else e.link for e in entries] == ["https://n.example/"]
    else:
        assert refusal is not None and refusal.code == "xml_entities", (refusal, entries)
    assert SECRET not in repr(entries) + str(refusal)
    assert "lollol" not in repr(entries)
    assert peak < 10 * len(body) + 1_000_000  # nothing was expanded (a billion laughs is ~3 GB)


def _bomb(expanded: int) -> bytes:
    """A real gzip bomb: `expanded` bytes of one repeated character, about 1000:1, built in pieces."""
    out = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b" " * (1 << 20)
    parts = [out.compress(b"<urlset>")]
    parts += [out.compress(chunk) for _ in range(expanded // len(chunk))]
    parts.append(out.compress(b"</urlset>") + out.flush())
    return b"".join(parts)


def test_gzip_bomb_stops_at_the_limit_without_inflating_the_rest():
    bomb = _bomb(400 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024  # 400 MB hidden in under 1 MB
    limit = 8 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(FeedError) as info:
            list(parse_sitemap(bomb, limit))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.code == "too_large" and str(limit) in str(info.value)
    assert peak < 3 * limit  # bounded by the limit (zlib's growing buffer), not by the 400 MB it expands to


def test_gzip_exactly_at_the_limit_is_accepted_and_one_byte_over_is_not():
    body = b"<urlset><url><loc>https://n.example/a</loc></url></urlset>"
    assert prepare(gzip.compress(body), len(body)) == body
    with pytest.raises(FeedError) as info:
        prepare(gzip.compress(body), len(body) - 1)
    assert info.value.code == "too_large"


def _big_sitemap(n: int) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + b"".join(b"<url><loc>https://n.example/story/%d</loc><lastmod>2025-06-01</lastmod></url>" % i
                       for i in range(n)) + b"</urlset>")


def test_a_100k_url_sitemap_is_streamed_with_the_tree_pruned_as_it_goes():
    body = _big_sitemap(100_000)
    widest = 0
    count = 0
    roots = set()
    for root, element in iter_elements(body, {"url"}):
        roots.add(root)
        count += 1
        widest = max(widest, len(element.getparent()))  # finished <url> siblings are deleted, not kept
    assert count == 100_000 and roots == {"urlset"}
    assert widest < 1000  # only the parser's read-ahead window is ever in the tree, not 100k entries


def test_sitemap_parsing_memory_does_not_grow_with_the_number_of_urls():
    def peak_for(n: int) -> tuple[int, int]:
        body = _big_sitemap(n)
        tracemalloc.start()
        try:
            count = sum(1 for _ in parse_sitemap(body, LIMIT))
            return count, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    # (tracemalloc makes each allocation slow: 2k and 20k entries show the trend in seconds)
    small_count, small_peak = peak_for(2_000)
    big_count, big_peak = peak_for(20_000)
    assert (small_count, big_count) == (2_000, 20_000)
    # Ten times the entries, not ten times the memory: entries are yielded one by one, nothing accumulates.
    assert big_peak < 2 * small_peak + 200_000, (small_peak, big_peak)


def test_entries_arrive_before_the_end_of_the_document():
    """Streaming, not parse-then-walk: a sitemap cut off at the end still yields every complete
    entry before the syntax error is reported."""
    body = _big_sitemap(1000)[:-len(b"</urlset>")] + b"<url><loc>https://n.example/cut"
    seen = []
    with pytest.raises(FeedError) as info:
        for entry in parse_sitemap(body, LIMIT):
            seen.append(entry.loc)
    assert info.value.code == "bad_xml" and len(seen) == 1000


def test_a_sitemap_nested_ten_thousand_levels_deep_is_refused_not_recursed():
    body = b"<urlset>" + b"<x>" * 10_000 + b"</x>" * 10_000 + b"<url><loc>https://n.example/a</loc></url></urlset>"
    with pytest.raises(FeedError) as info:
        list(parse_sitemap(body, LIMIT))
    assert info.value.code == "bad_xml"
