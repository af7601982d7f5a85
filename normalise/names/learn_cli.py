"""`python -m normalise learn-names`: learn name links from stored records.

    python -m normalise learn-names [RECORDS.jsonl ...] [--sqlite STORE.sqlite]
                                    [--gazetteer EXTRA.yaml ...] [--min-shared 2] [--min-similarity 0.6]
                                    [--links LINKS.yaml [--min-confidence 0.8] [--no-auto-apply | --auto-apply]]
                                    [--no-world-names]
    python -m normalise learn-names --links LINKS.yaml --list

Reads records (JSON Lines of Record.to_dict(), and/or the crawler's SQLite store: table
`pages`, column `record` with the record JSON). Without --links it prints a YAML snippet of
proposed variants with their evidence. With --links it adds the links and their evidence to
that file (kept across runs, statuses set by a reviewer preserved) and rewrites the file's
`entities:` from the links that apply; list the file in gazetteer_paths to use them.
--list prints the links for review. It never edits the gazetteer's own files.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

from normalise.names.gazetteer import GazetteerError
from normalise.names.index import get_index
from normalise.names.learn import LearnRecord, propose, to_yaml
from normalise.names.links import LinksError, LinkStore


def record_blocks(obj: dict) -> list[tuple[str, bool | None]]:
    """The record's English texts, each marked English-source (True), translated (False) or
    unknown (None): from its blocks when it has them, else from text_en split at blank lines."""
    doc_english = obj.get("language") == "en" or None
    out: list[tuple[str, bool | None]] = []
    title = obj.get("title_en")
    if isinstance(title, str) and title.strip():
        out.append((title, doc_english))
    blocks = obj.get("blocks")
    if isinstance(blocks, list) and blocks:
        for b in blocks:
            if not isinstance(b, dict) or b.get("removed"):
                continue
            text = b.get("text_en") or (b.get("text") if b.get("language") == "en" else None)
            if isinstance(text, str) and text.strip():
                lang = b.get("language")
                out.append((text, True if lang == "en" else (False if lang else None)))
        return out
    text = obj.get("text_en") or obj.get("text") or ""
    if isinstance(text, str):
        out += [(part, doc_english) for part in text.split("\n\n") if part.strip()]
    return out


def _from_jsonl(path: str, problems: list[str]) -> Iterator[LearnRecord]:
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
            yield LearnRecord(str(obj.get("id") or f"{path}:{lineno}"), record_blocks(obj))


def _from_sqlite(path: str, problems: list[str]) -> Iterator[LearnRecord]:
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
                yield LearnRecord(str(obj.get("id") or f"{path}#{n}"), record_blocks(obj))
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
    p.add_argument("--links", metavar="YAML", help="links file to add to (created if missing), see names.links")
    p.add_argument("--min-confidence", type=float, default=None,
                   help="with --links: confidence at which a link applies automatically (stored in the file)")
    auto = p.add_mutually_exclusive_group()
    auto.add_argument("--no-auto-apply", dest="auto_apply", action="store_false", default=None,
                      help="with --links: only links a reviewer accepted apply (stored in the file)")
    auto.add_argument("--auto-apply", dest="auto_apply", action="store_true",
                      help="with --links: links at or above the confidence apply (the default)")
    p.add_argument("--list", action="store_true", help="with --links: print the links for review and exit")
    p.add_argument("--no-world-names", action="store_true",
                   help="learn against the hand-typed gazetteer and --gazetteer files only, as a normaliser "
                        "run with --no-world-names (names_world false) unifies")
    args = p.parse_args(argv)
    if args.list and not args.links:
        p.error("--list needs --links FILE")
    if (args.min_confidence is not None or args.auto_apply is not None) and not args.links:
        p.error("--min-confidence and --auto-apply/--no-auto-apply need --links FILE")
    if not args.paths and not args.sqlite and not args.links:
        p.error("give JSON Lines record files and/or --sqlite PATH")
    store = None
    if args.links:
        try:
            store = LinkStore.load(args.links)
        except LinksError as exc:
            print(f"learn-names: {exc}", file=sys.stderr)
            return 2
        if args.min_confidence is not None:
            store.min_confidence = args.min_confidence
        if args.auto_apply is not None:
            store.auto_apply = args.auto_apply
        if args.list:
            print("\n".join(store.review_lines()))
            return 0
    try:
        index = get_index(args.gazetteer, world=not args.no_world_names)
    except GazetteerError as exc:
        print(f"learn-names: {exc}", file=sys.stderr)
        return 2
    problems: list[str] = []
    records = [r for path in args.paths for r in _from_jsonl(path, problems)]
    records += [r for path in args.sqlite for r in _from_sqlite(path, problems)]
    for problem in problems:
        print(f"learn-names: {problem}", file=sys.stderr)
    proposals = propose(index, records, min_shared=args.min_shared, min_similarity=args.min_similarity)
    if store is None:
        sys.stdout.write(to_yaml(proposals, len(records)))
        return 0
    new = store.merge(proposals)
    try:
        store.save()
    except OSError as exc:
        print(f"learn-names: cannot write {args.links}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    applying = sum(1 for link in store.links.values() if store.applies(link))
    print(f"learn-names: {len(records)} record(s), {len(proposals)} link(s) found ({new} new); "
          f"{len(store.links)} in {args.links}, {applying} apply "
          f"(auto_apply {'on' if store.auto_apply else 'off'}, min_confidence {store.min_confidence})")
    return 0
