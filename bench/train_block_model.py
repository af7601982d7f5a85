"""Train the block classifier (normalise/extract/block_model.json) and measure it leave-one-set-out.

1. Runs the normaliser's extraction and rule passes (no block model, no language id, no names)
   over each development set in ../shared/bench and keeps, per block, the model's features
   (normalise.extract.block_model.block_features), its kind, whether the rules kept it, and a label:
   - sets with gold text: the block is article text when most of its token bigrams (its token, for
     a one-token block) occur in the gold text;
   - the snippet set (trafilatura-dev): a block holding, or held by, a `with` snippet is article
     text, one holding a `without` snippet is not; other blocks are unlabelled.
   Features are cached (--cache-dir) so that training runs do not re-extract.
2. Leave-one-set-out (--loso): for each set, trains on the other sets, applies the model to the
   left-out set exactly as production does (apply_block_model's thresholds) and scores the page
   texts with the metric of bench/extraction.py, next to the rules alone.
3. --out PATH: trains on all sets and writes the model file.

    .venv/bin/pip install -e '.[test]'   # scikit-learn (training only)
    .venv/bin/python bench/train_block_model.py --loso
    .venv/bin/python bench/train_block_model.py --out normalise/extract/block_model.json
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import logging
import pickle
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction import (  # bench scripts are not a package: imported from this folder
    DEFAULT_BENCH_DIR,
    SETS,
    _KeepLanguageUnknown,
    _NoNames,
    _squash,
    bag_scores,
    snippet_scores,
)

from normalise.extract.block_model import FEATURES, BlockModel, _Tree, block_features

_TOKEN_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]|"
                       r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")
_CHUNK = 40  # pages normalised at a time: a large set is streamed, never held in memory whole


def _bigrams(toks: list[str]) -> set:
    return set(itertools.pairwise(toks))


def label_gold(texts: list[str], gold: str) -> list[float | None]:
    gold_toks = _TOKEN_RE.findall(gold)
    gold_uni, gold_bi = set(gold_toks), _bigrams(gold_toks)
    labels: list[float | None] = []
    for text in texts:
        toks = _TOKEN_RE.findall(text)
        if not toks:
            labels.append(None)
        elif len(toks) == 1:
            labels.append(1.0 if toks[0] in gold_uni else 0.0)
        else:
            pairs = list(itertools.pairwise(toks))
            share = sum(1 for p in pairs if p in gold_bi) / len(pairs)
            labels.append(1.0 if share >= 0.5 else 0.0)
    return labels


def label_snippets(texts: list[str], with_: list[str], without: list[str]) -> list[float | None]:
    good = [_squash(s) for s in with_ if s.strip()]
    bad = [_squash(s) for s in without if s.strip()]
    labels: list[float | None] = []
    for text in texts:
        t = _squash(text)
        if any(s in t or (len(t) >= 20 and t in s) for s in good):
            labels.append(1.0)
        elif any(s in t or (len(t) >= 20 and t in s) for s in bad):
            labels.append(0.0)
        else:
            labels.append(None)
    return labels


def _iter_rows(path: Path, limit: int | None):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit and n >= limit:
                return
            yield json.loads(line)


def collect(name: str, bench_dir: Path, limit: int | None) -> list[dict]:
    """Per page: {"gold"| "with"/"without", "blocks": [(text, kind, rule_kept, features, label)]}."""
    from normalise import InputDocument, Normaliser, NormaliserConfig
    from normalise.boilerplate import BoilerplateRemover

    normaliser = Normaliser(NormaliserConfig(translate=False), langid=_KeepLanguageUnknown(), names=_NoNames(),
                            boilerplate=BoilerplateRemover(block_model=False))
    pages: list[dict] = []
    chunk: list[dict] = []

    def flush() -> None:
        docs = [InputDocument(id=str(r["id"]), html=r["html"],
                              url=r["url"] if str(r.get("url") or "").startswith("http") else None) for r in chunk]
        for row, record in zip(chunk, normaliser.normalise_many(docs), strict=False):
            feats = block_features(record.blocks) if record.error is None else []
            texts = [b.text for b in record.blocks]
            if "gold_text" in row:
                labels = label_gold(texts, row["gold_text"])
                page = {"gold": row["gold_text"]}
            else:
                labels = label_snippets(texts, row.get("with") or [], row.get("without") or [])
                page = {"with": row.get("with") or [], "without": row.get("without") or []}
            page["blocks"] = [(b.text, b.kind, b.kept, f, lab)
                              for b, f, lab in zip(record.blocks, feats or [None] * len(texts), labels, strict=False)]
            pages.append(page)
        chunk.clear()

    for row in _iter_rows(bench_dir / f"{name}.jsonl.gz", limit):
        chunk.append(row)
        if len(chunk) >= _CHUNK:
            flush()
    if chunk:
        flush()
    return pages


def load_pages(name: str, bench_dir: Path, cache_dir: Path, limit: int | None) -> list[dict]:
    cache = cache_dir / f"{name}-{limit or 'all'}.pkl"
    if cache.is_file():
        with cache.open("rb") as fh:
            data = pickle.load(fh)
        if data.get("features") == list(FEATURES):
            return data["pages"]
    pages = collect(name, bench_dir, limit)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with cache.open("wb") as fh:
        pickle.dump({"features": list(FEATURES), "pages": pages}, fh)
    return pages


def training_rows(pages_by_set: dict[str, list[dict]]):
    """X, y and weights: each set weighs the same, each page of a set the same, and within a page a
    block weighs by its share of the page's tokens (the metric is a per-page token overlap)."""
    xs, ys, ws = [], [], []
    for pages in pages_by_set.values():
        if not pages:
            continue
        for page in pages:
            labelled = [(f, lab, max(len(_TOKEN_RE.findall(t)), 1)) for t, _, _, f, lab in page["blocks"]
                        if f is not None and lab is not None]
            total = sum(n for _, _, n in labelled)
            for f, lab, n in labelled:
                xs.append(f)
                ys.append(lab)
                ws.append(n / total / len(pages))
    return xs, ys, ws


def fit(pages_by_set: dict[str, list[dict]], trees: int, depth: int, rate: float,
        keep_above: float, drop_below: float) -> BlockModel:
    """Histogram gradient boosting (fast on a few hundred thousand blocks), exported as plain trees."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    xs, ys, ws = training_rows(pages_by_set)
    clf = HistGradientBoostingClassifier(max_iter=trees, max_depth=depth, learning_rate=rate,
                                         early_stopping=False, random_state=0)
    clf.fit(xs, ys, sample_weight=ws)
    exported = []
    for (predictor,) in clf._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        exported.append(_Tree(tuple(-1 if is_leaf else int(f) for f, is_leaf in zip(nodes["feature_idx"], leaf, strict=False)),
                              tuple(float(v) for v in nodes["num_threshold"]),
                              tuple(int(v) for v in nodes["left"]), tuple(int(v) for v in nodes["right"]),
                              tuple(float(v) for v in nodes["value"])))
    # the leaf values already include the learning rate: the sum of the trees is the margin
    return BlockModel(FEATURES, float(clf._baseline_prediction.ravel()[0]), 1.0, tuple(exported),
                      keep_above, drop_below)


def page_text(page: dict, model: BlockModel | None) -> str:
    """The body text bench/extraction.py scores, with the model applied as production applies it."""
    out = []
    for text, kind, kept, f, _ in page["blocks"]:
        if kind in ("title", "caption"):
            continue
        if model is not None and f is not None:
            p = model.probability(f)
            if kept and p < model.drop_below:
                kept = False
            elif not kept and p > model.keep_above:
                kept = True
        if kept:
            out.append(text)
    return "\n\n".join(out)


def score_pages(pages: list[dict], model: BlockModel | None) -> float:
    if pages and "gold" not in pages[0]:
        return snippet_scores([(page_text(p, model), p["with"], p["without"]) for p in pages])["f1"]
    return bag_scores([(page_text(p, model), p["gold"]) for p in pages])["f1"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/block_model_cache"))
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--rate", type=float, default=0.1)
    parser.add_argument("--keep-above", type=float, default=0.7)
    parser.add_argument("--drop-below", type=float, default=0.3)
    parser.add_argument("--loso", action="store_true", help="leave-one-set-out table")
    parser.add_argument("--out", type=Path, default=None, help="train on all sets, write the model here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    if not args.bench_dir.is_dir():
        print(f"error: benchmark sets not found at {args.bench_dir}", file=sys.stderr)
        return 1
    names = [s for s in args.sets.split(",") if s]
    pages_by_set = {n: load_pages(n, args.bench_dir, args.cache_dir, args.limit) for n in names}
    hyper = {"trees": args.trees, "depth": args.depth, "rate": args.rate, "keep_above": args.keep_above,
             "drop_below": args.drop_below}
    if args.loso:
        print("| left-out set | pages | rules F1 | rules + model F1 | gain |")
        print("|---|---|---|---|---|")
        gains, rules_all, model_all = [], [], []
        for held in names:
            model = fit({n: p for n, p in pages_by_set.items() if n != held}, **hyper)
            base, with_model = score_pages(pages_by_set[held], None), score_pages(pages_by_set[held], model)
            gains.append(with_model - base)
            rules_all.append(base)
            model_all.append(with_model)
            print(f"| {held} | {len(pages_by_set[held])} | {base:.3f} | {with_model:.3f} | {with_model - base:+.3f} |",
                  flush=True)
        n = len(names)
        print(f"| mean | | {sum(rules_all) / n:.3f} | {sum(model_all) / n:.3f} | {sum(gains) / n:+.3f} |")
    if args.out:
        model = fit(pages_by_set, **hyper)
        args.out.write_text(json.dumps(_rounded(model.to_dict()), separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {args.out} ({len(model.trees)} trees, {args.out.stat().st_size} bytes)")
    return 0


def _rounded(data: dict) -> dict:
    """Thresholds and leaf values to 6 significant digits: a smaller file, the same decisions."""
    for tree in data["trees"]:
        tree["threshold"] = [float(f"{v:.6g}") for v in tree["threshold"]]
        tree["value"] = [float(f"{v:.6g}") for v in tree["value"]]
    return data


if __name__ == "__main__":
    sys.exit(main())
