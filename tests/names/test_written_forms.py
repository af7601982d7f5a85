"""Written forms that only a close spelling makes a known name (names.written): acronyms,
fragments, words English writes more often than the name, single words that share a
transliteration key with a person, one word in another spelling of a place; letter-for-letter
known forms keep working."""
from __future__ import annotations

import pytest

from normalise.names.text import tokenize
from normalise.names.written import (
    alternate_as_common,
    folded_refusal,
    given_spelt_only,
    is_acronym,
    respelt,
    unknown_word_close,
    without_macrons,
)

from .helpers import left_as_written, unify


def _refusal(text: str, mention: str, target: str, *, place: bool = True) -> str | None:
    toks = tokenize(text)
    start = text.index(mention)
    s = next(i for i, t in enumerate(toks) if t.start == start)
    e = next(i for i, t in enumerate(toks) if t.end == start + len(mention)) + 1
    return folded_refusal(text, toks, s, e, target, place=place, min_letters=4, common_zipf=3.5)


def test_an_acronym_in_running_text_is_not_a_headline_in_capitals():
    toks = tokenize("Flights to NYC and the API docs; KOs and LEDs. SELENSKYJ TRIFFT PUTIN")
    acronyms = {t.text for i, t in enumerate(toks) if is_acronym(toks, i)}
    assert acronyms == {"NYC", "API", "KOs", "LEDs"}
    assert "acronym" in _refusal("He flew to NYC on Monday.", "NYC", "Nice")
    assert _refusal("SELENSKYJ TRIFFT PUTIN", "SELENSKYJ", "Zelenskyy", place=False) is None


def test_a_short_fragment_and_a_more_frequent_english_word_stay():
    assert "too short" in _refusal("The hotel has free Wi-Fi.", "Fi", "Fiji")
    assert "more frequent" in _refusal("Island life is quiet.", "Island", "Iceland")
    assert "more frequent" in _refusal("Sure, he said.", "Sure", "Caucaia")
    # a place keeps the spelling English writes more often at any frequency; a person's rare
    # spelling is still a spelling of the name
    assert "more frequent" in _refusal("Rain fell in Karnataka.", "Karnataka", "Karnātaka")
    assert _refusal("Orban spoke.", "Orban", "Orbán", place=False) is None
    assert _refusal("Selenskyj spoke.", "Selenskyj", "Zelenskyy", place=False) is None
    # the words of a longer name are frequent as names: not judged word by word
    assert _refusal("Pedro Sanchez spoke.", "Pedro Sanchez", "Pedro Sánchez", place=False) is None


def test_a_key_match_alone_needs_an_unknown_word_spelt_close():
    assert unknown_word_close("Starmar", 0.86, 0.80)
    assert not unknown_word_close("Motorola", 0.86, 0.80)  # English writes it: a brand
    assert not unknown_word_close("Syntyche", 0.50, 0.80)  # unknown, but spelt far from Santokhi


def test_respelt_is_more_than_case_and_diacritics():
    assert respelt("Huston", "Houston") and respelt("Duke", "Duque")
    assert not respelt("Zurich", "Zürich") and not respelt("KRAKOW", "Kraków")


def test_an_alternate_name_english_writes_nearly_as_often_as_the_place_needs_more():
    assert alternate_as_common("Werder", "Warder")  # a surname and a club, as frequent as the town
    assert alternate_as_common("Grenada", "Granada")  # a country of its own
    assert not alternate_as_common("Tokio", "Tokyo") and not alternate_as_common("Moskau", "Moscow")
    assert not alternate_as_common("Saporischschja", "Zaporizhzhia")  # English never writes it


def test_a_given_name_matched_by_spelling_only_before_a_common_surname_is_another_persons():
    assert given_spelt_only("transliterated", "Johnson", 3.5) and given_spelt_only("fuzzy", "Khan", 3.5)
    assert not given_spelt_only("transliterated", "Starmer", 3.5)  # Kir Starmer: a rare surname
    assert not given_spelt_only("exact", "Johnson", 3.5)  # a listed given name


def test_macrons_are_dropped_other_diacritics_kept():
    assert without_macrons("Himāchal Pradesh") == "Himachal Pradesh" and without_macrons("Tamil Nādu") == "Tamil Nadu"
    assert without_macrons("Zürich") == "Zürich" and without_macrons("Kyiv") == "Kyiv"


@pytest.mark.slow
def test_acronyms_fragments_and_english_words_are_not_renamed_and_are_candidates():
    blocks = ["The Wi-Fi in the NYC office was down, so the API returned errors.",
              "Island hopping is popular, and the Lions won on Sunday.",
              "Sure, the KOs were quick, and the LEDs were bright."]
    texts, changes, candidates = unify(*blocks)
    assert texts == blocks and changes == []
    assert {"NYC", "API", "KOs", "Island", "Sure"} <= {c["original"] for c in candidates}


@pytest.mark.slow
def test_a_brand_or_another_name_is_not_a_person_by_transliteration_key_alone():
    blocks = ["Motorola unveiled a new phone on Tuesday.", "Lorenz said the results were preliminary."]
    texts, changes, _ = unify(*blocks)
    assert texts == blocks and changes == []
    texts, changes, _ = unify("Starmar told parliament the plan would go ahead.")
    assert texts == ["Starmer told parliament the plan would go ahead."]  # unknown to English, spelt close


@pytest.mark.slow
def test_one_word_in_another_spelling_of_a_place_needs_the_document_to_agree():
    text = "Anjelica Huston starred in the film, and Huston was praised."
    assert unify(text)[0] == [text]
    # a surname English writes: its country named (Ohio) does not vouch for the place; a
    # spelling English never writes is vouched for so
    text = "Heyward, a linebacker from Ohio, signed a new contract on Monday."
    assert unify(text)[0] == [text]
    assert unify("Prices rose in Ilinois and Ohio last year.")[0] == ["Prices rose in Illinois and Ohio last year."]
    texts, _, _ = unify("Shelling hit Kharkov and Nikolaïev overnight, Ukraine said.")
    assert texts == ["Shelling hit Kharkiv and Mykolaiv overnight, Ukraine said."]


@pytest.mark.slow
def test_letter_for_letter_known_forms_keep_working():
    texts, _, _ = unify("Zelenskiy said Kiev would not yield.", "Thorn is a rose's defence.")
    assert texts == ["Zelenskyy said Kyiv would not yield.", "Thorn is a rose's defence."]



@pytest.mark.slow
def test_a_listed_form_in_capitals_and_an_old_name_are_not_judged_by_spelling():
    texts, _, _ = unify("KIEV, Ukraine - The talks resumed.", "Flights to Calcutta resumed, India said.")
    assert texts == ["KYIV, Ukraine - The talks resumed.", "Flights to Kolkata resumed, India said."]


@pytest.mark.slow
def test_a_place_form_after_an_unknown_capitalised_word_is_part_of_a_name():
    text = "The novelist Tamsin Aran signed copies after the reading."
    candidates = left_as_written(text)
    assert any("part of a longer name" in c["reason"] for c in candidates)


@pytest.mark.slow
def test_a_canonical_place_name_written_without_macrons_is_not_changed():
    text = "Monsoon floods cut roads in Himachal Pradesh and Tamil Nadu, India's weather office said."
    left_as_written(text)


@pytest.mark.slow
def test_a_common_alternate_name_stays_unless_the_document_agrees():
    text = "Werder told the council the shelter would open in March."
    candidates = left_as_written(text)
    # as often as the place's name, either way: an English word or name, whatever the document says
    assert any("about as often" in c["reason"] for c in candidates)
    text = "Leyden told the council the shelter would open in March."  # Leiden: more frequent, not far
    candidates = left_as_written(text)
    assert any("nearly as often" in c["reason"] for c in candidates)
    texts, _, _ = unify("Steve Witkoff landed in Mosca on Monday, the Kremlin said.")
    assert texts == ["Steve Witkoff landed in Moscow on Monday, the Kremlin said."]  # rare in English: changed


@pytest.mark.slow
def test_a_spelt_given_name_before_a_common_surname_is_another_person():
    blocks = ["Mick Johnson wrote that the budget was late.", "The novelist Ira Khan signed copies at the fair."]
    texts, changes, _ = unify(*blocks)
    assert texts == blocks and changes == []  # not Mike Johnson, not Imran Khan
    texts, _, _ = unify("Kir Starmer told parliament the plan would go ahead.")
    assert texts == ["Keir Starmer told parliament the plan would go ahead."]  # a rare surname: a spelling


@pytest.mark.slow
def test_a_place_form_that_is_part_of_a_persons_name_stays_alone_elsewhere_in_the_document():
    blocks = ["The quarterback Dario Romo threw three touchdowns.", "Romo said the line had held."]
    texts, changes, candidates = unify(*blocks)
    assert texts == blocks and changes == []
    assert any("part of a longer name: that name's word" in c["reason"] for c in candidates)
    blocks = ["The Odessa Steps scene was shown again.", "A drone hit a port in Odessa, Ukraine's navy said."]
    assert unify(*blocks)[0][1] == "A drone hit a port in Odesa, Ukraine's navy said."  # a place's longer name


@pytest.mark.slow
def test_a_surname_form_before_an_unknown_capitalised_word_is_another_persons_name():
    text = "The winger Lawrow Okafor scored twice on Sunday."
    candidates = left_as_written(text)
    assert any("followed by another name (Okafor)" in c["reason"] for c in candidates)
    assert unify("Lawrow said the talks would go on.")[0] == ["Lavrov said the talks would go on."]
