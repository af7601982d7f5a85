"""Train the text-mode line classifier and measure it leave-one-set-out.

For every page of the six benchmark sets, its browser-like text copy (bench/text_copies.py) goes
through text mode up to the line classifier; the features of its lines (normalise/extract/
text_lines.py) and their gold labels are recorded. Then, for each set, a gradient-boosted tree
ensemble is trained on the other five sets and the held-out set is scored with the bench metric
(precision, recall, F1), by the first pass alone and followed by the context pass. Finally one
model is trained on all six and written, as plain JSON, to normalise/extract/text_line_model.json
(evaluated at run time without scikit-learn).

Site templates: pages of one host learn their templates from the host's other pages, as the
crawler does for a source.

    .venv/bin/python bench/train_text_lines.py [--limit N] [--no-write] [--sets a,b] [--reuse] [--first-pass-only]
        [--weigh-pages] [--skip-loso] [--trees N] [--context-trees N] [--leaves N] [--min-leaf N]
        [--learning-rate X] [--l2 X]
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import logging
import os
import pickle
import sys
import time
from collections import Counter, defaultdict
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
from normalise.extract.text_context import context_features, see_through
from normalise.extract.text_lines import line_features
from normalise.record import Block, Record

TREES, CONTEXT_TREES, LEAVES, LEARNING_RATE, MIN_LEAF, L2 = 200, 100, 15, 0.1, 40, 0.0
CACHE_DIR = REPO / ".cache" / "text_lines"
THRESHOLD_PAGES = 150
THRESHOLDS = [0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60]
WEIGH_SETS = True  # every set weighs the same in training (see training_data); --weigh-pages: every page


class Page:
    """A page's blocks at the classifier's hook, their features, and the gold labels of the lines."""

    def __init__(self, blocks, features, labels, revisable=None, template_hashes=frozenset()):
        self.blocks, self.features, self.labels = blocks, features, labels
        self.set_name = ""  # the benchmark set, given by `load`
        revisable = revisable or [False] * len(blocks)
        self.revisable, self.template_hashes = revisable, template_hashes
        self.decided = decided(blocks, revisable)


def decided(blocks: list[Block], revisable: list[bool]) -> list[bool]:
    """The lines the line model decides on, as text_classifier.drop_unlikely_lines picks them."""
    return [(b.kept and b.kind not in text_classifier.UNDECIDED_KINDS) or r
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
        seen.append((copy.deepcopy(blocks), line_features(blocks, template_hashes, flags), flags, template_hashes))

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
        blocks, features, flags, hashes = seen[at]
        at += 1
        pages.append(Page(blocks, features, label_lines([b.text for b in blocks], r), flags, hashes))
    return pages


def training_data(pages: list[Page], rows_of=None):
    """Rows the classifier decides on, labelled, weighted so that each page counts once (its tokens split
    among its lines), as the metric averages over pages. With WEIGH_SETS each page counts once within
    its set and each set counts the same (the sets are judged one by one, and dragnet alone has half
    the pages); the weights still add up to the number of pages. `rows_of(k, page)` gives page k's
    feature rows (default: its first-pass features)."""
    X, y, w = [], [], []
    set_sizes = Counter(page.set_name for page in pages)
    scale = len(pages) / max(len(set_sizes), 1)
    for k, page in enumerate(pages):
        share = 1.0 / set_sizes[page.set_name]
        rows = rows_of(k, page) if rows_of else page.features
        picked = [i for i, d in enumerate(page.decided) if d and page.labels[i] is not None]
        sizes = {i: max(page.features[i][0], 0.1) for i in picked}  # log1p(tokens)
        total = sum(sizes.values()) or 1.0
        for i in picked:
            X.append(rows[i])
            y.append(page.labels[i])
            weight = sizes[i] / total
            w.append(weight * share * scale if WEIGH_SETS else weight)
    return X, y, w


def fit(pages: list[Page], rows_of=None, trees: int | None = None):
    from sklearn.ensemble import HistGradientBoostingClassifier

    trees = trees or TREES
    X, y, w = training_data(pages, rows_of)
    clf = HistGradientBoostingClassifier(max_iter=trees, max_leaf_nodes=LEAVES, learning_rate=LEARNING_RATE,
                                         min_samples_leaf=MIN_LEAF, l2_regularization=L2, early_stopping=False,
                                         random_state=0)
    clf.fit(X, y, sample_weight=w)
    return clf


def export(clf) -> text_classifier.Trees:
    """The sklearn ensemble as plain-Python trees (same decisions). Features are never missing,
    so a node's missing-value branch is not needed."""
    trees = []
    for (predictor,) in clf._predictors:
        trees.append(tuple((-1 if node["is_leaf"] else int(node["feature_idx"]), float(node["num_threshold"]),
                            int(node["left"]), int(node["right"]), float(node["value"]))
                           for node in predictor.nodes))
    base = float(clf._baseline_prediction.ravel()[0])
    return text_classifier.Trees(base, 1.0, tuple(trees))


def bodies(pages: list[Page], probabilities: list[list[float]], threshold: float) -> list[str]:
    out = []
    for page, probs in zip(pages, probabilities, strict=False):
        blocks = [Block(b.text, b.kind, b.position, removed=b.removed) for b in page.blocks]
        for block, decided, p in zip(blocks, page.decided, probs, strict=False):
            if decided:
                block.removed = text_classifier.REASON if p < threshold else None
        text_classifier.keep_story_lines(blocks)
        settle_title_and_standfirst(blocks)
        out.append(body_text(Record(id="", blocks=blocks)))
    return out


def predict(clf, rows: list[list[float]]) -> list[float]:
    return list(clf.predict_proba(rows)[:, 1]) if rows else []


def page_probabilities(clf, pages: list[Page]) -> list[list[float]]:
    return [predict(clf, page.features) for page in pages]


def context_rows(pages: list[Page], first: list[list[float]]) -> list[list[list[float]]]:
    return [context_features(page.features, probs, see_through(page.blocks, page.revisable))
            for page, probs in zip(pages, first, strict=False)]


def _threshold_sample(name: str, data: dict, probs: dict) -> tuple[list[dict], list[Page], list[list[float]]]:
    """At most THRESHOLD_PAGES pages of a set (a fixed pseudo-random choice), so that choosing a threshold
    costs the same for every set and stays quick."""
    rows, pages = data[name]
    order = sorted(range(len(rows)), key=lambda i: hashlib.md5(str(rows[i]["id"]).encode()).hexdigest())
    keep = sorted(order[:THRESHOLD_PAGES])
    return [rows[i] for i in keep], [pages[i] for i in keep], [probs[name][i] for i in keep]


def best_threshold(data: dict, probs: dict) -> float:
    """The threshold with the best mean F1 over the given (training) sets."""
    samples = [_threshold_sample(name, data, probs) for name in data]
    best, best_f1 = 0.5, -1.0
    for threshold in THRESHOLDS:
        f1 = sum(score(rows, bodies(pages, p, threshold))["f1"] for rows, pages, p in samples) / len(samples)
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    return best


class Stacker:
    """First-pass models fitted on subsets of the sets, each fitted once: their probabilities on a set
    they never saw are what the context pass is trained on, as it will meet them on unseen pages."""

    def __init__(self, data: dict):
        self.data = data
        self.models: dict[frozenset[str], object] = {}

    def first_pass(self, without: frozenset[str]):
        if without not in self.models:
            start = time.perf_counter()
            self.models[without] = fit([p for k, (_, pages) in self.data.items() if k not in without for p in pages])
            print(f"# first pass without {sorted(without)}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
        return self.models[without]

    def unseen_context(self, name: str, also_without: frozenset[str] = frozenset()) -> list[list[list[float]]]:
        """Context rows of set `name` from a first pass that saw neither it nor `also_without`."""
        pages = self.data[name][1]
        return context_rows(pages, page_probabilities(self.first_pass(also_without | {name}), pages))

    def fit_context(self, names: list[str], held_out: frozenset[str] = frozenset()):
        """The context pass trained on `names`, the in-sample probabilities of those sets, and the threshold
        chosen on them."""
        ctx = {name: self.unseen_context(name, held_out) for name in names}
        pages = [p for name in names for p in self.data[name][1]]
        flat = [rows for name in names for rows in ctx[name]]
        clf = fit(pages, lambda k, _page: flat[k], CONTEXT_TREES)
        probs = {name: [predict(clf, rows) for rows in ctx[name]] for name in names}
        return clf, best_threshold({n: self.data[n] for n in names}, probs)


def _first_pass_only(data: dict, name: str, first) -> dict:
    train = {n: data[n] for n in data if n != name}
    threshold = best_threshold(train, {n: page_probabilities(first, pages) for n, (_, pages) in train.items()})
    rows, pages = data[name]
    return score(rows, bodies(pages, page_probabilities(first, pages), threshold))


def leave_one_set_out(data: dict, stacker: Stacker, context: bool) -> None:
    """Per held-out set: the first pass alone and, with `context`, both passes (thresholds chosen on the
    five training sets)."""
    names = list(data)
    print("| held-out set | pages | first pass F1 | precision | recall | F1 | threshold |")
    print("|---|---|---|---|---|---|---|")
    f1s, firsts = [], []
    for name in names:
        rows, pages = data[name]
        train = [n for n in names if n != name]
        first = stacker.first_pass(frozenset({name}))
        firsts.append(_first_pass_only(data, name, first)["f1"])
        s, threshold = {"precision": 0.0, "recall": 0.0, "f1": firsts[-1]}, 0.0
        if context:
            clf, threshold = stacker.fit_context(train, frozenset({name}))
            probs = [predict(clf, r) for r in context_rows(pages, page_probabilities(first, pages))]
            s = score(rows, bodies(pages, probs, threshold))
        f1s.append(s["f1"])
        if not context:
            print(f"| {name} | {len(rows)} | {firsts[-1]:.3f} | - | - | - | - |", flush=True)
            continue
        print(f"| {name} | {len(rows)} | {firsts[-1]:.3f} | {s['precision']:.3f} | {s['recall']:.3f} | "
              f"**{s['f1']:.3f}** | {threshold:.2f} |", flush=True)
    print(f"\nmean F1: first pass {sum(firsts) / len(firsts):.3f} (worst {min(firsts):.3f}), "
          f"final {sum(f1s) / len(f1s):.3f} (worst {min(f1s):.3f})", flush=True)


def shipped_model(data: dict, stacker: Stacker, context: bool) -> text_classifier.LineModel:
    names = list(data)
    first = stacker.first_pass(frozenset())
    if not context:
        threshold = best_threshold(data, {n: page_probabilities(first, data[n][1]) for n in names})
        return text_classifier.LineModel(export(first), threshold)
    clf, threshold = stacker.fit_context(names)
    return text_classifier.LineModel(export(first), threshold, export(clf))


def load(name: str, args) -> tuple[list[dict], list[Page]]:
    cached = CACHE_DIR / f"{name}-{args.limit or 'all'}.pickle"
    if args.reuse and cached.is_file():
        rows, pages = pickle.loads(cached.read_bytes())
        for page in pages:  # the blocks at the classifier's hook are stored; features follow the code
            page.features = line_features(page.blocks, page.template_hashes, page.revisable)
            page.decided = decided(page.blocks, page.revisable)  # follows the code too
    else:
        rows = copies(name, args.bench_dir, args.limit)
        pages = record_pages(rows)
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(pickle.dumps((rows, pages)))
    for page in pages:
        page.set_name = name
    return rows, pages


def main(argv: list[str] | None = None) -> int:
    global WEIGH_SETS, TREES, CONTEXT_TREES, LEAVES, MIN_LEAF, LEARNING_RATE, L2
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--sets", default=",".join(ALL_SETS))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--no-write", action="store_true", help="measure only; leave the shipped model as it is")
    parser.add_argument("--out", type=Path, default=text_classifier.MODEL_PATH)
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the blocks recorded by the last run (valid while the rule passes are unchanged)")
    parser.add_argument("--first-pass-only", action="store_true",
                        help="leave out the context pass (text_context.py) that rescores the first pass's lines")
    parser.add_argument("--weigh-pages", action="store_true",
                        help="train with every page weighing the same, not every set (measured variant, not shipped)")
    parser.add_argument("--skip-loso", action="store_true",
                        help="only train the shipped model on every set (no leave-one-set-out table)")
    parser.add_argument("--trees", type=int, default=TREES, help="first-pass trees")
    parser.add_argument("--context-trees", type=int, default=CONTEXT_TREES, help="context-pass trees")
    parser.add_argument("--leaves", type=int, default=LEAVES, help="leaves per tree")
    parser.add_argument("--min-leaf", type=int, default=MIN_LEAF, help="fewest training lines in a leaf")
    parser.add_argument("--learning-rate", type=float, default=LEARNING_RATE)
    parser.add_argument("--l2", type=float, default=L2, help="L2 regularisation of the leaf values")
    args = parser.parse_args(argv)
    WEIGH_SETS = not args.weigh_pages
    TREES, CONTEXT_TREES, LEAVES = args.trees, args.context_trees, args.leaves
    MIN_LEAF, LEARNING_RATE, L2 = args.min_leaf, args.learning_rate, args.l2
    logging.basicConfig(level=logging.ERROR)
    if not args.bench_dir.is_dir():
        print(f"benchmark sets not found at {args.bench_dir}", file=sys.stderr)
        return 2
    names = [s for s in args.sets.split(",") if s]
    data = {}
    for name in names:
        start = time.perf_counter()
        data[name] = load(name, args)
        n = sum(len(p.blocks) for p in data[name][1])
        print(f"# {name}: {len(data[name][0])} pages, {n} lines ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    stacker = Stacker(data)
    context = not args.first_pass_only
    if len(names) > 1 and not args.skip_loso:
        leave_one_set_out(data, stacker, context)
    if args.no_write:
        return 0
    model = shipped_model(data, stacker, context)
    args.out.write_text(json.dumps(model.to_dict(), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out} ({args.out.stat().st_size // 1024} KiB, threshold {model.threshold:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
