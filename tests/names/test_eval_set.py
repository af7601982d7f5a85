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


WORLD = EVAL.with_name("names_eval_world.yaml")
REGIONS = {"russia-ukraine", "middle-east", "europe", "americas", "east-asia", "africa", "south-asia"}


def test_world_set_covers_every_region_and_kind():
    docs = load_eval(WORLD)
    fixes = [e for d in docs for e in d.expected]
    assert len(fixes) >= 300
    assert {e.region for e in fixes} == REGIONS
    assert {"german", "french", "spanish", "italian", "polish", "turkish", "russian-double", "chinese-via-russian",
            "wade-giles", "korean-alt", "diacritics", "old-place", "mt-typo", "german-title", "genitive",
            "possessive", "allcaps"} <= {e.kind for e in fixes}
    assert {"history", "lookalike-place", "homonym", "feminine", "relative", "allcaps",
            "lookalike-person", "alternate-name", "name-part", "given-spelt", "macron"} <= {k for d in docs for _, k in d.keep}
    assert {d.split for d in docs} == {"tune", "test"}


def test_world_set_traps_stay_and_names_the_gazetteer_holds_are_found():
    report = evaluate(NameUnifier(), load_eval(WORLD))
    assert report.traps >= 150
    assert report.traps_broken == 0, report.errors
    assert report.fp == 0, [e for e in report.errors if "missed" not in e]
    assert report.by_known["in gazetteer"].recall >= 0.90, report.errors


def test_world_set_held_out_half_is_as_precise():
    report = evaluate(NameUnifier(), load_eval(WORLD, "test"))
    assert report.precision == 1.0 and report.traps_broken == 0, report.errors
    assert report.by_known["in gazetteer"].recall >= 0.88, report.errors


def test_eval_languages_are_one_per_block(tmp_path):
    path = tmp_path / "set.yaml"
    path.write_text("documents:\n  - id: a\n    languages: [en]\n    text: |\n      One.\n\n      Two.\n", encoding="utf-8")
    try:
        load_eval(path)
    except ValueError as exc:
        assert "one per block" in str(exc)
    else:
        raise AssertionError("a languages list shorter than the blocks was accepted")
    path.write_text("documents:\n  - id: a\n    languages: [en, pl]\n    text: |\n      One.\n\n      Two.\n", encoding="utf-8")
    assert load_eval(path)[0].languages == ["en", "pl"]
