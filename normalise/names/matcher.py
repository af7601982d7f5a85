"""Finding known name forms in a token list: longest match, then the given name in front.

Shared by the English pass (names.unify) and the source-language protector (names.protect).
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from normalise.names.gazetteer import Entity
from normalise.names.index import Form, FormTable, NameIndex
from normalise.names.text import Token, gap_ok, is_latin

LAYER_RANK = {"exact": 0, "normalised": 1, "fuzzy": 2}


def worst(a: str, b: str) -> str:
    return a if LAYER_RANK[a] >= LAYER_RANK[b] else b


@dataclass
class Hit:
    start_tok: int  # token indices [start_tok, end_tok)
    end_tok: int
    forms: list[Form]
    layer: str  # exact | normalised


@dataclass
class GivenResult:
    kind: str  # match | conflict | none
    start_tok: int = -1
    layer: str = "exact"
    score: float = 1.0
    word: str = ""


def scan(text: str, toks: list[Token], table: FormTable, index: NameIndex, *, latin_only: bool,
         norm_scripts: str = "latin") -> list[Hit]:
    """Longest known form at each position, left to right, non-overlapping.

    exact: the token sequence equals a listed form (case-sensitive). normalised: folded keys
    equal and the first and last tokens are capitalised, so lower-case words never match.
    """
    fold = index.folder.fold
    hits: list[Hit] = []
    n, i = len(toks), 0
    while i < n:
        found = None
        first = toks[i]
        if first.text not in table.first_exact and not (first.capitalised and fold(first.text) in table.first_norm):
            i += 1
            continue
        for length in range(min(table.max_len, n - i), 0, -1):
            span = toks[i:i + length]
            if length > 1 and not all(gap_ok(text, a, b) for a, b in zip(span, span[1:])):
                continue
            words = tuple(t.text for t in span)
            if latin_only and not is_latin(words[-1]):
                break
            forms = table.exact.get(words)
            layer = "exact"
            if not forms and span[0].capitalised and span[-1].capitalised and (
                    norm_scripts == "any" or is_latin(words[-1])):
                forms = table.norm.get(tuple(fold(w) for w in words))
                layer = "normalised"
            if forms:
                found = Hit(i, i + length, list(forms), layer)
                break
        if found:
            hits.append(found)
            i = found.end_tok
        else:
            i += 1
    return hits


def extend_given(text: str, toks: list[Token], start_tok: int, ent: Entity, table: FormTable,
                 index: NameIndex, *, allow_fuzzy: bool) -> GivenResult:
    """Is the name at `start_tok` preceded by this entity's given name, another person's, or none?"""
    if start_tok == 0:
        return GivenResult("none")
    fold = index.folder.fold
    first = toks[start_tok]
    for words, folds in table.given.get(ent.id, []):
        k = len(words)
        if start_tok - k < 0:
            continue
        span = toks[start_tok - k:start_tok]
        gaps = list(zip(span, [*span[1:], first]))
        if not all(text[a.end:b.start] in (" ", "\u00a0", "-") or (text[a.end:b.start] == ". " and len(a.text) <= 2)
                   for a, b in gaps):
            continue
        got = tuple(t.text for t in span)
        if got == words:
            return GivenResult("match", start_tok - k, "exact", 1.0, " ".join(got))
        if span[0].capitalised and tuple(fold(w) for w in got) == folds:
            return GivenResult("match", start_tok - k, "normalised", 1.0, " ".join(got))
    prev = toks[start_tok - 1]
    if text[prev.end:first.start] not in (" ", "\u00a0") or not prev.capitalised:
        return GivenResult("none")
    low = prev.text.lower()
    if low in index.titles or low in index.common:
        return GivenResult("none")
    key = fold(prev.text)
    owners = index.given_owner.get(key)
    if owners:  # a known given name, but not this entity's: another person
        return GivenResult("conflict", word=prev.text) if ent.id not in owners else GivenResult("none")
    if key in index.known_folds:  # a place, an organisation, a surname: not a given name
        return GivenResult("none")
    if not allow_fuzzy:  # protector: only a known given name of someone else is a conflict
        return GivenResult("none")
    if ent.type == "person":
        singles = [f[0] for w, f in table.given.get(ent.id, []) if len(f) == 1]
        best = max((fuzz.ratio(key, g) / 100 for g in singles), default=0.0)
        if best >= index.setting("given_threshold", 0.75):
            return GivenResult("match", start_tok - 1, "fuzzy", round(best, 3), prev.text)
    return GivenResult("conflict", word=prev.text)
