"""Page by page: normaliser-extract as shipped against one candidate configuration, on one set.

Prints every page whose extracted text changes, with its F1 before and after (snippet sets: the
`with` and `without` snippets found before and after), then the totals. It says which pages a rule
moves, where `extraction.py --loso` only gives each set's F1:

    .venv/bin/python bench/extraction_compare.py --set dragnet --candidate class_bonus_full_paragraphs=0
    .venv/bin/python bench/extraction_compare.py --set trafilatura-dev --candidate climb_past_low_parents=false

`--candidate FIELD=VALUE` is repeatable (one configuration with every value given).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import extraction_loso  # bench scripts import each other from bench/
from extraction import DEFAULT_BENCH_DIR, iter_chunks, run_normaliser, tokens

from normalise.extract import tuning


def _page_score(text: str, row: dict) -> tuple:
    """(F1,) for a gold text; (with found, without found) for a snippet page."""
    if "gold_text" not in row:
        squashed = " ".join(text.split())
        return tuple(sum(1 for snippet in row[key] if " ".join(snippet.split()) in squashed)
                     for key in ("with", "without"))
    ext, gold = tokens(text), tokens(row["gold_text"])
    tp = sum((ext & gold).values())
    precision, recall = tp / max(sum(ext.values()), 1), tp / max(sum(gold.values()), 1)
    return (2 * precision * recall / (precision + recall) if tp else 0.0,)


def _texts(rows: list[dict], values: tuning.ExtractorTuning) -> list[str]:
    extraction_loso.use_tuning(values)
    try:
        return run_normaliser(rows, extraction_only=True)[0]
    finally:
        extraction_loso.use_tuning(tuning.TUNING)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", required=True)
    parser.add_argument("--candidate", action="append", required=True, metavar="FIELD=VALUE")
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    configs = extraction_loso.parse_specs(args.candidate)
    candidate = extraction_loso.tuning_for(configs[-1])  # the combination with every given value
    pages = 0
    totals = [0.0, 0.0]
    for rows in iter_chunks(args.bench_dir / f"{args.set}.jsonl.gz", args.limit, 100):
        before, after = _texts(rows, tuning.TUNING), _texts(rows, candidate)
        for row, old, new in zip(rows, before, after, strict=True):
            pages += 1
            if old == new:
                continue
            a, b = _page_score(old, row), _page_score(new, row)
            print(row["id"], " ".join(f"{x:.3f}" for x in a), "->", " ".join(f"{x:.3f}" for x in b))
            for i in range(len(a)):
                totals[i] += b[i] - a[i]
    label = extraction_loso.label(configs[-1])
    if args.set == "trafilatura-dev":
        print(f"{args.set}, {label}: {pages} pages; with snippets found {totals[0]:+.0f}, without found {totals[1]:+.0f}")
    else:
        print(f"{args.set}, {label}: {pages} pages; mean per-page F1 change {totals[0] / max(pages, 1):+.5f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
