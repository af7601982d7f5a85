"""The fuzzy batch's LCS bounds come from one table per cutoff, grown when a longer word arrives."""
from __future__ import annotations

from rapidfuzz import fuzz, process

from normalise.names.gazetteer import load_gazetteer
from normalise.names.index import NameIndex, _FuzzyChoices


def test_need_table_rows_are_the_per_length_bounds():
    choices = _FuzzyChoices(["halvorsen", "brekke", "tromsoe", "halvorsen"])
    short = choices.need_table(6, 74.0)
    longer = choices.need_table(14, 74.0)  # a longer word: the table grows
    assert len(short) == 7 and len(longer) == 15
    assert choices.need_table(9, 74.0) is longer  # a shorter one: the table is reused
    for length in (0, 3, 6, 14):
        assert (longer[length] == choices.needed_lcs(length, 74.0)).all()
    assert longer[14].tolist() != longer[6].tolist()  # the rows differ by length


def test_a_batch_after_a_shorter_one_still_gives_what_extract_gives():
    index = NameIndex(load_gazetteer())
    cutoff = 74.0
    first, second = ["peskow", "umerow"], ["zelenskyyovich", "istambul", "medinski", "starmerr"]
    index.prepare_fuzzy(first, cutoff)
    index.prepare_fuzzy(second, cutoff)  # longer words than the first batch held
    for word in first + second:
        expected = process.extract(word, index.fuzzy_keys, scorer=fuzz.ratio, limit=12, score_cutoff=cutoff)
        assert index.fuzzy_candidates(word, cutoff) == expected
    assert any(index.fuzzy_candidates(w, cutoff) for w in second)


def test_byte_bounds_are_the_bounds_cut_at_255():
    choices = _FuzzyChoices(["halvorsen", "x" * 400])
    wide, narrow = choices.need_table(300, 74.0), choices.byte_need_table(300, 74.0)
    assert narrow.dtype.itemsize == 1
    assert wide.max() > 255  # a long word against the long key needs an LCS no byte holds
    assert (narrow == wide.clip(max=255)).all()


def test_words_longer_than_a_byte_still_give_what_extract_gives():
    # a 300-letter word: its LCS with a long key does not fit in a byte, so the int32 matrix is used
    keys = ["halvorsen", "brekke", "ab" * 150, "ab" * 149 + "ba"]
    choices = _FuzzyChoices(keys)
    words = ["halvorsem", "ab" * 150, "brekk"]
    found = choices.scores(words, 74.0)
    for row, word in enumerate(words):
        expected = process.extract(word, keys, scorer=fuzz.ratio, limit=None, score_cutoff=74.0)
        assert sorted(found.get(row, [])) == sorted((-score, col) for _, score, col in expected)
    assert found.get(1)  # the long word found its two long keys
