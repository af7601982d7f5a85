"""Leave-one-set-out selection in the extraction benchmark (bench/extraction_loso.py): each set is
scored with the configuration chosen on the other sets, never with the one best on itself."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from normalise.extract import container, tuning

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
try:
    import extraction_loso
finally:
    sys.path.remove(str(REPO / "bench"))


SCORES = {
    "shipped": {"a": 0.90, "b": 0.80, "c": 0.70},
    "x=1": {"a": 0.95, "b": 0.85, "c": 0.60},  # better on a and b, worse on c
}


def test_each_left_out_set_gets_the_configuration_best_on_the_others():
    chosen = {r.held: (r.chosen, r.f1, r.shipped_f1) for r in extraction_loso.leave_one_out(SCORES, ["a", "b", "c"])}
    # a left out: on b and c, shipped 1.50 vs x=1 1.45 -> shipped
    assert chosen["a"] == ("shipped", 0.90, 0.90)
    # b left out: on a and c, shipped 1.60 vs x=1 1.55 -> shipped
    assert chosen["b"] == ("shipped", 0.80, 0.80)
    # c left out: on a and b, x=1 wins, and its (worse) score on c is what counts
    assert chosen["c"] == ("x=1", 0.60, 0.70)


def test_a_tie_keeps_the_shipped_configuration():
    scores = {"shipped": {"a": 0.5, "b": 0.5}, "x=1": {"a": 0.5, "b": 0.5}}
    assert {r.chosen for r in extraction_loso.leave_one_out(scores, ["a", "b"])} == {"shipped"}


def test_report_gives_the_mean_over_left_out_sets_against_trafilatura():
    lines = extraction_loso.report(SCORES, ["a", "b", "c"], {"a": 0.85, "b": 0.80, "c": 0.70})
    mean = next(line for line in lines if line.startswith("| **mean**"))
    assert "**0.7667**" in mean  # (0.90 + 0.80 + 0.60) / 3
    assert "-0.0167" in mean  # against (0.85 + 0.80 + 0.70) / 3


def test_candidates_are_every_combination_with_the_shipped_values_first():
    shipped_climb = tuning.TUNING.climb_near_share
    configs = extraction_loso.parse_specs(["climb_near_share=0.6,0.9", "intro_reach=800"])
    assert len(configs) == 6
    assert dict(configs[0]) == {"climb_near_share": shipped_climb, "intro_reach": tuning.TUNING.intro_reach}
    assert extraction_loso.label(configs[0]) == "shipped"
    assert {(c[0][1], c[1][1]) for c in configs} == {
        (v, r) for v in (shipped_climb, 0.6, 0.9) for r in (tuning.TUNING.intro_reach, 800)}
    assert extraction_loso.parse_specs([]) == [()]


@pytest.mark.parametrize("spec", ["no_such_field=1", "climb_near_share", "tag_weights=1", "climb_near_share=x"])
def test_a_bad_candidate_is_refused_with_a_message(spec):
    with pytest.raises(ValueError):
        extraction_loso.parse_specs([spec])


def test_a_candidate_tuning_reaches_the_extractor_and_is_undone():
    original = container.TUNING
    try:
        extraction_loso.use_tuning(extraction_loso.tuning_for((("climb_near_share", 0.5),)))
        assert container.TUNING.climb_near_share == 0.5
    finally:
        extraction_loso.use_tuning(original)
    assert container.TUNING is original


def test_scores_of_separate_runs_merge_and_a_missing_candidate_is_an_error(tmp_path):
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    first.write_text(json.dumps({"sets": ["a"], "scores": {"shipped": {"a": 0.9}, "x=1": {"a": 0.8}},
                                 "best_trafilatura": {"a": 0.85}}))
    second.write_text(json.dumps({"sets": ["b"], "scores": {"shipped": {"b": 0.7}, "x=1": {"b": 0.75}},
                                  "best_trafilatura": {"b": 0.7}}))
    scores, names, best = extraction_loso.merge([first, second])
    assert names == ["a", "b"] and scores["x=1"] == {"a": 0.8, "b": 0.75} and best == {"a": 0.85, "b": 0.7}
    second.write_text(json.dumps({"sets": ["b"], "scores": {"shipped": {"b": 0.7}}, "best_trafilatura": {}}))
    with pytest.raises(ValueError, match="x=1"):
        extraction_loso.merge([first, second])
