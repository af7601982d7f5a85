"""The line classifier of text mode: drop the lines of a text dump that are not article text.

The model is a small ensemble of regression trees over `text_lines.FEATURE_NAMES`, optionally
followed by a second ensemble over `text_context.CONTEXT_NAMES` (the first pass's view of a line's
surroundings), trained by
bench/train_text_lines.py on browser-like text copies of the extraction benchmark pages and
shipped as JSON (text_line_model.json); it is evaluated here in plain Python. It runs after the
rule passes, so a lexicon match keeps its specific reason code, and it only decides on lines
still kept; the title line, the standfirst and kept captions are never dropped by it.
"""
from __future__ import annotations

import bisect
import functools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from normalise.extract.text_context import (
    CONTEXT_NAMES,
    context_features,
    dropped_for_good,
    see_through,
)
from normalise.extract.text_lines import FEATURE_NAMES, line_features
from normalise.record import Block

MODEL_PATH = Path(__file__).with_name("text_line_model.json")
REASON = "outside_article"
# The title, its standfirst (the line under it that is no full sentence) and the one copy of a photo
# caption the rules keep are not the line model's to drop.
UNDECIDED_KINDS = ("title", "standfirst", "caption")
# A short heading line the model dropped between two kept paragraphs is the story's subheading.
SUBHEADING_MAX_WORDS = 12
# lines under a story's end: its source line, byline, author bio, or where the site's own chrome (learned
# from its other pages) begins
STORY_END_REASONS = frozenset({"source_attribution", "byline", "author_bio", "site_template"})


class LineModelError(ValueError):
    """The model file is missing, malformed or built for other features."""


Node = tuple[int, float, int, int, float]


@dataclass(frozen=True)
class Trees:
    """A boosted ensemble of regression trees giving a log-odds score."""

    base: float
    learning_rate: float
    # one tree = (feature, threshold, left, right, value) per node; a leaf has feature -1
    trees: tuple[tuple[Node, ...], ...]

    # the same trees as parallel tuples (feature, threshold, left, right, value): a quarter faster to walk
    _flat: tuple[tuple[tuple[int, ...], tuple[float, ...], tuple[int, ...], tuple[int, ...], tuple[float, ...]], ...] = \
        field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        flat = tuple(tuple(zip(*nodes, strict=True)) for nodes in self.trees)
        object.__setattr__(self, "_flat", flat)

    def probability(self, row: list[float]) -> float:
        raw = 0.0
        for feature, threshold, left, right, value in self._flat:
            node = 0
            f = feature[0]
            while f >= 0:
                node = left[node] if row[f] <= threshold[node] else right[node]
                f = feature[node]
            raw += value[node]
        return 1.0 / (1.0 + math.exp(-(self.base + self.learning_rate * raw)))

    def to_dict(self, names: list[str]) -> dict:
        return {"features": names, "base": self.base, "learning_rate": self.learning_rate,
                "trees": [[list(n) for n in t] for t in self.trees]}

    @classmethod
    def from_dict(cls, data: dict, names: list[str]) -> Trees:
        if data.get("features") != names:
            raise LineModelError("the line model was trained on other features than text_lines.FEATURE_NAMES "
                                 "and text_context.CONTEXT_NAMES; retrain it with bench/train_text_lines.py")
        try:
            trees = tuple(tuple((int(f), float(t), int(lo), int(hi), float(v)) for f, t, lo, hi, v in tree)
                          for tree in data["trees"])
            return cls(float(data["base"]), float(data["learning_rate"]), trees)
        except (KeyError, TypeError, ValueError) as exc:
            raise LineModelError(f"malformed line model: {exc}") from exc


@dataclass(frozen=True)
class LineModel:
    """Two passes: `lines` scores each line from its own features, `context` (when present) rescores it
    from the first pass's probabilities of the lines around it (text_context.py)."""

    lines: Trees
    threshold: float  # lines whose article-text probability is below it are dropped
    context: Trees | None = None

    def probabilities(self, rows: list[list[float]], needed: list[bool] | None = None,
                      skip: list[bool] | None = None) -> list[float]:
        """Article-text probability per row; rows not `needed` are skipped (0.0). The context pass looks
        past the rows flagged in `skip` (text_context.see_through)."""
        needed = needed if needed is not None else [True] * len(rows)
        if self.context is None:
            return [self.lines.probability(row) if need else 0.0 for row, need in zip(rows, needed, strict=False)]
        first = [0.0 if dropped_for_good(row) else self.lines.probability(row) for row in rows]
        return [self.context.probability(row) if need else 0.0
                for row, need in zip(context_features(rows, first, skip), needed, strict=False)]

    def to_dict(self) -> dict:
        data = {"threshold": self.threshold, "lines": self.lines.to_dict(list(FEATURE_NAMES))}
        if self.context is not None:
            data["context"] = self.context.to_dict(list(CONTEXT_NAMES))
        return data

    @classmethod
    def from_dict(cls, data: dict) -> LineModel:
        if not isinstance(data, dict) or "lines" not in data:
            raise LineModelError("malformed line model: no `lines` ensemble; retrain it with bench/train_text_lines.py")
        try:
            threshold = float(data["threshold"])
        except (KeyError, TypeError, ValueError) as exc:
            raise LineModelError(f"malformed line model: {exc}") from exc
        context = Trees.from_dict(data["context"], list(CONTEXT_NAMES)) if "context" in data else None
        return cls(Trees.from_dict(data["lines"], list(FEATURE_NAMES)), threshold, context)


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
    needed = [(flag and not b.kept) or (b.kept and b.kind not in UNDECIDED_KINDS) for b, flag in zip(blocks, flags, strict=False)]
    probabilities = model.probabilities(line_features(blocks, template_hashes, flags), needed,
                                        see_through(blocks, flags))
    for block, p, flag in zip(blocks, probabilities, flags, strict=False):
        if flag and not block.kept:
            if p >= model.threshold:
                block.removed = block.removed_detail = None
            continue
        if not block.kept or block.kind in UNDECIDED_KINDS:
            continue
        if p < model.threshold:
            block.removed = REASON
            block.removed_detail = f"line classifier: article-text probability {p:.2f} < {model.threshold:.2f}"
    keep_story_lines(blocks)


def keep_story_lines(blocks: list[Block]) -> None:
    """Keep again the lines the model dropped that the story's shape says are its own (the runtime and
    the training script's scoring both call this)."""
    keep_story_ending(blocks)
    keep_lines_inside_story(blocks)


def keep_story_ending(blocks: list[Block]) -> None:
    """Keep again a paragraph the model dropped when the story's end lines are right below it (a source
    line, byline or author bio under a story, or the first of the site's template lines) and the nearest
    line above it that no rule dropped is a kept paragraph: that is the story's last paragraph. At the
    end of a page the model leans towards chrome (footers), which such a paragraph is not."""
    above: Block | None = None  # the nearest line above that no rule dropped (kept, or dropped by the model)
    for i, block in enumerate(blocks[:-1]):
        if (block.removed == REASON and block.kind == "paragraph" and blocks[i + 1].removed in STORY_END_REASONS
                and above is not None and above.kept and above.kind == "paragraph"):
            block.removed = block.removed_detail = None
        if block.kept or block.removed == REASON:
            above = block


def keep_lines_inside_story(blocks: list[Block]) -> None:
    """Keep again a line the line model dropped alone between two kept paragraphs, when it is a paragraph
    or a short heading. A story's subheadings ("Atmosphere", "What happens next") read like chrome on their
    own, and a paragraph in another language or an odd register can score low, but chrome does not sit
    alone inside a run of the story's paragraphs. A run of two or more dropped lines there (other stories'
    headlines, a comment thread's vote buttons) stays dropped."""
    kept = [i for i, b in enumerate(blocks) if b.kept]
    for i, block in enumerate(blocks):
        if block.removed != REASON or block.kind not in ("heading", "paragraph") or (
                block.kind == "heading" and len(block.text.split()) > SUBHEADING_MAX_WORDS):
            continue
        at = bisect.bisect_left(kept, i)  # kept[at - 1] is the nearest kept line above, kept[at] below
        if not 0 < at < len(kept) or not blocks[kept[at - 1]].kind == blocks[kept[at]].kind == "paragraph":
            continue
        gap = blocks[kept[at - 1] + 1:kept[at]]
        if sum(b.removed == REASON for b in gap) == 1:
            block.removed = block.removed_detail = None
