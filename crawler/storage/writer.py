"""The crawl's page saves on one dedicated thread, in the order they were submitted.

Why a thread: a save (compress the page, serialise the record, near-duplicate lookup, the
database round trips and commit) took the reactor thread for milliseconds per page, during
which nothing was downloaded or handed to the normaliser. On its own thread the reactor goes on
meanwhile, and the waits on the database (PostgreSQL round trips, commits) release the GIL.

Why one thread: jobs run strictly one after another in submission order, exactly as they did
inline, so a page's near-duplicate lookup sees every page submitted before it, and a job's
failure affects that job alone. The thread opens its own store (SQLite connections belong to
the thread that made them; PostgreSQL gets a connection of its own) the first time it needs it.

`StoreUnavailable` (the database is gone after the store's own retries) or `StoreWriteFailed`
(it cannot write: disk full, read-only, I/O error; mapped here from the backend's error) fails that job and
every job still queued, at once, without touching the database again: the store guard stops the
crawl on the first one, and waiting out the retry policy once per queued page would only delay
that. Nothing is half-written: every save is one transaction.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from crawler.storage.errors import StoreUnavailable, as_write_failure

log = logging.getLogger(__name__)


def _is_store_unavailable(exc: BaseException) -> bool:
    return isinstance(exc, StoreUnavailable)


class StoreWriter:
    """`run(fn, *args)` calls `fn(store, *args)` on the store thread; returns a Deferred with its result.

    `open_store` makes the thread's store; `close_hooks` are called on the thread (with the
    store) before it is closed, e.g. to close other connections the jobs opened there.
    """

    def __init__(self, open_store: Callable[[], Any], *, reactor=None, name: str = "news-store"):
        from twisted.python.threadpool import ThreadPool

        if reactor is None:
            from twisted.internet import reactor
        self._reactor = reactor
        self._open_store = open_store
        self._store = None
        self._unavailable: BaseException | None = None
        self.close_hooks: list[Callable[[Any], None]] = []
        self.cpu_seconds = 0.0  # CPU time of the jobs, on the store thread (the bench reports it)
        self._pool = ThreadPool(minthreads=1, maxthreads=1, name=name)
        self._pool.start()
        self._closed = None

    def run(self, fn: Callable, *args):
        from twisted.internet import threads

        if self._closed is not None:
            raise RuntimeError("the store writer is closed")
        return threads.deferToThreadPool(self._reactor, self._pool, self._call, fn, args)

    # -- on the store thread ---------------------------------------------------------------------
    def _call(self, fn: Callable, args: tuple):
        if self._unavailable is not None:
            raise self._unavailable
        started = time.thread_time()
        try:
            if self._store is None:
                self._store = self._open_store()
            return fn(self._store, *args)
        except BaseException as exc:
            cannot_write = as_write_failure(exc)
            if cannot_write is not None and cannot_write is not exc:
                self._unavailable = cannot_write
                raise cannot_write from exc
            if _is_store_unavailable(exc):
                self._unavailable = exc
            raise
        finally:
            self.cpu_seconds += time.thread_time() - started

    def _shutdown(self) -> None:
        store, self._store = self._store, None
        if store is None:
            return
        for hook in self.close_hooks:
            try:
                hook(store)
            except Exception:
                log.debug("a store-thread close hook failed", exc_info=True)
        try:
            store.close()
        except Exception:
            log.debug("closing the store thread's store failed", exc_info=True)

    # -- shutdown --------------------------------------------------------------------------------
    def close(self):
        """A Deferred firing once every submitted job has run and the thread's store is closed."""
        from twisted.internet import defer, threads

        if self._closed is None:
            d = threads.deferToThreadPool(self._reactor, self._pool, self._shutdown)

            def stop(result):
                self._pool.stop()  # the queue is empty: joins at once
                return result

            self._closed = d.addBoth(stop)
            self._closed.addErrback(lambda f: log.error("closing the store thread failed: %s", f.value))
        d = defer.Deferred()
        self._closed.addBoth(lambda result: d.callback(None) or result)
        return d
