"""Article URL patterns: catastrophic ones are refused at load, and matching is bounded."""
from __future__ import annotations

import pytest

from normalise.safe_regex import MAX_URL_LENGTH, SafePattern, UnsafePatternError


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


def test_matching_keeps_the_gil_so_a_busy_thread_cannot_stall_the_caller():
    """`regex` releases the GIL while matching by default; the reactor thread then waited for the busy
    store thread to hand it back (up to the 5 ms switch interval) for every discovered URL."""
    import sys
    import threading

    pattern = SafePattern(r"^https://herald\.test/news/\d+\.html$")
    woken, ran = threading.Event(), []
    other = threading.Thread(target=lambda: (woken.wait(), ran.append(True)))
    other.start()
    old = sys.getswitchinterval()
    sys.setswitchinterval(5.0)  # no forced hand-over during the loop: only a release lets `other` run
    try:
        woken.set()  # `other` now waits for the GIL
        for n in range(3000):
            pattern.search(f"https://herald.test/news/{n}.html")
        ran_during_matching = bool(ran)
    finally:
        sys.setswitchinterval(old)
        other.join()
    assert not ran_during_matching
