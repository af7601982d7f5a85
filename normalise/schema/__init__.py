"""The record's JSON Schema, and a validator for tests and for users' downstream checks."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).with_name("record.schema.json")


@lru_cache(maxsize=1)
def record_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_record(record: dict) -> None:
    """Raise jsonschema.ValidationError when `record` (a Record.to_dict()) breaks the contract."""
    import jsonschema

    jsonschema.validate(record, record_schema())
