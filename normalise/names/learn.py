"""Learning name links from stored records (the gazetteer files themselves are never edited).

A known person or place named in the records is evidence of how it is spelled; an unknown
capitalised name in the same story is linked to it when the spelling and the context agree:
- spelling: the same transliteration key (names.keys), or a close folded spelling; a feminine
  form is never linked to a man (the matcher's rule, names.evidence.gender_differs);
- the full mention: the given name in front must be the entity's (in any romanisation) or
  absent; another person's given name in front rules the link out (the matcher's rule);
- context: role words around the mention that the entity has elsewhere in the story
  ("delegation head"), entities named with it, countries of those entities.
Names written in English-source blocks count as the canonical spelling; the variants looked
at come from translated blocks (or blocks of unknown origin).

Every link carries its evidence and a confidence in 0..1 (`confidence`, weights measured on
the evaluation set by bench/names.py). names.links stores links across runs for review.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz import fuzz

from normalise.names.gazetteer import Entity
from normalise.names.index import NameIndex
from normalise.names.keys import consonants, skeleton, skeletons
from normalise.names.text import Token, is_latin
from normalise.names.unify import DocumentUnifier, gender_differs

_SENTENCE_BREAK = re.compile(r"[.!?;:\n]")
ROLE_WINDOW = 4  # words before (and after a comma) a name that describe its role
# Reporting verbs and fillers near any name in news: they say nothing about whose name it is.
NOT_ROLES = frozenset({
    "said", "says", "say", "told", "tells", "added", "adds", "called", "calls", "spoke", "speaks", "met", "meets",
    "was", "were", "has", "had", "have", "will", "would", "could", "also", "later", "then", "who", "which", "that",
    "wrote", "writes", "asked", "asks", "according", "visited", "visits"})
MAX_GIVEN_WORDS = 2
MIN_LINK_KEY_CONSONANTS = 3  # a shorter key (Rutte "rt", Shoigu "hg") matches too many words to count


@dataclass
class LearnRecord:
    """One stored record: its English blocks, each marked English-source (True), translated
    (False) or of unknown origin (None)."""

    id: str
    blocks: list[tuple[str, bool | None]]


@dataclass
class Proposal:
    entity_id: str
    canonical: str
    variant: str  # the surname (or place name) as written
    similarity: float
    key_match: bool = False
    given: set[str] = field(default_factory=set)  # given names written in front (not yet known)
    full: set[str] = field(default_factory=set)  # whole mentions as written
    roles: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)  # known entities named in the same records
    countries: set[str] = field(default_factory=set)
    records: set[str] = field(default_factory=set)
    count: int = 0
    snippets: list[str] = field(default_factory=list)

    @property
    def support(self) -> int:
        return len(self.records)

    @property
    def confidence(self) -> float:
        return confidence(self.similarity, self.key_match, self.support, len(self.roles),
                          len(self.entities), bool(self.full))


def confidence(similarity: float, key_match: bool, support: int, roles: int, entities: int, full: bool) -> float:
    """How sure a link is, 0..1: spelling counts most, then a whole name with the entity's
    given name, then how many records and how much shared context back it."""
    score = 0.40 * similarity + 0.20 * key_match + 0.15 * full
    score += 0.10 * min(1.0, support / 3) + 0.10 * min(1.0, roles / 3) + 0.05 * min(1.0, entities / 3)
    return round(score, 3)


@dataclass
class _Unknown:
    word: str
    full: str
    given: tuple[str, ...]
    feats: set[str]
    snippet: str


@dataclass
class _Doc:
    id: str
    entities: set[str]
    known: list[tuple[str, set[str]]]  # (entity id, role features) per mention
    unknown: list[_Unknown]


def _role_features(text: str, toks: list[Token], s: int, e: int, index: NameIndex) -> set[str]:
    """Lower-case role words around tokens [s, e): before the name, and after it when an
    apposition follows (", the head of Russia's delegation")."""
    def usable(t: Token) -> bool:
        low = t.text.lower()
        return (len(low) > 2 and low not in index.common and low not in NOT_ROLES
                and index.folder.fold(t.text) not in index.known_folds)

    words: list[str] = []
    j = s - 1
    while j >= 0 and len(words) < ROLE_WINDOW and not _SENTENCE_BREAK.search(text[toks[j].end:toks[j + 1].start]):
        if usable(toks[j]):
            words.insert(0, toks[j].text.lower())
        j -= 1
    after: list[str] = []
    if e < len(toks) and text[toks[e - 1].end:toks[e].start].strip().startswith(","):
        j = e
        while j < len(toks) and len(after) < ROLE_WINDOW:
            if j > e and _SENTENCE_BREAK.search(text[toks[j - 1].end:toks[j].start]):
                break
            if usable(toks[j]):
                after.append(toks[j].text.lower())
            j += 1
    feats = set(words) | set(after)
    feats |= {f"{a} {b}" for a, b in pairwise(words)} | {f"{a} {b}" for a, b in pairwise(after)}
    return feats


def _given_before(text: str, toks: list[Token], ti: int, covered: set[int], index: NameIndex) -> int:
    """Start of the capitalised words directly before token ti that could be given names."""
    s = ti
    while s > 0 and ti - s < MAX_GIVEN_WORDS:
        prev = toks[s - 1]
        if (s - 1 in covered or not prev.capitalised or text[prev.end:toks[s].start] not in (" ", "\u00a0")
                or prev.text.lower() in index.common or index.is_title(prev.text)):
            break
        s -= 1
    return s


def _scan(index: NameIndex, record: LearnRecord) -> _Doc:
    texts = [t for t, _ in record.blocks]
    unifier = DocumentUnifier(index, texts, fuzzy=False)  # fuzzy matches are what we want to promote
    unifier.run()
    doc = _Doc(record.id, set(), [], [])
    for m in unifier.mentions:
        block = unifier.blocks[m.block]
        doc.entities.add(m.entity.id)
        if m.entity.type == "person":
            doc.known.append((m.entity.id, _role_features(block.text, block.toks, m.start_tok, m.end_tok, index)))
    fold = index.folder.fold
    for block, (_, english_source) in zip(unifier.blocks, record.blocks, strict=False):
        if english_source:
            continue  # written in English: the spelling there is the canonical evidence, not a variant
        for ti, tok in enumerate(block.toks):
            low = tok.text.lower()
            if (ti in block.covered or not tok.capitalised or not is_latin(tok.text) or len(tok.text) < 4
                    or low in index.common or index.is_title(tok.text) or fold(tok.text) in index.known_folds):
                continue
            if ti + 1 < len(block.toks) and block.toks[ti + 1].capitalised and ti + 1 not in block.covered \
                    and block.text[tok.end:block.toks[ti + 1].start] == " ":
                continue  # a given name (or the first word of a longer name): the surname follows
            s = _given_before(block.text, block.toks, ti, block.covered, index)
            feats = _role_features(block.text, block.toks, s, ti + 1, index)
            full = block.text[block.toks[s].start:tok.end]
            snippet = block.text[max(0, block.toks[s].start - 60):tok.end + 40].replace("\n", " ")
            doc.unknown.append(_Unknown(tok.text, full, tuple(t.text for t in block.toks[s:ti]), feats, snippet))
    return doc


def _given_agrees(ent: Entity, given: tuple[str, ...], index: NameIndex) -> bool | None:
    """True: the words in front are the entity's given name; None: nothing in front; False:
    someone else's given name (or any other capitalised word)."""
    if not given:
        return None
    fold = index.folder.fold
    written = tuple(fold(g) for g in given)
    keys = tuple(skeleton(g) for g in given)
    for g in ent.given:
        words = tuple(g.split())
        if tuple(fold(w) for w in words) == written or keys in _key_tuples(words):
            return True
    return False


def _key_tuples(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [()]
    for w in words:
        out = [(*k, v) for k in out for v in skeletons(w)]
    return out


def propose(index: NameIndex, records: list[LearnRecord], *, min_shared: int = 2,
            min_similarity: float = 0.6) -> list[Proposal]:
    """Links from unknown names to known entities, best supported first."""
    docs = [_scan(index, r) for r in records if any(t.strip() for t, _ in r.blocks)]
    roles_by_entity: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # ent -> role -> docs
    for doc in docs:
        for ent_id, feats in doc.known:
            for f in feats:
                roles_by_entity[ent_id][f].add(doc.id)
    entities_by_doc = {d.id: d.entities for d in docs}
    fold = index.folder.fold
    proposals: dict[tuple[str, str], Proposal] = {}
    for doc in docs:
        story = {d for d, ents in entities_by_doc.items() if d == doc.id or len(ents & doc.entities) >= min_shared}
        story_entities = set().union(*(entities_by_doc[d] for d in story))
        for unk in doc.unknown:
            for ent_id in _candidates(index, unk, story_entities):
                ent = index.gazetteer.entities[ent_id]
                if ent.type == "person" and gender_differs(fold(unk.word), fold(ent.short)):
                    continue  # the matcher's rule: Peskova is not Peskov
                agrees = _given_agrees(ent, unk.given, index) if ent.type == "person" else None
                if agrees is False:
                    continue  # the matcher's rule: another given name in front is another person
                roles = {f for f in unk.feats if roles_by_entity.get(ent_id, {}).get(f, set()) & story}
                key = skeleton(unk.word)
                key_match = consonants(key) >= MIN_LINK_KEY_CONSONANTS and (
                    key in skeletons(ent.short.split()[-1]) or any(key in skeletons(v) for v in ent.variants if is_latin(v)))
                similarity = fuzz.ratio(fold(unk.word), fold(ent.short.split()[-1])) / 100
                if similarity < min_similarity or not (roles or agrees or key_match):
                    continue
                p = proposals.setdefault((ent_id, unk.word),
                                         Proposal(ent_id, ent.canonical, unk.word, round(similarity, 3), key_match))
                p.roles |= roles
                p.records.add(doc.id)
                p.count += 1
                p.entities |= doc.entities - {ent_id}
                p.countries |= {c for e in doc.entities if (c := index.gazetteer.entities[e].country)}
                if agrees:
                    p.full.add(unk.full)
                    p.given |= {" ".join(unk.given)} - set(ent.given)
                if len(p.snippets) < 3:
                    p.snippets.append(f"{doc.id}: ...{unk.snippet}...")
    return sorted(proposals.values(), key=lambda p: (-p.confidence, -p.support, p.variant))


def _candidates(index: NameIndex, unk: _Unknown, story_entities: set[str]) -> set[str]:
    """Entities an unknown name could stand for: one the story names, or any with its key."""
    by_key = {f.entity.id for key in [(skeleton(unk.word),)] for f in index.key_forms.get(key, [])}
    return {e for e in story_entities | by_key if index.gazetteer.entities[e].type != "organisation"}


def to_yaml(proposals: list[Proposal], n_records: int) -> str:
    lines = [f"# learn-names: {len(proposals)} proposal(s) from {n_records} record(s).",
             "# Review each one; paste the entries you accept into a gazetteer file listed in",
             "# gazetteer_paths (an entry with a known id and no canonical adds to that entity),",
             "# or keep them in a links file (learn-names --links FILE) and review them there.",
             "entities:" if proposals else "entities: []"]
    for p in proposals:
        lines += [f"  - id: {p.entity_id}  # {p.canonical}",
                  f"    variants: [{quote(p.variant)}]"]
        if p.given:
            lines.append(f"    given: [{', '.join(quote(g) for g in sorted(p.given))}]")
        key_note = ", same transliteration key" if p.key_match else ""
        full_note = ", as " + "; ".join(sorted(p.full)) if p.full else ""
        lines += [(f"    # confidence {p.confidence:.2f}: {p.count} mention(s) in {p.support} record(s), "
                   f"similarity {p.similarity:.2f}{key_note}{full_note}"),
                  (f"    # shared role words: {', '.join(sorted(p.roles)) or '-'}; named with: "
                   f"{', '.join(sorted(p.entities)) or '-'}")]
        lines += [f"    #   {s}" for s in p.snippets]
    return "\n".join(lines) + "\n"


def quote(word: str) -> str:
    return word if re.fullmatch(r"[^\W\d_][\w' -]*", word) else '"' + word.replace('"', '\\"') + '"'
