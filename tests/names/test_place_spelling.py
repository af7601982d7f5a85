"""What a world place form's letters say in English text (normalise/names/place_spelling.py): a
place's name without its diacritics needs the document to name a country near the place's, and an
alternate name that English writes for something else, and no other language writes for the
place, needs the document to agree."""
from __future__ import annotations

import pytest

from normalise.names.place_spelling import accents_only, nearby, other_name, possessive_name

from .helpers import left_as_written, unify


def test_accents_only_is_the_name_in_plain_letters():
    assert accents_only("Bogota", "Bogotá")
    assert accents_only("TAY HO", "Tây Hồ")
    assert accents_only("Lodz", "Łódź")
    assert not accents_only("Kiev", "Kyiv")  # another spelling, not missing accents
    assert not accents_only("Bogotá", "Bogotá")
    assert not accents_only("New\xa0Zealand", "New Zealand")  # a space, no diacritic
    assert not accents_only("Sao Paolo", "São Paulo")


def test_another_name_is_one_spelt_unlike_the_place_that_no_other_language_writes():
    assert other_name("Whitehall", "Atlanta")  # English writes it, for the government
    assert other_name("Vistula", "Toledo")  # English writes it, for the river
    assert not other_name("Mailand", "Milan")  # German's name of Milan
    assert not other_name("Kapstadt", "Cape Town")
    assert not other_name("Erevan", "Yerevan")  # a spelling of the same name
    assert not other_name("Chuntsin", "Chongqing")  # a romanisation English never writes


def test_a_possessive_the_places_name_lacks_is_an_institutions_name():
    assert possessive_name("Saint Joseph\u2019s", "South Bend")
    assert possessive_name("Engel's", "Engels")
    assert not possessive_name("St John's", "St. John's")  # the place's own name has it
    assert not possessive_name("Erevan", "Yerevan")


def test_nearby_countries_are_two_land_borders_away_at_most():
    assert {"CO", "PE", "CL", "BR"} <= nearby("CO")  # Chile is Peru's neighbour
    assert "PY" in nearby("UY")  # through Argentina or Brazil
    assert "MX" not in nearby("PE")
    assert "VN" not in nearby("IL")
    assert nearby("IS") == {"IS"}  # an island: its own country only


@pytest.mark.slow
def test_a_place_without_its_diacritics_in_a_story_far_from_it_stays():
    text = "The museum in Detroit showed a 1976 Chrysler Cordoba next to a Ford Mustang, both built in the United States."
    candidates = left_as_written(text)
    assert any(c["original"] == "Cordoba" and "without its diacritics" in c["reason"] for c in candidates)
    text = "Archaeologists in Lima said the Torreon, a stone tower in Peru, tracked the sun."
    candidates = left_as_written(text)
    assert any(c["original"] == "Torreon" and "without its diacritics" in c["reason"] for c in candidates)


@pytest.mark.slow
def test_a_place_without_its_diacritics_changes_when_the_story_is_near_it():
    # the country itself named
    texts, changes, _ = unify("Mexico's navy patrolled the coast off Torreon and Culiacan on Monday.")
    assert [(c.original, c.canonical) for c in changes] == [("Torreon", "Torreón"), ("Culiacan", "Culiacán")]
    # only countries near Colombia named: Peru and Chile
    texts, changes, _ = unify("Ministers from Peru and Chile met their hosts in Bogota on Friday.")
    assert texts == ["Ministers from Peru and Chile met their hosts in Bogotá on Friday."]
    assert "near CO" in changes[0].evidence


@pytest.mark.slow
def test_a_place_without_its_diacritics_is_not_lost_to_a_refused_form_of_the_same_words():
    # Cancun is also an alternate name of Changchun, refused as a word English writes more often;
    # that refusal does not take the words from Cancún
    texts, changes, candidates = unify("The season-ending championships were played in Cancun, Mexico.")
    assert texts == ["The season-ending championships were played in Cancún, Mexico."]
    assert any(c["canonical"] == "Changchun" for c in candidates)


@pytest.mark.slow
def test_another_name_of_a_place_that_english_writes_for_something_else_stays():
    text = "The Vistula is lower than at any time since records began, Poland's weather office said."
    candidates = left_as_written(text)
    assert any(c["original"] == "Vistula" and "no other language" in c["reason"] for c in candidates)
    left_as_written("Whitehall officials said the review would take months, and Brussels agreed.")


@pytest.mark.slow
def test_another_languages_name_of_a_place_still_changes():
    texts, changes, _ = unify("A fashion house that left Mailand opened a shop in Paris.")
    assert texts == ["A fashion house that left Milan opened a shop in Paris."]
    texts, _, _ = unify("Pakistan's prime minister flew to Kapstadt for talks with South Africa.")
    assert texts == ["Pakistan's prime minister flew to Cape Town for talks with South Africa."]


@pytest.mark.slow
def test_a_district_without_its_diacritics_on_a_page_of_a_far_country_stays():
    text = "Back from Tel Aviv, we loved the noodles of Tay Ho, a Vietnamese restaurant downtown."
    candidates = left_as_written(text)
    assert any(c["original"] == "Tay Ho" and "without its diacritics" in c["reason"] for c in candidates)


@pytest.mark.slow
def test_a_place_form_after_a_capitalised_word_inside_a_sentence_is_part_of_a_longer_name():
    text = "Inter Miami open at home against Real Salt Lake, and Real Salt Lake's coach is calm."
    candidates = left_as_written(text)
    assert any(c["original"] == "Salt Lake" and "'Real'" in c["reason"] for c in candidates)
    # an article opening the sentence counts as a word in lower case; the car's other mention stays too
    text = "A Chrysler Cordoba sold well in Spain. The Cordoba was built in Canada."
    candidates = left_as_written(text)
    assert any(c["original"] == "Cordoba" and "'Chrysler'" in c["reason"] for c in candidates)


@pytest.mark.slow
def test_a_place_form_after_a_title_or_at_a_sentence_start_still_changes():
    texts, _, _ = unify("Troops from Mexico reached Culiacan. Culiacan was calm on Monday.")
    assert texts == ["Troops from Mexico reached Culiacán. Culiacán was calm on Monday."]
    texts, _, _ = unify("The ministers of Spain and Germany met in Mailand on Friday.")
    assert texts == ["The ministers of Spain and Germany met in Milan on Friday."]


@pytest.mark.slow
def test_a_town_followed_by_a_region_of_another_country_is_that_countrys_town():
    text = "Fighters attacked a checkpoint in Sarkh, Logar, on Tuesday night."
    candidates = left_as_written(text)
    assert any(c["original"] == "Sarkh" and "', Logar'" in c["reason"] for c in candidates)


@pytest.mark.slow
def test_a_town_followed_by_its_own_region_or_country_still_changes():
    texts, _, _ = unify("The women's tour ended in Cancun, Mexico, after a week of storms.")
    assert texts == ["The women's tour ended in Cancún, Mexico, after a week of storms."]
    texts, _, _ = unify("Flights to Kapstadt, South Africa, were cancelled.")
    assert texts == ["Flights to Cape Town, South Africa, were cancelled."]


@pytest.mark.slow
def test_places_of_one_name_in_the_named_country_change_to_that_name():
    # San José is a city and a province of Costa Rica; "Costa Rica" is also a small town's name
    # in Brazil and in Mexico, and still names the country for the document
    texts, changes, _ = unify("Costa Rica's government met in San Jose on Wednesday.")
    assert texts == ["Costa Rica's government met in San José on Wednesday."]
    assert changes[-1].entity_id == "city-3621849"  # the most populous of them
    # the same words in a story of another country are left as written
    texts, _, _ = unify("Chip makers in San Jose cut jobs, the union told Congress in the United States.")
    assert texts == ["Chip makers in San Jose cut jobs, the union told Congress in the United States."]


@pytest.mark.slow
def test_an_alternate_name_in_the_possessive_stays():
    text = "The guard scored 25 points in wins over Marshall and Saint Joseph's in the United States."
    candidates = left_as_written(text)
    assert any(c["canonical"] == "South Bend" and "possessive" in c["reason"] for c in candidates)


def test_loading_word_frequencies_ahead_loads_every_list_the_place_check_reads():
    import wordfreq

    from normalise.names.place_spelling import _FOREIGN, load_word_frequencies

    wordfreq.get_frequency_dict.cache_clear()  # as in a new process
    load_word_frequencies()  # what the CLI's background loader runs before the first page needs it
    before = wordfreq.get_frequency_dict.cache_info()
    for code in _FOREIGN:
        wordfreq.get_frequency_dict(code, "best")  # as wordfreq's own frequency lookup asks for it
    after = wordfreq.get_frequency_dict.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (len(_FOREIGN), 0)
