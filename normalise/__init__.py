"""Normalise scraped news pages: clean article text, English translation, canonical names.

Pure library: never imports Scrapy. For one page:

    >>> import normalise
    >>> record = normalise.normalise("<html>...</html>", url="https://example.test/a")
    >>> record.text_en, [n.canonical for n in record.names]

`normalise_many` batches many pages; `Normaliser` gives full control; `python -m normalise`
is the command line.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from normalise.api import normalise, normalise_many
from normalise.config import NormaliserConfig
from normalise.inputs import InputDocument
from normalise.record import Block, NameChange, Record, RecordError
from normalise.version import PIPELINE_VERSION

if TYPE_CHECKING:
    from normalise.pipeline import Normaliser

__all__ = [
    "PIPELINE_VERSION",
    "Block",
    "InputDocument",
    "NameChange",
    "Normaliser",
    "NormaliserConfig",
    "Record",
    "RecordError",
    "normalise",
    "normalise_many",
]


def __getattr__(name: str) -> Any:
    if name == "Normaliser":  # lazy: importing the package must stay cheap for the crawler
        from normalise.pipeline import Normaliser

        return Normaliser
    raise AttributeError(f"module 'normalise' has no attribute {name!r}")
