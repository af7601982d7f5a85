"""Train the text-mode line classifier and measure it leave-one-set-out.

For every page of the six benchmark sets, its browser-like text copy (bench/text_copies.py) goes
through text mode up to the line classifier; the features of its lines (normalise/extract/
text_lines.py) and their gold labels are recorded. Then, for each set, a gradient-boosted tree
ensemble is trained on the other five sets and the held-out set is scored with the bench metric
(precision, recall, F1). Finally one model is trained on all six and written, as plain JSON, to
normalise/extract/text_line_model.json (evaluated at run time without scikit-learn).

Site templates: pages of one host learn their templates from the host's other pages, as the
crawler does for a source.

    .venv/bin/python bench/train_text_lines.py [--limit N] [--no-write] [--sets a,b]
"""
from __future__ import annotations

import argparse
import copy
import json
import logging
import os
import pickle
import sys
import time
from collections import defaultdict
from pathlib import Path
from unittest import mock
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
# OpenMP threads spin-wait: on a loaded machine sklearn's tree fitting then crawls. One thread is steady.
os.environ.setdefault("OMP_NUM_THREADS", "1")

from extraction import DEFAULT_BENCH_DIR, REPO, body_text, score
from text_copies import ALL_SETS, copies, label_lines, text_mode_records

from normalise.boilerplate import learn_site_templates
from normalise.boilerplate.passes import settle_title_and_standfirst
from normalise.extract import text_classifier
from normalise.extract.text_lines import FEATURE_NAMES, line_features
from normalise.record import Block, Record

TREES, LEAVES, LEARNING_RATE, MIN_LEAF = 200, 15, 0.1, 40
CACHE_DIR = REPO / ".cache" / "text_lines"
THRESHOLDS = [0.3, 0.4, 0.5, 0.6]


class Page:
    """A page's blocks at the classifier's hook, their features, and the gold labels of the lines."""

    def __init__(self, blocks, features, labels, revisable=None):
        self.blocks, self.features, self.labels = blocks, features, labels
        revisable = revisable or [False] * len(blocks)
        self.decided = [(b.kept and b.kind not in text_classifier.UNDECIDED_KINDS) or r
                        for b, r in zip(blocks, revisable, strict=False)]


def _templates_by_page(rows: list[dict]) -> dict[str, frozenset[str]]:
    by_host: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        host = urlparse(str(r.get("url") or "")).hostname
        if host:
            by_host[host].append(r)
    out = {}
    for pages in by_host.values():
        if len(pages) < 4:
            continue
        for r in pages:
            others = [p["copy"].splitlines() for p in pages if p is not r]
            out[str(r["id"])] = learn_site_templates(others).fingerprints
    return out


def record_pages(rows: list[dict]) -> list[Page]:
    """Run text mode on the copies with the classifier replaced by a recorder."""
    seen: list[tuple] = []

    def record(blocks, template_hashes=frozenset(), model=None, revisable=()):
        revise = {id(b) for b in revisable}
        flags = [id(b) in revise for b in blocks]
        seen.append((copy.deepcopy(blocks), line_features(blocks, template_hashes, flags), flags))

    templates = _templates_by_page(rows)
    for r in rows:
        r["template_hashes"] = templates.get(str(r["id"]), frozenset())
    with mock.patch.object(text_classifier, "drop_unlikely_lines", record):
        records = list(text_mode_records(rows))
    pages, at = [], 0
    for r, rec in zip(rows, records, strict=False):
        if rec.error is not None:
            pages.append(Page([], [], []))
            continue
        blocks, features, flags = seen[at]
        at += 1
        pages.append(Page(blocks, features, label_lines([b.text for b in blocks], r), flags))
    return pages


def training_data(pages: list[Page]):
    """Rows the classifier decides on, labelled, weighted so that each page counts once (its tokens split
    among its lines), as the metric averages over pages."""
    X, y, w = [], [], []
    for page in pages:
        picked = [i for i, d in enumerate(page.decided) if d and page.labels[i] is not None]
        sizes = {i: max(page.features[i][0], 0.1) for i in picked}  # log1p(tokens)
        total = sum(sizes.values()) or 1.0
        for i in picked:
            X.append(page.features[i])
            y.append(page.labels[i])
            w.append(sizes[i] / total)
    return X, y, w


def fit(pages: list[Page]):
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y, w = training_data(pages)
    clf = HistGradientBoostingClassifier(max_iter=TREES, max_leaf_nodes=LEAVES, learning_rate=LEARNING_RATE,
                                         min_samples_leaf=MIN_LEAF, early_stopping=False, random_state=0)
    clf.fit(X, y, sample_weight=w)
    return clf


def export(clf, threshold: float) -> text_classifier.LineModel:
    """The sklearn ensemble as a LineModel (same decisions, plain Python). Features are never missing,
    so a node's missing-value branch is not needed."""
    trees = []
    for (predictor,) in clf._predictors:
        trees.append(tuple((-1 if node["is_leaf"] else int(node["feature_idx"]), float(node["num_threshold"]),
                            int(node["left"]), int(node["right"]), float(node["value"]))
                           for node in predictor.nodes))
    base = float(clf._baseline_prediction.ravel()[0])
    return text_classifier.LineModel(base, 1.0, threshold, tuple(trees))


def bodies(pages: list[Page], probabilities: list[list[float]], threshold: float) -> list[str]:
    out = []
    for page, probs in zip(pages, probabilities, strict=False):
        blocks = [Block(b.text, b.kind, b.position, removed=b.removed) for b in page.blocks]
        for block, decided, p in zip(blocks, page.decided, probs, strict=False):
            if decided:
                block.removed = text_classifier.REASON if p < threshold else None
        settle_title_and_standfirst(blocks)
        out.append(body_text(Record(id="", blocks=blocks)))
    return out


def page_probabilities(clf, pages: list[Page]) -> list[list[float]]:
    out = []
    for page in pages:
        out.append(list(clf.predict_proba(page.features)[:, 1]) if page.features else [])
    return out


def best_threshold(clf, data: dict) -> float:
    """The threshold with the best mean F1 over the given (training) sets."""
    probs = {name: page_probabilities(clf, pages) for name, (rows, pages) in data.items()}
    best, best_f1 = 0.5, -1.0
    for threshold in THRESHOLDS:
        f1 = sum(score(rows, bodies(pages, probs[name], threshold))["f1"]
                 for name, (rows, pages) in data.items()) / len(data)
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--sets", default=",".join(ALL_SETS))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--no-write", action="store_true", help="measure only; leave the shipped model as it is")
    parser.add_argument("--out", type=Path, default=text_classifier.MODEL_PATH)
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the lines recorded by the last run (only while the features are unchanged)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    if not args.bench_dir.is_dir():
        print(f"benchmark sets not found at {args.bench_dir}", file=sys.stderr)
        return 2
    names = [s for s in args.sets.split(",") if s]
    data = {}
    for name in names:
        start = time.perf_counter()
        cached = CACHE_DIR / f"{name}-{args.limit or 'all'}-{len(FEATURE_NAMES)}.pickle"
        if args.reuse and cached.is_file():
            data[name] = pickle.loads(cached.read_bytes())
        else:
            rows = copies(name, args.bench_dir, args.limit)
            data[name] = (rows, record_pages(rows))
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_bytes(pickle.dumps(data[name]))
        rows = data[name][0]
        n = sum(len(p.blocks) for p in data[name][1])
        print(f"# {name}: {len(rows)} pages, {n} lines ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    print("| held-out set | pages | precision | recall | F1 | threshold |")
    print("|---|---|---|---|---|---|")
    for name in names if len(names) > 1 else []:
        train = {k: v for k, v in data.items() if k != name}
        clf = fit([p for _, pages in train.values() for p in pages])
        threshold = best_threshold(clf, train)
        rows, pages = data[name]
        s = score(rows, bodies(pages, page_probabilities(clf, pages), threshold))
        print(f"| {name} | {len(rows)} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {threshold:.2f} |",
              flush=True)
    if args.no_write:
        return 0
    clf = fit([p for _, pages in data.values() for p in pages])
    model = export(clf, best_threshold(clf, data))
    args.out.write_text(json.dumps(model.to_dict(), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out} ({args.out.stat().st_size // 1024} KiB, threshold {model.threshold:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
