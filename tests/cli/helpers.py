"""Run the batch CLI as users do: a real `python -m normalise` subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
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
