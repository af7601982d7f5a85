"""Rules chosen on the names stage's run over real English text (bench/names_real_text.py), where
nearly every name is already right: a machine-made spelling, a surname without its diacritics, a
name with a Roman numeral after it, a place's longer name, and a person's name whose given name
is also a place's rare alternate name stay as written unless the document points to the entity."""
from __future__ import annotations

import pytest

from .helpers import left_as_written, unify

pytestmark = pytest.mark.slow


def test_a_generated_spelling_of_a_surname_needs_the_document_to_agree():
    text = "The singer Miley Cyrus released a new album on Friday."
    candidates = left_as_written(text)
    assert any(c["original"] == "Miley" and "another spelling" in c["reason"] for c in candidates)
    texts, _, _ = unify("Argentinian president Khavier Miley flew home. Miley then met the governors.")
    assert texts == ["Argentinian president Javier Milei flew home. Milei then met the governors."]


def test_a_surname_without_its_diacritics_needs_the_document_to_agree():
    text = "The striker Alvarez scored twice before half-time."
    candidates = left_as_written(text)
    assert any("without its diacritics" in c["reason"] for c in candidates)
    texts, _, _ = unify("The Dominican foreign minister arrived in Santo Domingo. Alvarez said the talks went well.")
    assert texts[0].endswith("Álvarez said the talks went well.")


def test_a_surname_form_before_a_roman_numeral_is_another_name():
    blocks = ["The probe was sent to Tallon IV.", "Nobody has come back from Talon IV."]
    texts, changes, candidates = unify(*blocks)
    assert texts == blocks and changes == []
    assert any("another name (IV)" in c["reason"] for c in candidates)
    texts, _, _ = unify("President Patrice Talon spoke in Cotonou. Tallon said the vote would be held.")
    assert texts == ["President Patrice Talon spoke in Cotonou. Talon said the vote would be held."]


def test_a_longer_name_holding_the_canonical_name_stays():
    text = "Strikes hit Gaza City overnight, and the State of Israel said more would follow."
    candidates = left_as_written(text)
    assert sum("a longer name of" in c["reason"] for c in candidates) == 2
    assert unify("Elections in Guinea Bissau were delayed.")[0] == ["Elections in Guinea-Bissau were delayed."]


def test_a_given_name_that_is_a_rare_places_alternate_name_still_makes_a_persons_name():
    blocks = ["The assistant coach Annie Lahey praised her players.", "Lahey said the season had been long."]
    texts, changes, _ = unify(*blocks)
    assert texts == blocks and changes == []


def test_a_one_word_name_before_another_capitalised_word_does_not_vouch_for_a_respelling():
    texts, changes, _ = unify("Their farm is in Dane, Wisconsin.", "The founder Dan Garrison perfected the formula.")
    assert changes == [] and texts[0] == "Their farm is in Dane, Wisconsin."


def test_a_close_surname_after_a_given_name_with_only_the_same_key_is_another_person():
    candidates = left_as_written("Sione Takitaki played six snaps on defense.")
    assert any(c["canonical"] == "Sanae Takaichi" and "another given name" in c["reason"] for c in candidates)


def test_a_surname_after_another_persons_given_name_vouches_for_nothing():
    left_as_written("The playwright Alan Bennett wrote a new play. Bennet brings us a satire.")
    left_as_written("Julián Álvarez scored early for City. Phil Foden got a third and Alvarez a fourth.")
    texts, _, _ = unify("Prime Minister Naftali Bennett spoke. Later Bennet said more.")
    assert texts == ["Prime Minister Naftali Bennett spoke. Later Bennett said more."]


def test_a_bare_surname_without_its_article_needs_the_document_to_agree():
    candidates = left_as_written("The test server, Singularity (aka “Sisi”), goes live next week.")
    assert any(c["original"] == "Sisi" and "without its article" in c["reason"] for c in candidates)
    texts, _, _ = unify("Egypt's president Sisi met the delegation in Cairo.")
    assert texts == ["Egypt's president el-Sisi met the delegation in Cairo."]


def test_a_name_matched_by_key_followed_by_another_name_is_a_longer_name():
    candidates = left_as_written("Posted on November 12, 2012 by Anna Monette Roberts")
    assert any(c["original"] == "Anna Monette Roberts" and "followed by another name" in c["reason"]
               for c in candidates)
