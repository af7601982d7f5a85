"""Normalise scraped news pages: clean article text, English translation, canonical names.

Pure library: never imports Scrapy. Entry points: `Normaliser` and `python -m normalise`.
"""
from normalise.config import NormaliserConfig
from normalise.inputs import InputDocument
from normalise.record import Block, NameChange, Record

__all__ = ["Block", "InputDocument", "NameChange", "NormaliserConfig", "Record", "Normaliser"]


def __getattr__(name):
    if name == "Normaliser":  # lazy: importing the package must stay cheap for the crawler
        from normalise.pipeline import Normaliser

        return Normaliser
    raise AttributeError(name)
