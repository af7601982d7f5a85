"""The processes of one session (a command started with `start_new_session=True`): found through
/proc, waited for, and ended, so a test or benchmark can prove nothing was left behind."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def process_stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, ppid, pgrp, session, ...)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def session_members(sid: int) -> list[int]:
    """PIDs of the live (not zombie) processes in session `sid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = process_stat(int(entry.name))
            if fields and int(fields[3]) == sid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def wait_until_gone(sid: int, timeout: float = 15) -> list[int]:
    """Wait for every process of the session to exit; returns those still there after `timeout`."""
    deadline = time.monotonic() + timeout
    while (left := session_members(sid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def kill_session(sid: int) -> None:
    """SIGKILL whatever of the session is still alive."""
    for pid in session_members(sid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
