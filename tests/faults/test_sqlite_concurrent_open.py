"""Crawler processes started together on one new SQLite file all open it: switching it to WAL is
retried when SQLite refuses at once ("database is locked" without waiting: two openers each holding
a shared lock and asking for an exclusive one would otherwise wait for each other forever)."""
from __future__ import annotations

import multiprocessing
import sqlite3
import threading

from crawler.storage.sqlite import SQLiteStore, _switch_to_wal


def test_the_switch_to_wal_waits_out_an_immediate_refusal(tmp_path):
    path = tmp_path / "news.sqlite"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    opener = sqlite3.connect(path, isolation_level=None, timeout=0)  # refused at once, as in the deadlock
    try:
        opener.execute("PRAGMA journal_mode=WAL")
        raise AssertionError("the exclusive lock did not refuse the switch: nothing is tested")
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
    release = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        _switch_to_wal(opener)
    finally:
        release.join()
    assert opener.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _open_together(path: str, barrier, results) -> None:
    barrier.wait()
    try:
        store = SQLiteStore(path)
        store.near_duplicate_index().close()
        store.record_skip(f"http://site.test/{multiprocessing.current_process().name}", "demo", "http_404", None)
        store.close()
        results.put("ok")
    except Exception as exc:  # reported to the test, whatever it is
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_opening_a_new_store_together_all_get_it(tmp_path):
    context = multiprocessing.get_context("fork")
    for trial in range(4):  # the race is rare: the test above forces it; this checks the whole open
        path = str(tmp_path / f"news-{trial}.sqlite")
        barrier, results = context.Barrier(3), context.Queue()
        procs = [context.Process(target=_open_together, args=(path, barrier, results)) for _ in range(3)]
        for proc in procs:
            proc.start()
        outcomes = [results.get(timeout=120) for _ in procs]
        for proc in procs:
            proc.join(timeout=60)
        assert outcomes == ["ok"] * 3, (trial, outcomes)
        assert sqlite3.connect(path).execute("SELECT count(*) FROM skips").fetchone()[0] == 3
