"""The names index's large tables kept compact in its cache file, each entry decoded on first use.

Unpickled as Python objects, the gazetteer's ~40,000 entities and the ~100,000 forms of the
English form table were most of the CPU a process spent before its first page, though a page
looks up only a few hundred of them. In the file they are stored here as a few byte strings
with offsets: an entity as the pickle of its field values, a form as its entity's number, its
surface and its context variant's position. The tables keep their keys (the lookups stay plain
dict lookups) and, per key, the numbers of its forms. An entity or form is built the first time
a lookup reaches it and remembered, so every lookup returns the very same object (the matcher
compares entities and forms by identity).

Only the file's layout changes: `pack_state` turns a built index's fields into these containers
and they behave as the dicts and lists they replace (mutable too, for entities and forms added
after loading from user gazetteer files). A file whose parts do not fit together (offsets past
the data, counts that differ) fails to load with ValueError, which index_cache treats as an
unreadable file: it is rebuilt.
"""
from __future__ import annotations

import dataclasses
import operator
import pickle
from array import array
from collections.abc import Iterable, Iterator, MutableMapping
from typing import Any, cast

from normalise.names.gazetteer import Entity, Gazetteer
from normalise.names.index import Form, FormTable

ENTITY_FIELDS = tuple(f.name for f in dataclasses.fields(Entity))
_NO_CONTEXT = -1
_MISSING: Any = object()


class Chunks:
    """Byte strings stored end to end, with their end offsets."""

    def __init__(self, items: Iterable[bytes]):
        data = bytearray()
        self.ends = array("Q")
        for item in items:
            data += item
            self.ends.append(len(data))
        self.data = bytes(data)

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, i: int) -> bytes:
        return self.data[self.ends[i - 1] if i else 0:self.ends[i]]

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if (self.ends[-1] if self.ends else 0) != len(self.data) or not all(
                map(operator.le, self.ends, self.ends[1:])):  # (in C: ~140,000 offsets at each load)
            raise ValueError("names index: stored chunks do not match their offsets")


class Store:
    """The entities and forms one loaded index refers to, each built once on first use."""

    def __init__(self, entities: dict[str, Entity]):
        self.numbers = {eid: n for n, eid in enumerate(entities)}
        self.ids = list(entities)
        self.entity_data = Chunks(pickle.dumps(tuple(getattr(ent, f) for f in ENTITY_FIELDS),
                                               protocol=pickle.HIGHEST_PROTOCOL) for ent in entities.values())
        self.form_entity = array("i")
        self.form_context = array("i")
        self.form_surface = Chunks(())
        self._form_numbers: dict[int, int] = {}  # while packing: id(form) -> its number
        self._forms_packing: list[Form] = []  # keeps the forms numbered by id() alive while packing
        self._surfaces: list[bytes] = []
        self._entities: dict[int, Entity] = dict(enumerate(entities.values()))
        self._forms: dict[int, Form] = {}

    def entity(self, n: int) -> Entity:
        ent = self._entities.get(n)
        if ent is None:  # setdefault: two threads decoding at once still share one object
            ent = self._entities.setdefault(n, Entity(*pickle.loads(self.entity_data[n])))
        return ent

    def form(self, n: int) -> Form:
        form = self._forms.get(n)
        if form is None:
            ent = self.entity(self.form_entity[n])
            position = self.form_context[n]
            context = ent.context_variants[position] if position != _NO_CONTEXT else None
            form = self._forms.setdefault(n, Form(ent, self.form_surface[n].decode("utf-8"), context))
        return form

    def form_number(self, form: Form) -> int:
        """The number of a form while packing (each distinct form object stored once)."""
        n = self._form_numbers.get(id(form))
        if n is None:
            n = self._form_numbers[id(form)] = len(self._forms_packing)
            self._forms_packing.append(form)
            self._forms[n] = form
            self.form_entity.append(self.entity_number(form.entity))
            self.form_context.append(_context_position(form))
            self._surfaces.append(form.surface.encode("utf-8"))
        return n

    def entity_number(self, ent: Entity) -> int:
        n = self.numbers.get(ent.id)
        if n is None or self._entities[n] is not ent:
            raise ValueError(f"names index: form of {ent.id!r}, an entity not in the gazetteer")
        return n

    def finish_packing(self) -> None:
        self.form_surface = Chunks(self._surfaces)
        self._surfaces, self._form_numbers, self._forms_packing = [], {}, []

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._entities, self._forms = {}, {}
        if not len(self.ids) == len(self.numbers) == len(self.entity_data):
            raise ValueError("names index: entity ids and entity data differ in number")
        if not len(self.form_entity) == len(self.form_context) == len(self.form_surface):
            raise ValueError("names index: form columns differ in length")
        if self.form_entity and not 0 <= min(self.form_entity) <= max(self.form_entity) < len(self.ids):
            raise ValueError("names index: a form refers to an entity number out of range")


def _context_position(form: Form) -> int:
    if form.context is None:
        return _NO_CONTEXT
    for position, cv in enumerate(form.entity.context_variants):
        if cv is form.context:
            return position
    raise ValueError(f"names index: form {form.surface!r} has a context variant its entity does not list")


class LazyEntities(MutableMapping):
    """gazetteer.entities: id -> Entity, in the gazetteer's order; entities added after loading
    (user gazetteer files) are held as given."""

    def __init__(self, store: Store):
        self._store = store
        self._added: dict[str, Entity] = {}

    def __getitem__(self, eid: str) -> Entity:
        n = self._store.numbers.get(eid)
        if n is not None:
            return self._store.entity(n)
        return self._added[eid]

    def get(self, eid, default=None):
        n = self._store.numbers.get(eid)
        return self._store.entity(n) if n is not None else self._added.get(eid, default)

    def __contains__(self, eid: object) -> bool:
        return eid in self._store.numbers or eid in self._added

    def __iter__(self) -> Iterator[str]:
        yield from self._store.ids
        yield from self._added

    def __len__(self) -> int:
        return len(self._store.ids) + len(self._added)

    def __setitem__(self, eid: str, ent: Entity) -> None:
        n = self._store.numbers.get(eid)
        if n is None:
            self._added[eid] = ent
        else:  # the stored entity replaced: forms decoded from now on refer to the new one
            self._store._entities[n] = ent

    def __delitem__(self, eid: str) -> None:
        if eid in self._store.numbers:
            raise TypeError("names index: entities stored in the index file cannot be removed")
        del self._added[eid]


class LazyTable(MutableMapping):
    """A form table's dict (words -> forms): the keys are stored as they are, each key's forms
    as form numbers, built on the key's first lookup."""

    def __init__(self, store: Store, table: dict[Any, list[Form]]):
        self._store = store
        self._slots = {key: n for n, key in enumerate(table)}
        rows = array("i")
        self._ends = array("Q")
        for forms in table.values():
            rows.extend(store.form_number(f) for f in forms)
            self._ends.append(len(rows))
        self._rows = rows
        self._done: dict[Any, list[Form]] = dict(table)

    def get(self, key, default=None):
        forms = self._done.get(key, _MISSING)
        if forms is not _MISSING:
            return forms
        n = self._slots.get(key)
        return default if n is None else self._decode(key, n)

    def _decode(self, key, n: int) -> list[Form]:
        start = self._ends[n - 1] if n else 0
        form = self._store.form
        return self._done.setdefault(key, [form(i) for i in self._rows[start:self._ends[n]]])

    def __getitem__(self, key) -> list[Form]:
        forms = self.get(key, _MISSING)
        if forms is _MISSING:
            raise KeyError(key)
        return forms

    def __contains__(self, key: object) -> bool:
        return key in self._slots or key in self._done

    def __iter__(self) -> Iterator:
        yield from self._slots
        yield from (key for key in list(self._done) if key not in self._slots)

    def __len__(self) -> int:
        return len(self._slots) + sum(1 for key in self._done if key not in self._slots)

    def __setitem__(self, key, forms: list[Form]) -> None:
        self._done[key] = forms

    def __delitem__(self, key) -> None:
        if key in self._slots:
            raise TypeError("names index: stored table entries cannot be removed")
        del self._done[key]

    def setdefault(self, key, default=None):
        forms = self.get(key, _MISSING)
        return self._done.setdefault(key, default) if forms is _MISSING else forms

    def __getstate__(self) -> dict:
        return {"_store": self._store, "_slots": self._slots, "_rows": self._rows, "_ends": self._ends}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._done = {}
        if len(self._ends) != len(self._slots) or (self._ends[-1] if self._ends else 0) != len(self._rows):
            raise ValueError("names index: a table's keys and rows differ")
        if self._rows and not 0 <= min(self._rows) <= max(self._rows) < len(self._store.form_entity):
            raise ValueError("names index: a table refers to a form number out of range")


class LazyEntityPairs:
    """fuzzy_meta: a list of (entity, folded surname prefix), the entity built on first use."""

    def __init__(self, store: Store, pairs: list[tuple[Entity, tuple[str, ...]]]):
        self._store = store
        self._numbers = array("i", (store.entity_number(ent) for ent, _ in pairs))
        self._rest = [rest for _, rest in pairs]
        self._added: list[tuple[Entity, tuple[str, ...]]] = []

    def __len__(self) -> int:
        return len(self._numbers) + len(self._added)

    def __getitem__(self, i: int) -> tuple[Entity, tuple[str, ...]]:
        if i < 0:
            i += len(self)
        if i >= len(self._numbers):
            return self._added[i - len(self._numbers)]
        return self._store.entity(self._numbers[i]), self._rest[i]

    def __iter__(self) -> Iterator[tuple[Entity, tuple[str, ...]]]:
        return (self[i] for i in range(len(self)))

    def append(self, pair: tuple[Entity, tuple[str, ...]]) -> None:
        self._added.append(pair)

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if len(self._numbers) != len(self._rest):
            raise ValueError("names index: fuzzy entities and prefixes differ in number")
        if self._numbers and not 0 <= min(self._numbers) <= max(self._numbers) < len(self._store.ids):
            raise ValueError("names index: a fuzzy key refers to an entity number out of range")


def pack_state(state: dict) -> dict:
    """A NameIndex's pickled state with its entities, English form tables, transliteration-key
    forms and fuzzy entities in the compact containers above (the index itself is unchanged)."""
    gazetteer: Gazetteer = state["gazetteer"]
    store = Store(dict(gazetteer.entities.items()))
    english: FormTable = state["english"]
    # cast: each container stands in for the dict or list it replaces
    exact, norm = (cast(dict, LazyTable(store, dict(getattr(english, name).items()))) for name in ("exact", "norm"))
    key_forms = LazyTable(store, dict(state["key_forms"].items()))
    fuzzy_meta = LazyEntityPairs(store, list(state["fuzzy_meta"]))
    store.finish_packing()
    state = dict(state)
    state["gazetteer"] = dataclasses.replace(gazetteer, entities=cast(dict, LazyEntities(store)))
    state["english"] = dataclasses.replace(english, exact=exact, norm=norm)
    state["key_forms"] = key_forms
    state["fuzzy_meta"] = fuzzy_meta
    return state
