"""Review app benchmark: start-up import cost (and what the lazy chart import saves), and
request latency over real HTTP against a store.

    .venv/bin/python bench/web.py [--store sqlite:///data/news.sqlite] [--requests 50]

Each import is timed in a fresh interpreter (`python -c`), best of three. Requests run against
uvicorn on 127.0.0.1 in this process, one client, sequentially, after one warm-up request each.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import threading
import time
from urllib.parse import quote


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


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--store", default="sqlite:///data/news.sqlite")
    p.add_argument("--requests", type=int, default=50)
    args = p.parse_args()

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
