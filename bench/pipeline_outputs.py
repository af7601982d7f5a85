"""Snapshot of the pipeline's records on the benchmark pages, to check a speed change alters no output.

Runs the in-process normaliser without translation (extraction, boilerplate removal, language
identification, name unification) on the first --limit pages of each set in ../shared/bench and
writes one JSON line per record (`Record.to_dict()`, keys sorted) to --out. With --compare FILE it
then reports every record that differs from FILE's, field by field, and exits 1 if any does.

    .venv/bin/python bench/pipeline_outputs.py --out /tmp/before.jsonl
    .venv/bin/python bench/pipeline_outputs.py --out /tmp/after.jsonl --compare /tmp/before.jsonl
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from cli_outputs import differences  # one record comparison for both snapshots (bench scripts import each other)
from extraction import DEFAULT_BENCH_DIR, SETS, load_set

from normalise import InputDocument, Normaliser, NormaliserConfig


def snapshot_lines(sets: list[str], limit: int, bench_dir: Path) -> list[str]:
    normaliser = Normaliser(NormaliserConfig(translate=False))
    normaliser.warm_up()
    lines = []
    for name in sets:
        path = bench_dir / f"{name}.jsonl.gz"
        if not path.exists():
            print(f"note: {path} missing; set {name} skipped", file=sys.stderr)
            continue
        rows = load_set(path, limit)
        docs = [InputDocument(id=f"{name}/{r['id']}", html=r["html"],
                              url=r["url"] if str(r.get("url") or "").startswith("http") else None) for r in rows]
        start = time.perf_counter()
        for record in normaliser.normalise_many(docs):
            lines.append(json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True))
        print(f"{name}: {len(docs)} pages in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, default=150, help="first N pages of each set")
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--compare", type=Path, help="an earlier --out file to compare with")
    args = parser.parse_args()
    lines = snapshot_lines(args.sets.split(","), args.limit, args.bench_dir)
    text = "".join(line + "\n" for line in lines)
    args.out.write_text(text, encoding="utf-8")
    print(f"{len(lines)} records, sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}", file=sys.stderr)
    if args.compare is None:
        return 0
    diff = differences(args.compare.read_text(encoding="utf-8").splitlines(), lines)
    for line in diff:
        print(line)
    print(f"{len(diff)} record(s) differ from {args.compare}", file=sys.stderr)
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
