"""Normalise pages one at a time in a worker process, each under its own deadline, without a reactor.

For jobs outside a crawl (`scrapy renormalise --kept-pages`) that re-run pages which already ran
out of time or killed a worker once: each page runs alone, so a deadline or a crash is that page's
own. Past `page_timeout` seconds the worker process is killed and a new one started; the page gets
a `normalise_timeout` record. Starting a worker (loading models) is not charged to any page.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from crawler.processing.orphans import kill_pool_processes
from crawler.processing.worker import (
    NORMALISE_TIMEOUT,
    NORMALISER_CRASHED,
    _normalise_in_worker,
    _start_worker_process,
    _worker_ready,
    failed_record,
)
from normalise.config import NormaliserConfig
from normalise.inputs import InputDocument


class PageRunner:
    def __init__(self, config: NormaliserConfig, *, page_timeout: float | None, factory: str | None = None,
                 start_method: str = "spawn"):
        self.config = config
        self.page_timeout = page_timeout if page_timeout and page_timeout > 0 else None
        self.factory = factory
        self.context = multiprocessing.get_context(start_method)
        self.restarts = 0
        self._pool: ProcessPoolExecutor | None = None

    def _ready_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=self.context,
                                             initializer=_start_worker_process, initargs=(self.config, self.factory))
            self._pool.submit(_worker_ready).result()  # models loaded before any page's clock starts
        return self._pool

    def _replace_pool(self, kill: bool) -> None:
        if self._pool is not None:
            if kill:
                kill_pool_processes(self._pool)
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            self.restarts += 1

    def normalise(self, doc: InputDocument) -> dict:
        """The page's record as a dict; a timeout or a crash is a failed record, never an exception."""
        future = self._ready_pool().submit(_normalise_in_worker, [doc])
        try:
            (record,), _ = future.result(timeout=self.page_timeout)
            return record
        except FutureTimeout:
            self._replace_pool(kill=True)
            return failed_record(doc, NORMALISE_TIMEOUT,
                                 f"normalising this page on its own took longer than the deadline "
                                 f"(NEWS_NORMALISE_PAGE_TIMEOUT = {self.page_timeout} s); the worker process was replaced")
        except BrokenExecutor as exc:
            self._replace_pool(kill=False)
            return failed_record(doc, NORMALISER_CRASHED,
                                 f"the normaliser worker process died while normalising this page on its own "
                                 f"({type(exc).__name__}: {exc}); it was restarted")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> PageRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
