"""Collisions of generated person variants found by the build: the form is dropped and flagged
on the person, the person stays."""
from __future__ import annotations

from normalise.names.build.compiled import WorldLayer, _check_precision
from normalise.names.gazetteer import Entity


def _layer() -> WorldLayer:
    sharaa = Entity(id="ahmed-al-sharaa", type="person", canonical="Ahmed al-Sharaa", surname="al-Sharaa",
                    given=["Ahmed"], variants=["Ahmed eş-Şara", "eş-Şara", "Scharaa"],
                    generated={"Ahmed eş-Şara": "respell:tr"})
    sara = Entity(id="sara-duterte", type="person", canonical="Sara Duterte", surname="Duterte", given=["Sara"])
    merz = Entity(id="friedrich-merz", type="person", canonical="Friedrich Merz", surname="Merz",
                  given=["Friedrich"], variants=["Metz", "Merts"], generated={"Fridrikh Merts": "via-russian:en"})
    metz = Entity(id="metz", type="place", canonical="Metz", country="FR", kind="city", population=120_000)
    return WorldLayer(entities={e.id: e for e in (sharaa, sara, merz, metz)})


def test_a_generated_surname_that_is_another_persons_given_name_is_dropped_and_flagged():
    layer = _layer()
    _check_precision(layer, lambda word: False)
    sharaa = layer.entities["ahmed-al-sharaa"]
    assert "eş-Şara" not in sharaa.variants
    assert sharaa.flags["eş-Şara"] == "dropped: a given name of sara-duterte"
    assert ("eş-Şara", "ahmed-al-sharaa", "a given name: sara-duterte") in layer.dropped
    assert "Scharaa" in sharaa.variants and "Ahmed eş-Şara" in sharaa.variants  # full names stay


def test_a_generated_person_form_that_is_a_place_is_dropped_and_flagged():
    layer = _layer()
    _check_precision(layer, lambda word: False)
    merz = layer.entities["friedrich-merz"]
    assert "Metz" not in merz.variants and "Merts" in merz.variants
    assert merz.flags["metz"] == "dropped: also a place: metz"
    assert set(layer.entities) == {"ahmed-al-sharaa", "sara-duterte", "friedrich-merz", "metz"}  # no one dropped


def test_a_generated_place_form_that_is_another_places_name_is_dropped_and_flagged():
    kolkata = Entity(id="kolkata", type="place", canonical="Kolkata", variants=["Kalkutta", "Calcutta"],
                     country="IN", kind="city", population=4_600_000)
    kozhikode = Entity(id="kozhikode", type="place", canonical="Kozhikode", variants=["Kalkutta", "Kalikut"],
                       country="IN", kind="city", population=550_000,
                       generated={"Kalkutta": "russian>de", "Kalikut": "russian>en"})
    layer = WorldLayer(entities={"kolkata": kolkata, "kozhikode": kozhikode})
    _check_precision(layer, lambda word: False)
    assert "Kalkutta" not in kozhikode.variants and "Kalikut" in kozhikode.variants
    assert kozhikode.flags["Kalkutta"] == "dropped: another place's name: kolkata"
    assert layer.rank("Kalkutta") == [kolkata]
