"""Peak memory of the batch CLI on a JSON Lines batch of large pages written to its stdin pipe.

    .venv/bin/python bench/cli_batch_memory.py [--pages 70] [--page-mb 16] [--code DIR] [--jobs N]
    .venv/bin/python bench/cli_batch_memory.py --jobs N --files PATH [PATH ...]

A producer writes the whole batch into the pipe as fast as the CLI takes it. The first page is
slow to normalise (a million empty elements: seconds of CPU), so meanwhile the CLI's reader thread
runs ahead as far as its bounds let it, and the pages it read then make up the next batches: the
peak shows what the read-ahead queue and the batching hold. Every other page is a short article
with a large inline script (cheap to normalise, heavy to hold). Reports the child's peak RSS
(ru_maxrss), its CPU time, and the same for the slow first page alone (the fixed cost:
interpreter, lxml, names index, that page's own work). `--code DIR` runs the CLI from another
checkout of the project (a `git archive` export), to compare two versions on the same input.
`--jobs N` runs the CLI with N worker processes; the peak RSS of the CLI process and of its
largest worker are then read from /proc (VmHWM, sampled every 0.1 s, of every process of the
run's process group: a worker is one whose parent is not the CLI). `--files` runs the CLI on
those inputs instead (named on its command line), for a worker's peak on real pages: one that
meets every configured language loads every language model. Prints a markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Runs the CLI in the child and reports its own peak RSS (KiB on Linux) and CPU seconds on stderr.
_MEASURE = """
import resource, sys
from normalise.cli import main
status = main(sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_SELF)
sys.stderr.write("MAXRSS_KB=%d CPU_S=%.2f\\n" % (usage.ru_maxrss, usage.ru_utime + usage.ru_stime))
sys.exit(status)
"""


def page_line(i: int, page_bytes: int) -> bytes:
    filler = "<i></i>" * (1 << 20) if i == 0 else "<script>" + "var x = 1;" * max(1, page_bytes // 10) + "</script>"
    html = f"<html><body><p>Short article number {i} about the harbour.</p>{filler}</body></html>"
    return json.dumps({"id": f"p{i}", "html": html}).encode() + b"\n"


class _GroupPeaks:
    """Samples the peak RSS (VmHWM, KiB) of every process in a process group until stopped."""

    def __init__(self, pgid: int):
        self.pgid = pgid
        self.peak_kb: dict[int, int] = {}
        self.parent: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    self._read(int(entry.name), entry)

    def _read(self, pid: int, entry: Path) -> None:
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(stat[2]) != self.pgid:
                return
            status = (entry / "status").read_text()
        except (OSError, IndexError, ValueError):
            return
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), int(line.split()[1]))
                self.parent.setdefault(pid, int(stat[1]))  # its first parent: at the end the CLI is gone

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def workers_mib(self) -> list[float]:
        """Peaks of the processes started by the fork server (not children of the CLI itself)."""
        return [kb / 1024 for pid, kb in self.peak_kb.items() if pid != self.pgid and self.parent[pid] != self.pgid]


def run(code: Path, pages: int, page_bytes: int, tmp: Path, jobs: int = 1
        ) -> tuple[float, float, int, list[float]]:
    """(peak RSS MiB, CPU seconds, records, workers' peak RSS MiB) of the CLI on `pages` pages
    written to its stdin pipe."""
    batch = tmp / "batch.jsonl"
    with batch.open("wb") as fh:  # made before the run: the producer writes as fast as the pipe takes it
        for i in range(pages):
            fh.write(page_line(i, page_bytes))
    env = dict(os.environ, NEWS_DATA_DIR=str(tmp))
    jobs_args = ["--jobs", str(jobs)] if jobs != 1 else []
    proc = subprocess.Popen([sys.executable, "-c", _MEASURE, "--no-translate", *jobs_args, "--format", "jsonl", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=code, env=env,
                            start_new_session=True)
    peaks = _GroupPeaks(proc.pid)

    def produce() -> None:
        assert proc.stdin is not None
        try:
            with batch.open("rb") as fh:
                shutil.copyfileobj(fh, proc.stdin, 1024 * 1024)
        finally:
            proc.stdin.close()

    producer = threading.Thread(target=produce, daemon=True)
    producer.start()
    assert proc.stdout is not None and proc.stderr is not None
    out = proc.stdout.read()  # stderr holds one summary line: it cannot fill its pipe meanwhile
    err = proc.stderr.read()
    proc.wait()
    producer.join()
    time.sleep(0.3)  # the workers exit after the CLI: their last samples
    peaks.stop()
    if proc.returncode != 0:
        raise SystemExit(f"the CLI failed ({proc.returncode}): {err[-2000:].decode(errors='replace')}")
    fields = _fields(err)
    return int(fields["MAXRSS_KB"]) / 1024, float(fields["CPU_S"]), out.count(b"\n"), peaks.workers_mib()


def run_files(code: Path, paths: list[str], jobs: int, tmp: Path) -> tuple[float, float, int, list[float]]:
    """The same figures for the CLI run on `paths`."""
    env = dict(os.environ, NEWS_DATA_DIR=str(tmp))
    proc = subprocess.Popen([sys.executable, "-c", _MEASURE, "--no-translate", "--jobs", str(jobs), *paths],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=code, env=env, start_new_session=True)
    peaks = _GroupPeaks(proc.pid)
    out, err = proc.communicate()
    time.sleep(0.3)
    peaks.stop()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"the CLI failed ({proc.returncode}): {err[-2000:].decode(errors='replace')}")
    fields = _fields(err)
    return int(fields["MAXRSS_KB"]) / 1024, float(fields["CPU_S"]), out.count(b"\n"), peaks.workers_mib()


def _fields(err: bytes) -> dict[str, str]:
    last = b"MAXRSS_KB=" + err.rsplit(b"MAXRSS_KB=", 1)[1]
    return dict(part.split("=", 1) for part in last.decode().split() if "=" in part)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=70)
    ap.add_argument("--page-mb", type=float, default=16)
    ap.add_argument("--code", type=Path, default=REPO, help="checkout whose CLI to run (default: this one)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (--jobs of the CLI)")
    ap.add_argument("--files", nargs="+", metavar="PATH", help="run the CLI on these inputs instead")
    args = ap.parse_args()
    if args.files:
        with tempfile.TemporaryDirectory() as tmp:
            rss, cpu, n, workers = run_files(args.code, [str(Path(p).resolve()) for p in args.files], args.jobs,
                                             Path(tmp))
        print(f"code: {args.code}, --jobs {args.jobs}, inputs: {' '.join(args.files)}\n")
        print("| peak RSS (MiB) CLI process | workers' peak RSS (MiB) | CPU (s) CLI process | records |")
        print("|---|---|---|---|")
        print(f"| {rss:.0f} | {', '.join(f'{w:.0f}' for w in sorted(workers)) or '-'} | {cpu:.1f} | {n} |")
        return
    page_bytes = int(args.page_mb * 1024 * 1024)
    with tempfile.TemporaryDirectory() as tmp:
        small = run(args.code, 1, page_bytes, Path(tmp), args.jobs)
        large = run(args.code, args.pages, page_bytes, Path(tmp), args.jobs)
    print(f"code: {args.code}, --jobs {args.jobs}\n")
    print("| batch | peak RSS (MiB) CLI process | largest worker's peak RSS (MiB) | CPU (s) CLI process | records |")
    print("|---|---|---|---|---|")
    for label, (rss, cpu, n, workers) in (("the slow first page alone", small),
                                          (f"it and {args.pages - 1} pages of {args.page_mb:g} MiB", large)):
        worker = f"{max(workers):.0f} ({len(workers)} workers)" if workers else "-"
        print(f"| {label} | {rss:.0f} | {worker} | {cpu:.1f} | {n} |")


if __name__ == "__main__":
    main()
