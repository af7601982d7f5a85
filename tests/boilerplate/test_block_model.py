"""The learned block classifier (normalise/extract/block_model.py) and its training script.

Pages are small hand-written fixtures shaped like real news pages (a related-links list inside the
article body, a one-line paragraph between two long ones); the training script runs end to end on
a tiny benchmark directory written by the test.
"""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from normalise import InputDocument, NormaliserConfig
from normalise.boilerplate import BoilerplateRemover
from normalise.extract.block_model import (
    FEATURES,
    MODEL_FILE,
    BlockModel,
    _Tree,
    apply_block_model,
    block_features,
    load_block_model,
)
from normalise.extract.html_blocks import html_to_blocks
from normalise.pipeline import Normaliser

REPO = Path(__file__).resolve().parents[2]

PROSE = [
    ("The harbour authority said on Monday that the new ferry terminal would open two months later than "
     "planned, because the steel for the passenger bridge arrived damaged and had to be sent back."),
    ("Engineers inspected the bridge sections last week and found cracks in four of the twelve beams, "
     "a spokeswoman for the authority told reporters at the quay on Monday afternoon."),
    ("Ferry operators have been told to keep using the old pier until the end of summer, which means "
     "longer queues for cars and a shuttle bus for foot passengers between the two sites."),
]
SHORT = "Nobody was hurt."
RELATED = ["Port strike ends after talks", "New timetable for island routes", "Fuel prices rise again",
           "Harbour master retires", "Tourist numbers up in May"]


def _page(body: str) -> str:
    return f"<html><head><title>Ferry terminal delayed</title></head><body>{body}</body></html>"


def _article(extra: str = "") -> str:
    paragraphs = f"<p>{PROSE[0]}</p><p>{SHORT}</p><p>{PROSE[1]}</p>{extra}<p>{PROSE[2]}</p>"
    return _page(f'<nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>Ferry terminal '
                 f'delayed</h1><div class="article-body">{paragraphs}</div></article><footer>(c) Port News</footer>')


@pytest.fixture(scope="module")
def normaliser():
    return Normaliser(NormaliserConfig(translate=False))


def test_shipped_model_loads_and_scores_deterministically():
    model = load_block_model()
    assert model.features == FEATURES and model.trees
    assert 0 < model.drop_below < model.keep_above < 1
    blocks = html_to_blocks(_article())
    BoilerplateRemover(block_model=False).apply(blocks, _ctx())
    features = [f for f in block_features(blocks) if f is not None]
    assert features and all(len(f) == len(FEATURES) for f in features)
    first = [model.probability(f) for f in features]
    again = BlockModel.from_dict(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
    assert [again.probability(f) for f in features] == first
    assert all(0.0 < p < 1.0 for p in first)


def test_model_with_other_features_is_refused_with_a_clear_error(tmp_path):
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="retrain"):
        BlockModel.from_dict(data)
    with pytest.raises(FileNotFoundError, match="train_block_model"):
        load_block_model(tmp_path / "missing.json")


def _stump(feature: str, threshold: float, low: float, high: float) -> BlockModel:
    """One tree splitting on one feature: p = sigmoid(low) at or below the threshold, sigmoid(high) above."""
    tree = _Tree(feature=(FEATURES.index(feature), -1, -1), threshold=(threshold, 0.0, 0.0), left=(1, -1, -1),
                 right=(2, -1, -1), value=(0.0, low, high))
    return BlockModel(FEATURES, 0.0, 1.0, (tree,), keep_above=0.8, drop_below=0.2)


def _ctx():
    from normalise.stages import DocumentContext
    return DocumentContext(id="t")


def test_apply_restores_a_confident_block_and_removes_a_doubtful_one():
    blocks = html_to_blocks(_article())
    BoilerplateRemover(block_model=False).apply(blocks, _ctx())
    nav = next(b for b in blocks if b.text.startswith("Home"))
    assert not nav.kept  # the rules removed it (outside the article)
    # a model trusting long text and doubting short text: the one-line paragraph goes, the
    # navigation (short) stays removed, the long paragraphs stay kept
    apply_block_model(blocks, _stump("log_chars", 3.5, -5.0, 5.0))
    short = next(b for b in blocks if b.text == SHORT)
    assert short.removed == "block_model" and "p(article)" in short.removed_detail
    assert not nav.kept and all(next(b for b in blocks if b.text == p).kept for p in PROSE)
    # a model trusting everything brings the removed navigation back
    apply_block_model(blocks, _stump("log_chars", -1.0, -5.0, 5.0))
    assert nav.kept and nav.removed_detail is None


def test_related_links_list_inside_the_article_body_is_removed(normaliser):
    items = "".join(f'<li><a href="/n/{i}">{t}</a></li>' for i, t in enumerate(RELATED))
    html = _article(f'<div class="related-stories"><h3>Read more</h3><ul>{items}</ul></div>')
    record = normaliser.normalise(InputDocument(id="t", html=html))
    for paragraph in PROSE:
        assert paragraph in record.text
    for title in RELATED:
        assert title not in record.text
        assert next(b for b in record.blocks if b.text == title).removed


def test_short_paragraph_between_prose_paragraphs_is_kept(normaliser):
    record = normaliser.normalise(InputDocument(id="t", html=_article()))
    short = next(b for b in record.blocks if b.text == SHORT)
    assert short.kept, short.removed_detail
    assert "Home" not in record.text and "(c) Port News" not in record.text


def _write_set(folder: Path, name: str, rows: list[dict]) -> None:
    with gzip.open(folder / f"{name}.jsonl.gz", "wt", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")


def _gold_rows(name: str, n: int) -> list[dict]:
    rows = []
    for i in range(n):
        prose = [f"{p} Page {i} of {name}." for p in PROSE]
        items = "".join(f'<li><a href="/n/{j}">{t} {i}</a></li>' for j, t in enumerate(RELATED))
        body = (f'<nav><a href="/">Home</a> <a href="/about">About us</a></nav><div class="main"><h1>Story {i}</h1>'
                + "".join(f"<p>{p}</p>" for p in prose)
                + f'</div><div class="side"><ul>{items}</ul></div><footer>Contact the newsroom</footer>')
        rows.append({"id": f"{name}-{i}", "dataset": name, "url": f"https://example.org/{name}/{i}", "lang": "en",
                     "html": _page(body), "gold_text": "\n".join(prose)})
    return rows


@pytest.mark.slow
def test_training_script_runs_on_a_tiny_sample(tmp_path):
    bench = tmp_path / "bench"
    bench.mkdir()
    _write_set(bench, "alpha", _gold_rows("alpha", 6))
    _write_set(bench, "beta", _gold_rows("beta", 6))
    snippets = [{"id": f"s{i}", "url": "", "lang": "en", "html": r["html"], "with": [PROSE[1][:60]],
                 "without": ["Contact the newsroom"]} for i, r in enumerate(_gold_rows("gamma", 4))]
    _write_set(bench, "gamma", snippets)
    out = tmp_path / "model.json"
    result = subprocess.run(
        [sys.executable, "bench/train_block_model.py", "--bench-dir", str(bench), "--sets", "alpha,beta,gamma",
         "--cache-dir", str(tmp_path / "cache"), "--trees", "5", "--loso", "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "| alpha |" in result.stdout and "| mean |" in result.stdout
    model = load_block_model(out)
    assert len(model.trees) == 5 and model.features == FEATURES
