"""Read inputs ahead on a thread, so that whoever consumes them can tell whether the next one is
already here (keep batching) or not yet (a producer on a pipe or terminal is waiting for answers:
process what has arrived now)."""
from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class _End:
    """Put after the last item; `error` is what the reading raised, re-raised to the consumer."""

    error: BaseException | None = None


class ReadAhead(Generic[T]):
    """Iterates `items` on a daemon thread into a queue of at most `depth` items (memory stays
    bounded by `depth` inputs, each of them bounded by the reader's own limits).

    `waiting()` is entered around each wait of the consumer for an item not yet read. On the
    reading thread, `arrived()` is called as each item is queued (before the waiting consumer has
    woken up to take it) and `on_end()` once `items` is exhausted (or raised), before the
    consumer can see the end."""

    def __init__(self, items: Iterable[T], depth: int, *,
                 waiting: Callable[[], contextlib.AbstractContextManager[object]] = contextlib.nullcontext,
                 arrived: Callable[[], None] = lambda: None, on_end: Callable[[], None] = lambda: None):
        self._queue: queue.Queue[T | _End] = queue.Queue(maxsize=depth)
        self._waiting = waiting
        self._arrived = arrived
        self._on_end = on_end
        self._end: _End | None = None
        self._thread = threading.Thread(target=self._read, args=(items,), name="input-read-ahead", daemon=True)
        self._thread.start()

    def _read(self, items: Iterable[T]) -> None:
        end = _End()
        try:
            for item in items:
                self._queue.put(item)
                self._arrived()
        except BaseException as exc:  # noqa: BLE001 -- handed to the consumer, which raises it
            end = _End(exc)
        self._on_end()
        self._queue.put(end)

    def ready(self) -> bool:
        """Whether the next item (or the end) is here now: taking it would not wait."""
        return self._end is not None or not self._queue.empty()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._end is None:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                with self._waiting():
                    item = self._queue.get()
            if not isinstance(item, _End):
                return item
            self._end = item
        if self._end.error is not None:
            error, self._end = self._end.error, _End()
            raise error
        raise StopIteration
