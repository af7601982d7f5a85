"""Scheduled ingestion: run every due source on its own interval, one run at a time.

`scrapy schedule` (or `python -m crawler.jobs.schedule`) is meant to be started often (cron every
few minutes, or a scrapyd timer, see README "Scheduling"). Each start:

1. takes the run lock, or exits with `LockHeld` when another run still holds it
   (an fcntl file lock beside the SQLite file; a PostgreSQL advisory lock for PostgreSQL;
   both are released by the kernel/server when the holder dies, so a crash never wedges it);
2. picks the sources whose `interval_minutes` (seeds/*.toml) have passed since their last start;
3. runs `scrapy crawl news -a source=ID` for each, with a per-source JOBDIR so a killed run
   resumes where it stopped, and records start, end and outcome in the state table.
"""
from __future__ import annotations

import argparse
import fcntl
import logging
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence

from crawler.storage.errors import LockHeld

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Due:
    source: str
    interval_minutes: int
    last_started: datetime | None


def due_sources(sources: Iterable, last_runs: dict[str, datetime], now: datetime,
                only: Sequence[str] = (), offline: bool = False) -> list[Due]:
    """Sources whose interval has passed since their last start (never-run sources are due).

    `sources` are crawler.discovery.sources.Source objects; disabled ones run only when named in `only`.
    `offline` (NEWS_OFFLINE=1): sources that need the network are never due; the crawl would skip them.
    """
    out = []
    for src in sorted(sources, key=lambda s: s.id):
        if only and src.id not in only:
            continue
        if not only and not src.enabled:
            continue
        if offline and src.needs_network:
            log.info("not due: %s needs the network and NEWS_OFFLINE is set", src.id)
            continue
        last = last_runs.get(src.id)
        if last is None or now - last >= timedelta(minutes=src.interval_minutes):
            out.append(Due(src.id, src.interval_minutes, last))
    return out


# -- locks -----------------------------------------------------------------------------------------
@contextmanager
def file_lock(path: Path):
    """An exclusive, non-blocking fcntl lock on `path` (released on exit or process death)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            raise LockHeld(f"another scheduled run holds the lock {path} (holder: {holder})") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {utcnow().isoformat(timespec='seconds')}\n")
        fh.flush()
        yield
    finally:
        fh.close()


# -- state -------------------------------------------------------------------------------------------
class SqliteRunState:
    """Last run times in a `source_runs` table of the SQLite store's file (own connection)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(self.path), timeout=30)
        self.conn.execute("CREATE TABLE IF NOT EXISTS source_runs (source TEXT PRIMARY KEY,"
                          " last_started_at TEXT, last_finished_at TEXT, last_status TEXT)")
        self.conn.commit()

    def last_runs(self) -> dict[str, datetime]:
        rows = self.conn.execute("SELECT source, last_started_at FROM source_runs").fetchall()
        return {s: datetime.fromisoformat(t) for s, t in rows if t}

    def record_run(self, source: str, started_at: datetime, finished_at: datetime | None, status: str) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT INTO source_runs (source, last_started_at, last_finished_at, last_status)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET"
                " last_started_at = excluded.last_started_at, last_finished_at = excluded.last_finished_at,"
                " last_status = excluded.last_status",
                (source, started_at.isoformat(), finished_at.isoformat() if finished_at else None, status))

    @contextmanager
    def run_lock(self):
        with file_lock(self.path.with_name(self.path.name + ".schedule.lock")):
            yield

    def close(self) -> None:
        self.conn.close()


def run_state(store_url: str):
    """State and lock for the store selected by NEWS_STORE_URL: SQLite file or PostgreSQL."""
    from crawler.storage.factory import parse_store_url

    kind, target = parse_store_url(store_url)
    if kind == "sqlite":
        return SqliteRunState(Path(target))
    from crawler.storage.postgres import PostgresStore

    return PostgresStore(target).open()


# -- running ---------------------------------------------------------------------------------------
def crawl_command(source: str, jobdir: Path | None, extra: Sequence[str] = ()) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"source={source}"]
    if jobdir is not None:
        cmd += ["-s", f"JOBDIR={jobdir / source}"]
    return cmd + list(extra)


def run_due(state, sources: Iterable, *, only: Sequence[str] = (), jobdir: Path | None = None,
            parallel: int = 1, dry_run: bool = False, extra: Sequence[str] = (), offline: bool = False,
            runner: Callable[[list[str]], "subprocess.Popen"] | None = None,
            now: Callable[[], datetime] = utcnow) -> dict[str, str]:
    """Under the run lock, crawl every due source; returns {source: outcome}."""
    runner = runner or (lambda cmd: subprocess.Popen(cmd))
    with state.run_lock():
        due = due_sources(sources, state.last_runs(), now(), only, offline=offline)
        if dry_run:
            return {d.source: "due" for d in due}
        outcomes: dict[str, str] = {}
        pending = list(due)
        running: dict[str, tuple[subprocess.Popen, datetime]] = {}
        while pending or running:
            while pending and len(running) < max(1, parallel):
                d = pending.pop(0)
                started = now()
                state.record_run(d.source, started, None, "running")
                log.info("starting %s (interval %d min, last run %s)", d.source, d.interval_minutes,
                         d.last_started.isoformat() if d.last_started else "never")
                running[d.source] = (runner(crawl_command(d.source, jobdir, extra)), started)
            for source, (proc, started) in list(running.items()):
                code = proc.poll()
                if code is None:
                    continue
                outcome = "ok" if code == 0 else f"failed (exit {code})"
                state.record_run(source, started, now(), outcome)
                outcomes[source] = outcome
                del running[source]
            if running:
                time.sleep(0.2)
        return outcomes


def main(argv: Sequence[str] | None = None, settings=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.jobs.schedule",
                                     description="Crawl every source whose interval has passed.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    if settings is None:
        from scrapy.utils.project import get_project_settings

        settings = get_project_settings()
    return run_from_args(args, settings)


def add_arguments(parser) -> None:
    parser.add_argument("--source", action="append", default=[],
                        help="only this source (repeatable); disabled sources run only when named")
    parser.add_argument("--parallel", type=int, default=1, help="crawls at the same time (default 1)")
    parser.add_argument("--dry-run", action="store_true", help="list the due sources, crawl nothing")
    parser.add_argument("--jobdir", default=None,
                        help="folder for resumable crawl state, one subfolder per source "
                             "(default from the NEWS_JOBDIR_ROOT setting)")


def run_from_args(args, settings) -> int:
    from crawler.discovery.sources import load_sources
    from crawler.storage.errors import StoreUnavailable
    from crawler.storage.factory import store_url_from_settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    loaded = load_sources(os.environ.get("NEWS_SEEDS_DIR") or settings.get("NEWS_SEEDS_DIR") or "seeds")
    for err in loaded.errors:
        log.error("%s", err)
    jobdir = args.jobdir or settings.get("NEWS_JOBDIR_ROOT")
    try:
        state = run_state(store_url_from_settings(settings))
    except StoreUnavailable as exc:
        print(f"schedule: {exc}", file=sys.stderr)
        return 3
    try:
        outcomes = run_due(state, loaded.sources.values(), only=args.source, parallel=args.parallel,
                           dry_run=args.dry_run, jobdir=Path(jobdir) if jobdir else None,
                           offline=settings.getbool("NEWS_SKIP_NETWORK_SOURCES"))
    except LockHeld as exc:
        print(f"schedule: {exc}; not starting", file=sys.stderr)
        return 75  # EX_TEMPFAIL: cron may simply try again next time
    finally:
        state.close()
    if not outcomes:
        print("schedule: no source is due")
    for source, outcome in outcomes.items():
        print(f"schedule: {source}: {outcome}")
    return 0 if all(o in ("ok", "due") for o in outcomes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
