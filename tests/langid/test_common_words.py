"""The trigram step's common-word sets: read from wordfreq once, then from the cache directory."""
from __future__ import annotations

import logging

import pytest

from normalise.langid import common_words as cw


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_INGEST_CACHE", str(tmp_path))
    cw.common_words.cache_clear()
    yield tmp_path
    cw.common_words.cache_clear()


def test_the_set_is_kept_in_the_cache_directory_and_read_back(fresh_cache):
    words = cw.common_words("en")
    assert words is not None and {"the", "harbour"} <= words and "goizean" not in words
    assert [p.name.startswith(cw.CACHE_STEM) for p in fresh_cache.iterdir()] == [True]
    cw.common_words.cache_clear()
    assert cw.common_words("en") == words


def test_a_damaged_cache_file_is_replaced_with_a_warning(fresh_cache, caplog):
    words = cw.common_words("en")
    (path,) = fresh_cache.iterdir()
    path.write_bytes(b"not a pickle")
    cw.common_words.cache_clear()
    with caplog.at_level(logging.WARNING):
        assert cw.common_words("en") == words
    assert "unreadable" in caplog.text


def test_a_language_wordfreq_does_not_know_has_no_list(fresh_cache):
    assert cw.common_words("xx") is None
    assert cw.common_share("some words", "xx") is None


def test_share_of_common_words():
    assert cw.common_share("the harbour goizean aurrekontua", "en") == 0.5
    assert cw.common_share("2024 - 2025", "en") is None
