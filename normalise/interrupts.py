"""Ctrl-C (SIGINT) in the batch CLI: it stops the run between records, never in the middle of
writing one, so the output holds whole JSON lines only."""
from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator

# The status a shell gives a command stopped by Ctrl-C (128 + the signal's number).
INTERRUPTED = 128 + signal.SIGINT

# How often a wait of the main thread wakes up to run Python's signal handlers. The kernel may
# deliver Ctrl-C to any thread (a reader blocked on the terminal, a model loader); only a wait of
# the main thread that the signal itself hits returns early, so an untimed wait could miss it for good.
SIGNAL_POLL_SECONDS = 0.2


def _ours() -> bool:
    """Whether Ctrl-C is Python's usual KeyboardInterrupt here: only the main thread can change
    it, and an ignored SIGINT (a background job of a script) stays ignored."""
    return (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler)


# An exception a signal handler raised while a `held` block ran, raised when the block is done.
_holding: list[bool] = []
_deferred: list[BaseException] = []


def raise_or_defer(exc: BaseException) -> None:
    """For a signal handler of the main thread: raise `exc` now, or, inside a `held` block, once it is
    done. A second signal does not wait (a reader that stopped reading would block the write forever)."""
    if _holding and not _deferred:
        _deferred.append(exc)
        return
    _deferred.clear()  # raised now: the held block is left unfinished
    raise exc


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Ctrl-C during the block takes effect (KeyboardInterrupt) once the block is done: a write
    blocked on a slow reader and woken by the signal finishes its record instead of cutting it.
    A second Ctrl-C does not wait (a reader that stopped reading would block the write forever).
    So does an exception a signal handler passes to `raise_or_defer`."""
    _holding.append(True)
    try:
        with _sigint_held():
            yield
    finally:
        _holding.pop()
    if _deferred:
        raise _deferred.pop()


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    if not _ours():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: object) -> None:
        if caught:
            raise KeyboardInterrupt
        caught.append(signum)

    signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if caught:
        raise KeyboardInterrupt


def wait_for(condition: threading.Condition, predicate: Callable[[], object]) -> None:
    """`condition.wait_for(predicate)` (with `condition` held) that Ctrl-C always interrupts."""
    while not condition.wait_for(predicate, timeout=SIGNAL_POLL_SECONDS):
        pass


def wait(event: threading.Event) -> None:
    """`event.wait()` that Ctrl-C always interrupts."""
    while not event.wait(SIGNAL_POLL_SECONDS):
        pass


def second_one_kills() -> None:
    """After the first Ctrl-C: a second one ends the process at once, even while it is stuck
    writing to a reader that stopped reading."""
    if _ours():
        signal.signal(signal.SIGINT, signal.SIG_DFL)
