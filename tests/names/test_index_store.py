"""The names index file keeps its entities and large tables compact and decodes each entry on
first use: a loaded index answers as the built one, with one object per entity and form; entities
added after loading are indexed as before; a file whose stored parts do not fit together is
rebuilt, never read as other data."""
from __future__ import annotations

import logging
import pickle

import pytest

from normalise.names import NameUnifier, index_cache, index_store
from normalise.names.gazetteer import GazetteerError, add_files, load_gazetteer
from normalise.names.index import NameIndex

TEXT = ("Präsident Wladimir Putin sprach mit Selenskyj. President Zelensky met Chancellor Scholz "
        "in Kyiv; Emmanuel Macron and Xi Jinping were not there. Vladimir Putin later called Medinsky.")


@pytest.fixture(scope="module")
def built() -> NameIndex:
    return NameIndex(load_gazetteer(world=False))


def _round_trip(index: NameIndex) -> NameIndex:
    return pickle.loads(pickle.dumps(index))


def _forms(table) -> dict:
    return {key: [(f.entity.id, f.surface, f.context) for f in forms] for key, forms in table.items()}


def _mentions(index: NameIndex, text: str = TEXT) -> tuple[list[str], list[str], list[dict]]:
    """The names stage's output over `text` with this index: texts, changes, candidates."""
    results, candidates = NameUnifier(index=index).unify_blocks([text, "Медведев и Путин в Кремле."], None)
    return [out for out, _ in results], [repr(c) for _, changes in results for c in changes], candidates


def test_a_loaded_index_holds_the_built_tables_in_compact_containers(built):
    loaded = _round_trip(built)
    assert isinstance(loaded.english.exact, index_store.LazyTable)
    assert isinstance(loaded.gazetteer.entities, index_store.LazyEntities)
    for name in ("exact", "norm"):
        assert _forms(getattr(loaded.english, name)) == _forms(getattr(built.english, name))
    assert _forms(loaded.key_forms) == _forms(built.key_forms)
    assert [(e.id, rest) for e, rest in loaded.fuzzy_meta] == [(e.id, rest) for e, rest in built.fuzzy_meta]
    assert list(loaded.gazetteer.entities) == list(built.gazetteer.entities)
    assert dict(loaded.gazetteer.entities) == built.gazetteer.entities  # field by field


def test_each_entity_and_form_is_one_object_however_it_is_reached(built):
    loaded = _round_trip(built)
    entities = loaded.gazetteer.entities
    tables = [loaded.english.exact, loaded.english.norm, loaded.key_forms]
    forms = [f for table in tables for bucket in table.values() for f in bucket]
    assert forms and all(f.entity is entities[f.entity.id] for f in forms)
    assert all(ent is entities[ent.id] for ent, _ in loaded.fuzzy_meta)
    # a form listed under several keys and tables (exact and folded) is the same object, as when built
    shared_built = _shared_forms(built)
    assert shared_built and _shared_forms(loaded) == shared_built
    key = next(iter(loaded.english.exact))
    assert loaded.english.exact[key] is loaded.english.exact.get(key)


def _shared_forms(index: NameIndex) -> set:
    exact = {id(f): f for bucket in index.english.exact.values() for f in bucket}
    norm = {id(f): f for bucket in index.english.norm.values() for f in bucket}
    return {(f.entity.id, f.surface) for i, f in exact.items() if i in norm}


def test_a_loaded_index_finds_the_same_names_and_only_decodes_what_it_looks_up(built):
    loaded = _round_trip(built)
    assert _mentions(built)[1]  # the text's names are changed (unified)
    assert _mentions(loaded) == _mentions(built)
    store = loaded.gazetteer.entities._store
    assert 0 < len(store._entities) < len(store.ids) / 4


def test_entities_added_after_loading_are_indexed_as_in_the_built_index(built, tmp_path):
    user = tmp_path / "user.yaml"
    user.write_text("entities:\n"
                    "  - {id: test-quill, type: person, canonical: Ada Quillfeather, given: [Ada], surname: Quillfeather}\n"
                    "  - {id: vladimir-putin, variants: [Putinovich]}\n", encoding="utf-8")
    fresh, loaded = NameIndex(load_gazetteer(world=False)), _round_trip(built)
    for index in (fresh, loaded):
        index.add_entities(add_files(index.gazetteer, [user]))
    text = "Ada Quillfeather met Putinovich. " + TEXT
    assert "met Putin." in _mentions(loaded, text)[0][0]  # the variant added to a stored entity
    assert _mentions(loaded, text) == _mentions(fresh, text)
    again = _round_trip(loaded)  # pickled again with its additions
    assert _mentions(again, text) == _mentions(fresh, text)


def test_reading_a_user_file_into_a_loaded_index_decodes_only_the_entities_it_names(built, tmp_path):
    user = tmp_path / "user.yaml"
    user.write_text("entities:\n  - {id: vladimir-putin, variants: [Putinovich]}\n", encoding="utf-8")
    loaded = _round_trip(built)
    store = loaded.gazetteer.entities._store
    decoded_before = len(store._entities)
    added = add_files(loaded.gazetteer, [user])
    assert [ent.id for ent in added] == ["vladimir-putin"]
    assert len(store._entities) - decoded_before == 1  # no walk over every entity
    loaded.add_entities(added)
    assert "met Putin." in _mentions(loaded, "Zelensky met Putinovich.")[0][0]


def test_a_user_file_on_a_loaded_index_still_cannot_merge_declared_confusables(built, tmp_path):
    user = tmp_path / "bad.yaml"
    user.write_text("entities:\n  - id: volodymyr-zelenskyy\n    variants: [Zelenska]\n", encoding="utf-8")
    loaded = _round_trip(built)
    with pytest.raises(GazetteerError, match="olena-zelenska"):
        loaded.add_entities(add_files(loaded.gazetteer, [user]))


@pytest.mark.parametrize("damage", ["entity offsets", "table rows", "form entity"])
def test_stored_parts_that_do_not_fit_together_fail_to_load(built, damage):
    state = built.__getstate__()
    if damage == "entity offsets":
        state["gazetteer"].entities._store.entity_data.ends.append(10**9)
    elif damage == "table rows":
        state["english"].exact._rows.append(len(state["english"].exact._store.form_entity) + 5)
        state["english"].exact._ends[-1] += 1
    else:
        state["gazetteer"].entities._store.form_entity[0] = 10**6
    blob = pickle.dumps(state)
    with pytest.raises(ValueError, match="names index"):
        pickle.loads(blob)


def test_an_index_file_that_does_not_fit_together_is_rebuilt(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("NEWS_INGEST_CACHE", str(tmp_path))
    path = index_cache.index_path(world=False)
    index_cache.load_index(world=False)
    blob = path.read_bytes()
    entities = index_cache.load_index(world=False).gazetteer.entities
    data = entities._store.entity_data.data
    start = blob.index(data[:64])  # the entities' stored bytes, cut short by one byte in place
    path.write_bytes(blob[:start - 8] + (len(data) - 1).to_bytes(8, "little") + data[:-1] + blob[start + len(data):])
    with caplog.at_level(logging.WARNING):
        index = index_cache.load_index(world=False)
    assert "unreadable" in caplog.text
    assert _mentions(index) == _mentions(NameIndex(load_gazetteer(world=False)))
    assert isinstance(index_cache.load_index(world=False).gazetteer.entities, index_store.LazyEntities)  # rewritten
