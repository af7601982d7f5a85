"""Scheduled ingestion: run every due source on its own interval, one run at a time.

`scrapy schedule` (or `python -m crawler.jobs.schedule`) is meant to be started often (cron every
few minutes, or a scrapyd timer, see README "Scheduling"). Each start:

1. takes the store's run lock (`Store.run_lock`), or exits with `LockHeld` when another run
   still holds it (an fcntl file lock beside the SQLite file; a PostgreSQL advisory lock for
   PostgreSQL; both are released by the kernel/server when the holder dies);
2. picks the sources whose `interval_minutes` (seeds/*.toml) have passed since their last start;
3. runs `scrapy crawl news -a source=ID` for each, with a per-source JOBDIR so a killed run
   resumes where it stopped, and records start, end and outcome in the state table.
"""
from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from crawler import defaults
from crawler.storage.base import Store
from crawler.storage.errors import LockHeld
from crawler.storage.file_lock import file_lock
from normalise.exit_codes import ExitCode, from_counts

__all__ = ["Due", "crawl_command", "due_sources", "file_lock", "main", "run_due"]

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


# -- running ---------------------------------------------------------------------------------------
def crawl_command(source: str, jobdir: Path | None, extra: Sequence[str] = ()) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"source={source}"]
    if jobdir is not None:
        cmd += ["-s", f"JOBDIR={jobdir / source}"]
    return cmd + list(extra)


def run_due(state: Store, sources: Iterable, *, only: Sequence[str] = (), jobdir: Path | None = None,
            parallel: int = 1, dry_run: bool = False, extra: Sequence[str] = (), offline: bool = False,
            runner: Callable[[list[str]], subprocess.Popen] | None = None,
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
    from crawler.storage.factory import store_from_settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    loaded = load_sources(os.environ.get("NEWS_SEEDS_DIR") or settings.get("NEWS_SEEDS_DIR") or defaults.NEWS_SEEDS_DIR)
    for err in loaded.errors:
        log.error("%s", err)
    unknown = [s for s in args.source if s not in loaded.sources]
    if unknown:
        print(f"schedule: unknown source(s) {', '.join(unknown)}; known: {', '.join(sorted(loaded.sources))}",
              file=sys.stderr)
        return ExitCode.USAGE
    jobdir = args.jobdir or settings.get("NEWS_JOBDIR_ROOT", defaults.NEWS_JOBDIR_ROOT)
    try:
        state = store_from_settings(settings)
    except StoreUnavailable as exc:
        print(f"schedule: {exc}", file=sys.stderr)
        return 3
    try:
        outcomes = run_due(state, loaded.sources.values(), only=args.source, parallel=args.parallel,
                           dry_run=args.dry_run, jobdir=Path(jobdir) if jobdir else None,
                           offline=settings.getbool("NEWS_SKIP_NETWORK_SOURCES", defaults.NEWS_SKIP_NETWORK_SOURCES))
    except LockHeld as exc:
        print(f"schedule: {exc}; not starting", file=sys.stderr)
        return ExitCode.BUSY  # cron may simply try again next time
    finally:
        state.close()
    if not outcomes:
        print("schedule: no source is due")
        return ExitCode.NOTHING_TO_DO
    for source, outcome in outcomes.items():
        print(f"schedule: {source}: {outcome}")
    failed = sum(o not in ("ok", "due") for o in outcomes.values())
    return from_counts(len(outcomes) - failed, failed)


if __name__ == "__main__":
    sys.exit(main())
