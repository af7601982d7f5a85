"""The line classifier of text mode: drop the lines of a text dump that are not article text.

The model is a small ensemble of regression trees over `text_lines.FEATURE_NAMES`, trained by
bench/train_text_lines.py on browser-like text copies of the extraction benchmark pages and
shipped as JSON (text_line_model.json); it is evaluated here in plain Python. It runs after the
rule passes, so a lexicon match keeps its specific reason code, and it only decides on lines
still kept; the title line and kept captions are never dropped by it.
"""
from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from normalise.extract.text_lines import FEATURE_NAMES, line_features
from normalise.record import Block

MODEL_PATH = Path(__file__).with_name("text_line_model.json")
REASON = "outside_article"
# The title, and the one copy of a photo caption the rules keep, are not the line model's to drop.
UNDECIDED_KINDS = ("title", "caption")


class LineModelError(ValueError):
    """The model file is missing, malformed or built for other features."""


@dataclass(frozen=True)
class LineModel:
    base: float
    learning_rate: float
    threshold: float  # lines whose article-text probability is below it are dropped
    # one tree = (feature, threshold, left, right, value) per node; a leaf has feature -1
    trees: tuple[tuple[tuple[int, float, int, int, float], ...], ...]

    def probability(self, row: list[float]) -> float:
        raw = self.base
        for nodes in self.trees:
            node = 0
            while nodes[node][0] >= 0:
                feature, threshold, left, right, _ = nodes[node]
                node = left if row[feature] <= threshold else right
            raw += self.learning_rate * nodes[node][4]
        return 1.0 / (1.0 + math.exp(-raw))

    def to_dict(self) -> dict:
        return {"features": list(FEATURE_NAMES), "base": self.base, "learning_rate": self.learning_rate,
                "threshold": self.threshold, "trees": [[list(n) for n in t] for t in self.trees]}

    @classmethod
    def from_dict(cls, data: dict) -> LineModel:
        if data.get("features") != list(FEATURE_NAMES):
            raise LineModelError("the line model was trained on other features than text_lines.FEATURE_NAMES; "
                                 "retrain it with bench/train_text_lines.py")
        try:
            trees = tuple(tuple((int(f), float(t), int(lo), int(hi), float(v)) for f, t, lo, hi, v in tree)
                          for tree in data["trees"])
            return cls(float(data["base"]), float(data["learning_rate"]), float(data["threshold"]), trees)
        except (KeyError, TypeError, ValueError) as exc:
            raise LineModelError(f"malformed line model: {exc}") from exc


@functools.lru_cache(maxsize=4)
def load_line_model(path: Path = MODEL_PATH) -> LineModel:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LineModelError(f"cannot read the text-mode line model {path}: {exc}") from exc
    return LineModel.from_dict(data)


def drop_unlikely_lines(blocks: list[Block], template_hashes: frozenset[str] = frozenset(),
                        model: LineModel | None = None, revisable: Iterable[Block] = ()) -> None:
    """Mark kept non-title lines whose article-text probability is below the model's threshold, and
    keep again the `revisable` lines (dropped by a guess of a rule pass) whose probability reaches it."""
    model = model or load_line_model()
    revise = {id(b) for b in revisable}
    flags = [id(b) in revise for b in blocks]
    for block, row, flag in zip(blocks, line_features(blocks, template_hashes, flags), flags, strict=False):
        if flag and not block.kept:
            if model.probability(row) >= model.threshold:
                block.removed = block.removed_detail = None
            continue
        if not block.kept or block.kind in UNDECIDED_KINDS:
            continue
        p = model.probability(row)
        if p < model.threshold:
            block.removed = REASON
            block.removed_detail = f"line classifier: article-text probability {p:.2f} < {model.threshold:.2f}"
