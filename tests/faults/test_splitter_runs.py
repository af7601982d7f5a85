"""The sentence splitter on punctuation runs: each run is tried once, from its first mark.

Before, a match was attempted from every mark of a run and each attempt backtracked through the
rest of it: quadratic (16,000 dots took seconds, 200,000 over a minute, on any web page).
bench/faults.py times the 200,000-dot page.
"""
from __future__ import annotations

from normalise.translate.splitter import _CJK_END, _LATIN_END, split_sentences


def test_a_sentence_end_is_never_matched_from_inside_a_run():
    text = "Wait" + "." * 50 + " Then more."
    starts = [pos for pos in range(len(text)) if _LATIN_END.match(text, pos)]
    assert starts == [4]
    cjk = "好" + "。" * 50 + "好"
    assert [pos for pos in range(len(cjk)) if _CJK_END.match(cjk, pos)] == [1]


def test_runs_without_a_following_space_are_not_sentence_ends():
    text = "Start" + "." * 5_000 + "end of it. Next one here."
    assert split_sentences(text, "en")[-1] == "Next one here."


def test_splitting_is_unchanged_on_ordinary_text():
    assert split_sentences("He said „Yes.“ Then U.S. officials left. Mr. Smith came!) Done.", "en") == [
        "He said „Yes.“ Then U.S. officials left.", "Mr. Smith came!)", "Done."]
    assert split_sentences("会谈结束了。双方同意交换俘虏！", "zh") == ["会谈结束了。", "双方同意交换俘虏！"]


def test_a_long_unit_without_breaks_is_cut_near_its_middle_into_bounded_pieces():
    pieces = split_sentences("word " * 20_000, "en")
    assert all(len(p) <= 400 for p in pieces)
    assert " ".join(pieces).split() == ["word"] * 20_000
