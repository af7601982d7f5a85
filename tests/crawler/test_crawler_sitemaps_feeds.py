"""Sitemaps and feeds: the fields Scrapy drops are kept; hostile XML is refused with a reason."""
from __future__ import annotations

import gzip

import pytest

from crawler.discovery.feeds import parse_feed
from crawler.discovery.sitemaps import parse_sitemap
from crawler.discovery.xmlsafe import FeedError

LIMIT = 1_000_000
NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://n.example/a</loc><lastmod>2025-06-02T10:00:00+02:00</lastmod>
    <news:news><news:publication><news:name>N</news:name><news:language>de</news:language></news:publication>
      <news:publication_date>2025-06-01T21:30:00Z</news:publication_date><news:title>Wahl</news:title></news:news></url>
  <url><loc> https://n.example/b </loc></url>
  <url><lastmod>2025-01-01</lastmod></url>
</urlset>"""


def test_news_sitemap_keeps_lastmod_and_publication_date():
    entries = list(parse_sitemap(NEWS_SITEMAP, LIMIT))
    assert [e.loc for e in entries] == ["https://n.example/a", "https://n.example/b"]
    first = entries[0]
    assert first.kind == "url"
    assert first.lastmod == "2025-06-02T08:00:00+00:00"
    assert first.publication_date == "2025-06-01T21:30:00+00:00"
    assert (first.title, first.language) == ("Wahl", "de")
    assert entries[1].lastmod is None and entries[1].publication_date is None


def test_sitemap_index_and_gzip():
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://n.example/s1.xml.gz</loc><lastmod>2025-06-01</lastmod></sitemap></sitemapindex>"""
    (entry,) = parse_sitemap(gzip.compress(index), LIMIT)
    assert (entry.kind, entry.loc, entry.lastmod) == ("sitemap", "https://n.example/s1.xml.gz", "2025-06-01")


@pytest.mark.parametrize("body, code", [
    (gzip.compress(b"<urlset>" + b" " * (LIMIT * 3) + b"</urlset>"), "too_large"),  # gzip bomb
    (b"\x1f\x8b\x08\x00garbage", "bad_gzip"),
    (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><urlset><url><loc>&b;</loc>'
     b"</url></urlset>", "xml_entities"),
    (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]><urlset><url><loc>&x;</loc>'
     b"</url></urlset>", "xml_entities"),
    (b"<urlset><url><loc>https://n.example/a</loc></url>", "bad_xml"),
    (b"<html><body><url><loc>x</loc></url></body></html>", "not_sitemap"),
    (b"   ", "empty_input"),
])
def test_hostile_or_broken_sitemaps_are_refused_with_a_reason(body, code):
    with pytest.raises(FeedError) as info:
        list(parse_sitemap(body, LIMIT))
    assert info.value.code == code


def test_large_sitemap_is_streamed():
    body = b"<urlset>" + b"".join(b"<url><loc>https://n.example/%d</loc></url>" % i for i in range(20000)) + b"</urlset>"
    entries = list(parse_sitemap(body, 10 * LIMIT))
    assert len(entries) == 20000 and entries[-1].loc == "https://n.example/19999"


def test_rss_atom_and_rdf_feeds():
    rss = b"""<rss version="2.0"><channel><title>c</title>
      <item><title>A</title><link>https://n.example/a?utm_source=rss</link><pubDate>Mon, 02 Jun 2025 10:00:00 +0200</pubDate></item>
      <item><title>G</title><guid>https://n.example/g</guid></item>
      <item><title>no link</title></item></channel></rss>"""
    entries = list(parse_feed(rss, LIMIT))
    assert [(e.link, e.published) for e in entries] == [
        ("https://n.example/a?utm_source=rss", "2025-06-02T08:00:00+00:00"), ("https://n.example/g", None)]
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>E</title>
      <link rel="enclosure" href="https://n.example/e.mp3"/><link href="https://n.example/e"/>
      <published>2025-06-02T10:00:00Z</published><updated>2025-06-03T10:00:00Z</updated></entry></feed>"""
    (entry,) = parse_feed(atom, LIMIT)
    assert (entry.link, entry.published, entry.updated) == (
        "https://n.example/e", "2025-06-02T10:00:00+00:00", "2025-06-03T10:00:00+00:00")
    rdf = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
      xmlns:dc="http://purl.org/dc/elements/1.1/"><item><title>R</title><link>https://n.example/r</link>
      <dc:date>2025-06-02T10:00:00+01:00</dc:date></item></rdf:RDF>"""
    (entry,) = parse_feed(rdf, LIMIT)
    assert (entry.link, entry.published) == ("https://n.example/r", "2025-06-02T09:00:00+00:00")


def test_a_html_page_is_not_a_feed():
    with pytest.raises(FeedError) as info:
        list(parse_feed(b"<html><body><item><link>x</link></item></body></html>", LIMIT))
    assert info.value.code == "not_feed"


def test_a_gzip_sitemap_of_several_members_yields_the_urls_of_every_member():
    head, tail = NEWS_SITEMAP.split(b"  <url><loc> https://n.example/b")
    body = gzip.compress(head) + gzip.compress(b"  <url><loc> https://n.example/b" + tail)
    assert [e.loc for e in parse_sitemap(body, LIMIT)] == ["https://n.example/a", "https://n.example/b"]


def test_several_gzip_members_together_still_obey_the_size_limit():
    body = gzip.compress(b"<urlset>" + b" " * 600) + gzip.compress(b" " * 600 + b"</urlset>")
    with pytest.raises(FeedError) as err:
        list(parse_sitemap(body, 1000))
    assert err.value.code == "too_large"
