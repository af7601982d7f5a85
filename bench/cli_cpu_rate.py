"""Steady-state rate of the batch CLI against trafilatura.extract in CPU time, for a shared machine.

On a machine other jobs load, wall-clock rates move by a factor of two between runs (see
docs/extraction.md); CPU time moves much less. Like `extraction.py --speed`, each system does the
first 50 and the first 250 pages of a set and the rate is 200 / (t250 - t50), with t the CPU
seconds: for the batch CLI (`python -m normalise --no-translate` on the pages as one JSON Lines
file, a fresh process each time) the child process's user + system time, for trafilatura.extract
(default settings) this process's. Wall-clock rates are printed beside them. `--stdin` writes the
JSON Lines to the CLI's stdin through a pipe instead (`python -m normalise ... -`): the path a
producer's pipe takes (read ahead on a thread, batches cut short when the pipe is empty).

    .venv/bin/python bench/cli_cpu_rate.py [--sets trafilatura-dev,naeb] [--repeat 2] [--stdin]
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extraction import DEFAULT_BENCH_DIR, load_set, write_cli_batch  # bench scripts import each other from bench/

REPO = Path(__file__).resolve().parent.parent


def _cli_seconds(batch: Path, stdin: bool = False) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one batch CLI run over the pages in `batch` (given as a path,
    or written to its stdin through a pipe)."""
    command = [sys.executable, "-m", "normalise", "--no-translate", "--format", "jsonl", "-" if stdin else str(batch)]
    data = batch.read_bytes() if stdin else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=REPO, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc.communicate(data)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, command)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def _trafilatura_seconds(rows: list[dict]) -> tuple[float, float]:
    import trafilatura

    cpu, start = time.process_time(), time.perf_counter()
    for row in rows:
        trafilatura.extract(row["html"])
    return time.process_time() - cpu, time.perf_counter() - start


def measure(rows: list[dict], small: int = 50, large: int = 250, stdin: bool = False) -> dict[str, float]:
    """CPU and wall-clock steady rates (pages/s) of the batch CLI and trafilatura on these pages."""
    pages = [rows[i % len(rows)] for i in range(large)]
    with tempfile.TemporaryDirectory() as tmp:
        first, whole = Path(tmp) / "first.jsonl", Path(tmp) / "all.jsonl"
        write_cli_batch(pages[:small], first)
        write_cli_batch(pages, whole)
        cli_small, cli_large = _cli_seconds(first, stdin), _cli_seconds(whole, stdin)
    traf_small, traf_large = _trafilatura_seconds(pages[:small]), _trafilatura_seconds(pages)
    done = large - small
    return {"cli_cpu": done / (cli_large[0] - cli_small[0]), "traf_cpu": done / (traf_large[0] - traf_small[0]),
            "cli_wall": done / (cli_large[1] - cli_small[1]), "traf_wall": done / (traf_large[1] - traf_small[1])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="trafilatura-dev,naeb")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--stdin", action="store_true", help="write the pages to the CLI's stdin through a pipe")
    args = parser.parse_args()
    print("| set | run | CPU pages/s batch CLI / trafilatura | CLI / trafilatura (CPU) | wall pages/s CLI / trafilatura "
          "| load average |")
    print("|---|---|---|---|---|---|")
    for name in args.sets.split(","):
        path = args.bench_dir / f"{name}.jsonl.gz"
        if not path.exists():
            print(f"note: {path} missing; set {name} skipped", file=sys.stderr)
            continue
        rows = load_set(path, 250)
        for run in range(1, args.repeat + 1):
            r = measure(rows, stdin=args.stdin)
            print(f"| {name} | {run} | {r['cli_cpu']:.1f} / {r['traf_cpu']:.1f} | {r['cli_cpu'] / r['traf_cpu']:.2f}x "
                  f"| {r['cli_wall']:.1f} / {r['traf_wall']:.1f} | {os.getloadavg()[0]:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
