"""The stop-word table is read from jusText's files directly: it must hold exactly what jusText's
own reader gives, language for language; kept in the cache directory, it is read back equal, and
a damaged or stale file is never used."""
from __future__ import annotations

import logging
from collections import Counter

import justext
import pytest

from normalise.extract import text_stopwords
from normalise.extract.text_stopwords import languages_by_word, page_stop_language, stop_counts, words_of


def test_the_table_equals_the_one_built_with_justexts_reader():
    expected: dict[str, list[int]] = {}
    for index, name in enumerate(sorted(justext.get_stoplists())):
        for word in justext.get_stoplist(name):
            expected.setdefault(word.casefold(), []).append(index)
    table = languages_by_word()
    assert table.keys() == expected.keys()
    assert all(table[w] == tuple(langs) for w, langs in expected.items())


def test_a_german_page_is_told_from_an_english_one():
    names = sorted(justext.get_stoplists())
    german = page_stop_language([words_of("Der Rat hat die neue Straße und den Hafen für die Stadt beschlossen.")])
    english = page_stop_language([words_of("The council has approved the new road and the harbour for the town.")])
    assert german is not None and names[german] == "German"
    assert english is not None and names[english] == "English"


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache directory; the table read again (from it or the lists) on the next call."""
    monkeypatch.setenv("NEWS_INGEST_CACHE", str(tmp_path))
    text_stopwords.languages_by_word.cache_clear()
    yield tmp_path
    text_stopwords.languages_by_word.cache_clear()


def _cache_files(folder):
    return sorted(folder.glob(f"{text_stopwords.CACHE_STEM}-*.marshal"))


def test_the_table_is_kept_in_the_cache_directory_and_read_back_equal(fresh_cache, monkeypatch):
    built = languages_by_word()
    [path] = _cache_files(fresh_cache)
    text_stopwords.languages_by_word.cache_clear()
    monkeypatch.setattr(text_stopwords, "read_lists", lambda files: pytest.fail("the lists were read again"))
    assert languages_by_word() == built


def test_a_damaged_cache_file_is_not_used_and_written_again(fresh_cache, caplog):
    built = languages_by_word()
    [path] = _cache_files(fresh_cache)
    blob = bytearray(path.read_bytes())
    blob[len(blob) // 2] ^= 0x20  # one letter of one word changed: the table would be wrong
    path.write_bytes(bytes(blob))
    text_stopwords.languages_by_word.cache_clear()
    with caplog.at_level(logging.WARNING):
        assert languages_by_word() == built
    assert "damaged" in caplog.text
    text_stopwords.languages_by_word.cache_clear()
    assert text_stopwords._load_cached(path) == built  # rewritten whole


def test_a_changed_stop_list_makes_a_new_cache_file(fresh_cache, tmp_path, monkeypatch):
    lists = tmp_path / "lists"
    lists.mkdir()
    for name, words in (("English", "the\nand\n"), ("German", "der\nund\n")):
        (lists / f"{name}.txt").write_text(words, encoding="utf-8")
    files = sorted(lists.iterdir())
    monkeypatch.setattr(text_stopwords, "stoplist_files", lambda: files)
    assert languages_by_word() == {"the": (0,), "and": (0,), "der": (1,), "und": (1,)}
    (lists / "German.txt").write_text("der\nund\ndie\n", encoding="utf-8")
    text_stopwords.languages_by_word.cache_clear()
    assert languages_by_word()["die"] == (1,)
    assert len(_cache_files(fresh_cache)) == 2  # the other key's file stays (pruned by age and count)


def test_stop_counts_are_one_count_per_language_of_every_stop_word_in_first_seen_order():
    lines = [words_of("Der Rat und die Stadt, the council and the town"), [], words_of("la ville et le port, die Hafen")]
    by_word = languages_by_word()
    expected: Counter = Counter()
    for words in lines:
        for word in words:
            for language in by_word.get(word, ()):
                expected[language] += 1
    counts = stop_counts(lines)
    assert counts and list(counts.items()) == list(expected.items())  # ties in most_common keep this order
    assert counts.most_common() == expected.most_common()


def test_chinese_and_japanese_lines_count_function_characters():
    from normalise.extract.text_stopwords import cjk_function_share

    menu = cjk_function_share("首页 新闻 国际 体育 财经 科技 娱乐")
    prose = cjk_function_share("市政府昨天宣布，这座老桥将在明年春天重新开放，居民们都很高兴。")
    japanese = cjk_function_share("市役所は昨日、古い橋を来年の春に再開すると発表した。")
    assert menu == 0.0
    assert prose is not None and prose > 0.15
    assert japanese is not None and japanese > 0.15
    assert cjk_function_share("The council reopened the bridge") is None
    assert cjk_function_share("Apple 发布会 keynote livestream") is None  # mostly Latin letters
