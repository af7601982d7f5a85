"""Load structure_hints.yaml once and answer: which reason / score does a class or id suggest?"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_HINTS_FILE = Path(__file__).with_name("structure_hints.yaml")
_PART = re.compile(r"[a-z0-9\u4e00-\u9fff]+")  # the words of lower-cased class and id values
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CAPTION_TOKENS = frozenset(("caption", "figcaption", "imagecaption", "image-caption", "wp-caption-text"))


@dataclass(frozen=True, eq=False)  # hashed by identity: one instance, used as a cache key
class StructureHints:
    reasons: dict  # exact token -> reason
    long_keys: tuple  # (key, reason) for keys of 5+ characters, matched as token prefix/suffix
    tags: dict
    roles: dict
    positive: frozenset
    negative: frozenset
    lead: frozenset = frozenset()
    media: frozenset = frozenset()
    long_key_reasons: dict = field(default_factory=dict)  # long key -> reason (its first listing)
    long_key_lengths: tuple = ()  # the long keys' lengths, longest first

    def tokens(self, attrs: str) -> list[str]:
        if not attrs:
            return []
        if not attrs.islower():  # (only a capital can start a camel-case word)
            attrs = _CAMEL.sub("-", attrs)
        parts = _PART.findall(attrs.lower())
        # also keep hyphenated pairs ("read-more", "author-bio") as tokens of their own
        return parts + [a + "-" + b for a, b in zip(parts, parts[1:], strict=False)]

    def reason_for(self, tokens: list[str]) -> str | None:
        reasons = self.reasons
        if not reasons.keys().isdisjoint(tokens):  # (one C-level test: most tokens name nothing)
            for token in tokens:
                reason = reasons.get(token)
                if reason:
                    return reason
        if not self.long_key_lengths:
            return None
        for token in tokens:
            if len(token) >= 6:
                reason = _long_key_reason(self, token)
                if reason:
                    return reason
        return None

    def class_weight(self, tokens: list[str], reason: str | None = None) -> int:
        """+25 for an article-like token, -25 for a chrome-like one (`reason`: the tokens'
        reason_for(), when the caller has it already)."""
        if not tokens:
            return 0
        weight = 0
        if not self.positive.isdisjoint(tokens):
            weight += 25
        if not self.negative.isdisjoint(tokens) or (reason if reason is not None else self.reason_for(tokens)):
            weight -= 25
        return weight

    def is_lead(self, tokens: list[str]) -> bool:
        return not self.lead.isdisjoint(tokens)

    def is_media(self, tokens: list[str]) -> bool:
        return not self.media.isdisjoint(tokens)

    @staticmethod
    def is_caption(tokens: list[str]) -> bool:
        return not _CAPTION_TOKENS.isdisjoint(tokens)


@lru_cache(maxsize=65536)
def _long_key_reason(hints: StructureHints, token: str) -> str | None:
    """The reason of the longest long key that starts `token`, else of the longest that ends it
    (cached: other sites' class names repeat the same tokens in new combinations)."""
    keys, size = hints.long_key_reasons, len(token)
    for length in hints.long_key_lengths:
        if length <= size and token[:length] in keys:
            return keys[token[:length]]
    for length in hints.long_key_lengths:
        if length <= size and token[size - length:] in keys:
            return keys[token[size - length:]]
    return None


@lru_cache(maxsize=1)
def load_structure_hints() -> StructureHints:
    data = yaml.safe_load(_HINTS_FILE.read_text(encoding="utf-8"))
    reasons: dict[str, Any] = {}
    long_keys: list[Any] = []
    for reason, keys in data["reasons"].items():
        for key in keys:
            key = str(key).lower()
            exact = key.endswith("$")
            key = key.rstrip("$")
            reasons.setdefault(key, reason)
            if len(key) >= 5 and not exact:
                long_keys.append((key, reason))
    long_key_reasons: dict[str, Any] = {}
    for key, reason in long_keys:
        long_key_reasons.setdefault(key, reason)
    return StructureHints(
        long_key_reasons=long_key_reasons,
        long_key_lengths=tuple(sorted({len(k) for k in long_key_reasons}, reverse=True)),
        reasons=reasons,
        long_keys=tuple(long_keys),
        tags=dict(data.get("tags", {})),
        roles=dict(data.get("roles", {})),
        positive=frozenset(str(t).lower().rstrip("$") for t in data.get("positive", [])),
        negative=frozenset(str(t).lower().rstrip("$") for t in data.get("negative", [])),
        lead=frozenset(str(t).lower() for t in data.get("lead", [])),
        media=frozenset(str(t).lower() for t in data.get("media", [])),
    )
