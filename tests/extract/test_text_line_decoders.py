"""bench/text_line_decoders.py's run decoder (best_runs) on small synthetic probability sequences."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def best_runs():
    sys.path.insert(0, str(BENCH))
    try:
        from text_line_decoders import best_runs
    finally:
        sys.path.remove(str(BENCH))
    return best_runs


def _gain(probabilities: list[float], keep: list[bool], threshold: float, penalty: float) -> float:
    runs = sum(1 for i, k in enumerate(keep) if k and (i == 0 or not keep[i - 1]))
    return sum(p - threshold for p, k in zip(probabilities, keep, strict=True) if k) - penalty * max(runs - 1, 0)


def _brute_force_best(probabilities: list[float], threshold: float, penalty: float) -> float:
    n = len(probabilities)
    return max(_gain(probabilities, [bool(mask >> i & 1) for i in range(n)], threshold, penalty)
               for mask in range(1 << n))


def test_without_a_penalty_it_is_plain_thresholding(best_runs):
    rng = random.Random(3)
    for _ in range(50):
        probabilities = [rng.random() for _ in range(rng.randint(0, 12))]
        assert best_runs(probabilities, 0.4, 0.0) == [p > 0.4 for p in probabilities]


def test_a_weak_line_inside_the_article_is_kept_and_a_stray_confident_line_far_away_dropped(best_runs):
    # menu, menu, one sentence-like menu entry, menu, the story with a short line in it, footer
    probabilities = [0.1, 0.1, 0.6, 0.1, 0.1, 0.9, 0.95, 0.3, 0.9, 0.85, 0.1, 0.2]
    keep = best_runs(probabilities, 0.5, 0.5)
    assert keep == [False] * 5 + [True] * 5 + [False] * 2
    assert best_runs(probabilities, 0.5, 0.0)[2] and not best_runs(probabilities, 0.5, 0.0)[7]


def test_two_strong_parts_stay_two_runs_when_each_earns_its_penalty(best_runs):
    probabilities = [0.9] * 4 + [0.05] * 6 + [0.9] * 4
    assert best_runs(probabilities, 0.5, 0.5) == [True] * 4 + [False] * 6 + [True] * 4
    # a high enough penalty keeps only one of them
    assert sum(best_runs(probabilities, 0.5, 5.0)) == 4


def test_the_decode_is_optimal_on_random_sequences(best_runs):
    rng = random.Random(7)
    for _ in range(200):
        probabilities = [rng.random() for _ in range(rng.randint(0, 10))]
        threshold, penalty = rng.choice([0.3, 0.5, 0.7]), rng.choice([0.0, 0.2, 1.0])
        keep = best_runs(probabilities, threshold, penalty)
        assert abs(_gain(probabilities, keep, threshold, penalty)
                   - _brute_force_best(probabilities, threshold, penalty)) < 1e-9


def test_nothing_is_kept_when_no_line_beats_the_threshold(best_runs):
    assert best_runs([0.1, 0.2, 0.3], 0.5, 1.0) == [False, False, False]
    assert best_runs([], 0.5, 1.0) == []


def test_a_long_weak_line_is_not_bridged_when_lines_are_weighted_by_their_tokens(best_runs):
    probabilities = [0.9, 0.9, 0.1, 0.9, 0.9]
    assert best_runs(probabilities, 0.5, 0.5) == [True] * 5  # bridging costs 0.4, a second run 0.5
    assert best_runs(probabilities, 0.5, 0.5, weights=[1, 1, 20, 1, 1]) == [True, True, False, True, True]
