"""Peak memory on the largest hostile inputs, each measured in a fresh process.

    .venv/bin/python bench/hostile_memory.py [--dump-mb 20] [--page-mb 50] [--urls 100000] [--depth 10000]

Cases:
- baseline: the normaliser CLI on a one-line input (the fixed cost: interpreter, lxml, lingua models).
- text dump: the normaliser CLI (`python -m normalise --no-translate`) on a generated N MB text dump,
  plus in-process runs on 0.5, 1 and 2 MB dumps to show how time and Python allocations scale.
- page refused: the real `scrapy crawl news` against a local server streaming a 50 MB page with no
  Content-Length (the download is cancelled at DOWNLOAD_MAXSIZE); compared with a crawl of a small page.
- sitemap: parsing a 100k-URL sitemap (crawler.discovery.sitemaps.parse_sitemap), entries consumed one by one.
- deep nesting: the normaliser on a page nested 10,000 levels deep.

Peak RSS is the child's own VmHWM (its peak resident set since exec); "Python peak" is tracemalloc's
peak of Python allocations during the measured step, taken in a second pass (tracemalloc slows every
allocation, so times are measured without it; lingua's and libxml2's native memory is not in it).
Prints a markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORDS = ("harbour council ferry delegation minister strike talks ceasefire budget railway vote mayor storm river "
         "bridge school hospital market election court").split()


def make_dump(path: Path, megabytes: float, seed: int = 7) -> int:
    rng = random.Random(seed)
    lines, size = [], 0
    while size < megabytes * 1024 * 1024:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 40))).capitalize() + "."
        lines.append(line)
        size += len(line) + 1
    path.write_text("\n".join(lines), encoding="utf-8")
    return path.stat().st_size


# Runs `python -m MODULE ARGS` and reports the process's own peak RSS (VmHWM) at exit. getrusage's
# ru_maxrss would not do: Linux carries the parent's high-water mark across fork+exec.
_LAUNCHER = """import atexit, runpy, sys
def _report():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            sys.stderr.write("VMHWM_KB " + line.split()[1] + "\\n")
atexit.register(_report)
sys.argv = sys.argv[1:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def vm_hwm_kb() -> int:
    """Peak RSS of this process image (reset by exec, unlike ru_maxrss)."""
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1])
    return 0


def run_measured(module_args: list[str], env: dict | None = None) -> tuple[int, float, int]:
    """(exit status, seconds, peak RSS in kB) of `python -m <module_args>` in a child process."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _LAUNCHER, *module_args], cwd=REPO, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.decode(errors="replace")
    if proc.returncode:
        print(err[-2000:], file=sys.stderr)
    peaks = [int(line.split()[1]) for line in err.splitlines() if line.startswith("VMHWM_KB ")]
    return proc.returncode, time.perf_counter() - started, peaks[-1] if peaks else 0


# -- cases run inside a child (`--case NAME`): print one JSON line -----------------------------------
def case_dump_scaling(_args) -> dict:
    from normalise import InputDocument
    from normalise.config import NormaliserConfig
    from normalise.pipeline import Normaliser

    normaliser = Normaliser(NormaliserConfig(translate=False))
    normaliser.normalise(InputDocument(id="warm", text="Warm up the detectors.\nEin deutscher Satz für lingua."))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in (0.5, 1, 2):
            path = Path(tmp) / f"{mb}.txt"
            size = make_dump(path, mb)
            text = path.read_text(encoding="utf-8")
            started = time.perf_counter()
            record = normaliser.normalise(InputDocument(id=str(mb), text=text))
            seconds = time.perf_counter() - started
            tracemalloc.start()
            normaliser.normalise(InputDocument(id=str(mb), text=text))
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rows.append({"mb": mb, "bytes": size, "seconds": seconds, "python_peak": peak,
                         "blocks": len(record.blocks), "error": record.error and record.error.code})
    return {"rows": rows}


def case_sitemap(args) -> dict:
    from crawler.discovery.sitemaps import parse_sitemap

    body = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + b"".join(b"<url><loc>https://n.example/story/%d</loc><lastmod>2025-06-01</lastmod></url>" % i
                       for i in range(args.urls)) + b"</urlset>")
    rss_before = _rss_kb()
    started = time.perf_counter()
    count = sum(1 for _ in parse_sitemap(body, 50 * 1024 * 1024))
    seconds = time.perf_counter() - started  # timed without tracemalloc, which slows every allocation
    rss_after = _rss_kb()
    tracemalloc.start()
    sum(1 for _ in parse_sitemap(body, 50 * 1024 * 1024))
    peak = tracemalloc.get_traced_memory()[1]
    return {"bytes": len(body), "seconds": seconds, "python_peak": peak,
            "outcome": f"{count} entries streamed; RSS +{(rss_after - rss_before) / 1024:.1f} MB while parsing"}


def _rss_kb() -> int:
    return vm_hwm_kb()


def case_deep(args) -> dict:
    from normalise import InputDocument
    from normalise.config import NormaliserConfig
    from normalise.pipeline import Normaliser

    page = ("<html><body>" + "".join(f"<div>level {i} " for i in range(args.depth)) + "</div>" * args.depth
            + "</body></html>").encode()
    normaliser = Normaliser(NormaliserConfig(translate=False))
    normaliser.normalise(InputDocument(id="warm", text="Warm up the detectors."))
    rss_before = _rss_kb()
    started = time.perf_counter()
    record = normaliser.normalise(InputDocument(id="deep", html=page))
    seconds = time.perf_counter() - started
    rss_after = _rss_kb()
    tracemalloc.start()
    normaliser.normalise(InputDocument(id="deep", html=page))
    peak = tracemalloc.get_traced_memory()[1]
    kept = sum(1 for b in record.blocks if b.text.startswith("level "))
    return {"bytes": len(page), "seconds": seconds, "python_peak": peak,
            "outcome": f"{kept} of {args.depth} levels' text kept; RSS +{(rss_after - rss_before) / 1024:.1f} MB"}


CASES = {"dump_scaling": case_dump_scaling, "sitemap": case_sitemap, "deep": case_deep}


def child(name: str, args) -> dict:
    cmd = [sys.executable, __file__, "--case", name, "--urls", str(args.urls), "--depth", str(args.depth)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True)
    if proc.returncode:
        raise SystemExit(f"case {name} failed:\n{proc.stderr.decode()[-3000:]}")
    return json.loads(proc.stdout.decode().strip().splitlines()[-1])  # rss_kb: the child's own peak


# -- crawl of a 50 MB page ---------------------------------------------------------------------------
def crawl_peak(tmp: Path, path: str) -> tuple[int, float, int, list, int]:
    from crawler.testing.hostile_server import HostileServer  # streams 50 MB without Content-Length

    name = Path(path).stem
    seeds, data = tmp / f"seeds-{name}", tmp / f"data-{name}"
    seeds.mkdir()
    with HostileServer(private_port=0) as server:
        (seeds / "bench.toml").write_text(
            f'id = "bench"\nname = "Bench"\nhome = "{server.base}/"\nallowed_domains = ["127.0.0.1"]\n'
            f'feeds = ["{server.base}/bench.rss"]\nneeds_network = false\n')
        server.route_bench_rss = lambda h: server._send(h, 200, server.feed([path]), {"Content-Type": "application/rss+xml"})
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWS_", "SCRAPY_"))}
        env.update(NEWS_DATA_DIR=str(data), NEWS_SEEDS_DIR=str(seeds), SCRAPY_SETTINGS_MODULE="settings.test")
        cmd = ["scrapy", "crawl", "news", "-a", "source=bench", "-s", "LOG_LEVEL=WARNING",
               "-s", "NEWS_ALLOW_PRIVATE_ADDRESSES=False", "-s", f"NEWS_PRIVATE_ALLOWLIST=127.0.0.1:{server.port}"]
        status, seconds, rss = run_measured(cmd, env)
        sent = server.bytes_sent.get(path, 0)
    import sqlite3

    db = sqlite3.connect(data / "news.sqlite")
    skips = db.execute("SELECT reason FROM skips WHERE url LIKE ?", (f"%{path}",)).fetchall()
    stored = db.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
    db.close()
    return status, seconds, rss, [r[0] for r in skips] or ([f"stored ({stored})"] if stored else []), sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", choices=sorted(CASES))
    parser.add_argument("--dump-mb", type=float, default=20)
    parser.add_argument("--page-mb", type=int, default=50)
    parser.add_argument("--urls", type=int, default=100_000)
    parser.add_argument("--depth", type=int, default=10_000)
    args = parser.parse_args()
    if args.case:
        result = CASES[args.case](args)
        result["rss_kb"] = vm_hwm_kb()
        print(json.dumps(result))
        return

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        tiny = tmp / "tiny.txt"
        tiny.write_text("One line of text about the harbour board.\n")
        status, seconds, rss = run_measured(["normalise", "--no-translate", str(tiny),
                                             "-o", str(tmp / "tiny.jsonl")])
        rows.append(("normaliser CLI, one-line input (baseline)", tiny.stat().st_size, rss, None, seconds,
                     "record" if status == 0 else f"exit {status}"))
        dump = tmp / "dump.txt"
        size = make_dump(dump, args.dump_mb)
        out = tmp / "dump.jsonl"
        status, seconds, rss = run_measured(["normalise", "--no-translate", str(dump),
                                             "-o", str(out)])
        record = json.loads(out.read_text(encoding="utf-8")) if status == 0 else {}
        rows.append((f"normaliser CLI, {args.dump_mb:g} MB text dump", size, rss, None, seconds,
                     f"1 record, {len(record.get('blocks', []))} blocks, error={record.get('error')}"))
        scaling = child("dump_scaling", args)
        for row in scaling["rows"]:
            rows.append((f"normaliser in-process, {row['mb']:g} MB dump", row["bytes"], None, row["python_peak"],
                         row["seconds"], f"{row['blocks']} blocks ({row['seconds'] / row['mb']:.1f} s/MB)"))
        for path, label in (("/articles/good.html", "crawl of one small article (baseline)"),
                            ("/articles/big-streamed.html", f"crawl of a {args.page_mb} MB page, no Content-Length")):
            status, seconds, rss, outcome, sent = crawl_peak(tmp, path)
            rows.append((label, sent or None, rss, None, seconds, ", ".join(outcome) or f"exit {status}"))
        for name, label in (("sitemap", f"sitemap with {args.urls:,} URLs"),
                            ("deep", f"page nested {args.depth:,} levels deep")):
            result = child(name, args)
            rows.append((label, result["bytes"], result["rss_kb"], result["python_peak"], result["seconds"],
                         result["outcome"]))

    print("| input | size | peak RSS | Python peak (tracemalloc) | time | outcome |")
    print("|---|---:|---:|---:|---:|---|")
    for label, size, rss, peak, seconds, outcome in rows:
        print(f"| {label} | {_mb(size)} | {_mb(rss * 1024) if rss else '-'} | {_mb(peak)} | {seconds:.1f} s | "
              f"{outcome} |")


def _mb(n) -> str:
    return "-" if n is None else f"{n / 1024 / 1024:.1f} MB"


if __name__ == "__main__":
    main()
