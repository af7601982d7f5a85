"""Inputs read ahead on a thread: a batch is cut short only when the next input has not arrived or
its pages hold the byte limit, order and errors are kept, memory stays bounded by items and bytes,
and the background loading stops at the end."""
from __future__ import annotations

import signal
import threading
import tracemalloc

import pytest

from normalise import batches as batches_module
from normalise.batches import BATCH_PAGES
from normalise.cli import _Loader, _records
from normalise.inputs import InputDocument, page_bytes
from normalise.read_ahead import ReadAhead
from normalise.record import Record

WAIT = 60  # seconds; only a safety net against a hang, never reached when the code is right


class _BatchRecorder:
    def __init__(self):
        self.batches: list[list[str]] = []

    def normalise_many(self, docs):
        self.batches.append([d.id for d in docs])
        return [Record(id=d.id) for d in docs]


def _doc(i: int) -> InputDocument:
    return InputDocument(id=f"p{i}", text=f"Page number {i}.")


def test_pages_already_read_stay_one_batch():
    n = BATCH_PAGES + 8
    all_read = threading.Event()

    def fast_file():
        yield from (_doc(i) for i in range(n))
        all_read.set()

    source = ReadAhead(fast_file(), depth=2 * n)
    assert all_read.wait(WAIT)
    normaliser = _BatchRecorder()
    assert [r.id for r in _records(lambda: normaliser, source)] == [f"p{i}" for i in range(n)]
    # The first page goes alone (it waits for the normaliser to be built), the rest in full batches.
    assert [len(b) for b in normaliser.batches] == [1, BATCH_PAGES, n - 1 - BATCH_PAGES]


def test_pages_in_so_far_are_normalised_before_the_next_one_arrives():
    normaliser = _BatchRecorder()
    answered = threading.Event()
    out: list[str] = []

    def producer():
        yield _doc(0)
        yield _doc(1)
        assert answered.wait(WAIT), "p1 was held back until more input arrived"
        yield _doc(2)

    for record in _records(lambda: normaliser, ReadAhead(producer(), depth=BATCH_PAGES)):
        out.append(record.id)
        if record.id == "p1":
            answered.set()
    assert out == ["p0", "p1", "p2"]


def test_the_reader_stays_at_most_depth_items_ahead():
    produced: list[int] = []
    release = threading.Event()

    def pages():
        for i in range(100):
            produced.append(i)
            if i == 3:
                release.set()
            yield i

    source = ReadAhead(pages(), depth=3)
    assert release.wait(WAIT)
    assert next(source) == 0
    assert max(produced) <= 3 + 2  # three queued, one in the reader's hand, one more after a take
    assert list(source) == list(range(1, 100))


def test_the_reader_holds_at_most_max_bytes_of_large_items_ahead():
    size, budget, n = 1 << 20, 4 << 20, 24
    fit = budget // size  # items the budget holds; the depth alone would let the reader take all n
    asked = threading.Condition()
    asked_for = [-1]

    def pages():
        for i in range(n):
            with asked:  # the reader wants item i: everything before it is queued or taken
                asked_for[0] = i
                asked.notify_all()
            yield bytes(size)

    tracemalloc.start()
    try:
        source = ReadAhead(pages(), depth=2 * n, max_bytes=budget, size=len)
        for taken in range(n):
            # Take an item only once the reader is as far ahead as the budget lets it go.
            with asked:
                assert asked.wait_for(lambda: asked_for[0] >= min(taken + fit, n - 1), WAIT)  # noqa: B023
            assert len(next(source)) == size
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The budget's items queued, one in the reader's hand, one taken (n items would be 24 MiB).
    assert peak < (fit + 3) * size, peak


def test_an_item_over_the_byte_budget_is_still_read_alone():
    source = ReadAhead(iter([b"a" * 10, b"b" * 100, b"c" * 10]), depth=8, max_bytes=50, size=len)
    assert [len(x) for x in source] == [10, 100, 10]


def test_a_batch_is_cut_once_its_pages_hold_the_byte_limit(monkeypatch):
    limit = 10_000
    monkeypatch.setattr(batches_module, "BATCH_BYTES", limit)
    docs = [InputDocument(id=f"p{i}", text=f"{i:04d}" * 1000) for i in range(20)]
    normaliser = _BatchRecorder()
    assert [r.id for r in _records(lambda: normaliser, iter(docs))] == [d.id for d in docs]
    sizes = {d.id: page_bytes(d) for d in docs}
    batches = normaliser.batches[1:]  # the first page goes alone (the normaliser is built for it)
    assert len(batches) > 1 and all(len(b) > 1 for b in batches[:-1])
    # Cut at the page that reached the limit: without it, every batch is under the limit.
    assert all(sum(sizes[i] for i in b[:-1]) < limit <= sum(sizes[i] for i in b) for b in batches[:-1])


def test_an_error_while_reading_reaches_the_consumer_after_the_items_before_it():
    def broken():
        yield 1
        raise UnicodeError("bad stream")

    source = ReadAhead(broken(), depth=4)
    assert next(source) == 1
    with pytest.raises(UnicodeError, match="bad stream"):
        next(source)
    with pytest.raises(StopIteration):
        next(source)


def test_no_background_step_starts_once_the_input_has_ended():
    ran, gate = threading.Event(), threading.Event()

    class _Normaliser:
        def warm_up_steps(self):
            return [("models", ran.set), ("lists", ran.set)]

    def build():
        assert gate.wait(WAIT)
        return _Normaliser()

    loader = _Loader(build)
    source = loader.read_ahead(iter([_doc(0)]))
    assert [d.id for d in source] == ["p0"]  # the whole input, up to its end, has been read
    gate.set()  # built only now: the steps would run right away if anything still waited for input
    loader.join(WAIT)
    assert not ran.is_set() and loader.steps_done == []
    assert loader.steps_skipped == ["models", "lists"]


def test_ctrl_c_delivered_to_the_reading_thread_still_stops_a_main_thread_waiting_for_input():
    """The kernel may hand a terminal's SIGINT to any thread: here the reader blocked on its input.
    The main thread, waiting for that input, must still raise KeyboardInterrupt."""
    release = threading.Event()
    gave_up: list[bool] = []  # the input came only because the reader stopped waiting: the signal was missed

    def stalled_terminal():
        if not release.wait(WAIT):
            gave_up.append(True)
        yield _doc(0)

    items = ReadAhead(stalled_terminal(), 4)
    reader = next(t for t in threading.enumerate() if t.name == "input-read-ahead")
    timer = threading.Timer(0.3, signal.pthread_kill, args=(reader.ident, signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            next(items)
        assert not gave_up, "Ctrl-C was handled only once the input came"
    finally:
        timer.cancel()
        release.set()


def test_ctrl_c_stops_a_main_thread_waiting_for_the_normaliser_to_load():
    building = threading.Event()
    gave_up: list[bool] = []
    loader = _Loader(lambda: building.wait(WAIT) or gave_up.append(True))
    timer = threading.Timer(0.3, signal.pthread_kill, args=(loader._thread.ident, signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            loader()
        assert not gave_up, "Ctrl-C was handled only once the normaliser was built"
    finally:
        timer.cancel()
        building.set()
        loader.join(WAIT)
