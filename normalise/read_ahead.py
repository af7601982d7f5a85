"""Read inputs ahead on a thread, so that whoever consumes them can tell whether the next one is
already here (keep batching) or not yet (a producer on a pipe or terminal is waiting for answers:
process what has arrived now)."""
from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from normalise import interrupts

T = TypeVar("T")


@dataclass(frozen=True)
class _End:
    """Put after the last item; `error` is what the reading raised, re-raised to the consumer."""

    error: BaseException | None = None


class ReadAhead(Generic[T]):
    """Iterates `items` on a daemon thread into a queue of at most `depth` items and `max_bytes`
    bytes, as `size(item)` counts them: memory stays bounded by the bytes queued, whatever each
    item's own limit. An item larger than `max_bytes` is still taken, alone in the queue.

    `waiting()` is entered around each wait of the consumer for an item not yet read. On the
    reading thread, `arrived()` is called as each item is queued (before the waiting consumer has
    woken up to take it) and `on_end()` once `items` is exhausted (or raised), before the
    consumer can see the end."""

    def __init__(self, items: Iterable[T], depth: int, *, max_bytes: int | None = None,
                 size: Callable[[T], int] = lambda item: 0,
                 waiting: Callable[[], contextlib.AbstractContextManager[object]] = contextlib.nullcontext,
                 arrived: Callable[[], None] = lambda: None, on_end: Callable[[], None] = lambda: None):
        self._depth = depth
        self._max_bytes = max_bytes
        self._size = size
        self._queue: deque[tuple[T | _End, int]] = deque()  # with each item's size
        self._queued_bytes = 0
        self._changed = threading.Condition()  # an item was queued or taken
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
                self._put(item, self._size(item))
                self._arrived()
        except BaseException as exc:  # noqa: BLE001 -- handed to the consumer, which raises it
            end = _End(exc)
        self._on_end()
        self._put(end, 0)

    def _put(self, item: T | _End, size: int) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self._has_room(size))
            self._queue.append((item, size))
            self._queued_bytes += size
            self._changed.notify_all()

    def _has_room(self, size: int) -> bool:
        if not self._queue:
            return True
        fits = self._max_bytes is None or self._queued_bytes + size <= self._max_bytes
        return fits and len(self._queue) < self._depth

    def ready(self) -> bool:
        """Whether the next item (or the end) is here now: taking it would not wait."""
        return self._end is not None or bool(self._queue)

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._end is None:
            if self._queue:
                item = self._take()
            else:
                with self._waiting():
                    item = self._take()
            if not isinstance(item, _End):
                return item
            self._end = item
        if self._end.error is not None:
            error, self._end = self._end.error, _End()
            raise error
        raise StopIteration

    def _take(self) -> T | _End:
        with self._changed:
            interrupts.wait_for(self._changed, lambda: self._queue)  # the consumer is the main thread
            item, size = self._queue.popleft()
            self._queued_bytes -= size
            self._changed.notify_all()
        return item
