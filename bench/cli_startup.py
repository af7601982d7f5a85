"""Start-up of the batch CLI (`python -m normalise`): how long until it answers, and what the
first page costs. Each case is a fresh process, run --repeat times; the median is printed.

    .venv/bin/python bench/cli_startup.py [--repeat 5]

Cases (all with --no-translate, so no translation model is involved):
  help             `--help`: interpreter + the CLI's own imports, nothing else
  first_record     time to the first output line when the first input needs no model (an
                   unreadable path): the CLI is reading input while the normaliser loads
  first_page       time to the first record of a one-page English text: includes building
                   the normaliser and loading the language identifier's models for that script
  page_after_wait  a page written to stdin 5 s after start: time from writing it to its record
                   (the normaliser loaded in the background while the producer was busy)
Also prints `python -X importtime -c "import normalise.cli"` (the CLI module's own import cost).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGE = json.dumps({"id": "p1", "text": "The council approved the new harbour budget on Monday evening."}) + "\n"


def _env(tmp: Path) -> dict[str, str]:
    return dict(os.environ, XDG_DATA_HOME=str(tmp / "xdg"), PYTHONDONTWRITEBYTECODE="1")


def _time_to_first_line(cmd: list[str], env: dict, stdin_text: str | None = None, delay: float = 0.0) -> float:
    """Seconds from start (or from writing stdin, after `delay`) to the first line on stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            cwd=REPO, env=env)
    try:
        assert proc.stdin is not None and proc.stdout is not None
        if delay:
            time.sleep(delay)
        if stdin_text is not None:
            started = time.perf_counter() if delay else started
            proc.stdin.write(stdin_text.encode())
        proc.stdin.close()
        proc.stdout.readline()
        return time.perf_counter() - started
    finally:
        proc.kill()
        proc.wait()


def _help_time(env: dict) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "normalise", "--help"], cwd=REPO, env=env, capture_output=True, check=True)
    return time.perf_counter() - started


def _import_cost() -> str:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import normalise.cli"], cwd=REPO,
                          capture_output=True, text=True, check=True)
    line = [x for x in proc.stderr.splitlines() if x.rstrip().endswith("| normalise.cli")][-1]
    return f"{int(line.split('|')[1]) / 1000:.0f} ms cumulative"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    cli = [sys.executable, "-m", "normalise", "--no-translate"]
    with tempfile.TemporaryDirectory() as work:
        tmp = Path(work)
        env = _env(tmp)
        page = tmp / "page.jsonl"
        page.write_text(PAGE, encoding="utf-8")
        cases = {
            "help": lambda: _help_time(env),
            "first_record": lambda: _time_to_first_line(cli + [str(tmp / "missing.html"), str(page)], env),
            "first_page": lambda: _time_to_first_line(cli + [str(page)], env),
            "page_after_wait": lambda: _time_to_first_line(cli + ["--format", "jsonl", "-"], env, PAGE, delay=5.0),
        }
        print(f"batch CLI start-up, median of {args.repeat} fresh processes ({os.cpu_count()} cores)")
        for name, run in cases.items():
            times = [run() for _ in range(args.repeat)]
            print(f"  {name:<16} {statistics.median(times):6.2f} s   (min {min(times):.2f}, max {max(times):.2f})")
        print(f"  import normalise.cli: {_import_cost()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
