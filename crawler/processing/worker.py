"""Run the normaliser off the reactor thread, in batches, by default in a worker process.

Why a process: the normaliser is CPU-bound Python. In a thread of the crawl process it competes
with Scrapy's reactor thread for the GIL, so downloading, parsing and storing stall while a
batch is normalised. A worker process (`NEWS_NORMALISE_PROCESSES`, default 1) runs it on
another core; pages cross the process boundary pickled, records come back as plain dicts.
`NEWS_NORMALISE_PROCESSES = 0` runs it in one thread of the crawl process instead: slower,
but breakpoints, profilers and logging behave as in a plain script (debugging).

Items arriving close together are normalised together (`Normaliser.normalise_many` over the
batch), so translation batches across pages. Up to two batches per worker are in flight: one
running and the next already queued, so the worker never sits idle while the crawl process
hands back one batch's records and sends the next (that hand-over took 15-20 ms a batch, ~10%
of the worker's time). Pages that arrive meanwhile wait and form the next batch.

A worker process that dies (a native crash in a model, the OOM killer) takes down the batch it
was running and the one queued behind it. Which page killed it is unknown, so each of their
pages is retried alone, with nothing else in flight, in the restarted pool: a page that kills
the worker on its own gets a record whose error is `normaliser_crashed` (the pipeline records it
as a skip, nothing stored is touched); its batch-mates are normalised as usual. After
`NEWS_NORMALISE_MAX_RESTARTS` crashes in a row without a finished batch in between, the worker
gives up (every further page is a `normaliser_crashed` skip) and calls `on_give_up`.

Each page has a deadline (`page_timeout` seconds, NEWS_NORMALISE_PAGE_TIMEOUT), counted on the
worker's progress board (crawler/processing/progress_board.py), which the normaliser updates as it
moves from page to page (`normalise_many(..., progress=...)`). Past one deadline on one page, the
worker processes are killed and replaced, that page gets a record whose error is
`normalise_timeout`, and its batch-mates (and any batch that was queued) go straight back into the
next batch: they wait one deadline plus a worker restart at most. Time in a stage covering the
whole batch (translation), or with a normaliser that reports no progress, is allowed one deadline
per page of the batch; past it the batch goes the way of a crash (each page retried alone, the one
that runs out of time alone is the `normalise_timeout`). Time queued or loading models is never
counted. A timeout is the page's fault, not the worker's: it does not count towards
NEWS_NORMALISE_MAX_RESTARTS.

The in-thread mode (`processes = 0`) cannot stop a running page: it runs without the default
deadline (`page_deadline`) and refuses one asked for explicitly (`thread_mode_problem`) rather than
promise what it cannot keep.

Worker processes exit when the crawl process dies, even by SIGKILL (crawler/processing/orphans.py).
"""
from __future__ import annotations

import gc
import importlib
import inspect
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import (
    BrokenExecutor,
    CancelledError,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
)
from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from crawler import defaults
from crawler.processing.orphans import exit_with_parent, kill_pool_processes
from crawler.processing.progress_board import ProgressBoard
from normalise.config import NormaliserConfig
from normalise.inputs import InputDocument
from normalise.record import Record

log = logging.getLogger(__name__)

NORMALISER_CRASHED = "normaliser_crashed"
NORMALISER_FAILED = "internal_error"  # same code the normaliser gives a stage bug on one page
NORMALISE_TIMEOUT = "normalise_timeout"

# Lazily loaded models (language identification, the names gazetteer) take seconds on first use.
_WARM_UP = InputDocument(
    id="warm-up", url="http://warm-up.invalid/", expected_languages=["en"],
    html=b"<html lang='en'><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1>"
         b"<p>The council met on Monday to discuss the new bridge over the river, officials said.</p>"
         b"<p>A decision is expected next month after a public consultation on the costs.</p>"
         b"</article></body></html>")


def build_normaliser(config: NormaliserConfig, factory: str | None = None):
    """The normaliser: `factory` is the dotted path of a callable taking the config
    (default normalise.pipeline.Normaliser)."""
    if factory:
        module, _, name = factory.rpartition(".")
        if not module:
            raise ValueError(f"NEWS_NORMALISE_FACTORY must be a dotted path (module.name), got {factory!r}")
        make = getattr(importlib.import_module(module), name)
    else:
        from normalise.pipeline import Normaliser as make
    return make(config)


def warm_up(normaliser) -> None:
    """Load every model now (models load lazily; one page alone would not reach the language guard's
    out-of-scope models), then run one page so the first real batch pays no first-use cost."""
    try:
        load_models = getattr(normaliser, "warm_up", None)  # a custom NEWS_NORMALISE_FACTORY may lack it
        if load_models is not None:
            load_models()
        normaliser.normalise(_WARM_UP)
    except Exception:  # a failing warm-up only means the first real batch pays the load time
        log.exception("normaliser warm-up failed")


def timed_batch(normaliser, docs: list[InputDocument], progress: Callable | None = None) -> tuple[list[dict], float]:
    """(the batch's records as plain dicts, seconds spent normalising them): the crawl's stats
    separate the normaliser's own time from the time batches spend crossing between processes.

    Why dicts: unpickling ~200 Block dataclasses per page took the crawl process ~2 ms of CPU per
    page (holding the GIL, in the pool's result thread) and converting them another 0.6 ms; a
    dict of plain values unpickles in 0.2 ms. The worker pays the same either way (converting
    and pickling dicts costs what pickling the dataclasses did)."""
    started = time.monotonic()
    extra = {"progress": progress} if progress is not None else {}
    records = [r.to_dict() for r in normaliser.normalise_many(docs, chunk_size=max(len(docs), 1), **extra)]
    return records, time.monotonic() - started


def reports_progress(normaliser) -> bool:
    """Whether `normalise_many` takes a `progress` callback (a custom NEWS_NORMALISE_FACTORY may not)."""
    try:
        return "progress" in inspect.signature(normaliser.normalise_many).parameters
    except (TypeError, ValueError):
        return False


# -- inside a worker process ---------------------------------------------------------------------
_process_normaliser = None
_board: ProgressBoard | None = None
_with_progress = False


def _start_worker_process(config: NormaliserConfig, factory: str | None, board: ProgressBoard | None = None) -> None:
    """Pool initializer: one Normaliser per process, built and warmed up once."""
    global _process_normaliser, _board, _with_progress
    exit_with_parent()
    # Ctrl-C reaches the whole process group; the crawl process shuts the pool down cleanly itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _process_normaliser = build_normaliser(config, factory)
    warm_up(_process_normaliser)
    _with_progress = reports_progress(_process_normaliser)
    if board is not None:
        board.claim()
        _board = board
    # The models and caches loaded so far live as long as the process: keep the garbage
    # collector's full passes from walking them after every few batches (~4% of the worker's time).
    gc.freeze()


def _normalise_in_worker(docs: list[InputDocument], batch: int = 0) -> tuple[list[dict], float]:
    board = _board
    if board is None or not batch:
        return timed_batch(_process_normaliser, docs)
    board.mark(batch, None)  # until the normaliser reports a page, the time is the batch's
    try:
        return timed_batch(_process_normaliser, docs,
                           (lambda page: board.mark(batch, page)) if _with_progress else None)
    finally:
        board.idle()


def _worker_ready() -> int:
    return os.getpid()


# -- in the crawl process ------------------------------------------------------------------------
def page_deadline(settings: BaseSettings) -> float:
    """NEWS_NORMALISE_PAGE_TIMEOUT as the worker applies it. The in-thread mode (a thread cannot be
    stopped) drops a deadline that only comes from the defaults or the settings module, so that
    `-s NEWS_NORMALISE_PROCESSES=0` alone starts a debugging run; one given on the command line or
    by a spider stays, and thread_mode_problem refuses it."""
    timeout = settings.getfloat("NEWS_NORMALISE_PAGE_TIMEOUT", defaults.NEWS_NORMALISE_PAGE_TIMEOUT)
    processes = settings.getint("NEWS_NORMALISE_PROCESSES", defaults.NEWS_NORMALISE_PROCESSES)
    asked_for = (settings.getpriority("NEWS_NORMALISE_PAGE_TIMEOUT") or 0) > SETTINGS_PRIORITIES["project"]
    if processes == 0 and not asked_for:
        return 0.0
    return timeout


def thread_mode_problem(processes: int, page_timeout: float | None) -> str | None:
    """Why these settings cannot run, or None: a thread cannot be stopped, so the in-thread mode
    has no page deadline, and a crawl configured with one must not believe it has."""
    if processes == 0 and page_timeout and page_timeout > 0:
        return (f"NEWS_NORMALISE_PROCESSES = 0 runs the normaliser in a thread, which cannot be stopped, so "
                f"NEWS_NORMALISE_PAGE_TIMEOUT = {page_timeout:g} cannot be enforced; set NEWS_NORMALISE_PAGE_TIMEOUT = 0 "
                "(no page deadline: one page that never finishes stalls the crawl) or NEWS_NORMALISE_PROCESSES = 1")
    return None


def failed_record(doc: InputDocument, code: str, message: str) -> dict:
    return Record.failed(doc.id, code, message, url=doc.url, canonical_url=doc.url,
                         source=doc.source, fetched_at=doc.fetched_at).to_dict()


class NormaliseWorker:
    """`submit(doc)` returns a Deferred firing with that page's record as a dict (`Record.to_dict`;
    a failure is its "error": {"code", "message"}).

    `clock` (callLater) and `call_in_main` (callFromThread) default to the Twisted reactor;
    unit tests pass their own to drive the batching logic without a running reactor.
    """

    def __init__(self, config: NormaliserConfig, *, processes: int = 1, batch_size: int = 16,
                 max_wait: float = 0.05, factory: str | None = None, max_restarts: int = 3,
                 start_method: str = "spawn", on_give_up: Callable[[str], None] | None = None,
                 page_timeout: float | None = None, clock=None, call_in_main: Callable | None = None):
        if processes < 0:
            raise ValueError(f"NEWS_NORMALISE_PROCESSES must be 0 (in-thread) or more, got {processes}")
        problem = thread_mode_problem(processes, page_timeout)
        if problem is not None:
            raise ValueError(problem)
        if clock is None or call_in_main is None:
            from twisted.internet import reactor
            clock = clock or reactor
            call_in_main = call_in_main or reactor.callFromThread
        self.config = config
        self.processes = processes
        self.batch_size = max(1, batch_size)
        self.max_wait = max_wait
        self.factory = factory
        self.max_restarts = max_restarts
        self.start_method = start_method
        self.on_give_up = on_give_up
        self.page_timeout = page_timeout if page_timeout and page_timeout > 0 else None
        self.timeouts = 0  # batches whose worker was killed for running past their deadline
        # Pages sent again, in a new batch, after a deadline killed the worker under them (the
        # stalled page's batch-mates, and batches that had not started or were on another worker).
        self.resent = 0
        self.retried_alone = 0  # pages retried one at a time (the stalled page was not known)
        self._batches = 0  # numbers the batches on the progress board
        self._watch_call = None
        self._clock = clock
        self._call_in_main = call_in_main
        self._slots = 2 * max(processes, 1)  # per worker: one running, one queued
        self._pending: list[tuple[InputDocument, Any]] = []
        # Pages of a batch that died with its worker: retried one at a time, alone.
        self._suspects: list[tuple[InputDocument, object]] = []
        self._running: set[Future] = set()
        self._timer = None
        self._crashes = 0  # in a row, without a finished batch in between
        self.restarts = 0
        # Seconds during which at least one batch was out (dispatched, records not yet back).
        self.busy_seconds = 0.0
        self._busy_since = 0.0
        # Seconds the normaliser spent on batches, summed (busy minus the crossing between processes).
        self.working_seconds = 0.0
        self.ready_at: float | None = None  # monotonic time the first worker reported ready
        self.gave_up: str | None = None
        self._closing = None
        self._thread_normaliser = None
        self._executor = self._start_pool()

    # -- pool ------------------------------------------------------------------------------------
    def _start_pool(self):
        if self.processes == 0:
            if self._thread_normaliser is None:
                self._thread_normaliser = build_normaliser(self.config, self.factory)
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="normaliser")
            self._track(executor.submit(warm_up, self._thread_normaliser), executor, [])
            return executor
        context = multiprocessing.get_context(self.start_method)
        board = ProgressBoard(context, self.processes) if self.page_timeout is not None else None
        executor = ProcessPoolExecutor(
            max_workers=self.processes, mp_context=context,
            initializer=_start_worker_process, initargs=(self.config, self.factory, board))
        executor._news_board = board
        # Spawn (and warm up) the workers now, while the crawl fetches robots.txt and sitemaps.
        for _ in range(self.processes):
            self._track(executor.submit(_worker_ready), executor, [])
        return executor

    def _run(self, executor, docs: list[InputDocument], number: int) -> Future:
        if self.processes == 0:
            return executor.submit(timed_batch, self._thread_normaliser, docs)
        return executor.submit(_normalise_in_worker, docs, number)

    # -- batching --------------------------------------------------------------------------------
    def submit(self, doc: InputDocument):
        from twisted.internet import defer

        if self.gave_up is not None:
            return defer.succeed(failed_record(doc, NORMALISER_CRASHED, self.gave_up))
        d: defer.Deferred = defer.Deferred()
        self._pending.append((doc, d))
        self._dispatch(urgent=False)
        return d

    def _busy(self) -> int:
        return sum(1 for f in self._running if getattr(f, "_news_batch", None))

    def _dispatch(self, urgent: bool) -> None:
        if self._suspects and self.gave_up is None:
            # A suspect runs alone: if the worker dies now, that page killed it.
            if not self._busy():
                self.retried_alone += 1
                self._send([self._suspects.pop(0)], alone=True)
            return
        while self._pending and self._busy() < self._slots and self.gave_up is None:
            if not urgent and len(self._pending) < self.batch_size:
                if self._timer is None:
                    self._timer = self._clock.callLater(self.max_wait, self._timer_fired)
                return
            batch, self._pending = self._pending[:self.batch_size], self._pending[self.batch_size:]
            self._send(batch)
        if not self._pending and self._timer is not None:
            if self._timer.active():
                self._timer.cancel()
            self._timer = None

    def _send(self, batch: list, alone: bool = False) -> None:
        executor = self._executor
        self._batches += 1
        future: Any  # carries the batch's bookkeeping (_news_* attributes) with it
        try:
            future = self._run(executor, [doc for doc, _ in batch], self._batches)
        except (BrokenExecutor, RuntimeError) as exc:  # the pool broke before we noticed
            future = Future()
            future.set_exception(exc if isinstance(exc, BrokenExecutor) else BrokenExecutor(str(exc)))
        future._news_number = self._batches
        future._news_alone = alone
        future._news_timed_out = False
        future._news_stalled_page = None
        self._track(future, executor, batch)
        if self.page_timeout is not None and self.processes and self._watch_call is None:
            self._watch_call = self._clock.callLater(self._watch_interval(), self._watch)

    # -- deadline --------------------------------------------------------------------------------
    def _watch_interval(self) -> float:
        return min(max((self.page_timeout or 0) / 10, 0.05), 1.0)

    def _watch(self) -> None:
        """Read the progress board: a page stage older than one deadline, or a stage covering the
        whole batch older than one deadline per page in it, has its worker killed. Time spent
        queued or loading models is on no board, so it is never charged to a page."""
        self._watch_call = None
        executor = self._executor
        board = getattr(executor, "_news_board", None)
        if board is None or getattr(executor, "_news_killed", False):
            return  # the next batch sent to the new pool starts watching again
        running: dict[int, Any] = {getattr(f, "_news_number", 0): f for f in self._running
                                   if getattr(f, "_news_batch", None)}
        now = time.monotonic()
        for mark in board.marks():
            future = running.get(mark.batch)
            if future is None:
                continue  # finished meanwhile; its records are on their way
            pages = 1 if mark.page is not None else len(getattr(future, "_news_batch", ()))
            if now - mark.started > (self.page_timeout or 0) * pages:
                self._deadline_passed(future, executor, mark.page)
                return
        if running:
            self._watch_call = self._clock.callLater(self._watch_interval(), self._watch)

    def _deadline_passed(self, future: Any, executor, page: int | None) -> None:
        """Kill the worker processes: the pool breaks, and every batch out comes back as a crash."""
        future._news_timed_out = True
        future._news_stalled_page = page
        executor._news_killed = True
        self.timeouts += 1
        pages = 1 if page is not None else len(getattr(future, "_news_batch", ()))
        log.warning("normalising %d page(s) ran past the deadline (%.0f s a page); replacing the worker",
                    pages, self.page_timeout or 0)
        kill_pool_processes(executor)

    def _resend(self, entries: list) -> None:
        """Pages that did nothing wrong, caught in a pool killed for another page: first in line."""
        self.resent += len(entries)
        self._pending[:0] = entries

    def _timer_fired(self) -> None:
        self._timer = None
        self._dispatch(urgent=True)

    def _track(self, future: Any, executor, batch: list) -> None:
        future._news_batch = batch  # empty for the start-up/warm-up job
        if batch and not self._busy():
            self._busy_since = time.monotonic()
        self._running.add(future)
        future.add_done_callback(lambda f: self._call_in_main(self._finished, f, executor, batch))

    # -- results ---------------------------------------------------------------------------------
    def _finished(self, future: Future, executor, batch: list) -> None:
        self._running.discard(future)
        if batch and not self._busy():
            self.busy_seconds += time.monotonic() - self._busy_since
        elif not batch and self.ready_at is None:
            self.ready_at = time.monotonic()
        docs = [doc for doc, _ in batch]
        try:
            result = future.result()
            records = []
            if batch:  # not a start-up job (which only says the worker is up and warm)
                records, seconds = result
                self.working_seconds += seconds
            if len(records) != len(docs):
                raise RuntimeError(f"normaliser returned {len(records)} records for {len(docs)} pages")
        except BrokenExecutor as exc:
            batch, records = self._broken(future, executor, batch, exc)
        except CancelledError:  # only start-up jobs are ever cancelled (pool shut down or replaced)
            records = [failed_record(doc, NORMALISER_CRASHED, "normaliser pool shut down") for doc in docs]
        except Exception as exc:  # not a crash: a bug outside the per-page guards of the normaliser
            log.error("normalising a batch of %d page(s) failed: %s: %s", len(docs), type(exc).__name__, exc)
            records = [failed_record(doc, NORMALISER_FAILED, f"{type(exc).__name__}: {exc}") for doc in docs]
        else:
            if docs:
                self._crashes = 0
        # Hand the worker its next batch before the results are processed: each callback stores
        # its page, and the worker would otherwise sit idle through all of those saves.
        self._dispatch(urgent=True)
        for (_, d), record in zip(batch, records, strict=False):
            d.callback(record)
        self._dispatch(urgent=True)  # pages that arrived during the callbacks
        self._maybe_closed()

    def _broken(self, future: Any, executor, batch: list, exc: BaseException) -> tuple[list, list[dict]]:
        """A batch whose worker died or was killed: (the entries answered now, their records). The
        others are sent again, alone when which page was at fault is unknown."""
        alone = getattr(future, "_news_alone", False)
        timed_out = getattr(future, "_news_timed_out", False)
        killed = getattr(executor, "_news_killed", False)
        stalled = getattr(future, "_news_stalled_page", None) if timed_out else None
        message = self._crashed(executor, exc, len(batch), alone, timed_out, killed=killed,
                                known_page=stalled is not None)
        if not batch or self.gave_up is not None:
            code = NORMALISE_TIMEOUT if timed_out else NORMALISER_CRASHED
            return batch, [failed_record(doc, code, message) for doc, _ in batch]
        if killed and not timed_out:  # killed for another batch's page: this one did nothing wrong
            self._resend(batch)
            return [], []
        if stalled is not None and 0 <= stalled < len(batch):
            self._resend(batch[:stalled] + batch[stalled + 1:])
            return [batch[stalled]], [failed_record(batch[stalled][0], NORMALISE_TIMEOUT, message)]
        if not alone:
            self._suspects.extend(batch)  # each retried alone; answered then
            return [], []
        code = NORMALISE_TIMEOUT if timed_out else NORMALISER_CRASHED
        return batch, [failed_record(doc, code, message) for doc, _ in batch]

    def _crashed(self, executor, exc: BaseException, pages: int, alone: bool = False,
                 timed_out: bool = False, killed: bool = False, known_page: bool = False) -> str:
        """Restart the pool after it broke; returns the message for the pages of this batch.
        `killed`: the pool was killed for a batch past its deadline, which is no crash.
        `known_page`: the worker's progress showed which page of the batch ran out of time."""
        where = "worker process" if self.processes else "normaliser thread"
        what = ("this page on its own (retried alone after its batch died)" if alone
                else f"this page (in a batch of {pages}; the others were sent again without it)" if known_page
                else f"a batch of {pages} page(s)")
        if timed_out:
            message = (f"normalising {what} took longer than the deadline (NEWS_NORMALISE_PAGE_TIMEOUT = "
                       f"{self.page_timeout} s a page); the worker process was replaced")
        else:
            message = (f"the normaliser {where} died while normalising {what} ({type(exc).__name__}: {exc}); "
                       "the pool was restarted")
        if executor is not self._executor:
            return message  # this crash was already handled (one break fails every batch in flight)
        if killed:
            executor.shutdown(wait=False, cancel_futures=True)
            self.restarts += 1
            self._executor = self._start_pool()
            return message
        self._crashes += 1
        executor.shutdown(wait=False, cancel_futures=True)
        if self._crashes > self.max_restarts:
            self.gave_up = (f"the normaliser {where} died {self._crashes} times in a row "
                            f"(NEWS_NORMALISE_MAX_RESTARTS = {self.max_restarts}); not restarted. Last: {exc}")
            log.error("%s", self.gave_up)
            waiting, self._pending, self._suspects = self._suspects + self._pending, [], []
            for doc, d in waiting:
                d.callback(failed_record(doc, NORMALISER_CRASHED, self.gave_up))
            if self.on_give_up is not None:
                self.on_give_up(self.gave_up)
            return message.replace("the pool was restarted", "the pool was not restarted")
        log.error("%s (restart %d)", message, self.restarts + 1)
        self.restarts += 1
        self._executor = self._start_pool()
        return message

    # -- shutdown --------------------------------------------------------------------------------
    def close(self):
        """A Deferred firing once every submitted page has its record and the pool has stopped."""
        from twisted.internet import defer

        if self._closing is None:
            self._closing = defer.Deferred()
            self._dispatch(urgent=True)
            self._maybe_closed()
        return self._closing

    def _maybe_closed(self) -> None:
        if self._closing is None or self._closing.called:
            return
        if self._pending or self._suspects or self._busy():
            return
        for call in (self._timer, self._watch_call):
            if call is not None and call.active():
                call.cancel()
        self._timer = self._watch_call = None
        # Idle pool: joining its processes takes milliseconds. A warm-up job still running
        # (a crawl that found nothing to fetch) is cancelled with the process.
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._closing.callback(None)
