"""Finding known name forms in a token list: longest match, then the given name in front.

Shared by the English pass (names.unify) and the source-language protector (names.protect).
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from normalise.names.gazetteer import Entity
from normalise.names.index import Form, FormTable, NameIndex
from normalise.names.keys import skeleton
from normalise.names.text import NAME_GAPS, Token, gap_ok, is_latin

LAYER_RANK = {"exact": 0, "normalised": 1, "transliterated": 2, "fuzzy": 3}
GENITIVE_MIN = 5  # shortest word read as a known name + genitive -s (Selenskyjs, Medwedews)


def worst(a: str, b: str) -> str:
    return a if LAYER_RANK[a] >= LAYER_RANK[b] else b


@dataclass
class Hit:
    start_tok: int  # token indices [start_tok, end_tok)
    end_tok: int
    forms: list[Form]
    layer: str  # exact | normalised | transliterated
    cut: int = 0  # characters of the last token after the name: a genitive -s (Selenskyjs)


@dataclass
class GivenResult:
    kind: str  # match | conflict | none
    start_tok: int = -1
    layer: str = "exact"
    score: float = 1.0
    word: str = ""


def scan(text: str, toks: list[Token], table: FormTable, index: NameIndex, *, latin_only: bool,
         norm_scripts: str = "latin", english: bool = False, words: list[str] | None = None,
         starts: list[int] | None = None) -> list[Hit]:
    """Longest known form at each position, left to right, non-overlapping.

    exact: the token sequence equals a listed form (case-sensitive). normalised: folded keys
    equal and the first and last tokens are capitalised (the last may be the lower-case
    syllable of a hyphenated word), so lower-case words never match. `english`: the text is
    English, where a word ending in -s is read as a genitive of fewer names (`_genitive`).
    `words`: the tokens' texts, `starts`: the positions `table.may_start` accepts, when the
    caller has them already.
    """
    fold = index.folder.fold
    hits: list[Hit] = []
    n, free = len(toks), 0  # tokens before `free` are inside a hit already
    first_exact, first_norm, exact = table.first_exact, table.first_norm, table.exact
    if words is None:
        words = [t.text for t in toks]
    # Only a word that starts a form, or a capitalised one ending in -s (a genitive), can start
    # a hit: most words are neither, and are passed over in one cheap pass.
    if starts is None:
        starts = [i for i, w in enumerate(words) if table.may_start(w, fold)]
    for i in starts:
        if i < free:
            continue
        first = words[i]
        capitalised = first[:1].isupper()
        longest = max(first_exact.get(first, 0), first_norm.get(fold(first), 0) if capitalised else 0)
        if not longest:
            genitive = _genitive(toks[i], i, table, index, english)  # a capitalised word ending in -s
            if genitive:
                hits.append(genitive)
            continue
        run, limit = 1, min(longest, n - i)  # a form's words are joined by name gaps only
        while run < limit and text[toks[i + run - 1].end:toks[i + run].start] in NAME_GAPS:
            run += 1
        found = None
        for length in range(run, 0, -1):
            got = tuple(words[i:i + length])
            if latin_only and not is_latin(got[-1]):
                break
            forms = exact.get(got)
            layer = "exact"
            if not forms and capitalised and _ends_capitalised(text, toks[i:i + length]) and (
                    norm_scripts == "any" or is_latin(got[-1])):
                forms = table.norm.get(tuple(fold(w) for w in got))
                layer = "normalised"
            if forms:
                found = Hit(i, i + length, list(forms), layer)
                break
        if found is None:
            found = _genitive(toks[i], i, table, index, english)
        if found:
            hits.append(found)
            free = found.end_tok
    return hits


def _ends_capitalised(text: str, span: list[Token]) -> bool:
    """The last word is capitalised, or is the lower-case syllable of a hyphenated capitalised
    word (Kim Cong-un, Mun Ce-in: a given name written without its diacritics)."""
    last = span[-1]
    if last.capitalised:
        return True
    return len(span) > 1 and span[-2].capitalised and text[span[-2].end:last.start] == "-"


def _genitive(tok: Token, i: int, table: FormTable, index: NameIndex, english: bool) -> Hit | None:
    """A one-word name with a genitive -s (German Selenskyjs, Putins): the name without it,
    when that is a known person or place and the whole word is not known itself. In English
    text (`english`) a word in -s is most often a plural or a name of its own (Mages, Marcas,
    Tamás): a world-layer place is read so only by its canonical name letter for letter."""
    word = tok.text
    if len(word) < GENITIVE_MIN or word[-1] != "s" or not tok.capitalised or word[-2:-1] in ("s", "'"):
        return None
    stem = word[:-1]
    forms = table.exact.get((stem,))
    layer = "exact"
    if not forms and is_latin(stem):
        forms = table.norm.get((index.folder.fold(stem),))
        layer = "normalised"
    forms = [f for f in forms or [] if f.entity.type != "organisation"]
    if english:
        world = index.gazetteer.world_ids
        forms = [f for f in forms if f.entity.type != "place" or f.entity.id not in world or stem == f.entity.canonical]
    return Hit(i, i + 1, forms, layer, cut=1) if forms else None


def scan_keys(text: str, toks: list[Token], start: int, index: NameIndex) -> Hit | None:
    """The longest run of tokens from `start` whose transliteration keys equal a known Latin
    form's (Sholts -> Scholz, Netanjahu -> Netanyahu): capitalised words only."""
    span = toks[start:start + min(index.key_max_len, len(toks) - start)]
    if not span or not span[0].capitalised:
        return None
    run = 1  # the tokens from `start` joined by name gaps: no longer form can match
    while run < len(span) and gap_ok(text, span[run - 1], span[run]):
        run += 1
    keys = tuple(skeleton(t.text) for t in span[:run])
    for length in range(run, 0, -1):
        if not span[length - 1].capitalised:
            continue
        forms = index.key_forms.get(keys[:length])
        if forms:
            return Hit(start, start + length, list(forms), "transliterated")
    return None


def _given_gap(gap: str, word: str) -> bool:
    """What may stand between the words of a given name and the surname: a space, a hyphen, the
    dot of an initial, or a soft sign written as an apostrophe at the word's end (Igor' Dodon,
    Kamil' Idris; not after an s, where it is an English plural possessive)."""
    return gap in (" ", "\u00a0", "-") or (gap == ". " and len(word) <= 2) \
        or (gap in ("' ", "\u2019 ") and word[-1:] not in ("s", "S"))


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
        gaps = list(zip(span, [*span[1:], first], strict=False))
        if not all(_given_gap(text[a.end:b.start], a.text) for a, b in gaps):
            continue
        got = tuple(t.text for t in span)
        if got == words:
            return _whole(text, toks, GivenResult("match", start_tok - k, "exact", 1.0, " ".join(got)), ent, index)
        if span[0].capitalised and tuple(fold(w) for w in got) == folds:
            return _whole(text, toks, GivenResult("match", start_tok - k, "normalised", 1.0, " ".join(got)), ent, index)
    soft = _soft_sign_given(text, toks, start_tok, ent, table, index)
    if soft is not None:
        return _whole(text, toks, soft, ent, index)
    prev = toks[start_tok - 1]
    if text[prev.end:first.start] not in (" ", "\u00a0") or not prev.capitalised:
        return GivenResult("none")
    low = prev.text.lower()
    if index.is_title(prev.text) or low in index.common:
        return GivenResult("none")
    if allow_fuzzy:
        keyed = _given_by_key(text, toks, start_tok, ent, index)
        if keyed is not None:
            return _whole(text, toks, keyed, ent, index)
    key = fold(prev.text)
    owners = index.given_owner.get(key)
    if owners:  # a known given name, but not this entity's: another person
        return GivenResult("conflict", word=prev.text) if ent.id not in owners else GivenResult("none")
    if key in index.known_folds:  # a place, an organisation, a surname: not a given name
        return GivenResult("none")
    if prev.text.isupper() and low in index.common_english:  # a headline's word: ERDOGAN MEETS ZELENSKI
        return GivenResult("none")
    if not allow_fuzzy:  # protector: only a known given name of someone else is a conflict
        return GivenResult("none")
    if ent.type == "person":
        # only the canonical given name: the generated spellings are already listed, and a
        # close spelling of one of them is too loose (Benzion ~ Beniamin: his father)
        canonical_given = index.folder.fold_tokens(_given_words(ent))
        singles = [canonical_given[0]] if len(canonical_given) == 1 else []
        best = max((fuzz.ratio(key, g) / 100 for g in singles), default=0.0)
        if best >= index.setting("given_threshold"):
            return _whole(text, toks, GivenResult("match", start_tok - 1, "fuzzy", round(best, 3), prev.text), ent,
                          index)
    return GivenResult("conflict", word=prev.text)


def _soft_sign_given(text: str, toks: list[Token], start_tok: int, ent: Entity, table: FormTable,
                     index: NameIndex) -> GivenResult | None:
    """The entity's one-word given name written with a soft sign inside it as an apostrophe
    (Dil'ma for Dilma: Russian romanisation marks a soft l the entity's own language does not
    have), which splits it into two tokens: joined, it is the given name."""
    if start_tok < 2:
        return None
    head, tail, first = toks[start_tok - 2], toks[start_tok - 1], toks[start_tok]
    if not head.capitalised or not tail.text[:1].islower() or text[head.end:tail.start] not in ("'", "\u2019") \
            or text[tail.end:first.start] not in (" ", "\u00a0"):
        return None
    joined = index.folder.fold(head.text + tail.text)
    if any(len(folds) == 1 and folds[0] == joined for _, folds in table.given.get(ent.id, [])):
        return GivenResult("match", start_tok - 2, "normalised", 1.0, text[head.start:tail.end])
    return None


def _given_words(ent: Entity) -> list[str]:
    return ent.given[0].split() if ent.given else []


def _given_by_key(text: str, toks: list[Token], start_tok: int, ent: Entity, index: NameIndex) -> GivenResult | None:
    """The entity's given name in another romanisation (Fridrikh -> Friedrich, Wolodymyr ->
    Volodymyr), longest first: the words before the surname have the same keys."""
    for key in sorted(index.given_keys.get(ent.id, []), key=len, reverse=True):
        k = len(key)
        if start_tok - k < 0:
            continue
        span = toks[start_tok - k:start_tok]
        if not all(t.capitalised for t in span):
            continue
        gaps = zip(span, [*span[1:], toks[start_tok]], strict=False)
        if not all(text[a.end:b.start] in (" ", "\u00a0", "-") for a, b in gaps):
            continue
        if tuple(skeleton(t.text) for t in span) == key:
            return GivenResult("match", start_tok - k, "transliterated", 1.0, " ".join(t.text for t in span))
    return None


def _whole(text: str, toks: list[Token], given: GivenResult, ent: Entity, index: NameIndex) -> GivenResult:
    """A mention is replaced whole or not at all: a given name that is only the end of one of
    the entity's longer given names (Tayip of Recep Tayyip), or that matched only by spelling
    likeness, after another unknown capitalised word (Redzhep Tayip Erdogan) is no match."""
    s = given.start_tok
    if s == 0:
        return given
    n = len(given.word.split())
    longer = any(len(g.split()) > n for g in ent.given)
    if not longer and given.layer in ("exact", "normalised"):
        return given
    prev = toks[s - 1]
    if text[prev.end:toks[s].start] not in (" ", "\u00a0", "-") or not prev.capitalised:
        return given
    low = prev.text.lower()
    if index.is_title(prev.text) or low in index.common or index.folder.fold(prev.text) in index.known_folds:
        return given
    return GivenResult("conflict", word=f"{prev.text} {given.word}")
