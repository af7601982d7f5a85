"""The batch CLI in an interactive terminal: stderr is a TTY, so the progress bar is drawn."""
from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios

from .helpers import REPO, cli_env


def test_runs_to_the_end_with_a_terminal_on_stderr(tmp_path):
    pages = tmp_path / "pages.jsonl"
    pages.write_text("".join(json.dumps({"id": f"p{i}", "text": f"Paragraph number {i} of the batch."}) + "\n"
                             for i in range(3)), encoding="utf-8")
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # a real terminal has a size
    proc = None
    try:
        proc = subprocess.Popen([sys.executable, "-m", "normalise", "--no-translate", str(pages)],
                                stdout=subprocess.PIPE, stderr=terminal, stdin=subprocess.DEVNULL,
                                cwd=REPO, env=cli_env(tmp_path))
        os.close(terminal)
        terminal = -1
        shown = b""
        while True:  # drain the terminal so the child never blocks writing to it
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the child closed its end of the terminal
                break
            if not chunk:
                break
            shown += chunk
        out, _ = proc.communicate(timeout=600)
    finally:
        if terminal >= 0:
            os.close(terminal)
        os.close(controller)
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc is not None and proc.returncode == 0, shown.decode(errors="replace")
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["p0", "p1", "p2"]
    assert b"Traceback" not in shown
    assert b"3doc" in shown.replace(b" ", b"")  # the progress counter reached the last page


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path):
    pages = tmp_path / "pages.jsonl"
    pages.write_text("".join(json.dumps({"id": f"p{i}", "text": f"Paragraph {i} of a long batch."}) + "\n"
                             for i in range(400)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "normalise", "--no-translate", str(pages)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, env=cli_env(tmp_path))
    try:
        assert proc.stdout is not None and proc.stderr is not None
        assert json.loads(proc.stdout.readline())["id"] == "p0"
        proc.stdout.close()  # like `| head -1`
        err = proc.stderr.read()
        proc.wait(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert b"Traceback" not in err, err.decode(errors="replace")
    assert proc.returncode == 1  # output was cut short
