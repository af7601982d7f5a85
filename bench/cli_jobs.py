"""Steady-state wall-clock rate of the batch CLI with --jobs 1, 2 and auto beside trafilatura.extract
(one process, default settings) on the same pages.

Worker processes add cores, not CPU efficiency, so the rate that matters is wall-clock pages/s:
as in `cli_cpu_rate.py`, each system does the first 50 and the first 250 pages of a set (cycled
when a set has fewer) and the rate is 200 / (t250 - t50), which leaves out start-up (interpreter,
workers, models). The CLI runs `python -m normalise --no-translate --jobs N` on the pages as one
JSON Lines file, a fresh process each time. The 1-minute load average is printed with each row:
on a machine other jobs load, --jobs 2 cannot get two free cores.

    .venv/bin/python bench/cli_jobs.py [--sets trafilatura-dev,naeb] [--jobs default,1,2,auto] [--repeat 2]
        [--small 100 --large 500]

`--whole 1,20,100,500` prints instead the wall-clock seconds of whole runs (start-up included) of
that many pages with each --jobs value: what a small batch pays for the workers' start-up.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extraction import DEFAULT_BENCH_DIR, load_set, write_cli_batch  # bench scripts import each other from bench/

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from normalise.workers import auto_jobs  # noqa: E402 -- after the repository is on the path

SETS = "scrapinghub,readability,zh-cwced-dev,trafilatura-dev,naeb,dragnet"


def _cli_seconds(batch: Path, jobs: str) -> float:
    chosen = [] if jobs == "default" else ["--jobs", jobs]  # "default": no --jobs, as users run it
    command = [sys.executable, "-m", "normalise", "--no-translate", *chosen, "--format", "jsonl", str(batch)]
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    if proc.returncode not in (0, 1):  # 1: some pages failed (not HTML, empty): they are still done
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {proc.stderr[-2000:]!r}")
    return time.perf_counter() - start


def _trafilatura_seconds(rows: list[dict]) -> float:
    import trafilatura

    start = time.perf_counter()
    for row in rows:
        trafilatura.extract(row["html"])
    return time.perf_counter() - start


def measure(rows: list[dict], jobs: list[str], small: int = 50, large: int = 250) -> dict[str, float]:
    """Wall-clock steady rates (pages/s) of the CLI with each --jobs value and of trafilatura."""
    pages = [rows[i % len(rows)] for i in range(large)]
    done = large - small
    rates: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        first, whole = Path(tmp) / "first.jsonl", Path(tmp) / "all.jsonl"
        write_cli_batch(pages[:small], first)
        write_cli_batch(pages, whole)
        for value in jobs:
            rates[value] = done / (_cli_seconds(whole, value) - _cli_seconds(first, value))
    rates["trafilatura"] = done / (_trafilatura_seconds(pages) - _trafilatura_seconds(pages[:small]))
    return rates


def whole_runs(rows: list[dict], jobs: list[str], sizes: list[int]) -> dict[tuple[int, str], float]:
    """Wall-clock seconds of a whole CLI run over the first `size` pages, for each size and --jobs value."""
    seconds = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            batch = Path(tmp) / f"{size}.jsonl"
            write_cli_batch([rows[i % len(rows)] for i in range(size)], batch)
            for value in jobs:
                seconds[size, value] = _cli_seconds(batch, value)
    return seconds


def _print_whole_runs(name: str, rows: list[dict], jobs: list[str], sizes: list[int]) -> None:
    seconds = whole_runs(rows, jobs, sizes)
    for size in sizes:
        cells = " / ".join(f"{seconds[size, j]:.2f}" for j in jobs)
        print(f"| {name} | {size} | {cells} | {os.getloadavg()[0]:.1f} |", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=SETS)
    parser.add_argument("--jobs", default="1,2,auto", help="--jobs values to run, comma-separated ('default': "
                                                           "no --jobs given)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--small", type=int, default=50,
                        help="pages of the run subtracted (start-up); each worker loads models over its first ~50 pages, "
                             "so use 50 x workers to leave that out too")
    parser.add_argument("--large", type=int, default=250)
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--whole", default="", help="page counts of whole runs to time instead, comma-separated")
    args = parser.parse_args()
    jobs = args.jobs.split(",")
    sizes = [int(n) for n in args.whole.split(",") if n]
    picked = auto_jobs()
    if "auto" in jobs and str(picked) in jobs:  # the same run twice
        jobs.remove("auto")
        print(f"note: --jobs auto picks {picked} here: its column is --jobs {picked}'s", file=sys.stderr)
    print(f"usable cores {os.sched_getaffinity(0).__len__()}, --jobs auto = {picked}\n")
    head = " / ".join(f"--jobs {j}" for j in jobs)
    if sizes:
        print(f"| set | pages | wall s of the whole run {head} | load average (1 min) |\n|---|---|---|---|")
        for name in args.sets.split(","):
            _print_whole_runs(name, load_set(args.bench_dir / f"{name}.jsonl.gz", max(sizes)), jobs, sizes)
        return 0
    print(f"| set | run | wall pages/s {head} / trafilatura | best CLI / trafilatura | load average (1 min) |")
    print("|---|---|---|---|---|")
    for name in args.sets.split(","):
        path = args.bench_dir / f"{name}.jsonl.gz"
        if not path.exists():
            print(f"note: {path} missing; set {name} skipped", file=sys.stderr)
            continue
        rows = load_set(path, args.large)
        for run in range(1, args.repeat + 1):
            r = measure(rows, jobs, args.small, args.large)
            cells = " / ".join(f"{r[j]:.1f}" for j in jobs)
            best = max(r[j] for j in jobs)
            print(f"| {name} | {run} | {cells} / {r['trafilatura']:.1f} | {best / r['trafilatura']:.2f}x "
                  f"| {os.getloadavg()[0]:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
