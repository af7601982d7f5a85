"""An exclusive, non-blocking lock on a file: the SQLite store's scheduler run lock."""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from crawler.storage.errors import LockHeld


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An fcntl lock on `path`, released on exit or when the process dies; `LockHeld` names the
    holder (its pid and since when) when another process has it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            raise LockHeld(f"another scheduled run holds the lock {path} (holder: {holder})") from None
        fh.seek(0)
        fh.truncate()
        since = datetime.now(timezone.utc).isoformat(timespec="seconds")
        fh.write(f"pid {os.getpid()} since {since}\n")
        fh.flush()
        yield
