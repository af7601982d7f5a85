"""Real `scrapy crawl` runs for the fault tests: each in its own session, so every process it
starts (normaliser workers, multiprocessing's resource tracker) can be found and, whatever
happens to the test, ended."""
from __future__ import annotations

import importlib.util
import os
import resource
import signal
import sqlite3
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"ingestion_{name}", REPO / "tests" / "ingestion" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


crawl = _load("crawl")
fixture_site = _load("fixture_site")


def session_members(sid: int) -> list[int]:
    """PIDs of the live (not zombie) processes in session `sid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # state ppid pgrp session ...
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def wait_until_gone(sid: int, timeout: float = 15) -> list[int]:
    """Wait for every process of the session to exit; returns those still there after `timeout`."""
    deadline = time.monotonic() + timeout
    while (left := session_members(sid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _copy(stream, log: Path) -> None:
    with open(log, "wb") as out:
        for chunk in iter(lambda: stream.read1(65536), b""):
            out.write(chunk)
            out.flush()


@contextmanager
def crawl_session(cmd: list[str], env: dict, log: Path, file_size_limit: int | None = None):
    """Start a crawl in a new session; on exit, SIGKILL whatever of that session is still alive."""
    # Through a pipe: a log file opened here would fall under the crawl's file size limit.
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    if file_size_limit is not None:  # Python ignores SIGXFSZ: writes past the limit fail with EFBIG
        resource.prlimit(proc.pid, resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))
    copier = threading.Thread(target=_copy, args=(proc.stdout, log), daemon=True)
    copier.start()
    try:
        yield proc
        copier.join(timeout=30)
    finally:
        for pid in session_members(proc.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass


def count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def wait_for(predicate, timeout: float = 120, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
