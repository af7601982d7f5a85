from __future__ import annotations

import pytest

from crawler.discovery.urls import canonical_url


@pytest.mark.parametrize("url, expected", [
    ("https://Example.COM/a/b?utm_source=x&id=3&fbclid=zz&b=1#frag", "https://example.com/a/b?b=1&id=3"),
    ("http://example.com:80/x?gclid=1&utm_medium=feed", "http://example.com/x"),
    ("https://example.com:443/x?UTM_Campaign=a&page=2", "https://example.com/x?page=2"),
    ("https://example.com/x?utm%5Fsource=a", "https://example.com/x"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com/%E4%B8%AD?q=%e4", "https://example.com/%E4%B8%AD?q=%E4"),
    ("https://example.com/中文", "https://example.com/%E4%B8%AD%E6%96%87"),
    ("https://example.com:8443/x", "https://example.com:8443/x"),
])
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_the_same_article_linked_in_different_ways_has_one_key():
    variants = ["https://news.example.org/story?id=7&utm_source=rss", "https://NEWS.example.org/story?id=7#comments",
                "https://news.example.org/story?fbclid=IwAR&id=7"]
    assert len({canonical_url(v) for v in variants}) == 1
