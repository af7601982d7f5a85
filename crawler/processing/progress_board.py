"""Which page each normaliser worker process is on, and since when, in shared memory.

The crawl process gives each batch a number; a worker process writes (batch, page index in the
batch or -1 while a stage covers the whole batch, monotonic time the stage started) into its own
slot as the normaliser reports progress. The crawl process reads the slots to apply the deadline
to the page that is taking the time, not to the batch: a stalled page is identified and its
batch-mates are sent again without it, instead of each being retried alone behind it.

No locks: a worker writes the start time first and the batch number last, and the reader reads in
the opposite order, so a torn read can only see a stage younger than it is (a late deadline, never
an early one). CLOCK_MONOTONIC is shared by every process of the machine.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

_FIELDS = 3  # batch, page, started
IDLE = 0.0
WHOLE_BATCH = -1


@dataclass(frozen=True)
class Mark:
    batch: int
    page: int | None  # None: a stage covering every page of the batch (translation)
    started: float


class ProgressBoard:
    def __init__(self, context, slots: int):
        self.slots = slots
        self._cells = context.RawArray("d", _FIELDS * slots)
        self._claimed = context.Value("i", 0)
        self._slot: int | None = None  # in a worker process: the slot it writes to

    def __getstate__(self) -> dict[str, Any]:
        return {"slots": self.slots, "_cells": self._cells, "_claimed": self._claimed, "_slot": None}

    # -- in a worker process -------------------------------------------------------------------
    def claim(self) -> None:
        with self._claimed.get_lock():
            self._slot = self._claimed.value % self.slots
            self._claimed.value += 1

    def mark(self, batch: int, page: int | None) -> None:
        if self._slot is None:
            return
        base = _FIELDS * self._slot
        self._cells[base + 2] = time.monotonic()
        self._cells[base + 1] = WHOLE_BATCH if page is None else page
        self._cells[base] = batch

    def idle(self) -> None:
        if self._slot is not None:
            self._cells[_FIELDS * self._slot] = IDLE

    # -- in the crawl process ------------------------------------------------------------------
    def marks(self) -> list[Mark]:
        found = []
        for slot in range(self.slots):
            base = _FIELDS * slot
            batch = self._cells[base]
            page = self._cells[base + 1]
            started = self._cells[base + 2]
            if batch != IDLE:
                found.append(Mark(int(batch), None if page == WHOLE_BATCH else int(page), started))
        return found
