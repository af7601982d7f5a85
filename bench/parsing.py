"""HTML parsing and charset detection: lxml (what the normaliser parses with) against Beautiful Soup.

    .venv/bin/python bench/parsing.py [--sets scrapinghub,zh-cwced-dev] [--limit 200] [--rounds 3]

Per set, over the same pages (../shared/bench), best of `rounds`:
- parse: `lxml.html.document_fromstring(html)` against `BeautifulSoup(html, "lxml")` (bs4 on
  lxml's parser) and `BeautifulSoup(html, "html.parser")`; pages/second and peak tree memory;
- walk: collecting every text node (what block extraction needs) on each tree;
- detect: the charset of each page's UTF-8 bytes with its charset declaration removed, by
  charset-normalizer (what decoding.py falls back on) and by bs4's `UnicodeDammit`.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from extraction import DEFAULT_BENCH_DIR, load_set  # noqa: E402

_DECLARED = re.compile(r"<meta[^>]*charset[^>]*>", re.I)


def best(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--sets", default="scrapinghub,zh-cwced-dev")
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    print("| set | pages | step | lxml.html | bs4 + lxml | bs4 + html.parser | charset-normalizer | UnicodeDammit |")
    print("|---|---|---|---|---|---|---|---|")
    for name in args.sets.split(","):
        path = args.bench_dir / f"{name}.jsonl.gz"
        if not path.is_file():
            print(f"{path}: missing", file=sys.stderr)
            return 1
        report(name, [r["html"] for r in load_set(path, args.limit) if r.get("html")], args.rounds)
    return 0


def report(name: str, pages: list[str], rounds: int) -> None:
    import charset_normalizer
    import lxml.html
    from bs4 import BeautifulSoup, UnicodeDammit

    n = len(pages)
    parsers = {
        "lxml": lambda: [lxml.html.document_fromstring(p) for p in pages],
        "bs4-lxml": lambda: [BeautifulSoup(p, "lxml") for p in pages],
        "bs4-html": lambda: [BeautifulSoup(p, "html.parser") for p in pages],
    }
    speed = {k: n / best(fn, rounds) for k, fn in parsers.items()}
    trees = {k: fn() for k, fn in parsers.items()}
    walks = {
        "lxml": lambda: [list(t.itertext()) for t in trees["lxml"]],
        "bs4-lxml": lambda: [list(t.strings) for t in trees["bs4-lxml"]],
        "bs4-html": lambda: [list(t.strings) for t in trees["bs4-html"]],
    }
    walk = {k: n / best(fn, rounds) for k, fn in walks.items()}
    raw = [_DECLARED.sub("", p).encode("utf-8") for p in pages]
    cn = [charset_normalizer.from_bytes(b).best() for b in raw]
    ud = [UnicodeDammit(b, is_html=True) for b in raw]
    cn_ok = sum(1 for r, p in zip(cn, pages, strict=True) if r is not None and str(r) == _DECLARED.sub("", p))
    ud_ok = sum(1 for r, p in zip(ud, pages, strict=True) if r.unicode_markup == _DECLARED.sub("", p))
    cn_speed = n / best(lambda: [charset_normalizer.from_bytes(b).best() for b in raw], 1)
    ud_speed = n / best(lambda: [UnicodeDammit(b, is_html=True) for b in raw], 1)
    print(f"| {name} | {n} | parse, pages/s | {speed['lxml']:.0f} | {speed['bs4-lxml']:.0f} | "
          f"{speed['bs4-html']:.0f} | | |")
    print(f"| {name} | {n} | text walk, pages/s | {walk['lxml']:.0f} | {walk['bs4-lxml']:.0f} | "
          f"{walk['bs4-html']:.0f} | | |")
    print(f"| {name} | {n} | charset of undeclared UTF-8: right, pages/s | | | | {cn_ok}/{n}, {cn_speed:.0f} | "
          f"{ud_ok}/{n}, {ud_speed:.0f} |")


if __name__ == "__main__":
    sys.exit(main())
