"""The batch CLI's worker processes (`--jobs N`): pages are normalised in chunks by N processes and
their records come back in input order, the same bytes as with one process.

Workers start with forkserver (a fresh process forked from a small server, not from the CLI, which
may already hold threads and models: a forked copy of a thread's lock can hang the child) and build
their own Normaliser on their first chunk. A worker that dies (killed, segfault, out of memory)
loses no page: its chunk is normalised again page by page, each page alone; a page that kills a
worker alone too gets a `worker_died` error record and the rest go on.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace

from normalise.batches import batches
from normalise.config import JOB_CHUNKS_PER_WORKER, JOB_WORKER_BYTES, NormaliserConfig
from normalise.inputs import InputDocument
from normalise.interrupts import SIGNAL_POLL_SECONDS
from normalise.record import Record

# Test hook: a worker given the page with this id exits at once (as a killed one would).
EXIT_ON_PAGE_ENV = "NORMALISE_TEST_WORKER_EXIT_ON"

# A record as written: its JSON line (no newline) and whether it is a failed one.
Line = tuple[str, bool]

# A record's dict is fresh plain data (Record.to_dict), never cyclic: the encoder's cycle check
# (a set of ids, kept for every list and dict) only costs time; the bytes are the same.
_RECORD_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def encode(record: Record) -> Line:
    return _RECORD_JSON.encode(record.to_dict()), record.error is not None


def unavailable(doc: InputDocument, exc: BaseException) -> Record:
    """The record of a page whose normaliser could not be built."""
    return Record.failed(doc.id, "internal_error", "the normaliser could not be loaded: "
                         f"{type(exc).__name__}: {exc}", url=doc.url, canonical_url=doc.url,
                         source=doc.source, fetched_at=doc.fetched_at)


def _worker_died(doc: InputDocument) -> Record:
    return Record.failed(doc.id, "worker_died", "the worker process normalising this page died twice (killed, "
                         "crashed or out of memory), the second time with this page alone", url=doc.url,
                         canonical_url=doc.url, source=doc.source, fetched_at=doc.fetched_at)


class Terminated(BaseException):
    """SIGTERM arrived (raised in the main thread by the handler `--jobs N` installs)."""


# --- how many workers ---------------------------------------------------------------------------

def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def available_memory() -> int | None:
    """MemAvailable from /proc/meminfo, in bytes; None where there is none."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def auto_jobs(cores: int | None = None, memory: int | None = None, per_worker: int = JOB_WORKER_BYTES) -> int:
    """The usable cores, but no more workers than the available memory holds at `per_worker` bytes each."""
    cores = usable_cores() if cores is None else cores
    memory = available_memory() if memory is None else memory
    fit = cores if memory is None else memory // per_worker
    return max(1, min(cores, fit))


def worker_bytes(config: NormaliserConfig) -> int:
    """The memory one worker may need: a worker's measured peak without translation (JOB_WORKER_BYTES)
    and, when translating, the installed translation models of the configured languages, each of
    which a worker loads on its first page in that language and keeps."""
    if not config.translate:
        return JOB_WORKER_BYTES
    from normalise.translate import argos_provider

    return JOB_WORKER_BYTES + argos_provider(config).model_bytes()


def worker_config(config: NormaliserConfig, jobs: int, cores: int | None = None) -> NormaliserConfig:
    """Each worker's config: with CTranslate2's default thread count (config.threads 0: four per
    translator), N workers would run 4N translation threads whatever the cores; the workers share
    the usable cores instead (at least one thread each). A thread count the user set is kept."""
    if config.threads or jobs <= 1:
        return config
    cores = usable_cores() if cores is None else cores
    return replace(config, threads=max(1, cores // jobs))


def parse_jobs(value: str, config: NormaliserConfig | None = None) -> int:
    """`--jobs`: a whole number >= 1 or "auto" (workers of `worker_bytes(config)` each); ValueError says why not."""
    if value == "auto":
        return auto_jobs(per_worker=JOB_WORKER_BYTES if config is None else worker_bytes(config))
    try:
        jobs = int(value)
    except ValueError:
        raise ValueError(f"--jobs takes a number of processes or 'auto', not {value!r}") from None
    if jobs < 1:
        raise ValueError(f"--jobs must be at least 1 (or 'auto'), not {jobs}")
    return jobs


# --- inside a worker ----------------------------------------------------------------------------

@dataclass
class UsageError:
    """A worker found a user file (gazetteer, lexicon) or option unusable: the CLI's usage error."""

    message: str


_state: dict[str, object] = {}


def _start(config: NormaliserConfig) -> None:
    """Runs first in each worker. Ctrl-C in a terminal reaches every process of the group: only
    the CLI handles it (and stops the workers). A worker whose CLI is gone exits."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _state["config"] = config
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), name="parent-watch", daemon=True).start()


def _exit_with(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()
    os._exit(1)


def _normaliser():
    if "normaliser" not in _state:
        from normalise.pipeline import Normaliser

        try:
            _state["normaliser"] = Normaliser(_state["config"])
        except Exception as exc:  # noqa: BLE001 -- each page says why
            _state["normaliser"] = exc
    return _state["normaliser"]


def _work(docs: list[InputDocument]) -> list[Line] | UsageError:
    """Normalise one chunk in a worker."""
    exit_on = os.environ.get(EXIT_ON_PAGE_ENV)
    if exit_on and any(doc.id == exit_on for doc in docs):
        os._exit(70)
    from normalise.boilerplate import LexiconError
    from normalise.extract.peers import PeerUnavailable
    from normalise.names.gazetteer import GazetteerError

    normaliser = _normaliser()
    if isinstance(normaliser, (GazetteerError, LexiconError, PeerUnavailable)):
        return UsageError(str(normaliser))
    if isinstance(normaliser, Exception):
        return [encode(unavailable(doc, normaliser)) for doc in docs]
    return [encode(record) for record in normaliser.normalise_many(docs)]


# --- in the CLI ---------------------------------------------------------------------------------

class Pool:
    """The worker processes; a new set replaces one a dead worker broke. As a context manager,
    every worker is stopped on exit, whatever happened."""

    def __init__(self, jobs: int, config: NormaliserConfig):
        self.jobs = jobs
        self._config = worker_config(config, jobs)
        self._executor: ProcessPoolExecutor | None = None
        self.generation = 0  # which set of workers a future was sent to

    def submit(self, docs: list[InputDocument]) -> tuple[Future, int]:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("forkserver"),
                                                 initializer=_start, initargs=(self._config,))
            self.generation += 1
        try:
            return self._executor.submit(_work, docs), self.generation
        except BrokenProcessPool:
            self.replace(self.generation)
            return self.submit(docs)

    def replace(self, generation: int) -> None:
        """The workers of `generation` are broken: the next chunk starts new ones."""
        if generation == self.generation and self._executor is not None:
            self._stop()

    def _stop(self) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        # ProcessPoolExecutor has no public way to stop a worker in the middle of a chunk.
        for process in list(getattr(executor, "_processes", {}).values()):
            if process.is_alive():
                process.kill()
        executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()


@dataclass
class _Chunk:
    items: list[InputDocument | Record]
    future: Future | None = None  # None: nothing in it to normalise
    generation: int = 0
    lines: list[Line] | None = field(default=None)
    written: int = 0  # lines handed out: after Ctrl-C, the rest of a chunk being written still is

    @property
    def docs(self) -> list[InputDocument]:
        return [x for x in self.items if isinstance(x, InputDocument)]

    def done(self) -> bool:
        return self.future is None or self.future.done()


def _wait(future: Future, at_most: float | None = None) -> None:
    """Wait for `future` (or `at_most` seconds) in a way Ctrl-C always interrupts
    (interrupts.wait's reason)."""
    while True:
        try:
            future.exception(timeout=SIGNAL_POLL_SECONDS if at_most is None else at_most)
            return
        except FutureTimeout:
            if at_most is not None:
                return
            continue
        except CancelledError:  # cancelled: done as well
            return


class Ordered:
    """Sends chunks to the pool, at most JOB_CHUNKS_PER_WORKER per worker at a time, and gives
    back their records' lines in input order."""

    def __init__(self, pool: Pool, on_usage_error: Callable[[str], None]):
        self._pool = pool
        self._window: deque[_Chunk] = deque()
        self._on_usage_error = on_usage_error
        self._failure: Exception | None = None  # what the last chunk raised in its worker, if it raised

    def run(self, items: Iterable[InputDocument | Record], more_now: Callable[[], bool]) -> Iterator[Line]:
        for items_ in batches(items, more_now):
            self._window.append(self._send(items_))
            yield from self._write_ready(more_now)
        while self._window:
            yield from self._finish_head()

    def _write_ready(self, more_now: Callable[[], bool]) -> Iterator[Line]:
        """Write the chunks done in order. While the next input has not arrived, write each chunk
        as it finishes (a producer may wait for these answers) and read again as soon as the input
        is there (the workers are kept busy); wait for the first chunk when all are out."""
        limit = self._pool.jobs * JOB_CHUNKS_PER_WORKER
        while self._window:
            head = self._window[0]
            if head.done() or len(self._window) >= limit:
                yield from self._finish_head()
            elif more_now():
                return
            elif head.future is not None:
                _wait(head.future, SIGNAL_POLL_SECONDS / 4)

    def done_in_order(self) -> Iterator[Line]:
        """After an interrupt: the lines of the chunks already done, up to the first that is not."""
        while self._window and self._window[0].done():
            chunk = self._window[0]
            if self._lines(chunk) is None:
                return
            yield from self._hand_out(chunk)

    def _send(self, items: list[InputDocument | Record]) -> _Chunk:
        chunk = _Chunk(items)
        docs = chunk.docs
        if docs:
            chunk.future, chunk.generation = self._pool.submit(docs)
        return chunk

    def _finish_head(self) -> Iterator[Line]:
        chunk = self._window[0]
        if chunk.future is not None:
            _wait(chunk.future)
        if self._lines(chunk) is None:
            self._retry(chunk)
        yield from self._hand_out(chunk)

    def _hand_out(self, chunk: _Chunk) -> Iterator[Line]:
        """The head chunk's lines not handed out yet; the chunk leaves the window after its last."""
        lines = chunk.lines or []
        while chunk.written < len(lines):
            chunk.written += 1
            yield lines[chunk.written - 1]
        self._window.popleft()

    def _lines(self, chunk: _Chunk) -> list[Line] | None:
        """The chunk's lines in item order, or None when its worker died."""
        if chunk.lines is None:
            result = self._result(chunk.future, chunk.generation) if chunk.future is not None else []
            if result is None:
                return None
            chunk.lines = self._merge(chunk.items, iter(result))
        return chunk.lines

    def _result(self, future: Future, generation: int) -> list[Line] | None:
        try:
            result = future.result()
        except (BrokenProcessPool, CancelledError):  # cancelled: its workers were stopped as broken
            self._pool.replace(generation)
            return None
        except Exception as exc:  # noqa: BLE001 -- raised outside a page's own handling: retried like a death
            self._failure = exc
            return None
        if isinstance(result, UsageError):
            self._on_usage_error(result.message)
        return result

    def _lost(self, doc: InputDocument) -> Record:
        if self._failure is None:
            return _worker_died(doc)
        return Record.failed(doc.id, "internal_error", f"normalising this page failed in its worker process: "
                             f"{type(self._failure).__name__}: {self._failure}", url=doc.url,
                             canonical_url=doc.url, source=doc.source, fetched_at=doc.fetched_at)

    @staticmethod
    def _merge(items: list[InputDocument | Record], lines: Iterator[Line]) -> list[Line]:
        return [next(lines) if isinstance(x, InputDocument) else encode(x) for x in items]

    def _retry(self, chunk: _Chunk) -> None:
        """A worker died on this chunk: each page alone (once every other chunk sent has settled,
        so that a death is this page's alone)."""
        for other in list(self._window)[1:]:
            if other.future is not None:
                _wait(other.future)
        lines: list[Line] = []
        for doc in chunk.docs:
            self._failure = None
            future, generation = self._pool.submit([doc])
            _wait(future)
            result = self._result(future, generation)
            lines.extend(result if result is not None else [encode(self._lost(doc))])
        chunk.lines = self._merge(chunk.items, iter(lines))
