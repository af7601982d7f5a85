"""Ctrl-C (SIGINT) stops the batch CLI cleanly: every record written before it is whole, one line
on stderr says what happened, exit status 130, no traceback. A real subprocess gets the signal."""
from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import subprocess
import sys
import termios

import pytest

from .helpers import REPO, RunningCli, cli_env, silent_terminal

WAIT = 120  # seconds; only a safety net against a hang, never reached when the code is right


def _page(i: int) -> bytes:
    return json.dumps({"id": f"p{i}", "text": f"Page number {i} says the ferry to the island sails again."}).encode() + b"\n"


def _interrupt(cli: RunningCli) -> tuple[int, bytes, bytes]:
    cli.proc.send_signal(signal.SIGINT)
    rest, err = cli.proc.communicate(timeout=WAIT)  # closes stdin after the signal, reads the rest
    return cli.proc.returncode, rest, err


@pytest.fixture
def cli(tmp_path):
    running = RunningCli(tmp_path, "--no-translate", "--format", "jsonl", "-")
    try:
        yield running
    finally:
        running.stop()  # also when the test failed: no process left behind


def _check_clean_stop(status: int, out: bytes, err: bytes) -> list[dict]:
    assert status == 130, err[-2000:]
    assert b"Traceback" not in err, err[-2000:]
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "interrupted" in lines[0], lines
    assert out.endswith(b"\n")
    return [json.loads(line) for line in out.splitlines()]  # every line a whole record


def test_ctrl_c_while_waiting_for_input_keeps_what_was_written(cli):
    cli.write(_page(0))
    first = cli.first_line()
    status, rest, err = _interrupt(cli)
    out = _check_clean_stop(status, first + rest, err)
    assert [r["id"] for r in out] == ["p0"] and "ferry" in out[0]["text"]
    assert "1 record" in err.decode()


def test_ctrl_c_in_the_middle_of_a_batch_keeps_whole_records_in_order(cli):
    n = 400
    cli.write(b"".join(_page(i) for i in range(n)))  # far more than is normalised by the time the signal comes
    first = cli.first_line()
    status, rest, err = _interrupt(cli)
    out = _check_clean_stop(status, first + rest, err)
    assert 1 <= len(out) < n
    assert [r["id"] for r in out] == [f"p{i}" for i in range(len(out))]
    assert all(r["error"] is None for r in out)
    assert f"{len(out)} record" in err.decode()


def _controlling_terminal() -> None:  # in the child, a session leader (start_new_session): stdin becomes its terminal
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def test_ctrl_c_typed_into_the_terminal_stops_the_cli_cleanly(tmp_path):
    controller, terminal = silent_terminal()
    proc = None
    try:
        proc = subprocess.Popen([sys.executable, "-m", "normalise", "--no-translate"], stdin=terminal,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, env=cli_env(tmp_path),
                                start_new_session=True, preexec_fn=_controlling_terminal)
        os.close(terminal)
        terminal = -1
        os.write(controller, _page(0))
        ready, _, _ = select.select([proc.stdout], [], [], WAIT)
        assert ready, "no record came out"
        first = proc.stdout.readline()
        os.write(controller, b"\x03")  # Ctrl-C: the terminal sends SIGINT to the CLI, its foreground process
        rest, err = proc.communicate(timeout=WAIT)
    finally:
        if terminal >= 0:
            os.close(terminal)
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.communicate()
        os.close(controller)
    out = _check_clean_stop(proc.returncode, first + rest, err)
    assert [r["id"] for r in out] == ["p0"]
