"""Peak memory of the batch CLI on a JSON Lines batch of large pages written to its stdin pipe.

    .venv/bin/python bench/cli_batch_memory.py [--pages 70] [--page-mb 16] [--code DIR]

A producer writes the whole batch into the pipe as fast as the CLI takes it. The first page is
slow to normalise (a million empty elements: seconds of CPU), so meanwhile the CLI's reader thread
runs ahead as far as its bounds let it, and the pages it read then make up the next batches: the
peak shows what the read-ahead queue and the batching hold. Every other page is a short article
with a large inline script (cheap to normalise, heavy to hold). Reports the child's peak RSS
(ru_maxrss), its CPU time, and the same for the slow first page alone (the fixed cost:
interpreter, lxml, names index, that page's own work). `--code DIR` runs the CLI from another
checkout of the project (a `git archive` export), to compare two versions on the same input.
Prints a markdown table.
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


def run(code: Path, pages: int, page_bytes: int, tmp: Path) -> tuple[float, float, int]:
    """(peak RSS MiB, CPU seconds, records) of the CLI on `pages` pages written to its stdin pipe."""
    batch = tmp / "batch.jsonl"
    with batch.open("wb") as fh:  # made before the run: the producer writes as fast as the pipe takes it
        for i in range(pages):
            fh.write(page_line(i, page_bytes))
    env = dict(os.environ, NEWS_DATA_DIR=str(tmp))
    proc = subprocess.Popen([sys.executable, "-c", _MEASURE, "--no-translate", "--format", "jsonl", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=code, env=env)

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
    if proc.returncode != 0:
        raise SystemExit(f"the CLI failed ({proc.returncode}): {err[-2000:].decode(errors='replace')}")
    fields = _fields(err)
    return int(fields["MAXRSS_KB"]) / 1024, float(fields["CPU_S"]), out.count(b"\n")


def _fields(err: bytes) -> dict[str, str]:
    last = b"MAXRSS_KB=" + err.rsplit(b"MAXRSS_KB=", 1)[1]
    return dict(part.split("=", 1) for part in last.decode().split() if "=" in part)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=70)
    ap.add_argument("--page-mb", type=float, default=16)
    ap.add_argument("--code", type=Path, default=REPO, help="checkout whose CLI to run (default: this one)")
    args = ap.parse_args()
    page_bytes = int(args.page_mb * 1024 * 1024)
    with tempfile.TemporaryDirectory() as tmp:
        small = run(args.code, 1, page_bytes, Path(tmp))
        large = run(args.code, args.pages, page_bytes, Path(tmp))
    print(f"code: {args.code}\n")
    print("| batch | peak RSS (MiB) | CPU (s) | records |")
    print("|---|---|---|---|")
    print(f"| the slow first page alone | {small[0]:.0f} | {small[1]:.1f} | {small[2]} |")
    print(f"| it and {args.pages - 1} pages of {args.page_mb:g} MiB | {large[0]:.0f} | {large[1]:.1f} | {large[2]} |")


if __name__ == "__main__":
    main()
