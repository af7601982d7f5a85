"""Stores for pages and records, picked by one URL (see crawler/storage/factory.py)."""
from __future__ import annotations

from crawler.storage.base import (
           FetchState,
           PageToStore,
           SaveOutcome,
           Store,
           StoreCounts,
           StoredPage,
)
from crawler.storage.factory import StoreConfigError, open_store, store_from_settings

__all__ = ["FetchState", "PageToStore", "SaveOutcome", "Store", "StoreConfigError", "StoreCounts",
           "StoredPage", "open_store", "store_from_settings"]
