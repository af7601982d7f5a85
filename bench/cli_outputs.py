"""Byte-for-byte snapshot of the batch CLI's records on the benchmark pages, to check a speed change alters no output.

Builds one JSON Lines batch from the pages of every set in ../shared/bench (ids `set/id`), runs
`python -m normalise --no-translate --format jsonl` on it in one fresh process, and writes the CLI's
output lines unchanged to --out and one `id<TAB>sha256` line per record to --out + ".digests".
With --compare OTHER (an earlier --out file) it reports every record whose line differs, is missing
or is new, and exits 1 if any does.

    .venv/bin/python bench/cli_outputs.py --out /tmp/before.jsonl
    .venv/bin/python bench/cli_outputs.py --out /tmp/after.jsonl --compare /tmp/before.jsonl
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extraction import DEFAULT_BENCH_DIR, REPO, SETS, iter_chunks  # bench scripts import each other from bench/


def write_batch(sets: list[str], limit: int | None, bench_dir: Path, batch: Path) -> int:
    """All pages of the sets as one CLI batch file; returns the page count."""
    count = 0
    with batch.open("w", encoding="utf-8") as fh:
        for name in sets:
            path = bench_dir / f"{name}.jsonl.gz"
            if not path.exists():
                print(f"note: {path} missing; set {name} skipped", file=sys.stderr)
                continue
            for chunk in iter_chunks(path, limit, 200):
                for r in chunk:
                    page = {"id": f"{name}/{r['id']}", "html": r["html"]}
                    if str(r.get("url") or "").startswith("http"):
                        page["url"] = r["url"]
                    fh.write(json.dumps(page, ensure_ascii=False) + "\n")
                    count += 1
    return count


def by_id(lines: list[str]) -> dict[str, str]:
    """Output line of each record, keyed by its id (a line that is not a record keys as itself)."""
    out = {}
    for line in lines:
        try:
            rid = str(json.loads(line).get("id"))
        except (ValueError, AttributeError):
            rid = f"<unparsed> {line[:80]}"
        out[rid] = line
    return out


def differences(before: list[str], after: list[str]) -> list[str]:
    old, new = by_id(before), by_id(after)
    out = [f"{rid}: missing" for rid in old if rid not in new]
    out += [f"{rid}: new" for rid in new if rid not in old]
    for rid, line in new.items():
        if rid in old and line != old[rid]:
            a, b = json.loads(old[rid]), json.loads(line)
            fields = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k)) or ["(key order or spacing)"]
            out.append(f"{rid}: {', '.join(fields)}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each set (default: all)")
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--compare", type=Path, help="an earlier --out file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "pages.jsonl"
        pages = write_batch(args.sets.split(","), args.limit, args.bench_dir, batch)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "normalise", "--no-translate", "--format", "jsonl", str(batch)],
                              capture_output=True, cwd=REPO, check=False)
        elapsed = time.perf_counter() - start
    lines = [line for line in done.stdout.decode("utf-8").split("\n") if line.strip()]
    args.out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    digests = "".join(f"{rid}\t{hashlib.sha256(line.encode('utf-8')).hexdigest()}\n" for rid, line in by_id(lines).items())
    Path(f"{args.out}.digests").write_text(digests, encoding="utf-8")
    print(f"{pages} pages, {len(lines)} records in {elapsed:.1f} s (exit {done.returncode})", file=sys.stderr)
    if done.returncode != 0:
        print(done.stderr.decode("utf-8", "replace")[-2000:], file=sys.stderr)
    if args.compare is None:
        return 0 if done.returncode == 0 else 1
    diffs = differences(args.compare.read_text(encoding="utf-8").splitlines(), lines)
    for line in diffs:
        print(line)
    print(f"{len(diffs)} records differ", file=sys.stderr)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
