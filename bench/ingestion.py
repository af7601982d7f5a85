"""Ingestion benchmark: crawl + normalise throughput (no translation) on SQLite and PostgreSQL,
the crawl layer's overhead over the normaliser's own time, and peak memory while exporting.

    .venv/bin/python bench/ingestion.py [--pages 400] [--export-records 100000] [--no-postgres]

Runs the real `scrapy crawl news` against a generated local site (tests/ingestion/fixture_site.py)
and the real `scrapy export` on a store filled with generated records. Prints markdown tables.
PostgreSQL: a throw-away database on 127.0.0.1:5432 (skipped with a note when unreachable).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))



def _load(name: str):
    """The crawl-test helpers, by path (a `tests` package installed elsewhere must not shadow them)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"ingestion_{name}", REPO / "tests" / "ingestion" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


crawl_command, crawl_env = _load("crawl").crawl_command, _load("crawl").crawl_env
FixtureSite = _load("fixture_site").FixtureSite


def normaliser_time_per_page(site: FixtureSite, pages: int) -> float:
    """The normaliser alone, in this process, on the same pages the crawl will fetch (batched like the crawl)."""
    from normalise import InputDocument, NormaliserConfig
    from normalise.pipeline import Normaliser

    normaliser = Normaliser(NormaliserConfig(translate=False))
    docs = [InputDocument(id=site.article_url(i), html=site.article(i), url=site.article_url(i), source="fixture",
                          content_type="text/html; charset=utf-8", expected_languages=["en"])
            for i in range(pages)]
    list(normaliser.normalise_many(docs[:16]))  # warm-up: lazy model loads are not per-page cost
    start = time.perf_counter()
    list(normaliser.normalise_many(docs, chunk_size=16))
    return (time.perf_counter() - start) / pages


def crawl_seconds(site: FixtureSite, store_url: str, work: Path, settings: dict) -> tuple[float, int]:
    env = crawl_env(site.seeds(work / "seeds"), store_url, work / "data")
    log = work / "crawl.log"
    with open(log, "wb") as fh:
        subprocess.run(crawl_command(settings={"FEEDS": "{}", "LOG_LEVEL": "INFO", "CONCURRENT_REQUESTS": "16",
                                               "CONCURRENT_REQUESTS_PER_DOMAIN": "16", **settings}),
                       cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT, check=True)
    text = log.read_text(errors="replace")
    elapsed = float(re.search(r"'elapsed_time_seconds': ([0-9.]+)", text).group(1))
    stored = int(re.search(r"'news/stored/new': (\d+)", text).group(1))
    return elapsed, stored


def pg_database():
    import psycopg

    try:
        admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        return None, None, f"PostgreSQL unreachable: {exc}"
    name = f"news_bench_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    return admin, name, None


def drop_database(admin, name):
    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _stores(use_pg: bool, tmp: Path):
    """(label, empty store URL for run `n`) for SQLite and, when reachable, a throw-away PostgreSQL database."""
    yield "SQLite", lambda n: f"sqlite:///{tmp}/news-{n}.sqlite"
    if use_pg:
        admin, name, problem = pg_database()
        if problem:
            print(f"> {problem}; PostgreSQL rows skipped\n")
            return
        url = f"postgresql://postgres@127.0.0.1:5432/{name}"
        try:
            yield "PostgreSQL", lambda n: _pg_truncate(url) or url
        finally:
            drop_database(admin, name)


def bench_crawl(pages: int, use_pg: bool, modes: list[str], concurrent_items: int, repeat: int) -> None:
    """Each crawl runs on `pages` and on 2 x `pages` articles: the whole-run cost per page includes
    fixed start-up (Scrapy, robots.txt and sitemap, the normaliser's lazy model loads, ~2-4 s);
    the difference between the two runs is the marginal cost of one more page. The normaliser
    alone is re-measured before each round (the machine is shared and noisy)."""
    rows = []
    with FixtureSite(articles=2 * pages) as site:
        for attempt in range(1, repeat + 1):
            per_page = normaliser_time_per_page(site, 2 * pages)
            for mode in modes:
                settings = {"NEWS_NORMALISE_PROCESSES": mode, "CONCURRENT_ITEMS": str(concurrent_items)}
                with tempfile.TemporaryDirectory() as tmp:
                    for store, store_url in _stores(use_pg, Path(tmp)):
                        runs = {}
                        for n in (pages, 2 * pages):
                            site.articles = n
                            runs[n] = crawl_seconds(site, store_url(n), Path(tmp) / f"{store}-{n}", settings)
                        site.articles = 2 * pages
                        rows.append((attempt, per_page, store, mode, runs))
    label = {"0": "in-thread", "1": "1 worker process", "2": "2 worker processes"}
    print(f"### Crawl + normalise, no translation (local site, 16 concurrent requests, "
          f"CONCURRENT_ITEMS={concurrent_items})\n")
    print(f"| run | normaliser alone ms/page | store | normaliser | pages stored | crawl time (s) | pages/s | "
          f"ms/page | overhead vs normaliser | marginal ms/page ({pages}->{2 * pages}) | marginal overhead |")
    print("|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for attempt, per_page, store, mode, runs in rows:
        (t1, s1), (t2, s2) = runs[pages], runs[2 * pages]
        whole = t2 / max(s2, 1)
        marginal = (t2 - t1) / max(s2 - s1, 1)
        print(f"| {attempt} | {per_page * 1000:.2f} | {store} | {label.get(mode, mode + ' worker processes')} | "
              f"{s2} | {t2:.2f} | {s2 / t2:.1f} | {whole * 1000:.2f} | {(whole - per_page) / per_page * 100:+.0f}% | "
              f"{marginal * 1000:.2f} | {(marginal - per_page) / per_page * 100:+.0f}% |")
    print()


def _pg_truncate(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        if tables:
            conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")


def fill_store(store_url: str, n: int) -> None:
    """n generated records through the store's normal save path (one real record, varied)."""
    from crawler.storage import open_store
    from crawler.storage.base import PageToStore
    from normalise import InputDocument, NormaliserConfig
    from normalise.pipeline import Normaliser

    with FixtureSite(articles=1) as site:
        html = site.article(0)
    template = Normaliser(NormaliserConfig(translate=False)).normalise(
        InputDocument(id="x", html=html, url="http://bench.test/x", source="bench")).to_dict()
    store = open_store(store_url)
    try:
        for i in range(n):
            url = f"http://bench.test/news/{i}"
            record = dict(template, id=url, url=url, canonical_url=url, source=f"s{i % 5}",
                          text=template["text"] + f" Item {i}.", published_at=f"2024-0{1 + i % 9}-01T00:00:00Z")
            store.save(PageToStore(canonical_url=url, url=url, final_url=url, source=record["source"], status=200,
                                   headers={}, fetched_at="2024-01-01T00:00:00Z", html=html), record)
    finally:
        store.close()


def export_peak_rss(store_url: str, fmt: str, out: Path) -> tuple[float, float]:
    """Peak RSS (MiB) of a `scrapy export` process and its wall time."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWS_")}
    env.update({"NEWS_STORE_URL": store_url, "PYTHONPATH": str(REPO)})
    code = ("import resource, subprocess, sys, time; t=time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.perf_counter()-t)")
    res = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "scrapy", "export", "--format", fmt,
                          "-o", str(out)], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    kib, seconds = res.stdout.split()
    return int(kib) / 1024, float(seconds)


def bench_export(sizes: list[int], use_pg: bool) -> None:
    print("### Export peak memory (whole `scrapy export` process, generated records)\n")
    print("| store | records | format | peak RSS (MiB) | time (s) |")
    print("|---|---:|---|---:|---:|")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/export.sqlite"
            fill_store(url, n)
            for fmt in ("jsonl", "parquet"):
                rss, secs = export_peak_rss(url, fmt, Path(tmp) / f"out.{fmt}")
                print(f"| SQLite | {n} | {fmt} | {rss:.0f} | {secs:.1f} |")
        if use_pg:
            admin, name, problem = pg_database()
            if problem:
                continue
            try:
                url = f"postgresql://postgres@127.0.0.1:5432/{name}"
                fill_store(url, n)
                with tempfile.TemporaryDirectory() as tmp:
                    for fmt in ("jsonl", "parquet"):
                        rss, secs = export_peak_rss(url, fmt, Path(tmp) / f"out.{fmt}")
                        print(f"| PostgreSQL | {n} | {fmt} | {rss:.0f} | {secs:.1f} |")
            finally:
                drop_database(admin, name)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--export-records", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--modes", nargs="+", default=["1", "0"],
                        help="NEWS_NORMALISE_PROCESSES values to compare (0 = normaliser in a thread)")
    parser.add_argument("--concurrent-items", type=int, default=None,
                        help="CONCURRENT_ITEMS for the crawl (default: settings/default.py)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each configuration (the machine is noisy)")
    parser.add_argument("--skip", choices=["crawl", "export"], action="append", default=[])
    args = parser.parse_args()
    if "crawl" not in args.skip:
        if args.concurrent_items is None:
            from settings import default

            args.concurrent_items = getattr(default, "CONCURRENT_ITEMS", 100)
        bench_crawl(args.pages, not args.no_postgres, args.modes, args.concurrent_items, args.repeat)
    if "export" not in args.skip:
        bench_export(args.export_records, not args.no_postgres)


if __name__ == "__main__":
    main()
