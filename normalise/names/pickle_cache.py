"""Compiled names data kept as pickle files in the cache directory (the world layer, the
matcher's index): loaded with the cyclic garbage collector paused, written atomically, built by
one process at a time, and other versions of the same file pruned by age and count.

Files are named `<stem>-<key>.pickle` (prune also serves other cache files named
`<stem>-<key><suffix>`, such as the stop-word table's). Several keys of one stem live side by side: two
checkouts or versions sharing a cache directory each keep their own file instead of deleting
each other's. A file's modification time is its last use (set on each load), and a write removes
the files of other keys of its stem not used for `MAX_AGE_DAYS`, then all but the
`KEEP_FILES` most recently used (the new file included).
"""
from __future__ import annotations

import gc
import logging
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TypeVar

try:
    import fcntl
except ImportError:  # not a POSIX system: no build lock (see `building`)
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")
KEEP_FILES = 3  # files per stem: the current one and the two versions used last
MAX_AGE_DAYS = 14  # another version's file unused this long is removed
_DAY = 86400.0
_log = logging.getLogger(__name__)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Unpickling creates ~1 M objects, none of them garbage: the cyclic collector would run
    dozens of full passes over them; paused, loading is about 3x faster."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_pickled(path: Path, kind: type[T], what: str, *, freeze: bool = False) -> T:
    """The object in `path`; TypeError when it is not a `kind` (`what` names it in the message).
    The file's modification time is set to now: it was used (what pruning goes by). `freeze`:
    the object is kept for the process's life, so it goes to the collector's permanent generation
    (gc.freeze) before the collector runs again, whose first young collection would otherwise walk
    every object just loaded (~0.03 s for the names index)."""
    with gc_paused():
        with open(path, "rb") as fh:
            obj = pickle.load(fh)
        if not isinstance(obj, kind):
            raise TypeError(f"{path} does not hold {what}")
        if freeze:
            gc.freeze()
    try:
        os.utime(path)
    except OSError:  # a read-only cache directory: the file is used, only not marked
        pass
    return obj


def write_pickled(path: Path, obj: object) -> None:
    """Write `obj` to `path` atomically, then prune (`write_atomically`)."""
    write_atomically(path, lambda fh: pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL))


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a cache file through `write` into a temporary file beside `path`, moved into place
    (a concurrent reader sees the old file or the new one), then prune the other keys' files of
    the same stem (module docstring). OSError when the directory cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{_stem(path)}-")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    prune(path)


def prune(current: Path, *, keep: int = KEEP_FILES, max_age_days: float = MAX_AGE_DAYS) -> list[Path]:
    """Remove the other keys' files of `current`'s stem that were not used for `max_age_days`,
    then the least recently used beyond `keep` files in all; also temporary files a killed
    writer left, a day old. Returns the files removed."""
    stem = _stem(current)
    now = time.time()
    others = []
    for other in current.parent.glob(f"{stem}-*{current.suffix}"):
        if other != current and (used := _mtime(other)) is not None:
            others.append((used, other))
    others.sort(reverse=True)  # most recently used first
    stale = [p for used, p in others if now - used > max_age_days * _DAY]
    stale += [p for _, p in others[max(keep - 1, 0):] if p not in stale]
    stale += [p for p in current.parent.glob(f".{stem}-*") if now - (_mtime(p) or now) > _DAY]
    for path in stale:
        path.unlink(missing_ok=True)
        _log.info("removed %s (another version's cache file, not used recently)", path)
    return stale


@contextmanager
def building(path: Path) -> Iterator[None]:
    """Held while a process builds `path`: another process that needs the same stem waits here,
    then finds the file written (the callers look again once they hold it). An fcntl lock on
    `.<stem>.lock` beside it, released when the holder exits or dies. Where there is no fcntl
    or the directory cannot be written, nothing is locked: each process builds its own (logged)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(path.parent / f".{_stem(path)}.lock", "a+b")  # noqa: SIM115 -- closed below
    except OSError as exc:
        _log.warning("no build lock in %s (%s): another process may build %s at the same time",
                     path.parent, exc, path.name)
        yield
        return
    with fh:
        if fcntl is None:
            _log.warning("no file locks on this platform: another process may build %s at the same time", path.name)
            yield
            return
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _log.warning("waiting for another process building %s", path.name)
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _stem(path: Path) -> str:
    return path.name.rsplit("-", 1)[0]  # the name up to its key


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another process's pruning
        return None
