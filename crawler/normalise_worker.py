"""Run the normaliser off the reactor thread, in batches.

Items arriving close together are normalised together (`Normaliser.normalise_many`), so
translation batches across documents; one worker thread keeps the normaliser's models
single-threaded while the reactor keeps downloading.
"""
from __future__ import annotations

from twisted.internet import defer, reactor
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool


class NormaliseWorker:
    def __init__(self, normaliser, batch_size: int = 16, max_wait: float = 0.05):
        self.normaliser = normaliser
        self.batch_size = batch_size
        self.max_wait = max_wait
        self._pool = ThreadPool(minthreads=1, maxthreads=1, name="normaliser")
        self._pool.start()
        self._pending: list = []
        self._timer = None

    def submit(self, doc) -> defer.Deferred:
        """A Deferred firing with the Record for `doc` (always a record: errors are inside it)."""
        d = defer.Deferred()
        self._pending.append((doc, d))
        if len(self._pending) >= self.batch_size:
            self._flush()
        elif self._timer is None:
            self._timer = reactor.callLater(self.max_wait, self._flush)
        return d

    def _flush(self) -> None:
        if self._timer is not None and self._timer.active():
            self._timer.cancel()
        self._timer = None
        batch, self._pending = self._pending, []
        if not batch:
            return
        docs = [doc for doc, _ in batch]
        run = deferToThreadPool(reactor, self._pool, lambda: list(self.normaliser.normalise_many(docs)))

        def deliver(records):
            for (_, d), record in zip(batch, records):
                d.callback(record)

        def fail(failure):
            for _, d in batch:
                d.errback(failure)

        run.addCallbacks(deliver, fail)

    def close(self) -> None:
        self._flush()
        self._pool.stop()
