"""Real `scrapy crawl` runs for the fault tests: each in its own session, so every process it
starts (normaliser workers, multiprocessing's resource tracker) can be found and, whatever
happens to the test, ended."""
from __future__ import annotations

import resource
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

from crawler.testing import fixture_site  # noqa: F401  (the fault tests take both from here)
from crawler.testing import local_crawl as crawl  # noqa: F401
from crawler.testing.local_crawl import sqlite_count as count  # noqa: F401
from crawler.testing.local_crawl import wait_for  # noqa: F401
from crawler.testing.sessions import (
    kill_session,
    wait_until_gone,  # noqa: F401
)

REPO = Path(__file__).resolve().parents[2]


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
        kill_session(proc.pid)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
