"""Decoding variants of the text-mode line model, measured leave-one-set-out on out-of-fold probabilities.

What turns the line model's probabilities into kept and dropped lines, measured without retraining
for every variant: out-of-fold probabilities are computed once (cached in .cache/text_line_decoders/)
and each variant chooses its parameters on the five training sets, then scores the held-out set.

Probabilities (per held-out set H, training set S):
  * first pass on H: trained on the other five sets; on S: trained on the four sets other than S and H;
  * context pass on H: trained on the other five, from first-pass probabilities of sets that first
    pass never saw (as bench/train_text_lines.py ships it);
  * context pass on S, in sample: that same context pass (it saw S), which is how the shipped
    trainer chooses its threshold;
  * context pass on S, cross-fitted: a context pass trained on the four training sets other than S.

Variants:
  threshold  a threshold per line (the shipped decision);
  runs       the best runs of lines (best_runs: sum of p - threshold over kept lines, a penalty per
             run after the first); with penalty 0 this is the threshold;
  runs-tokens  the same with each line's gain weighted by its tokens (penalty in tokens);
  fill       the lines above the threshold and those inside the best runs (the runs only fill gaps);
  adaptive   a threshold per page: threshold - gamma * (mean probability of its decided lines - 0.5);
  blend      a threshold on alpha * first pass + (1 - alpha) * context pass.

    .venv/bin/python bench/text_line_decoders.py --probabilities first|context|context-cf \\
        --decoder threshold|runs|blend [--thresholds 0.3,0.4] [--penalties 0,1,2]
Needs the lines recorded by `bench/train_text_lines.py` (run it once; this reads them with --reuse).
"""
from __future__ import annotations

import argparse
import itertools
import logging
import math
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("OMP_NUM_THREADS", "1")

import train_text_lines as T  # noqa: E402
from extraction import REPO, score  # noqa: E402
from text_copies import ALL_SETS  # noqa: E402

CACHE = REPO / ".cache" / "text_line_decoders" / "probabilities.pickle"
_NEG = float("-inf")
_BEFORE, _INSIDE, _AFTER = 0, 1, 2


def best_runs(probabilities: list[float], threshold: float, run_penalty: float,
              weights: list[float] | None = None) -> list[bool]:
    """Keep the runs of lines maximising sum(weight * (p - threshold)) over kept lines minus run_penalty
    per run after the first: a two-state (article / chrome) Viterbi decode with a switching cost."""
    before, inside, after = 0.0, _NEG, _NEG
    back: list[tuple[int, int]] = []  # per line: where the best path into `inside` and into `after` came from
    for k, p in enumerate(probabilities):
        into_inside = max((before, _BEFORE), (inside, _INSIDE), (after - run_penalty, _AFTER))
        into_after = max((inside, _INSIDE), (after, _AFTER))
        back.append((into_inside[1], into_after[1]))
        inside, after = into_inside[0] + (weights[k] if weights else 1.0) * (p - threshold), into_after[0]
    state = max((before, _BEFORE), (after, _AFTER), (inside, _INSIDE))[1]
    keep = [False] * len(probabilities)
    for i in range(len(probabilities) - 1, -1, -1):
        if state == _BEFORE:
            break
        if state == _INSIDE:
            keep[i] = True
            state = back[i][0]
        else:
            state = back[i][1]
    return keep


@dataclass
class Probabilities:
    """Out-of-fold probabilities, keyed as in the module docstring."""

    first: dict[str, list] = field(default_factory=dict)                    # H -> pages of H
    first_pair: dict[tuple[str, str], list] = field(default_factory=dict)   # (S, H) -> pages of S
    context: dict[str, list] = field(default_factory=dict)                  # H -> pages of H
    context_in_sample: dict[str, dict[str, list]] = field(default_factory=dict)  # H -> S -> pages of S
    context_cf: dict[str, dict[str, list]] = field(default_factory=dict)         # H -> S -> pages of S


def _context_fit(data: dict, rows: dict[str, list], names: list[str]):
    pages = [p for n in names for p in data[n][1]]
    flat = [r for n in names for r in rows[n]]
    return T.fit(pages, lambda k, _page: flat[k], T.CONTEXT_TREES)


def compute(data: dict) -> Probabilities:
    names, stacker, out = list(data), T.Stacker(data), Probabilities()
    for h in names:
        train = [n for n in names if n != h]
        out.first[h] = T.page_probabilities(stacker.first_pass(frozenset({h})), data[h][1])
        for s in train:
            out.first_pair[(s, h)] = T.page_probabilities(stacker.first_pass(frozenset({s, h})), data[s][1])
        rows = {s: T.context_rows(data[s][1], out.first_pair[(s, h)]) for s in train}
        clf = _context_fit(data, rows, train)
        out.context[h] = [T.predict(clf, r) for r in T.context_rows(data[h][1], out.first[h])]
        out.context_in_sample[h] = {s: [T.predict(clf, r) for r in rows[s]] for s in train}
        out.context_cf[h] = {}
        for s in train:
            clf_s = _context_fit(data, rows, [n for n in train if n != s])
            out.context_cf[h][s] = [T.predict(clf_s, r) for r in rows[s]]
        print(f"# probabilities for held-out {h} done", file=sys.stderr, flush=True)
    return out


def decide(page: T.Page, probs: list[float], decoder: str, threshold: float, param: float) -> list[float]:
    """1.0 for a line kept, 0.0 for one dropped (only the page's decided lines matter)."""
    if decoder == "threshold" or (decoder == "runs" and param == 0.0):
        return [float(p >= threshold) for p in probs]
    at = [i for i, d in enumerate(page.decided) if d]
    if decoder == "adaptive":  # a lower threshold on a page whose decided lines look mostly like article text
        mean = sum(probs[i] for i in at) / max(len(at), 1)
        return [float(p >= threshold - param * (mean - 0.5)) for p in probs]
    weights = [max(math.expm1(page.features[i][0]), 1.0) for i in at] if decoder == "runs-tokens" else None
    keep = best_runs([probs[i] for i in at], threshold, param, weights)
    if decoder == "fill":  # the runs only add lines (gaps inside a run), never drop one above the threshold
        keep = [k or probs[i] >= threshold for i, k in zip(at, keep, strict=True)]
    out = [0.0] * len(probs)
    for i, k in zip(at, keep, strict=True):
        out[i] = float(k)
    return out


def f1(data: dict, name: str, probs: list, decoder: str, threshold: float, param: float, sample: bool) -> dict:
    rows, pages = data[name]
    if sample:
        rows, pages, probs = T._threshold_sample(name, data, {name: probs})
    kept = [decide(page, p, decoder, threshold, param) for page, p in zip(pages, probs, strict=True)]
    return score(rows, T.bodies(pages, kept, 0.5))


def _blend(first: list, context: list, alpha: float) -> list:
    return [[alpha * a + (1 - alpha) * b for a, b in zip(f, c, strict=True)] for f, c in zip(first, context, strict=True)]


def _inputs(p: Probabilities, kind: str, h: str, train: list[str]):
    """(training sets' probabilities, held-out probabilities); pairs (first, context) for the blend."""
    if kind == "first":
        return {s: p.first_pair[(s, h)] for s in train}, p.first[h]
    if kind == "context":
        return p.context_in_sample[h], p.context[h]
    if kind == "context-cf":
        return p.context_cf[h], p.context[h]
    return ({s: (p.first_pair[(s, h)], p.context_cf[h][s]) for s in train}, (p.first[h], p.context[h]))


def _score(data, name, probs, decoder, threshold, param, sample):
    if decoder == "blend":
        return f1(data, name, _blend(*probs, param), "threshold", threshold, 0.0, sample)
    return f1(data, name, probs, decoder, threshold, param, sample)


def leave_one_set_out(data: dict, p: Probabilities, kind: str, decoder: str, grid: list[tuple[float, float]]) -> None:
    names, f1s = list(data), []
    print(f"| held-out set | F1 | precision | recall | threshold, parameter ({kind}, {decoder}) |")
    print("|---|---|---|---|---|")
    for h in names:
        train = [n for n in names if n != h]
        train_probs, held_out = _inputs(p, kind, h, train)
        best = max(grid, key=lambda tp: sum(_score(data, name, train_probs[name], decoder, tp[0], tp[1], True)["f1"]
                                            for name in train))
        result = _score(data, h, held_out, decoder, best[0], best[1], False)
        f1s.append(result["f1"])
        print(f"| {h} | {result['f1']:.3f} | {result['precision']:.3f} | {result['recall']:.3f} | "
              f"{best[0]:.2f}, {best[1]:g} |", flush=True)
    print(f"\nmean F1 {sum(f1s) / len(f1s):.3f} (worst {min(f1s):.3f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=T.DEFAULT_BENCH_DIR)
    parser.add_argument("--probabilities", choices=("first", "context", "context-cf"), default="context")
    parser.add_argument("--decoder", choices=("threshold", "runs", "runs-tokens", "fill", "adaptive", "blend"), default="threshold")
    parser.add_argument("--thresholds", default="0.25,0.3,0.35,0.4,0.45,0.5,0.55,0.6")
    parser.add_argument("--penalties", default="0",
                        help="run penalties (runs) or first-pass weights alpha (blend)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    load_args = argparse.Namespace(limit=None, reuse=True, bench_dir=args.bench_dir)
    data = {name: T.load(name, load_args) for name in ALL_SETS}
    if CACHE.is_file():
        probabilities = Probabilities(**pickle.loads(CACHE.read_bytes()))
    else:
        probabilities = compute(data)
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_bytes(pickle.dumps(vars(probabilities)))
    grid = list(itertools.product([float(t) for t in args.thresholds.split(",")],
                                  [float(x) for x in args.penalties.split(",")]))
    leave_one_set_out(data, probabilities, args.probabilities, args.decoder, grid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
