"""Article URL patterns: catastrophic ones are refused at load, and matching is bounded."""
from __future__ import annotations

import pytest

from crawler.safe_regex import MAX_URL_LENGTH, SafePattern, UnsafePatternError


@pytest.mark.parametrize("pattern", [
    r"(a+)+$", r"(a*)*b", r"(\w+\s?)*$", r"(?:/[a-z]+)+/\d+", r"(.*a){20}", r"(a|ab)*c", r"(a)\1",
    "x" * 600,
])
def test_dangerous_or_invalid_patterns_are_refused(pattern):
    with pytest.raises(UnsafePatternError):
        SafePattern(pattern)


@pytest.mark.parametrize("pattern, url, expected", [
    (r"^https://www\.lemonde\.fr/[a-z-]+/article/\d{4}/\d{2}/\d{2}/[a-z0-9-]+_\d+_\d+\.html$",
     "https://www.lemonde.fr/international/article/2025/06/02/titre-de-l-article_6600000_3210.html", True),
    (r"^https://(?:www|m)\.example\.com/news/\d+$", "https://m.example.com/news/42", True),
    (r"^https://(?:www|m)\.example\.com/news/\d+$", "https://m.example.com/news/x", False),
])
def test_ordinary_patterns_match(pattern, url, expected):
    assert SafePattern(pattern).search(url) is expected


def test_overlong_urls_never_match():
    assert SafePattern(r"^https://").search("https://" + "a" * MAX_URL_LENGTH) is False
