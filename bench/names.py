"""Benchmark the names stage: precision/recall of changes on bench/data/names_eval.yaml, a sweep
of the fuzzy threshold (how the default in normalise/names/data/lexicon.yaml was chosen), and
time per document (unify pass and source-language protector) on the eval set and the seeds.

    .venv/bin/python bench/names.py [--eval bench/data/names_eval.yaml] [--seeds ../shared/seeds]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from normalise.names import NameUnifier  # noqa: E402
from normalise.names.evaluate import evaluate, load_eval  # noqa: E402
from normalise.names.index import get_index  # noqa: E402

THRESHOLDS = (0.70, 0.74, 0.76, 0.78, 0.80, 0.82, 0.84, 0.86, 0.90)


def _time_per_doc(fn, docs, repeat: int) -> float:
    fn(docs[0])  # warm caches (the index is built once per process)
    started = time.perf_counter()
    for _ in range(repeat):
        for doc in docs:
            fn(doc)
    return 1000 * (time.perf_counter() - started) / (repeat * len(docs))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--eval", default=str(REPO / "bench" / "data" / "names_eval.yaml"))
    p.add_argument("--seeds", default=str(REPO.parent / "shared" / "seeds"))
    p.add_argument("--repeat", type=int, default=20)
    args = p.parse_args(argv)

    started = time.perf_counter()
    index = get_index()
    build_ms = 1000 * (time.perf_counter() - started)
    docs = load_eval(args.eval)
    unifier = NameUnifier()
    report = evaluate(unifier, docs)
    print(f"gazetteer: {len(index.gazetteer.entities)} entities, index built in {build_ms:.0f} ms (once per process)")
    print(f"eval set: {report.docs} documents, {report.mentions} mentions "
          f"({report.tp + report.fn} variants to fix, {report.traps} trap mentions)\n")
    print("| fuzzy threshold | precision | recall | false changes | traps broken |")
    print("|---|---|---|---|---|")
    default = index.settings.get("fuzzy_threshold")
    for threshold in THRESHOLDS:
        index.settings["fuzzy_threshold"] = threshold
        r = evaluate(unifier, docs)
        mark = " (default)" if abs(threshold - float(default)) < 1e-9 else ""
        print(f"| {threshold:.2f}{mark} | {r.precision:.3f} | {r.recall:.3f} | {r.fp} | {r.traps_broken} |")
    index.settings["fuzzy_threshold"] = default
    report = evaluate(unifier, docs)
    if report.errors:
        print("\nerrors at the default threshold:")
        for e in report.errors:
            print("  " + e)

    eval_ms = _time_per_doc(lambda d: unifier.unify_blocks(d.blocks, None), docs, args.repeat)
    print("\n| documents | unify ms/doc | protect ms/doc |")
    print("|---|---|---|")
    print(f"| eval set ({len(docs)}) | {eval_ms:.2f} | |")
    seeds = sorted(Path(args.seeds).glob("*.txt")) if Path(args.seeds).is_dir() else []
    if seeds:
        seed_blocks = [[ln for ln in s.read_text(encoding="utf-8").splitlines() if ln.strip()] for s in seeds]
        seed_ms = _time_per_doc(lambda b: unifier.unify_blocks(b, None), seed_blocks, args.repeat)
        protect = unifier.protector()
        protect_ms = _time_per_doc(lambda b: [protect(x, "de") for x in b], seed_blocks, args.repeat)
        chars = sum(len(x) for b in seed_blocks for x in b) // len(seed_blocks)
        print(f"| seeds ({len(seeds)}, ~{chars} chars) | {seed_ms:.2f} | {protect_ms:.2f} |")
    return 0 if report.precision == 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
