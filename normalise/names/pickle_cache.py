"""Compiled names data kept as pickle files in the cache directory (the world layer, the
matcher's index): loaded with the cyclic garbage collector paused, written atomically, older
versions of the same file removed."""
from __future__ import annotations

import contextlib
import gc
import os
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@contextlib.contextmanager
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


def load_pickled(path: Path, kind: type[T], what: str) -> T:
    """The object in `path`; TypeError when it is not a `kind` (`what` names it in the message)."""
    with gc_paused(), open(path, "rb") as fh:
        obj = pickle.load(fh)
    if not isinstance(obj, kind):
        raise TypeError(f"{path} does not hold {what}")
    return obj


def write_pickled(path: Path, obj: object) -> None:
    """Write `obj` to `path` atomically (a concurrent reader sees the old file or the new one),
    then remove superseded files: same name up to the last '-', another key after it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    stem = path.name.rsplit("-", 1)[0]
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{stem}-")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for old in path.parent.glob(f"{stem}-*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
