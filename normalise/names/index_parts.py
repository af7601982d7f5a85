"""The names index's source-language part (the `source` form table and the CJK forms), pickled
on its own inside the index so that loading the index does not build it.

Only the translation stage's name protector reads that part, and it is about 40% of the index
file: a process that translates nothing (English pages, `--no-translate`) never unpickles it,
and one that does pays for it at the first protected text instead of before its first page.
Entities are stored by id and resolved against the loaded gazetteer, so the part refers to
the very Entity objects the rest of the index uses (identity is what the index compares).
"""
from __future__ import annotations

import gc
import io
import pickle
from typing import Any

from normalise.names.gazetteer import Entity
from normalise.names.pickle_cache import gc_paused

LAZY_FIELDS = ("_source", "_cjk")


def _gazetteer_entity(eid: str) -> Entity:
    """What the part stores for one of the gazetteer's entities (its id); _Unpickler resolves it."""
    raise pickle.UnpicklingError(f"entity {eid!r}: a names index part is read with index_parts.unpack")


class _Pickler(pickle.Pickler):
    def __init__(self, fh, entities: dict[str, Entity]):
        super().__init__(fh, protocol=pickle.HIGHEST_PROTOCOL)
        self._entities = entities

    def reducer_override(self, obj: Any) -> Any:
        # A reduction, unlike a persistent id, is memoised: each entity is resolved once per load,
        # and its ~100,000 further references are plain memo lookups.
        if type(obj) is Entity and self._entities.get(obj.id) is obj:
            return _gazetteer_entity, (obj.id,)
        return NotImplemented  # not one of the gazetteer's entities: pickled in full


class _Unpickler(pickle.Unpickler):
    def __init__(self, fh, entities: dict[str, Entity]):
        super().__init__(fh)
        self._entities = entities

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == "_gazetteer_entity":
            return self._entity
        return super().find_class(module, name)

    def _entity(self, eid: Any) -> Entity:
        try:
            return self._entities[eid]
        except (KeyError, TypeError):
            raise pickle.UnpicklingError(f"names index part refers to unknown entity {eid!r}") from None


def pack(fields: dict[str, Any], entities: dict[str, Entity]) -> bytes:
    buf = io.BytesIO()
    _Pickler(buf, entities).dump(fields)
    return buf.getvalue()


def unpack(blob: bytes, entities: dict[str, Entity]) -> dict[str, Any]:
    with gc_paused():
        fields = _Unpickler(io.BytesIO(blob), entities).load()
        if not isinstance(fields, dict) or set(fields) != set(LAZY_FIELDS):
            raise pickle.UnpicklingError("names index part holds other fields than " + ", ".join(LAZY_FIELDS))
        # Long-lived, like the rest of the index (index_cache._freeze); frozen before the collector
        # runs again, whose first young collection would otherwise walk every object just unpickled.
        gc.freeze()
    return fields
