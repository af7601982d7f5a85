"""The compiled world gazetteer: real place data from the installed packages, the people data
with generated variants, precision checks, the cache file, and merging with hand entities."""
from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from normalise.names.build import compiled, people, places
from normalise.names.gazetteer import Entity, GazetteerError, load_gazetteer


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The real world layer, built once into a private cache directory."""
    cache = tmp_path_factory.mktemp("gazetteer-cache")
    old = os.environ.get("NEWS_INGEST_CACHE")
    os.environ["NEWS_INGEST_CACHE"] = str(cache)
    compiled._LOADED.clear()
    try:
        yield compiled.load_world()
    finally:
        compiled._LOADED.clear()
        if old is None:
            os.environ.pop("NEWS_INGEST_CACHE", None)
        else:
            os.environ["NEWS_INGEST_CACHE"] = old


def _best(world, form, countries=frozenset()):
    ranked = world.rank(form, countries)
    return (ranked[0].canonical, ranked[0].country) if ranked else None


# -- places ----------------------------------------------------------------------------------
pytestmark_slow = pytest.mark.slow


@pytest.mark.slow
def test_places_come_from_the_packaged_data(world):
    kinds = {}
    for ent in world.entities.values():
        kinds[ent.kind or ent.type] = kinds.get(ent.kind or ent.type, 0) + 1
    assert kinds["country"] >= 240 and kinds["city"] >= 30000 and kinds["subdivision"] >= 3000
    assert _best(world, "Kiew") == ("Kyiv", "UA")
    assert _best(world, "Kijów") == ("Kyiv", "UA")
    assert _best(world, "Deutschland") == ("Germany", "DE")
    assert _best(world, "Allemagne") == ("Germany", "DE")
    assert _best(world, "Pechino") == ("Beijing", "CN")


@pytest.mark.slow
def test_shared_place_names_are_ranked_by_population_and_the_documents_countries(world):
    assert [e.country for e in world.rank("Odessa")][:2] == ["UA", "US"]
    assert _best(world, "Odessa", {"US"}) == ("Odessa", "US")  # Odessa, Texas stays
    assert "odessa" in world.ambiguous
    assert world.ambiguous["odessa"][0] == world.rank("Odesa")[0].id


@pytest.mark.slow
def test_overrides_give_the_wikipedia_form_and_keep_the_geonames_one(world):
    ranked = world.rank("Mykolayiv")
    assert ranked[0].canonical == "Mykolaiv" and "Mykolayiv" in ranked[0].variants
    assert _best(world, "Zaporizhzhya") == ("Zaporizhzhia", "UA")
    assert _best(world, "Madinah") == ("Medina", "SA")
    assert _best(world, "Dayr al Balaḩ") == ("Deir al-Balah", "PS")
    assert _best(world, "Türkiye") == ("Turkey", "TR")
    assert _best(world, "Congo - Kinshasa") == ("Democratic Republic of the Congo", "CD")


@pytest.mark.slow
def test_renames_carry_their_year_and_belong_to_the_city_not_the_region(world):
    dnipro = world.rank("Dnepropetrovsk")[0]
    assert (dnipro.canonical, dnipro.kind) == ("Dnipro", "city")
    assert ("Dnepropetrovsk", 2016) in dnipro.former
    assert ("Leningrad", 1991) in world.rank("Leningrad")[0].former
    assert ("Constantinople", 1930) in world.rank("Constantinople")[0].former
    assert {"old": "Kiev", "year": 1995, "id": world.rank("Kyiv")[0].id} in world.renames


@pytest.mark.slow
def test_people_carry_generated_variants_and_provenance(world):
    merz = world.entities["friedrich-merz"]
    assert "Merts" in merz.variants and merz.generated["Fridrikh Merts"] == "via-russian:en"
    assert "Ryutte" in world.entities["mark-rutte"].variants
    xi = world.entities["xi-jinping"]
    assert {"Hsi Chin-p'ing", "Si Tszinpin", "习近平"} <= set(xi.variants)
    zelenskyy = world.entities["volodymyr-zelenskyy"]
    assert {"Selenskyj", "Zełenski"} <= set(zelenskyy.variants)
    assert zelenskyy.roles == ["hos"] and zelenskyy.years == (2019, None)
    assert _best(world, "Si Tszinpin") == ("Xi Jinping", "CN")


@pytest.mark.slow
def test_common_words_are_dropped_with_a_reason(world):
    reasons = {reason for _, _, reason in world.dropped}
    assert "common English word" in reasons
    for form, ent_id, reason in world.dropped:
        if reason == "common English word":
            assert form not in world.entities[ent_id].variants


# -- the precision check on its own -----------------------------------------------------------
def test_precision_check_drops_common_words_and_person_forms_that_are_places():
    ents = {
        "city-1": Entity(id="city-1", type="place", canonical="Springfield", variants=["Sprinfeld"], population=10),
        "city-2": Entity(id="city-2", type="place", canonical="Springfield", population=99),
        "p-1": Entity(id="p-1", type="person", canonical="Ann Sprinfeld", surname="Sprinfeld",
                      variants=["Sprinfeld", "Table", "Pas"], generated={"Sprinfeld": "test"}),
    }
    layer = compiled.WorldLayer(entities=ents)
    compiled._check_precision(layer, lambda word: word == "table")
    assert ents["p-1"].variants == []
    assert ("Table", "p-1", "common English word") in layer.dropped
    assert ("Pas", "p-1", "generated surname shorter than 4 letters") in layer.dropped
    assert ("sprinfeld", "p-1", "also a place: city-1") in layer.dropped
    assert layer.ambiguous["springfield"] == ["city-2", "city-1"]  # most populous first
    assert "shared with city-2" in ents["city-1"].flags["springfield"]


@pytest.mark.parametrize("geonames, country, expected", [
    ("Vinnytsya", "UA", "Vinnytsia"),
    ("Kryvyy Rih", "UA", "Kryvyi Rih"),
    ("Slov'yans'k", "UA", "Sloviansk"),
    ("Makiyivka", "UA", "Makiivka"),
    ("Khmelnytskyi", "UA", "Khmelnytskyi"),
    ("Kamyanets-Podilskyi", "UA", "Kamianets-Podilskyi"),
    ("Khān Yūnis", "PS", "Khan Yunis"),
    ("Rafaḩ", "PS", "Rafah"),
    ("Goyang-si", "KR", "Goyang"),
    ("Rafaḩ", "FR", "Rafaḩ"),  # the rules are per country
])
def test_geonames_spellings_follow_the_wikipedia_conventions(geonames, country, expected):
    assert places.wikipedia_form(geonames, country) == expected


# -- data validation -------------------------------------------------------------------------
def test_the_people_data_is_large_and_valid():
    found = people.load_people()
    assert len(found) >= 1000
    assert len({p.id for p in found}) == len(found)
    countries = {p.country for p in found}
    assert len(countries) >= 150
    for role in ("hos", "hog", "fm", "dm", "party", "org", "armed"):
        assert sum(role in p.roles for p in found) >= 20, role


@pytest.mark.parametrize("entry, message", [
    ("- {country: DE, roles: [hog], years: 2020-}", "missing or empty 'name'"),
    ("- {name: A B, country: Germany, roles: [hog], years: 2020-}", "ISO 3166"),
    ("- {name: A B, country: NO, roles: [hog], years: 2020-}", "quote the code"),
    ("- {name: A B, country: DE, roles: [king], years: 2020-}", "'roles'"),
    ("- {name: A B, country: DE, roles: [hog], years: 2020}", "'years'"),
    ("- {name: A B, country: DE, roles: [hog], years: 2020-2010}", "'years'"),
    ("- {name: A B, country: DE, roles: [hog], years: 2020-, surname: C}", "not part of the name"),
    ("- {name: A B, country: DE, roles: [hog], years: 2020-, kana: [a]}", "'kana'"),
    ("- {name: A B, country: DE, roles: [hog], years: 2020-, nick: x}", "unknown field"),
    ("- {name: A B, country: DE, roles: [hog], years: 2020-}\n- {name: A-B, country: DE, roles: [hog], years: 2020-}",
     "already 'A B'"),
    ("- just a string", "must be a mapping"),
])
def test_a_bad_people_entry_is_refused_naming_the_file(tmp_path, entry, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text("people:\n" + "\n".join("  " + line for line in entry.splitlines()) + "\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=message) as info:
        people.load_people([bad])
    assert str(bad) in str(info.value)


def test_the_same_person_listed_twice_is_merged(tmp_path):
    data = tmp_path / "p.yaml"
    data.write_text("people:\n  - {name: A B, country: DE, roles: [fm], years: 2015-2018}\n"
                    "  - {name: A B, country: DE, roles: [hog], years: 2018-, native: [А Б]}\n", encoding="utf-8")
    [person] = people.load_people([data])
    assert person.roles == ["fm", "hog"] and person.years == (2015, None) and person.native == ["А Б"]


def test_bad_override_and_rename_entries_are_refused_naming_the_file(tmp_path):
    town = places.PlaceRecord(id="city-1", canonical="Oldtown", kind="city", country="XX", population=5)
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text("overrides:\n  - {country: XX, geonames: Nowhere, canonical: Y}\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="no city 'Nowhere' in XX") as info:
        places.apply_overrides([town], overrides)
    assert str(overrides) in str(info.value)
    renames = tmp_path / "renames.yaml"
    renames.write_text("renames:\n  - {old: Elder, new: Oldtown, country: XX, year: soon}\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="'year' must be"):
        places.apply_renames([town], renames)
    renames.write_text("renames:\n  - {old: Elder, new: Oldtown, country: XX, year: 1990}\n", encoding="utf-8")
    places.apply_renames([town], renames)
    assert town.former == [("Elder", 1990)] and "Elder" in town.variants


# -- the cache file --------------------------------------------------------------------------
def test_the_cache_is_built_once_then_loaded_and_rebuilt_when_unreadable(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_INGEST_CACHE", str(tmp_path))
    builds = []

    def fake_build(min_population):
        builds.append(min_population)
        return compiled.WorldLayer(entities={"x": Entity(id="x", type="place", canonical="X")})

    monkeypatch.setattr(compiled, "build_world", fake_build)
    monkeypatch.setattr(compiled, "_LOADED", {})
    superseded = tmp_path / f"world-gazetteer-p{compiled.DEFAULT_MIN_POPULATION}-0000000000000000.pickle"
    other_options = tmp_path / "world-gazetteer-p5000-0000000000000000.pickle"
    superseded.write_bytes(b"old")
    other_options.write_bytes(b"other")
    first = compiled.load_world()
    path = compiled.cache_path()
    assert path.exists() and builds == [compiled.DEFAULT_MIN_POPULATION]
    compiled._LOADED.clear()
    again = compiled.load_world()
    assert builds == [compiled.DEFAULT_MIN_POPULATION] and list(again.entities) == list(first.entities)
    compiled._LOADED.clear()
    path.write_bytes(b"not a pickle")
    compiled.load_world()
    assert len(builds) == 2
    with open(path, "rb") as fh:
        assert isinstance(pickle.load(fh), compiled.WorldLayer)
    # no temporary files left; other keys' files (another checkout's, recently used) are kept
    assert sorted(p.name for p in Path(tmp_path).glob("*.pickle")) == sorted(
        [path.name, superseded.name, other_options.name])
    assert not list(Path(tmp_path).glob(f".{path.name.rsplit('-', 1)[0]}-*"))


def test_the_cache_key_follows_the_data_and_the_options():
    assert compiled.build_key(15000) != compiled.build_key(5000)
    assert compiled.build_key(15000) == compiled.build_key(15000)


# -- merging with the hand-typed gazetteer ----------------------------------------------------
def test_without_world_the_gazetteer_is_the_hand_typed_one():
    gaz = load_gazetteer()
    assert not any(e.kind for e in gaz.entities.values())
    assert "city-703448" not in gaz.entities


@pytest.mark.slow
def test_world_merges_into_hand_entities_and_respects_their_confusables(world):
    gaz = load_gazetteer(world=True)
    kyiv = gaz.entities["kyiv"]
    assert kyiv.population > 2_000_000 and ("Kiev", 1995) in kyiv.former
    assert not any(e.canonical == "Kyiv" and e.country == "UA" and e.kind == "city" and e.id != "kyiv"
                   for e in gaz.entities.values())
    merz = gaz.entities["friedrich-merz"]
    assert "Merts" in merz.variants and merz.roles == ["hog", "party"]
    assert merz.cues == ["chancellor", "german chancellor", "cdu"]  # the hand entry's own data stays
    zelenska = {compiled._fold(f) for f in (gaz.entities["olena-zelenska"].canonical,
                                           *gaz.entities["olena-zelenska"].variants)}
    assert not any(compiled._fold(v) in zelenska for v in gaz.entities["volodymyr-zelenskyy"].variants)


# -- the command -----------------------------------------------------------------------------
def test_build_gazetteer_check_validates_the_people_files(capsys):
    from normalise.cli import main

    assert main(["build-gazetteer", "--check"]) == 0
    assert "people in 7 files" in capsys.readouterr().out


def test_build_gazetteer_fails_naming_the_bad_file(tmp_path, monkeypatch, capsys):
    from normalise.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("people:\n  - {name: A B, country: DE, roles: [emperor], years: 2020-}\n", encoding="utf-8")
    monkeypatch.setattr(people, "PEOPLE_DIR", tmp_path)
    assert main(["build-gazetteer", "--check"]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "'roles'" in err


def test_build_gazetteer_if_stale_builds_only_a_missing_index(tmp_path, monkeypatch, capsys):
    from normalise.cli import main
    from normalise.names import index_cache

    target = tmp_path / "names-index.pickle"
    monkeypatch.setattr(index_cache, "index_path", lambda world=True: target)
    built: list[bool] = []
    monkeypatch.setattr(index_cache, "load_index", lambda world=True: built.append(world) or target.write_bytes(b"x"))
    assert main(["build-gazetteer", "--if-stale"]) == 0
    assert built == [True] and f"built the names index {target}" in capsys.readouterr().out
    assert main(["build-gazetteer", "--if-stale"]) == 0  # now current: nothing built again
    assert built == [True] and f"up to date: {target}" in capsys.readouterr().out


def test_build_gazetteer_writes_the_layer_while_holding_its_build_lock(tmp_path, monkeypatch, capsys):
    """An explicit build takes the same lock as a crawl that builds a missing file: neither
    reads the other's half-built work, and two builds do not run at once."""
    from contextlib import contextmanager

    from normalise.cli import main
    from normalise.names.build import cli as build_cli

    events: list[str] = []

    @contextmanager
    def recording_lock(path):
        events.append(f"lock {path.name}")
        yield
        events.append(f"unlock {path.name}")

    target = tmp_path / "world-gazetteer-p99999-x.pickle"
    monkeypatch.setattr(build_cli, "building", recording_lock)
    monkeypatch.setattr(compiled, "cache_path", lambda min_population: target)
    monkeypatch.setattr(compiled, "build_world", lambda min_population: events.append("build") or compiled.WorldLayer(entities={}))
    monkeypatch.setattr(compiled, "write_cache", lambda path, layer: events.append(f"write {path.name}"))
    assert main(["build-gazetteer", "--min-population", "99999"]) == 0  # not the index's layer: no index
    assert events == [f"lock {target.name}", "build", f"write {target.name}", f"unlock {target.name}"]
    assert f"built {target}" in capsys.readouterr().out
