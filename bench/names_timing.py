"""Time the names stage of one checkout of the project, in a process of its own.

    python bench/names_timing.py REPO DOCS.json [--repeat N]
    python bench/names_timing.py REPO ../shared/bench/SET.jsonl.gz [--limit N] [--repeat N]

DOCS.json is a list of documents, each a list of block texts, or of {"blocks": [...],
"changes": [[original, canonical], ...], "keep": [phrase, ...]}. Prints JSON: the unify pass
and the source-language protector in milliseconds per document, with the index already
built, warm (`unify_ms`, `protect_ms`) and on the first pass over the documents
(`*_cold_ms`); with expected changes also the changes right, wrong and missed and the traps broken
(counted as normalise.names.evaluate counts them, without importing it: a baseline checkout
may not have it). Given a benchmark set of pages (`*.jsonl.gz`) instead, the documents are the
English block texts that checkout's pipeline hands the names stage for the first N pages with
translation off (untranslated blocks stand in for their English). bench/names.py runs it once for this checkout and once for a baseline checkout
(e.g. the main branch), so both are measured the same way on the same machine.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path


def _per_doc(fn, docs: list[list[str]], repeat: int) -> tuple[float, float]:
    """Milliseconds per document on the first pass (the per-word caches filling, as in a batch
    run's first pages) and on the later passes (warm, as a long-running worker has them)."""
    started = time.perf_counter()
    for doc in docs:
        fn(doc)
    cold = 1000 * (time.perf_counter() - started) / len(docs)
    started = time.perf_counter()
    for _ in range(repeat):
        for doc in docs:
            fn(doc)
    return cold, 1000 * (time.perf_counter() - started) / (repeat * len(docs))


def _count(text: str, phrase: str) -> int:
    return len(re.findall(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text))


def _accuracy(unifier, docs: list[dict]) -> dict:
    right = wrong = missed = traps_broken = 0
    for doc in docs:
        results, _ = unifier.unify_blocks(doc["blocks"], None)
        made = Counter((c.original, c.canonical) for _, changes in results for c in changes)
        expected = Counter(tuple(c) for c in doc["changes"])
        hit = sum((made & expected).values())
        right, wrong, missed = right + hit, wrong + sum(made.values()) - hit, missed + sum(expected.values()) - hit
        before, after = "\n\n".join(doc["blocks"]), "\n\n".join(t for t, _ in results)
        traps_broken += sum(max(0, _count(before, p) - _count(after, p)) for p in set(doc["keep"]))
    return {"right": right, "wrong": wrong, "missed": missed, "traps_broken": traps_broken}


def _page_blocks(path: Path, limit: int) -> list[list[str]]:
    """Per page, the block texts the pipeline (translation off) gives the names stage."""
    from normalise import InputDocument, Normaliser, NormaliserConfig

    captured: list[list[str]] = []

    class _Capture:  # the names stage, recording its input and changing nothing
        def unify_blocks(self, texts, ctx=None, languages=None):
            captured.append(list(texts))
            return [(t, []) for t in texts], []

        def protector(self):
            return None

    pages: list = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(pages) >= limit:
                break
            row = json.loads(line)
            pages.append(InputDocument(id=str(row["id"]), html=row["html"]))
    list(Normaliser(NormaliserConfig(translate=False), names=_Capture()).normalise_many(pages))
    return captured


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("repo")
    p.add_argument("docs")
    p.add_argument("--repeat", type=int, default=10)
    p.add_argument("--limit", type=int, default=100, help="pages of a benchmark set (*.jsonl.gz)")
    args = p.parse_args(argv)
    repo = Path(args.repo).resolve()
    if not (repo / "normalise" / "names" / "__init__.py").is_file():
        print(f"names_timing: {repo} is not a checkout of this project (no normalise/names)", file=sys.stderr)
        return 2
    sys.path.insert(0, str(repo))
    from normalise.names import NameUnifier

    if not Path(args.docs).is_file():
        print(f"names_timing: no such file {args.docs}", file=sys.stderr)
        return 2
    if args.docs.endswith(".jsonl.gz"):
        raw: list = _page_blocks(Path(args.docs), args.limit)
    else:
        raw = json.loads(Path(args.docs).read_text(encoding="utf-8"))
    docs = [d["blocks"] if isinstance(d, dict) else d for d in raw]
    unifier = NameUnifier()
    unifier.unify_blocks(["warm-up"], None)  # builds the index once, like a worker does
    protect = unifier.protector()
    unify_cold_ms, unify_ms = _per_doc(lambda blocks: unifier.unify_blocks(blocks, None), docs, args.repeat)
    protect_cold_ms, protect_ms = _per_doc(lambda blocks: [protect(b, "de") for b in blocks], docs, args.repeat)
    result = {"unify_ms": unify_ms, "protect_ms": protect_ms,
              "unify_cold_ms": unify_cold_ms, "protect_cold_ms": protect_cold_ms}
    if raw and all(isinstance(d, dict) for d in raw):
        result.update(_accuracy(unifier, raw))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
