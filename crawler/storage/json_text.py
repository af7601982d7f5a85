"""Records as JSON text for the stores: orjson, ~7x faster than the standard library on a
record with hundreds of blocks (the store thread's biggest serialisation cost per page).

Same JSON as `json.dumps(ensure_ascii=False)` except spacing, with two differences that only
make it more valid: NaN and infinities become null (PostgreSQL's JSONB rejects them), and
non-string dict keys are written as strings. A value orjson cannot write (an integer beyond
64 bits, an unknown type) falls back to the standard library, which writes it or says why not.
"""
from __future__ import annotations

import json
from typing import Any

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps(value: Any) -> str:
    try:
        return orjson.dumps(value, option=_OPTIONS).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError subclasses TypeError
        return json.dumps(value, ensure_ascii=False)
