"""normalise.workers: how many workers --jobs auto picks, how pages are cut into chunks, and that
workers are fresh processes (not forks of a process that may hold model threads)."""
from __future__ import annotations

import os
from concurrent.futures import Future

import pytest

from normalise.batches import BATCH_PAGES, batches
from normalise.config import JOB_WORKER_BYTES, NormaliserConfig
from normalise.input_files import MAX_PAGE_BYTES
from normalise.inputs import InputDocument
from normalise.record import Record
from normalise.workers import Ordered, Pool, Terminated, _wait, auto_jobs, parse_jobs, worker_config


def test_auto_is_the_cores_capped_by_the_memory_each_worker_needs():
    assert auto_jobs(cores=8, memory=64 * JOB_WORKER_BYTES) == 8
    assert auto_jobs(cores=8, memory=3 * JOB_WORKER_BYTES + 1) == 3
    assert auto_jobs(cores=8, memory=JOB_WORKER_BYTES // 2) == 1  # never none
    assert auto_jobs(cores=os.cpu_count() or 1) >= 1


@pytest.mark.parametrize("value", ["0", "-1", "x", "", "2.0"])
def test_jobs_must_be_a_positive_whole_number_or_auto(value):
    with pytest.raises(ValueError, match="--jobs"):
        parse_jobs(value)


def test_jobs_values_that_are_taken():
    assert parse_jobs("3") == 3
    assert parse_jobs("auto") == auto_jobs()


def test_workers_share_the_cores_between_their_translation_threads():
    default = NormaliserConfig(translate=False)
    assert worker_config(default, jobs=2, cores=8).threads == 4
    assert worker_config(default, jobs=3, cores=8).threads == 2
    assert worker_config(default, jobs=4, cores=2).threads == 1  # never none
    assert worker_config(default, jobs=1, cores=8).threads == 0  # one process: CTranslate2's own default
    chosen = NormaliserConfig(translate=False, threads=6)
    assert worker_config(chosen, jobs=2, cores=8).threads == 6  # a count the caller set is kept
    assert Pool(2, default)._config.threads == max(1, len(os.sched_getaffinity(0)) // 2)


def _docs(n: int, size: int = 10) -> list[InputDocument]:
    return [InputDocument(id=str(i), text="x" * size) for i in range(n)]


def test_chunks_keep_every_item_in_order_and_are_cut_at_the_chunk_size():
    items: list[InputDocument | Record] = [*_docs(BATCH_PAGES * 2 + 3)]
    items.insert(5, Record.failed("bad", "invalid_jsonl", "line 6 is not valid JSON"))
    got = list(batches(items, lambda: True))
    assert [x for chunk in got for x in chunk] == items
    # the first page alone, as one process normalises it (cli._records), then full chunks
    assert [len(c) for c in got] == [1, BATCH_PAGES, BATCH_PAGES, 3]


def test_a_chunk_is_cut_when_the_next_input_is_not_there_yet_or_holds_a_page_limit():
    assert [len(c) for c in batches(_docs(3), lambda: False)] == [1, 1, 1]
    big = _docs(4, size=MAX_PAGE_BYTES // 2 + 1)
    assert [len(c) for c in batches(big, lambda: True)] == [1, 2, 1]


def test_chunks_are_the_batches_one_process_normalises_together():
    from normalise import cli

    class _Batches:
        def __init__(self):
            self.seen: list[list[str]] = []

        def normalise_many(self, docs):
            self.seen.append([d.id for d in docs])
            return [Record(id=d.id) for d in docs]

    items: list[InputDocument | Record] = [Record.failed("bad0", "invalid_jsonl", "x"), *_docs(70)]
    items.insert(40, Record.failed("bad40", "invalid_jsonl", "x"))
    normaliser = _Batches()
    list(cli._records(lambda: normaliser, items))
    assert [[d.id for d in c if isinstance(d, InputDocument)] for c in batches(items, lambda: True)
            if any(isinstance(d, InputDocument) for d in c)] == normaliser.seen


def test_workers_are_not_forks_of_the_cli_and_build_their_normaliser_themselves(tmp_path):
    with Pool(2, NormaliserConfig(translate=False, names_world=False, data_dir=tmp_path)) as pool:
        future, _ = pool.submit(_docs(1))
        assert future.result(timeout=300)  # warms up a worker
        executor = pool._executor
        assert executor is not None
        # forkserver: a worker's parent is the fork server, never this process (and its threads)
        assert executor.submit(os.getppid).result(timeout=300) != os.getpid()
        assert "normaliser" not in __import__("normalise.workers", fromlist=["_state"])._state


def test_records_of_failed_inputs_and_pages_come_back_in_input_order(tmp_path):
    items: list[InputDocument | Record] = [InputDocument(id=f"d{i}", text=f"Page {i} is about the harbour.")
                                           for i in range(40)]
    for at in (0, 17, 41):
        items.insert(at, Record.failed(f"bad{at}", "invalid_jsonl", "not JSON"))
    with Pool(2, NormaliserConfig(translate=False, names_world=False, data_dir=tmp_path)) as pool:
        lines = list(Ordered(pool, pytest.fail).run(items, lambda: True))
    ids = [line.split('"id": "', 1)[1].split('"', 1)[0] for line, _ in lines]
    assert ids == [x.id for x in items]
    assert [failed for _, failed in lines] == [isinstance(x, Record) for x in items]


class _FakePool:
    """Answers each chunk at once: pages whose id is in `dies` break the pool (as a dead worker
    does) or raise `raises` when sent, alone or in a chunk."""

    jobs = 2

    def __init__(self, dies: set[str], raises: dict[str, Exception]):
        self.dies, self.raises = dies, raises
        self.sent: list[list[str]] = []
        self.replaced = 0

    def submit(self, docs):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        from normalise.workers import encode

        self.sent.append([d.id for d in docs])
        future: Future = Future()
        ids = {d.id for d in docs}
        if ids & self.dies:
            future.set_exception(BrokenProcessPool("a worker died"))
        elif ids & set(self.raises):
            future.set_exception(self.raises[next(iter(ids & set(self.raises)))])
        else:
            future.set_result([encode(Record(id=d.id, text=d.text or "")) for d in docs])
        return future, len(self.sent)

    def replace(self, generation):
        self.replaced += 1


def test_a_chunk_whose_worker_died_or_raised_is_retried_page_by_page():
    items: list[InputDocument | Record] = [*_docs(40)]
    pool = _FakePool(dies={"5"}, raises={"30": MemoryError("no room")})
    lines = list(Ordered(pool, pytest.fail).run(items, lambda: True))  # type: ignore[arg-type]
    ids = [line.split('"id": "', 1)[1].split('"', 1)[0] for line, _ in lines]
    assert ids == [str(i) for i in range(40)]
    failed = {i: line for i, (line, bad) in zip(ids, lines, strict=True) if bad}
    assert set(failed) == {"5", "30"}
    assert '"code": "worker_died"' in failed["5"]
    assert '"code": "internal_error"' in failed["30"] and "MemoryError: no room" in failed["30"]
    # the chunk holding them was sent whole once, then each of its pages alone
    chunk = [str(i) for i in range(1, BATCH_PAGES + 1)]
    assert pool.sent == [["0"], chunk, *[[i] for i in chunk], [str(i) for i in range(BATCH_PAGES + 1, 40)]]


def test_after_an_interrupt_in_the_middle_of_a_chunk_the_rest_of_the_done_chunks_follow_in_order():
    items: list[InputDocument | Record] = [*_docs(70)]
    ordered = Ordered(_FakePool(dies=set(), raises={}), pytest.fail)  # type: ignore[arg-type]
    lines = ordered.run(items, lambda: True)
    first = [next(lines) for _ in range(10)]  # the consumer stops here (Ctrl-C after line 10)
    rest = list(ordered.done_in_order())
    ids = [line.split('"id": "', 1)[1].split('"', 1)[0] for line, _ in first + rest]
    assert ids[:10] == [str(i) for i in range(10)]
    assert ids == [str(i) for i in range(len(ids))] and len(ids) > 10


class _DoneAsTheSignalCame(Future):
    """A future that completes while the wait for it is interrupted by Ctrl-C or SIGTERM (main's handler
    raising in the waiting thread)."""

    def __init__(self, interrupt: BaseException):
        super().__init__()
        self.interrupt = interrupt

    def exception(self, timeout=None):
        self.set_result(None)
        raise self.interrupt


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt(), Terminated()])
def test_an_interrupt_during_a_wait_is_never_lost_when_the_future_completes_at_that_moment(interrupt):
    with pytest.raises(type(interrupt)):
        _wait(_DoneAsTheSignalCame(interrupt))
    cancelled: Future = Future()
    cancelled.cancel()
    _wait(cancelled)  # a cancelled future is done: nothing to wait for
