"""Run the batch CLI as users do: a real `python -m normalise` subprocess."""
from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import termios
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
