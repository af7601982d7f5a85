"""The matcher's index compiled once and kept on disk, so a process loads it in a fraction of a second.

The file (`names-index-<world|hand>-<key>.pickle` in the cache directory of
normalise.names.build.compiled) is keyed by a hash over everything the index is built from:
the world layer's own build key (people and world YAML, build and transliteration code, data
package versions), lexicon.yaml, the hand-typed gazetteer files and the matcher's code. Any
change makes a new key: the index is rebuilt offline, once, with a log line; other keys' files
stay for the checkouts or versions that use them, pruned by age and count (pickle_cache.py).
Processes that find the file missing build it one at a time: the others wait, then load it.
An unreadable file is rebuilt; an unwritable cache directory only costs the rebuild in the
next process. `python -m normalise build-gazetteer` builds both the
world layer and this file ahead of time.
"""
from __future__ import annotations

import gc
import hashlib
import logging
import pickle
import time
from pathlib import Path

from normalise.names.gazetteer import LEXICON_FILE, default_files, load_gazetteer
from normalise.names.index import NameIndex
from normalise.names.pickle_cache import building, load_pickled, write_pickled

FORMAT = 2  # 2: entities and the large tables stored compactly (index_store.py)
_CODE = [Path(__file__).resolve().parent / name for name in
         ("index.py", "index_parts.py", "index_store.py", "selection.py", "keys.py", "text.py", "gazetteer.py",
          "index_cache.py")]
_log = logging.getLogger(__name__)
# Errors that mean "not a usable index file" (truncated, another format, foreign content).
_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, TypeError, ValueError, ImportError,
               IndexError, KeyError)


def index_key(world: bool) -> str:
    from normalise.names.build.compiled import build_key

    digest = hashlib.sha256(f"{FORMAT}:{int(world)}".encode())
    if world:
        digest.update(build_key().encode())
    for path in [LEXICON_FILE, *default_files(), *_CODE]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def index_path(world: bool = True) -> Path:
    from normalise.names.build.compiled import cache_dir

    return cache_dir() / f"names-index-{'world' if world else 'hand'}-{index_key(world)}.pickle"


def load_index(*, world: bool = True, rebuild: bool = False) -> NameIndex:
    """The index from its compiled file (each call returns an object of its own), built and
    written first if missing, stale or unreadable."""
    path = index_path(world)
    seen = _version(path)
    if not rebuild and seen is not None and (index := _load_if_readable(path)) is not None:
        return index
    with building(path):  # another process building it: wait, then load what it wrote
        if not rebuild and _version(path) not in (None, seen) and (index := _load_if_readable(path)) is not None:
            return index
        return build_index(world, path)


def _version(path: Path) -> tuple[int, int, int] | None:
    """What tells a file written meanwhile from the one seen before (None: no file)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _load_if_readable(path: Path) -> NameIndex | None:
    try:
        return _unpickle(path)
    except _UNREADABLE as exc:
        _log.warning("names index file %s is unreadable (%s): rebuilding it", path, exc)
        return None


def build_index(world: bool = True, path: Path | None = None) -> NameIndex:
    path = path or index_path(world)
    _log.warning("building the names index (%s, once, offline, ~1 min) into %s",
                 "with the world layer" if world else "hand-typed gazetteer", path)
    started = time.perf_counter()
    index = NameIndex(load_gazetteer(world=world))
    try:
        _write(path, index)
    except OSError as exc:  # a read-only cache directory: the index still works, unsaved
        _log.warning("names index not saved to %s (%s)", path, exc)
    _log.info("names index built in %.1f s", time.perf_counter() - started)
    _freeze()
    return index


def _unpickle(path: Path) -> NameIndex:
    index = load_pickled(path, NameIndex, "a names index", freeze=True)
    _freeze()
    return index


def _freeze() -> None:
    # The index is long-lived objects (~1 M once every entry is decoded): left to the cyclic collector, they are walked again
    # and again as they age through its generations (scanning the next documents was 20x
    # slower); frozen, the collector never looks at them (nor at what the process held before).
    gc.freeze()
    # Pages make no reference cycles, yet after a freeze CPython still starts a full collection
    # about every 70,000 allocations (~6% of a batch's CPU, freeing nothing): collect less often.
    gc.set_threshold(50_000, 20, 100)


def _write(path: Path, index: NameIndex) -> None:
    write_pickled(path, index)
