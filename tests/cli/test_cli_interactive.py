"""The batch CLI with a producer that waits for answers: a pipe or a terminal on stdin that stays
open. Each page's record must come out while stdin is still open, not when 64 KB or 32 pages have
arrived, or when the input ends."""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time

import pytest

from .helpers import REPO, cli_env, silent_terminal

# Seconds; only a safety net against a hang (the first record waits for the normaliser to load),
# never a performance limit.
WAIT = 240
PAGES = [{"id": "p1", "text": "The city council approved the new budget for the harbour on Monday evening."},
         {"id": "p2", "text": "The museum will reopen its north wing to visitors after two years of repairs."}]


class _Lines:
    """Lines of a child's output pipe, each awaited at most WAIT seconds (the child is never left hanging)."""

    def __init__(self, fd: int, proc: subprocess.Popen, err_path):
        self._fd, self._proc, self._err_path, self._buf = fd, proc, err_path, b""

    def next(self, what: str) -> dict:
        deadline = time.monotonic() + WAIT
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._fd], [], [], max(left, 0))
            if not ready:
                pytest.fail(f"no record for {what} on stdout in {WAIT} s while stdin stayed open "
                            f"(the CLI waits for more input before answering); stderr: {self._stderr()}")
            chunk = os.read(self._fd, 65536)
            if not chunk:
                pytest.fail(f"stdout closed before the record for {what} (exit {self._proc.wait(WAIT)}); "
                            f"stderr: {self._stderr()}")
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return json.loads(line)

    def _stderr(self) -> str:
        return self._err_path.read_text(errors="replace")[-3000:]


def _start(tmp_path, stdin, *args: str) -> tuple[subprocess.Popen, _Lines]:
    err_path = tmp_path / "stderr.txt"
    with err_path.open("wb") as err:  # a file: a chatty child never blocks on a full stderr pipe
        proc = subprocess.Popen([sys.executable, "-m", "normalise", "--no-translate", *args], stdin=stdin,
                                stdout=subprocess.PIPE, stderr=err, cwd=REPO, env=cli_env(tmp_path))
    assert proc.stdout is not None
    return proc, _Lines(proc.stdout.fileno(), proc, err_path)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def _line(page: dict) -> bytes:
    return json.dumps(page).encode() + b"\n"


@pytest.mark.parametrize("fmt", [[], ["--format", "jsonl"]], ids=["sniffed", "format-jsonl"])
def test_each_page_written_to_an_open_pipe_is_answered_before_the_next_one(tmp_path, fmt):
    proc, lines = _start(tmp_path, subprocess.PIPE, *fmt, "-")
    try:
        assert proc.stdin is not None
        for page in PAGES:  # the second page is written only after the first one's record came out
            proc.stdin.write(_line(page))
            proc.stdin.flush()
            record = lines.next(page["id"])
            assert record["id"] == page["id"] and record["error"] is None
        proc.stdin.close()
        assert proc.wait(WAIT) == 0
    finally:
        _stop(proc)


def test_pages_typed_into_a_terminal_are_answered_line_by_line(tmp_path):
    controller, terminal = silent_terminal()
    proc = None
    try:
        proc, lines = _start(tmp_path, terminal)
        os.close(terminal)
        terminal = -1
        for page in PAGES:
            os.write(controller, _line(page))
            record = lines.next(page["id"])
            assert record["id"] == page["id"] and record["error"] is None
        os.write(controller, b"\x04")  # Ctrl-D at the start of a line: end of input
        assert proc.wait(WAIT) == 0
    finally:
        if terminal >= 0:
            os.close(terminal)
        if proc is not None:
            _stop(proc)
        os.close(controller)


def test_input_that_has_ended_starts_no_background_loading(tmp_path):
    read_end, write_end = os.pipe()
    os.write(write_end, _line(PAGES[0]))
    os.close(write_end)  # the producer is gone before the CLI starts: the pipe holds one page, then EOF
    try:
        proc, lines = _start(tmp_path, read_end, "-v")
    finally:
        os.close(read_end)
    try:
        assert lines.next(PAGES[0]["id"])["id"] == PAGES[0]["id"]
        assert proc.wait(WAIT) == 0
    finally:
        _stop(proc)
    log = (tmp_path / "stderr.txt").read_text()
    background = [line for line in log.splitlines() if "in the background" in line]  # -v logs each step
    assert len(background) == 1 and "input ended: not loading" in background[0], log


def test_a_reader_that_stops_early_ends_the_run_quietly_while_stdin_is_still_open(tmp_path):
    proc, lines = _start(tmp_path, subprocess.PIPE)
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(_line(PAGES[0]))
        proc.stdin.flush()
        assert lines.next(PAGES[0]["id"])["id"] == PAGES[0]["id"]
        proc.stdout.close()  # like `| head -1`
        proc.stdin.write(_line(PAGES[1]))  # its record has nowhere to go; stdin stays open, being read
        proc.stdin.flush()
        status = proc.wait(WAIT)
    finally:
        _stop(proc)
    err = (tmp_path / "stderr.txt").read_text(errors="replace")
    assert "Fatal Python error" not in err and "Traceback" not in err, err
    assert status == 1  # output was cut short
