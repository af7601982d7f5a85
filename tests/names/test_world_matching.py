"""The matcher over the compiled world layer: used by default, selective about place forms,
dated renames, places ranked by the document's countries, and the compiled index file."""
from __future__ import annotations

import logging
import pickle

import pytest

from normalise.names import index_cache
from normalise.names.gazetteer import Entity, Gazetteer, GazetteerError, load_gazetteer
from normalise.names.index import SETTINGS, NameIndex, get_index
from normalise.names.selection import SelectionRules, WorldSelection

from .helpers import left_as_written, unify


# -- on by default ----------------------------------------------------------------------------
@pytest.mark.slow
def test_the_world_layer_is_used_by_default():
    index = get_index()
    assert len(index.gazetteer.world_ids) > 30000
    texts, changes, _ = unify("Le président chinois a reçu à Pékin le ministre japonais Schigeru Ischiba.")
    assert texts == ["Le président chinois a reçu à Beijing le ministre japonais Shigeru Ishiba."]
    assert {c.canonical for c in changes} == {"Beijing", "Shigeru Ishiba"}
    assert any(c.entity_id in index.gazetteer.world_ids for c in changes)  # not a hand-typed entity


# -- small towns, words and people's names ------------------------------------------------------
def _selection(*entities: Entity, world: set[str], common=frozenset({"wise", "opera"})) -> WorldSelection:
    rules = SelectionRules(variant_min_population=100_000, common_zipf=3.5, min_letters=5, rename_current_from=1992)
    return WorldSelection(entities, world, rules, lambda w: w.lower(), common)


def test_world_place_forms_that_are_words_names_or_short_are_not_matched():
    town = Entity("city-1", "place", "Visé", variants=["Wise", "Vise-sur-Meuse"], kind="city", population=17_000)
    city = Entity("city-2", "place", "Hamm", variants=["Hamas", "Hamm in Westfalen", "Ham"], kind="city",
                  population=180_000)
    lulea = Entity("city-3", "place", "Luleå", variants=["Lula", "Lulea"], kind="city", population=200_000)
    district = Entity("city-4", "place", "Paris 09 Opéra", variants=["Opera"], kind="city", population=60_000)
    person = Entity("luiz-lula", "person", "Luiz Lula", given=["Luiz"], surname="Lula")
    hamas = Entity("hamas", "organisation", "Hamas")
    sel = _selection(town, city, lulea, district, person, hamas, world={"city-1", "city-2", "city-3", "city-4"})
    assert sel.variants(town) == [] and sel.exact_only(town)  # a town: its own name, letter for letter
    assert sel.variants(city) == ["Hamm in Westfalen"]  # Hamas is another entity's, Ham too short
    assert sel.variants(lulea) == ["Lulea"]  # Lula is a person's name
    assert sel.skip(district)  # a numbered city district
    assert not sel.skip(city) and not sel.exact_only(lulea)  # cities this large: folded spellings too
    assert sel.variants(hamas) == [] and not sel.skip(hamas)  # hand-typed entities are not filtered


@pytest.mark.slow
def test_words_and_names_that_are_also_town_names_stay_as_written():
    text = "Lula said Hamas must free the hostages, and the opera in Paris reopened; Asma flew to Wise."
    left_as_written(text)


@pytest.mark.slow
def test_a_place_name_inside_a_person_name_leaves_the_person_to_be_matched():
    # Vladimir is also a Russian city: the name goes on, so the words belong to the person
    texts, _, _ = unify("Russia's negotiator Vladimir Medinski arrived in Istanbul.")
    assert texts == ["Russia's negotiator Vladimir Medinsky arrived in Istanbul."]
    text = "Ursula von der Leyden stayed in Brussels."  # Leyden is Leiden's old name; here a misspelt surname
    assert "Leiden" not in unify(text)[0][0]


# -- renames with dates -------------------------------------------------------------------------
@pytest.mark.slow
def test_names_renamed_long_ago_are_history_unless_the_story_is_current():
    index = get_index()
    assert index.rules.rename_current_from == index.setting("rename_current_from")
    old = "Stalingrad lay in ruins in 1943. Leningrad was besieged for 872 days. Historians of Peking described its walls."
    texts, changes, candidates = unify(old)
    assert texts == [old] and changes == []
    assert {c["canonical"] for c in candidates} >= {"Volgograd", "Saint Petersburg", "Beijing"}
    texts, _, _ = unify("In Peking, Xi Jinping received the delegation.")  # a current story
    assert texts == ["In Beijing, Xi Jinping received the delegation."]


@pytest.mark.slow
def test_names_renamed_in_living_memory_are_modernised():
    texts, _, _ = unify("Passengers from Bombay were stranded.", "Shelling hit Kharkov again.")
    assert texts == ["Passengers from Mumbai were stranded.", "Shelling hit Kharkiv again."]


@pytest.mark.slow
def test_the_old_name_of_a_city_becomes_the_city_not_the_region():
    texts, changes, _ = unify("A missile struck Dnepropetrovsk overnight.")
    assert texts == ["A missile struck Dnipro overnight."]
    assert changes[0].entity_id == "dnipro"


# -- people -------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_relatives_given_name_blocks_the_surname_match():
    text = "Benzion Netanjahu, his father, was a historian."
    candidates = left_as_written(text)
    assert any(c["entity_id"] == "benjamin-netanyahu" for c in candidates)


# -- places ranked by the document's countries --------------------------------------------------
@pytest.mark.slow
def test_a_shared_place_name_follows_the_country_the_block_names():
    texts, _, _ = unify("A drone hit the port of Odessa, Zelenskyy said.",
                         "In Odessa, Texas, oil workers went on strike.")
    assert texts == ["A drone hit the port of Odesa, Zelenskyy said.", "In Odessa, Texas, oil workers went on strike."]


# -- thresholds have one source -----------------------------------------------------------------
def test_every_threshold_comes_from_the_lexicon_and_a_missing_one_is_named():
    lexicon = load_gazetteer().lexicon
    assert set(lexicon["settings"]) == set(SETTINGS)
    partial = {k: v for k, v in lexicon["settings"].items() if k != "fuzzy_margin"}
    with pytest.raises(GazetteerError, match="missing fuzzy_margin"):
        NameIndex(Gazetteer(entities={}, lexicon={**lexicon, "settings": partial}, files=[]))
    with pytest.raises(GazetteerError, match="unknown bogus"):
        NameIndex(Gazetteer(entities={}, lexicon={**lexicon, "settings": {**lexicon["settings"], "bogus": 1}},
                            files=[]))


@pytest.mark.slow
def test_czech_transcriptions_of_korean_and_chinese_names_are_unified():
    texts, changes, _ = unify("North Korean leader Kim Čong-un met Čchö Son-hui; I Če-mjong and Mun Če-in replied.",
                               "I said the talks had failed.", "Si Ťin-pching and Li Čchiang received Laj Čching-te's envoy.")
    assert texts == ["North Korean leader Kim Jong Un met Choe Son Hui; Lee Jae-myung and Moon Jae-in replied.",
                     "I said the talks had failed.", "Xi Jinping and Li Qiang received Lai Ching-te's envoy."]
    assert {c.method for c in changes} == {"exact"}


# -- the compiled index file --------------------------------------------------------------------
@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_INGEST_CACHE", str(tmp_path))
    return tmp_path


def test_a_missing_index_file_is_built_with_a_log_line_and_then_loaded(cache, caplog):
    caplog.set_level(logging.WARNING, logger="normalise.names.index_cache")
    path = index_cache.index_path(world=False)
    assert path.parent == cache and not path.exists()
    built = index_cache.load_index(world=False)
    assert path.exists() and "building the names index" in caplog.text
    caplog.clear()
    loaded = index_cache.load_index(world=False)
    assert "building" not in caplog.text
    assert loaded is not built and loaded.english.exact.keys() == built.english.exact.keys()


def test_a_corrupt_index_file_is_rebuilt(cache, caplog):
    path = index_cache.index_path(world=False)
    path.write_bytes(b"not a pickle")
    caplog.set_level(logging.WARNING, logger="normalise.names.index_cache")
    index = index_cache.load_index(world=False)
    assert isinstance(index, NameIndex) and "unreadable" in caplog.text
    with open(path, "rb") as fh:
        assert isinstance(pickle.load(fh), NameIndex)


def test_a_file_of_another_kind_is_rebuilt(cache, caplog):
    path = index_cache.index_path(world=False)
    path.write_bytes(pickle.dumps({"not": "an index"}))
    caplog.set_level(logging.WARNING, logger="normalise.names.index_cache")
    assert isinstance(index_cache.load_index(world=False), NameIndex)
    assert "unreadable" in caplog.text


def test_the_index_key_follows_the_data_and_the_code():
    key = index_cache.index_key(world=False)
    assert key == index_cache.index_key(world=False)
    assert key != index_cache.index_key(world=True)
