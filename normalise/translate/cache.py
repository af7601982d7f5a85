"""Persistent translation cache: SQLite, keyed by model id + source sentence.

Syndicated wire copy and recurring site chrome repeat sentences across articles and
runs; a sentence already translated by a model is never sent to that model again.
The key is the text exactly as given to the model (after name protection), so the
restore step still runs on every use. Safe to share between processes (WAL mode): each process
has its own connection, also a process forked from one that had opened the cache (an SQLite
connection must not be used across a fork), which opens its own on first use.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

_CHUNK = 500  # keep each query well under SQLite's bound-parameter limit


class TranslationCache:
    def __init__(self, path: Path | str | None):
        """path None or ':memory:' gives a cache that lives as long as this object."""
        self.path = ":memory:" if path in (None, ":memory:") else str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        if self.path != ":memory:":
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS translations (model TEXT NOT NULL, source TEXT NOT NULL, "
            "target TEXT NOT NULL, PRIMARY KEY (model, source)) WITHOUT ROWID")
        db.commit()
        return db

    def _locked(self) -> threading.Lock:
        """The lock, after making sure this process has its own connection. In a forked child the
        parent's connection is left alone, never closed (that could release the parent's file
        locks), and so is the lock, which a thread of the parent may have held at the fork."""
        if self._pid != os.getpid():
            self._pid = os.getpid()
            self._lock = threading.Lock()
            self._db = self._connect()
        return self._lock

    @classmethod
    def open_or_memory(cls, path: Path | str | None) -> tuple[TranslationCache, str | None]:
        """Open the file cache; if that is impossible, a memory cache and the reason (never fail a run)."""
        try:
            return cls(path), None
        except (OSError, sqlite3.Error) as exc:
            log.warning("translation cache %s unusable (%s); using a memory cache for this run", path, exc)
            return cls(None), f"translation cache {path} unusable: {exc}"

    def get_many(self, model: str, sources: Iterable[str]) -> dict[str, str]:
        sources = list(dict.fromkeys(sources))
        found: dict[str, str] = {}
        with self._locked():
            for i in range(0, len(sources), _CHUNK):
                chunk = sources[i:i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT source, target FROM translations WHERE model = ? AND source IN ({marks})",
                    [model, *chunk])
                found.update(rows)
        return found

    def put_many(self, model: str, pairs: dict[str, str]) -> None:
        if not pairs:
            return
        with self._locked():
            self._db.executemany("INSERT OR REPLACE INTO translations (model, source, target) VALUES (?, ?, ?)",
                                 [(model, s, t) for s, t in pairs.items()])
            self._db.commit()

    def __len__(self) -> int:
        with self._locked():
            return self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]

    def close(self) -> None:
        with self._locked():
            self._db.close()
