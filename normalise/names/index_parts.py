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


class _Pickler(pickle.Pickler):
    def __init__(self, fh, entities: dict[str, Entity]):
        super().__init__(fh, protocol=pickle.HIGHEST_PROTOCOL)
        self._entities = entities

    def persistent_id(self, obj: Any) -> str | None:
        if type(obj) is Entity and self._entities.get(obj.id) is obj:
            return obj.id
        return None  # not one of the gazetteer's entities: pickled in full


class _Unpickler(pickle.Unpickler):
    def __init__(self, fh, entities: dict[str, Entity]):
        super().__init__(fh)
        self._entities = entities

    def persistent_load(self, pid: Any) -> Entity:
        try:
            return self._entities[pid]
        except (KeyError, TypeError):
            raise pickle.UnpicklingError(f"names index part refers to unknown entity {pid!r}") from None


def pack(fields: dict[str, Any], entities: dict[str, Entity]) -> bytes:
    buf = io.BytesIO()
    _Pickler(buf, entities).dump(fields)
    return buf.getvalue()


def unpack(blob: bytes, entities: dict[str, Entity]) -> dict[str, Any]:
    with gc_paused():
        fields = _Unpickler(io.BytesIO(blob), entities).load()
    gc.freeze()  # long-lived, like the rest of the index (index_cache._freeze)
    if not isinstance(fields, dict) or set(fields) != set(LAZY_FIELDS):
        raise pickle.UnpicklingError("names index part holds other fields than " + ", ".join(LAZY_FIELDS))
    return fields
