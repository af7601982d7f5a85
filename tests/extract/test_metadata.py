"""Page metadata read from the head: each field from the first non-blank value, in page order."""
from __future__ import annotations

import lxml.html

from normalise.extract.metadata import extract_metadata

PAGE = """<html lang="de"><head>
<title>Title element</title>
<meta property="og:title" content="  ">
<meta property="og:title" content="Open   Graph title">
<link rel="stylesheet" href="/style.css">
<link rel="canonical" href="/story/1">
<meta name="date" itemprop="datePublished" content="2024-05-01">
<meta property="article:published_time">
<meta property="og:site_name" content="Example News">
<meta name="author" content="Ann Writer">
<meta name="author" content=" ">
<meta name="AUTHOR" content="Not Read">
<script type="application/ld+json">{"author": [{"name": "Ann Writer"}, {"name": "Bo Editor"}]}</script>
</head><body><h1>Heading</h1><p>Text.</p></body></html>"""


def _meta(html: str, url: str | None = "https://example.org/news/"):
    return extract_metadata(lxml.html.document_fromstring(html), url)


def test_each_field_comes_from_the_first_non_blank_value_in_page_order():
    meta = _meta(PAGE)
    assert meta.title == "Open Graph title"  # the blank og:title is passed over; spaces collapsed
    assert meta.canonical_url == "https://example.org/story/1"  # resolved against the page URL
    assert meta.published_at == "2024-05-01"  # a meta without content gives nothing
    assert meta.site_name == "Example News"
    assert meta.html_lang == "de"


def test_authors_from_meta_and_json_ld_once_each():
    # attribute values are matched as written: name="AUTHOR" is not name="author"
    assert _meta(PAGE).authors == ["Ann Writer", "Bo Editor"]


def test_fallbacks_when_the_head_says_nothing():
    meta = _meta("<html><head><title> Plain  title </title></head><body><time datetime='2023-01-02'>x</time>"
                 "<h1>Heading</h1></body></html>", url=None)
    assert meta.title == "Plain title"
    assert meta.published_at == "2023-01-02"
    assert meta.canonical_url is None and meta.site_name is None and meta.authors == []


def test_one_meta_element_can_fill_two_fields():
    meta = _meta('<html><head><meta property="og:site_name" name="author" content="Daily"></head><body></body></html>')
    assert meta.site_name == "Daily" and meta.authors == ["Daily"]
