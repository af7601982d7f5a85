"""Review app benchmark: start-up import cost (and what the lazy chart import saves), and
request latency over real HTTP against a store.

    .venv/bin/python bench/web.py [--store sqlite:///data/news.sqlite] [--requests 50]
    .venv/bin/python bench/web.py --counts-records 20000

Each import is timed in a fresh interpreter (`python -c`), best of three. Requests run against
uvicorn on 127.0.0.1 in this process, one client, sequentially, after one warm-up request each.

--counts-records N: the counts page's queries on a throw-away SQLite store of N generated pages
(records of 30 blocks, about one in five removed; 40 KB raw pages; 30 fetch days), best of three,
next to the same counts computed from every record's blocks; then GET /stats on that store.
"""
from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

# The same counts from the records themselves (every stored block read): the comparison row.
FROM_RECORDS = ("SELECT substr(p.fetched_at, 1, 10), json_extract(b.value, '$.removed'), count(*) "
                "FROM pages p, json_each(p.record, '$.blocks') b "
                "WHERE json_extract(b.value, '$.removed') IS NOT NULL GROUP BY 1, 2")
REASONS = ["cookie_wall", "newsletter", "related", "share_bar", "byline_box"]


def import_seconds(statement: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        best = min(best, time.perf_counter() - started)
    return best


def serve(config):
    import uvicorn

    from crawler.web.app import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(config), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return server, thread, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


def fill_store(path: Path, pages: int, seed: int = 3) -> None:
    """`pages` generated pages in a new SQLite store, saved the crawl's way (SQLiteStore.save)."""
    from crawler.storage import PageToStore
    from crawler.storage.sqlite import SQLiteStore

    rng = random.Random(seed)
    words = "harbour council ferry budget railway vote mayor storm river bridge school market".split()
    store = SQLiteStore(path)
    try:
        for i in range(pages):
            url = f"https://news.test/{i}"
            blocks = [{"kind": "paragraph", "text": " ".join(rng.choices(words, k=60)),
                       "removed": rng.choice(REASONS) if rng.random() < 0.2 else None} for _ in range(30)]
            record = {"id": url, "canonical_url": url, "title": f"Story {i}", "language": "en",
                      "text": "\n\n".join(b["text"] for b in blocks if not b["removed"]), "blocks": blocks,
                      "pipeline_version": "1", "metadata": {}}
            html = rng.randbytes(40_000)  # incompressible, like the zlib-compressed pages a crawl keeps
            store.save(PageToStore(canonical_url=url, url=url, final_url=url, source=f"source{i % 8}", status=200,
                                   headers={}, fetched_at=f"2024-05-{1 + i % 30:02d}T08:00:00+00:00", html=html),
                       record)
    finally:
        store.close()


def best_ms(fn, rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def counts_on_a_big_store(pages: int, requests: int) -> int:
    import httpx

    from crawler.web import queries
    from crawler.web.config import WebConfig
    from crawler.web.db import SQLiteReadDB
    from normalise.config import NormaliserConfig

    with tempfile.TemporaryDirectory(prefix="bench-web-counts-") as tmp:
        path = Path(tmp) / "news.sqlite"
        started = time.perf_counter()
        fill_store(path, pages)
        print(f"{pages} generated pages saved in {time.perf_counter() - started:.0f} s; "
              f"store file {path.stat().st_size / 2**20:.0f} MiB\n")
        db = SQLiteReadDB(path)
        try:
            same = queries.counts_by_day(db, "reason") == _grouped(db.rows(FROM_RECORDS))
            print("| counts (SQLite, best of 3) | ms |\n|---|---:|")
            print(f"| articles per source by day | {best_ms(lambda: queries.counts_by_day(db, 'source')):.1f} |")
            print(f"| removed blocks per reason by day | {best_ms(lambda: queries.counts_by_day(db, 'reason')):.1f} |")
            print(f"| the same, from every record's blocks | {best_ms(lambda: db.rows(FROM_RECORDS)):.0f} |")
            print(f"\nremoved-block counts equal to those from the records: {'yes' if same else 'NO'}")
        finally:
            db.close()
        server, thread, base = serve(WebConfig(store_url=f"sqlite:///{path}", normaliser=NormaliserConfig(translate=False)))
        try:
            with httpx.Client(base_url=base, timeout=120) as client:
                client.get("/stats").raise_for_status()
                times = []
                for _ in range(requests):
                    started = time.perf_counter()
                    client.get("/stats").raise_for_status()
                    times.append((time.perf_counter() - started) * 1000)
            print(f"GET /stats: median {statistics.median(times):.0f} ms over {requests} requests")
        finally:
            server.should_exit = True
            thread.join(timeout=30)
    return 0 if same else 1


def _grouped(rows) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for day, key, n in rows:
        out.setdefault(key or "unknown", {})[day or "unknown"] = int(n)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--store", default="sqlite:///data/news.sqlite")
    p.add_argument("--requests", type=int, default=50)
    p.add_argument("--counts-records", type=int, default=0, help="measure the counts on a generated store of N pages")
    args = p.parse_args()
    if args.counts_records:
        return counts_on_a_big_store(args.counts_records, min(args.requests, 10))

    bare = import_seconds("pass")
    app = import_seconds("import crawler.web.app")
    chart = import_seconds("import crawler.web.app, crawler.web.charts; crawler.web.charts.counts_svg({}, 't', 'y')")
    print("| import (fresh interpreter, best of 3) | seconds |\n|---|---|")
    print(f"| python alone | {bare:.2f} |\n| the app (`crawler.web.app`) | {app:.2f} |")
    print(f"| the app + matplotlib + one empty chart | {chart:.2f} |")

    import httpx

    from crawler.web.config import WebConfig
    from normalise.config import NormaliserConfig

    server, thread, base = serve(WebConfig(store_url=args.store, normaliser=NormaliserConfig(translate=False)))
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            records = client.get("/records", params={"limit": 200}).json()["records"]
            if not records:
                print(f"no records in {args.store}: run the demo crawl first", file=sys.stderr)
                return 1
            url = quote(records[0]["canonical_url"], safe="")
            paths = ["/health", "/records?limit=50", f"/records/{url}", f"/article?url={url}", "/?language=de",
                     "/stats", "/charts/reason.svg", "/entities/kyiv"]
            started = time.perf_counter()
            client.get("/charts/source.svg").raise_for_status()
            print(f"\nfirst chart drawing (matplotlib imported on first use): {time.perf_counter() - started:.2f} s")
            print(f"\n{len(records)} record(s) in {args.store}; {args.requests} sequential requests per path\n")
            print("| path | median ms | p95 ms |\n|---|---|---|")
            for path in paths:
                assert client.get(path).status_code == 200, path
                times = []
                for _ in range(args.requests):
                    started = time.perf_counter()
                    client.get(path).raise_for_status()
                    times.append((time.perf_counter() - started) * 1000)
                times.sort()
                p95 = times[max(0, int(len(times) * 0.95) - 1)]
                label = "/records/{id}" if path.startswith("/records/") else path.split("?")[0]
                print(f"| `{label}{'?…' if '?' in path else ''}` | {statistics.median(times):.1f} | "
                      f"{p95:.1f} |")
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
