"""The names index's source-language part is pickled on its own and unpickled on first use:
the loaded index answers exactly as the built one, and its part refers to the same entities."""
from __future__ import annotations

import pickle

import pytest

from normalise.names.gazetteer import load_gazetteer
from normalise.names.index import NameIndex
from normalise.names.protect import GazetteerProtector, ProtectedLog

TEXTS = [("ru", "Президент Владимир Путин встретился с Зеленским в Киеве."),
         ("zh", "普京与泽连斯基在基辅会面。"),
         ("de", "Bundeskanzler Scholz traf Selenskyj in Kiew.")]


@pytest.fixture(scope="module")
def built() -> NameIndex:
    return NameIndex(load_gazetteer(world=False))


def _forms(table) -> dict:
    return {key: [(f.entity.id, f.surface, f.context) for f in forms] for key, forms in table.exact.items()}


def test_a_loaded_index_unpacks_its_source_part_only_when_asked(built):
    loaded = pickle.loads(pickle.dumps(built))
    assert loaded._source is None and loaded._cjk is None and loaded._packed
    assert _forms(loaded.source) == _forms(built.source)
    assert {k: (e.id, r) for k, (e, r) in loaded.cjk.items()} == {k: (e.id, r) for k, (e, r) in built.cjk.items()}
    assert loaded._packed is None  # unpacked once, the bytes are let go


def test_the_unpacked_part_refers_to_the_loaded_gazetteers_entities(built):
    loaded = pickle.loads(pickle.dumps(built))
    entities = loaded.gazetteer.entities
    forms = [f for bucket in loaded.source.exact.values() for f in bucket]
    assert forms and all(f.entity is entities[f.entity.id] for f in forms)
    assert all(ent is entities[ent.id] for ent, _ in loaded.cjk.values())


def test_protection_is_the_same_before_and_after_a_round_trip_also_when_pickled_again_still_packed(built):
    once = pickle.loads(pickle.dumps(built))
    twice = pickle.loads(pickle.dumps(once))  # pickled with its part still packed
    for index in (once, twice):
        for _, text in TEXTS:
            assert (GazetteerProtector(index, ProtectedLog()).find(text)
                    == GazetteerProtector(built, ProtectedLog()).find(text))
    assert GazetteerProtector(built, ProtectedLog()).find(TEXTS[0][1])  # the texts do hold known names


def test_a_part_naming_an_unknown_entity_is_an_unpickling_error(built):
    loaded = pickle.loads(pickle.dumps(built))
    loaded.gazetteer.entities = {}
    with pytest.raises(pickle.UnpicklingError, match="unknown entity"):
        _ = loaded.source
