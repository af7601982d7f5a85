"""Behaviour on the project's own evaluation set (bench/data/names_eval.yaml)."""
from __future__ import annotations

from pathlib import Path

from normalise.names import NameUnifier
from normalise.names.evaluate import evaluate, load_eval

EVAL = Path(__file__).resolve().parents[2] / "bench" / "data" / "names_eval.yaml"


def test_eval_set_precision_is_perfect_and_recall_meets_the_target():
    docs = load_eval(EVAL)
    report = evaluate(NameUnifier(), docs)
    assert report.mentions >= 60
    assert report.traps >= 30
    assert report.precision == 1.0, report.errors
    assert report.traps_broken == 0, report.errors
    assert report.recall >= 0.95, report.errors
