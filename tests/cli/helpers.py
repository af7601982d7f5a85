"""Run the batch CLI as users do: a real `python -m normalise` subprocess."""
from __future__ import annotations

import contextlib
import json
import os
import pty
import signal
import subprocess
import sys
import termios
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def cli_env(tmp_path: Path) -> dict[str, str]:
    """A user's environment with its data folder under tmp_path (nothing written to the repo or $HOME)."""
    env = dict(os.environ)
    env.pop("NEWS_DATA_DIR", None)
    env.pop("ARGOS_PACKAGES_DIR", None)
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    env["HOME"] = str(tmp_path / "home")
    return env


def run_cli(tmp_path: Path, *args: str, stdin: bytes | None = None, cwd: Path | None = None
            ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "normalise", *args], input=stdin, capture_output=True, check=False,
                          cwd=cwd or REPO, env=cli_env(tmp_path), timeout=600)


def records(proc: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.split(b"\n") if line]


def silent_terminal() -> tuple[int, int]:
    """A pseudo-terminal (controller, terminal) that does not echo: nobody reads the echo back
    from the controller side, so it would only fill the buffer."""
    controller, terminal = pty.openpty()
    attrs = termios.tcgetattr(terminal)
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(terminal, termios.TCSANOW, attrs)
    return controller, terminal


WAIT = 300  # seconds; only a safety net against a hang


def group_members(pgid: int) -> list[int]:
    """Processes still alive in a process group (zombies included): the CLI's workers and forkserver."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:
                found.append(int(entry.name))
    return found


class RunningCli:
    """`python -m normalise ARGS` on a stdin pipe left open, in its own process group (its workers
    too): it ends only by a signal or the end of its input. `stop()` kills the whole group."""

    def __init__(self, tmp_path: Path, *args: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "normalise", *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, env=cli_env(tmp_path),
                                     start_new_session=True)

    def write(self, data: bytes) -> None:
        """On a thread: more than a pipe holds waits for the CLI to read it. Written to the descriptor
        itself: a write blocked in the pipe object would hold its lock, and communicate() (which flushes
        stdin first) could then never read the output the CLI is blocked writing."""
        assert self.proc.stdin is not None
        fd = self.proc.stdin.fileno()

        def feed() -> None:
            view = memoryview(data)
            with contextlib.suppress(OSError):  # the CLI stopped reading (EPIPE) or is gone (EBADF): expected
                while view:
                    view = view[os.write(fd, view):]

        threading.Thread(target=feed, daemon=True).start()

    def first_line(self) -> bytes:
        got: list[bytes] = []

        def read_line() -> None:  # unbuffered: communicate() reads the rest from the descriptor itself
            line = b""
            while not line.endswith(b"\n") and (byte := os.read(self.proc.stdout.fileno(), 1)):
                line += byte
            got.append(line)

        reader = threading.Thread(target=read_line, daemon=True)
        reader.start()
        reader.join(WAIT)
        assert got and got[0].endswith(b"\n"), "no record came out"
        return got[0]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(ValueError, BrokenPipeError):
            self.proc.communicate()
        for pid in group_members(self.proc.pid):
            os.kill(pid, signal.SIGKILL)
