"""Worker processes never outlive the crawl process that started them.

A crawl killed with SIGKILL runs no cleanup: its normaliser workers (hundreds of MB each) were
reparented to PID 1 and lived on, and with them multiprocessing's resource tracker (it exits when
the last process holding its pipe does). Each worker therefore watches its parent: Linux's
PR_SET_PDEATHSIG delivers SIGKILL the moment the parent dies, and a watch thread, for systems
without it, exits the worker once its parent process is gone.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
WATCH_INTERVAL = 0.5  # seconds between checks of the parent by the watch thread


def _set_parent_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _parent_alive(pid: int) -> bool:
    return os.getppid() == pid


def exit_with_parent(parent_pid: int | None = None, interval: float = WATCH_INTERVAL) -> None:
    """In a child process: exit as soon as the parent (`parent_pid`, default the multiprocessing
    parent) dies. Returns at once; the exit happens from the kernel or a daemon thread."""
    if parent_pid is None:
        parent = multiprocessing.parent_process()
        parent_pid = parent.pid if parent is not None else os.getppid()
    if parent_pid is None:
        return
    _set_parent_death_signal()
    # PR_SET_PDEATHSIG follows the parent *thread* that started this process, and a parent that
    # died before it was set is missed: the watch thread covers both.
    if not _parent_alive(parent_pid):
        os._exit(1)

    def watch() -> None:
        while _parent_alive(parent_pid):
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def kill_pool_processes(executor) -> None:
    """SIGKILL the worker processes of a ProcessPoolExecutor (a page past its deadline cannot be
    interrupted any other way); the pool then reports itself broken to every future in flight."""
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        try:
            process.kill()
        except (OSError, ValueError, AttributeError):
            log.debug("killing a normaliser worker process failed", exc_info=True)
