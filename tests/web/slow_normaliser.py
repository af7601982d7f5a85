"""A normaliser that holds its batch until the test releases it (picked by dotted path, as
NEWS_NORMALISE_FACTORY picks one): stands in for a slow translation model."""
from __future__ import annotations

import threading

from normalise.record import Record

RELEASE = threading.Event()
STARTED = threading.Event()


class SlowNormaliser:
    def __init__(self, config):
        self.config = config

    def normalise_many(self, docs):
        STARTED.set()
        RELEASE.wait(timeout=120)
        for doc in docs:
            yield Record(id=doc.id, url=doc.url, text=doc.text or "", text_en=doc.text or "")
