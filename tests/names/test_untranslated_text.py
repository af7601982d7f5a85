"""The names stage on text left in its own language (untranslated blocks): places and
organisations keep their names, ordinary words of the language are no names, people are still
unified by their known forms (normalise/names/untranslated.py)."""
from __future__ import annotations

from normalise import InputDocument
from normalise.config import NormaliserConfig
from normalise.names import NameUnifier
from normalise.names.block_languages import unconfirmed
from normalise.pipeline import Normaliser

from .helpers import unify_in

PLACES = "Die Regierungen in Deutschland, Österreich und Katar beraten am Montag über neue Regeln."
NOUNS = "Nach dem Sturm blieben die Türen der Schule geschlossen, und der Ofen in der Küche war kalt."
PERSON = "Wladimir Putin sprach am Montag in Moskau mit Journalisten."
KEY_ONLY = "Manchmal bringt einem der Alltag kleine Freuden und Überraschungen."


def test_english_text_takes_the_english_place_names():
    texts, changes, _ = unify_in("en", PLACES)
    assert {c.canonical for c in changes} == {"Germany", "Austria", "Qatar"}


def test_german_text_keeps_its_place_names_as_candidates():
    texts, changes, candidates = unify_in("de", PLACES)
    assert texts == [PLACES] and changes == []
    assert any(c["original"] == "Katar" and "untranslated de text" in c["reason"] for c in candidates)


def test_german_nouns_are_no_names_nor_candidates():
    texts, changes, candidates = unify_in("de", NOUNS)
    assert texts == [NOUNS] and changes == []
    assert not {"Türen", "Ofen"} & {c["original"] for c in candidates}


def test_a_person_spelt_the_german_way_is_unified_and_the_city_stays():
    texts, changes, _ = unify_in("de", PERSON)
    assert texts == [PERSON.replace("Wladimir", "Vladimir")]
    assert [c.original for c in changes] == ["Wladimir Putin"]


def test_a_key_match_vouched_for_only_by_being_no_english_word_stays_a_candidate():
    texts, changes, candidates = unify_in("de", KEY_ONLY)
    assert texts == [KEY_ONLY] and changes == []
    assert any(c["original"] == "Freuden" and "judged by English words" in c["reason"] for c in candidates)


def test_blocks_of_unknown_language_are_read_as_english():
    _, changes, _ = unify_in(None, PLACES)
    assert {c.canonical for c in changes} == {"Germany", "Austria", "Qatar"}


def test_the_pipeline_without_translation_tells_the_stage_the_block_language():
    text = f"{PLACES}\n{PERSON}\n{NOUNS}"
    record = Normaliser(NormaliserConfig(translate=False)).normalise(InputDocument(id="de", text=text, lang="de"))
    assert record.error is None
    assert all(b.translation == "untranslated" and b.language == "de" for b in record.kept_blocks)
    assert {c.original for c in record.names} == {"Wladimir Putin"}
    for word in ("Deutschland", "Österreich", "Katar", "Moskau", "Türen", "Ofen"):
        assert word in record.text_en, word


def test_a_given_name_that_is_a_frequent_word_is_vouched_for_by_the_surname():
    texts, changes, _ = unify_in("de", "Der ungarische Regierungschef Victor Orbán sprach am Montag.")
    assert [(c.original, c.canonical) for c in changes] == [("Victor Orbán", "Viktor Orbán")]


def test_chinese_text_with_latin_names_is_read_without_a_chinese_segmenter():
    texts, changes, _ = unify_in("zh", "美国总统 Donald Trump 在 Washington 与 Wladimir Putin 通话。")
    assert [c.original for c in changes] == ["Wladimir Putin"]


def test_blocks_of_a_language_outside_the_configured_set_are_read_in_the_language_their_stop_words_name():
    texts, changes, candidates = unify_in("unsupported", PLACES)
    assert texts == [PLACES] and changes == []
    assert any(c["original"] == "Katar" and "untranslated de text" in c["reason"] for c in candidates)


POLISH = ("Minister spraw zagranicznych spotkał się w Warszawie z ambasadorem. Rozmowy dotyczyły "
          "granicy z Rosją i nie przyniosły wyników.")


def test_polish_text_keeps_its_place_names_and_an_english_line_of_the_page_is_english():
    english = "The minister later flew back to Warschau with the delegation."
    results, _ = NameUnifier().unify_blocks([POLISH, english], None, ["unsupported", "unsupported"])
    assert results[0] == (POLISH, [])  # read as English, Rosją became Russia
    assert [(c.original, c.canonical) for c in results[1][1]] == [("Warschau", "Warsaw")]


def test_a_short_unsupported_line_full_of_names_is_still_read_as_english():
    line = "Fridrikh Merts met Wolodymyr Selenskyj in Kiew."
    _, changes, _ = unify_in("unsupported", line)
    assert {c.canonical for c in changes} >= {"Friedrich Merz", "Kyiv"}


def test_an_untranslated_polish_paragraph_of_an_english_page_keeps_its_place_names():
    text = ("Poland's foreign minister met his Ukrainian counterpart in Warsaw on Monday, officials said.\n"
            "Minister spraw zagranicznych spotkał się w Warszawie z ambasadorem Rosji. Rozmowy dotyczyły granicy "
            "z Białorusią i nie przyniosły żadnych wyników, powiedział rzecznik.\n"
            "The talks will continue in Kyiv next week, the ministry said in a statement.")
    record = Normaliser(NormaliserConfig(translate=False)).normalise(InputDocument(id="pl", text=text))
    assert [b.language for b in record.kept_blocks] == ["en", "unsupported", "en"]
    assert record.names == [] and "Warszawie" in record.text_en


def test_a_block_whose_stop_words_confirm_its_unconfirmed_language_is_read_in_it():
    texts, changes, candidates = unify_in(unconfirmed("de"), PLACES)
    assert texts == [PLACES] and changes == []
    assert any(c["original"] == "Katar" and "untranslated de text" in c["reason"] for c in candidates)


def test_a_short_english_line_identified_as_german_is_read_as_english():
    _, changes, _ = unify_in(unconfirmed("de"), "They met in Kiew.")
    assert [(c.original, c.canonical) for c in changes] == [("Kiew", "Kyiv")]


def test_an_untranslated_german_paragraph_of_an_english_page_keeps_its_place_names():
    text = ("Germany's chancellor met the Austrian delegation in Vienna on Monday, officials said. The two "
            "governments have been talking about new rules for the gas market for more than a year.\n"
            "Die Regierungen in Deutschland, Österreich und Katar beraten am Montag über neue Regeln, "
            "sagte ein Sprecher der Regierung in Berlin, und es gibt noch keine Einigung.\n"
            "The talks will continue in Kyiv next week, the ministry said in a statement. Both sides said that "
            "they expected an agreement before the winter, when the demand for gas is highest.")
    record = Normaliser(NormaliserConfig(translate=False)).normalise(InputDocument(id="de-in-en", text=text))
    assert record.language == "en"
    assert [(b.language, b.translation) for b in record.kept_blocks] == [
        ("en", "source_english"), ("de", "untranslated"), ("en", "source_english")]
    assert record.names == []
    for word in ("Deutschland", "Österreich", "Katar"):
        assert word in record.text_en, word


def test_stop_words_in_capitalised_names_do_not_confirm_a_language():
    line = "Brazil (Brasilia, Rio de Janeiro, Sao Paolo)"
    _, changes, _ = unify_in(unconfirmed("pt"), line)
    assert ("Brasilia", "Brasília") in {(c.original, c.canonical) for c in changes}
