"""The shipped line model: loading, its plain-Python evaluation, and what it may and may not drop."""
from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path

import pytest

from normalise.extract import text_classifier
from normalise.extract.text_classifier import (
    LineModel,
    LineModelError,
    drop_unlikely_lines,
    load_line_model,
)
from normalise.extract.text_lines import FEATURE_NAMES, line_features
from normalise.record import Block

REPO = Path(__file__).resolve().parents[2]
PROSE = FEATURE_NAMES.index("prose")


def _prose_model(threshold: float = 0.5) -> LineModel:
    """One stump: prose lines score +4 (p≈0.98), other lines -4 (p≈0.02)."""
    return LineModel(base=0.0, learning_rate=1.0, threshold=threshold,
                     trees=(((PROSE, 0.5, 1, 2, 0.0), (-1, 0.0, -1, -1, -4.0), (-1, 0.0, -1, -1, 4.0)),))


def test_the_shipped_model_loads_and_matches_the_features():
    model = load_line_model()
    assert model.trees and 0 < model.threshold < 1
    assert json.loads(text_classifier.MODEL_PATH.read_text())["features"] == list(FEATURE_NAMES)


def test_tree_evaluation_follows_the_split():
    model = _prose_model()
    row = [0.0] * len(FEATURE_NAMES)
    assert model.probability(row) == pytest.approx(1 / (1 + math.exp(4)))
    row[PROSE] = 1.0
    assert model.probability(row) == pytest.approx(1 / (1 + math.exp(-4)))


def test_low_scoring_lines_are_dropped_but_never_the_title_a_caption_or_an_already_removed_line():
    blocks = [Block("Short title line", kind="title"),
              Block("Menu", kind="heading", position=1),
              Block("A long paragraph of article text that reads as prose and goes on for a while before it ends.",
                    position=2),
              Block("Cookie notice", kind="heading", position=3, removed="cookie_wall", removed_detail="lines: x"),
              Block("A short caption /Agency", kind="caption", position=4)]
    drop_unlikely_lines(blocks, model=_prose_model())
    assert blocks[0].kept
    assert blocks[1].removed == text_classifier.REASON and "probability" in blocks[1].removed_detail
    assert blocks[2].kept
    assert blocks[3].removed == "cookie_wall"
    assert blocks[4].kept


def test_revisable_lines_are_kept_again_only_when_they_score_high():
    prose = "A long paragraph of article text that reads as prose and goes on for a while before it ends."
    blocks = [Block("Title of the story", kind="title"),
              Block(prose, position=1, removed="related_links", removed_detail="after the end of the article"),
              Block("Next story", kind="heading", position=2, removed="related_links",
                    removed_detail="after the end of the article")]
    drop_unlikely_lines(blocks, model=_prose_model(), revisable=blocks[1:])
    assert blocks[1].kept and blocks[1].removed_detail is None
    assert blocks[2].removed == "related_links"


def test_a_model_for_other_features_is_refused_with_a_clear_error(tmp_path):
    data = _prose_model().to_dict()
    data["features"] = data["features"][:-1]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data))
    with pytest.raises(LineModelError, match="retrain"):
        load_line_model(path)
    with pytest.raises(LineModelError, match="cannot read"):
        load_line_model(tmp_path / "missing.json")


def test_model_round_trips_through_json():
    model = _prose_model(0.3)
    assert LineModel.from_dict(json.loads(json.dumps(model.to_dict()))) == model


def test_features_see_neighbours_repetition_and_templates():
    blocks = [Block("Menu entry", kind="heading"), Block("Menu entry", kind="heading", position=1),
              Block("Weather", kind="heading", position=2)]
    rows = line_features(blocks, frozenset())
    repeats = FEATURE_NAMES.index("repeats_in_page")
    assert rows[0][repeats] == 2 and rows[2][repeats] == 1
    from normalise.boilerplate import block_fingerprint

    with_template = line_features(blocks, frozenset({block_fingerprint("Weather")}))
    assert with_template[2][FEATURE_NAMES.index("site_template")] == 1.0
    assert with_template[0][FEATURE_NAMES.index("site_template")] == 0.0
    assert rows[0][FEATURE_NAMES.index("n-1_removed_by_rule")] == 1.0  # no line above: counts as chrome edge


def test_exported_sklearn_ensemble_gives_the_same_probabilities():
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from train_text_lines import export
    finally:
        sys.path.remove(str(REPO / "bench"))
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = random.Random(7)
    X = [[rng.random() for _ in FEATURE_NAMES] for _ in range(300)]
    y = [int(row[0] + row[5] > 1.0) for row in X]
    clf = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=8, random_state=0).fit(X, y)
    model = export(clf, 0.5)
    expected = clf.predict_proba(X[:50])[:, 1]
    for row, p in zip(X[:50], expected, strict=False):
        assert model.probability(row) == pytest.approx(p, abs=1e-9)
