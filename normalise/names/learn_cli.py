"""`python -m normalise learn-names`: propose gazetteer variants from stored records.

    python -m normalise learn-names [RECORDS.jsonl ...] [--sqlite STORE.sqlite]
                                    [--gazetteer EXTRA.yaml ...] [--min-shared 2] [--min-similarity 0.6]

Reads records (JSON Lines of Record.to_dict(), and/or the crawler's SQLite store: table
`pages`, column `record` with the record JSON), and prints a YAML snippet of proposed
variants with their evidence. It never edits a gazetteer file: a human reviews and pastes.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Iterator

from normalise.names.gazetteer import GazetteerError
from normalise.names.index import get_index
from normalise.names.learn import propose, to_yaml


def _record_text(obj: dict) -> str:
    parts = [obj.get("title_en") or "", obj.get("text_en") or obj.get("text") or ""]
    return "\n\n".join(p for p in parts if isinstance(p, str) and p.strip())


def _from_jsonl(path: str, problems: list[str]) -> Iterator[tuple[str, str]]:
    try:
        fh = open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        problems.append(f"{path}: cannot read: {exc.strerror or exc}")
        return
    with fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                problems.append(f"{path}:{lineno}: not valid JSON, skipped")
                continue
            if not isinstance(obj, dict):
                problems.append(f"{path}:{lineno}: not a JSON object, skipped")
                continue
            yield str(obj.get("id") or f"{path}:{lineno}"), _record_text(obj)


def _from_sqlite(path: str, problems: list[str]) -> Iterator[tuple[str, str]]:
    if not Path(path).is_file():
        problems.append(f"{path}: no such SQLite file, skipped")
        return
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        problems.append(f"{path}: cannot open as SQLite: {exc}")
        return
    try:
        cols = [row[1] for row in con.execute("PRAGMA table_info(pages)")]
        if not cols:
            problems.append(f"{path}: has no table 'pages' (is it the crawler's store?), skipped")
            return
        if "record" not in cols:
            problems.append(f"{path}: table 'pages' has no 'record' column (columns: {', '.join(cols)}), skipped")
            return
        for n, (raw,) in enumerate(con.execute("SELECT record FROM pages WHERE record IS NOT NULL"), 1):
            try:
                obj = json.loads(raw)
            except (TypeError, ValueError):
                problems.append(f"{path}: pages row {n}: record is not JSON, skipped")
                continue
            if isinstance(obj, dict):
                yield str(obj.get("id") or f"{path}#{n}"), _record_text(obj)
    except sqlite3.Error as exc:
        problems.append(f"{path}: reading 'pages' failed: {exc}")
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m normalise learn-names", description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs="*", metavar="RECORDS.jsonl", help="JSON Lines files of records")
    p.add_argument("--sqlite", action="append", default=[], metavar="PATH", help="crawler SQLite store (table pages)")
    p.add_argument("--gazetteer", action="append", default=[], metavar="YAML", help="extra gazetteer file(s)")
    p.add_argument("--min-shared", type=int, default=2,
                   help="known entities two records must share to count as one story (default 2)")
    p.add_argument("--min-similarity", type=float, default=0.6,
                   help="spelling similarity to the entity's name, 0..1 (default 0.6)")
    args = p.parse_args(argv)
    if not args.paths and not args.sqlite:
        p.error("give JSON Lines record files and/or --sqlite PATH")
    try:
        index = get_index(args.gazetteer)
    except GazetteerError as exc:
        print(f"learn-names: {exc}", file=sys.stderr)
        return 2
    problems: list[str] = []
    records = [r for path in args.paths for r in _from_jsonl(path, problems)]
    records += [r for path in args.sqlite for r in _from_sqlite(path, problems)]
    for problem in problems:
        print(f"learn-names: {problem}", file=sys.stderr)
    proposals = propose(index, records, min_shared=args.min_shared, min_similarity=args.min_similarity)
    sys.stdout.write(to_yaml(proposals, len(records)))
    return 0
