"""Chinese, Korean and Vietnamese given names are syllables: another letter is another name."""
from __future__ import annotations

from .helpers import left_as_written, unify


def test_a_chinese_given_name_one_letter_off_is_another_person():
    candidates = left_as_written("Zhang Yun, a researcher in Tianjin, said prices had risen.")
    assert any(c["canonical"] == "Zhang Jun" and "syllables" in c["reason"] for c in candidates)


def test_a_korean_given_name_folded_onto_a_listed_romanisation_is_another_person():
    texts, changes, _ = unify("Prime Minister Kim Min-seok visited Busan. Kim Min-sook, a fisherman, agreed.")
    assert "Kim Min-sook, a fisherman" in texts[0]
    assert not any(c.original == "Kim Min-sook" for c in changes)


def test_listed_romanisations_in_any_case_and_hyphenation_are_still_unified():
    texts, changes, _ = unify("KIM JONG-UN met Chzhao Letszi in Pyongyang. Kim Jong-un left.")
    assert {(c.original, c.canonical) for c in changes} >= {("Kim Jong-un", "Kim Jong Un"), ("KIM JONG-UN", "KIM JONG UN"),
                                                           ("Chzhao Letszi", "Zhao Leji")}
