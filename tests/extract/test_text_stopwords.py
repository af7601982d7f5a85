"""The stop-word table is read from jusText's files directly: it must hold exactly what jusText's
own reader gives, language for language."""
from __future__ import annotations

from collections import Counter

import justext

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
