"""A learned second opinion on each HTML block: is it article text?

The rule passes (container choice, structural hints, lexicons) decide first; this model then
reads, per block, what those rules concluded plus what the walker measured (link density,
length, punctuation, position, list/heading kind, neighbours) and gives the probability that
the block belongs to the article. It ships as a small JSON file of gradient-boosted decision
trees (normalise/extract/block_model.json), trained by bench/train_block_model.py on the
development benchmark sets; evaluating it needs no machine-learning library.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from normalise.extract.hints import get_hints
from normalise.record import Block

MODEL_FILE = Path(__file__).with_name("block_model.json")

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_SENTENCE_END = re.compile(r"[.!?。！？…]['\"”’»)]*$")
_COMMAS = re.compile(r"[,，、،;；]")
_DIGITS = re.compile(r"\d")
_KINDS = ("heading", "paragraph", "list_item", "quote", "caption", "standfirst")
# Removal reasons grouped by where they came from (the model learns how far to trust each group).
_STRUCTURE_REASONS = frozenset(("outside_article",))
_HINT_REASONS = frozenset(("related_links", "widget", "navigation", "comments", "advert", "section_tag",
                           "login_form", "newsletter", "cookie_wall", "author_bio", "byline", "photo_credit",
                           "copyright", "paywall"))

FEATURES = (
    "rule_kept", "removed_outside", "removed_hint", "removed_other", "in_main", "has_hint", "link_density",
    "log_chars", "log_words", "sentence_end", "comma_rate", "digit_rate", "in_list", "repeated",
    *(f"kind_{k}" for k in _KINDS),
    "position", "before_article", "after_article", "page_kept_share",
    "prev_rule_kept", "next_rule_kept", "prev_prose", "next_prose", "run_kept", "depth_rel",
)


@dataclass(frozen=True)
class _Tree:
    feature: tuple[int, ...]  # -1 at a leaf
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def predict(self, x: list[float]) -> float:
        node = 0
        feature, threshold, left, right = self.feature, self.threshold, self.left, self.right
        while feature[node] >= 0:
            node = left[node] if x[feature[node]] <= threshold[node] else right[node]
        return self.value[node]


@dataclass(frozen=True)
class BlockModel:
    """Gradient-boosted trees over FEATURES: p = sigmoid(bias + rate * sum of tree values)."""

    features: tuple[str, ...]
    bias: float
    rate: float
    trees: tuple[_Tree, ...]
    keep_above: float  # restore a removed block when p is above this
    drop_below: float  # remove a kept block when p is below this

    def probability(self, x: list[float]) -> float:
        margin = self.bias + self.rate * sum(tree.predict(x) for tree in self.trees)
        return 1.0 / (1.0 + math.exp(-margin))

    @classmethod
    def from_dict(cls, data: dict) -> BlockModel:
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"block model features {data['features']} do not match this code's {FEATURES}; "
                             "retrain it with bench/train_block_model.py")
        trees = tuple(_Tree(tuple(t["feature"]), tuple(t["threshold"]), tuple(t["left"]), tuple(t["right"]),
                            tuple(t["value"])) for t in data["trees"])
        return cls(tuple(data["features"]), float(data["bias"]), float(data["rate"]), trees,
                   float(data["keep_above"]), float(data["drop_below"]))

    def to_dict(self) -> dict:
        return {"features": list(self.features), "bias": self.bias, "rate": self.rate,
                "keep_above": self.keep_above, "drop_below": self.drop_below,
                "trees": [{"feature": list(t.feature), "threshold": list(t.threshold), "left": list(t.left),
                           "right": list(t.right), "value": list(t.value)} for t in self.trees]}


@lru_cache(maxsize=4)
def load_block_model(path: Path = MODEL_FILE) -> BlockModel:
    """The shipped model (cached). A missing or malformed file is a clear error, not a silent skip."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"block model file {path} is missing; build it with bench/train_block_model.py") \
            from exc
    return BlockModel.from_dict(data)


def _words(text: str) -> int:
    cjk = len(_CJK.findall(text))
    return len(text.split()) + cjk


def _prose(block: Block) -> bool:
    return block.kept and block.kind in ("paragraph", "standfirst", "quote") and _words(block.text) >= 12


def block_features(blocks: list[Block]) -> list[list[float] | None]:
    """One feature vector per block (None for the title and for blocks without HTML hints),
    computed from the blocks as the rule passes left them."""
    page = _PageFacts.of(blocks)
    return [None if hints is None or block.kind == "title" else _features(i, block, hints, page)
            for i, (block, hints) in enumerate(zip(blocks, (get_hints(b) for b in blocks), strict=False))]


@dataclass
class _PageFacts:
    blocks: list[Block]
    first_kept: int  # index of the first kept text block (of 8+ words), len(blocks) when none
    last_kept: int
    kept_share: float  # share of the page's characters in kept blocks
    max_depth: int
    prose: list[bool]

    @classmethod
    def of(cls, blocks: list[Block]) -> _PageFacts:
        kept_idx = [i for i, b in enumerate(blocks) if b.kept and b.kind != "title" and _words(b.text) >= 8]
        total = sum(len(b.text) for b in blocks) or 1
        kept = sum(len(b.text) for b in blocks if b.kept and b.kind != "title")
        depths = [h.depth for h in (get_hints(b) for b in blocks) if h is not None]
        return cls(blocks, kept_idx[0] if kept_idx else len(blocks), kept_idx[-1] if kept_idx else -1,
                   kept / total, max(max(depths, default=1), 1), [_prose(b) for b in blocks])


def _features(i: int, block: Block, hints, page: _PageFacts) -> list[float]:
    blocks, n = page.blocks, len(page.blocks)
    text = block.text
    chars = len(text) or 1
    reason = block.removed
    structure, hint = reason in _STRUCTURE_REASONS, reason in _HINT_REASONS
    neighbours = [blocks[j] for j in range(max(0, i - 3), min(n, i + 4)) if j != i]
    return [
        float(reason is None), float(structure), float(hint), float(reason is not None and not structure and not hint),
        float(hints.in_main), float(bool(hints.hint_reason)), hints.link_density,
        math.log1p(chars), math.log1p(_words(text)), float(bool(_SENTENCE_END.search(text))),
        len(_COMMAS.findall(text)) / chars * 100, len(_DIGITS.findall(text)) / chars,
        float(hints.in_list), float(hints.repeated_in_page > 1),
        *(float(block.kind == k) for k in _KINDS),
        i / max(n - 1, 1), float(i < page.first_kept), float(i > page.last_kept), page.kept_share,
        float(i > 0 and blocks[i - 1].kept), float(i + 1 < n and blocks[i + 1].kept),
        float(i > 0 and page.prose[i - 1]), float(i + 1 < n and page.prose[i + 1]),
        sum(1 for b in neighbours if b.kept) / 6, hints.depth / page.max_depth,
    ]


def apply_block_model(blocks: list[Block], model: BlockModel) -> None:
    """Second opinion on the rules: a removed block the model is confident about comes back
    (kept), a kept block it is confident is not article text is removed ("block_model")."""
    features = block_features(blocks)
    decisions: list[float | None] = []
    for block, x in zip(blocks, features, strict=False):
        if x is None or block.removed in ("site_selector", "hidden"):
            decisions.append(None)
            continue
        decisions.append(model.probability(x))
    for block, p in zip(blocks, decisions, strict=False):
        if p is None:
            continue
        if block.kept and p < model.drop_below:
            block.removed, block.removed_detail = "block_model", f"block classifier: p(article)={p:.2f}"
        elif not block.kept and p > model.keep_above:
            block.removed, block.removed_detail = None, None
