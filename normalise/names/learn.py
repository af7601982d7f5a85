"""Proposing new gazetteer variants from stored records (never editing the gazetteer).

An unmatched capitalised name is proposed as a variant of a known entity when, across the
records of one story (records sharing at least `min_shared` known entities), it sits in the
same role as that entity ("Russia's delegation head Mentinsky" / "delegation head Vladimir
Medinsky") and its spelling is close enough to the entity's name to be the same name.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from normalise.names.index import NameIndex
from normalise.names.text import Token, is_latin
from normalise.names.unify import DocumentUnifier

_SENTENCE_BREAK = re.compile(r"[.!?;:\n]")
ROLE_WINDOW = 4  # words before (and after a comma) a name that describe its role


@dataclass
class Proposal:
    entity_id: str
    canonical: str
    variant: str
    similarity: float
    roles: set[str] = field(default_factory=set)
    records: set[str] = field(default_factory=set)
    count: int = 0
    snippets: list[str] = field(default_factory=list)

    @property
    def support(self) -> int:
        return len(self.records)


@dataclass
class _Doc:
    id: str
    entities: set[str]
    known: list[tuple[str, set[str]]]  # (entity id, role features) per mention
    unknown: list[tuple[str, set[str], str]]  # (word, role features, snippet)


def _role_features(text: str, toks: list[Token], s: int, e: int, index: NameIndex) -> set[str]:
    """Lower-case role words around tokens [s, e): before the name, and after it when an
    apposition follows (", the head of Russia's delegation")."""
    def usable(t: Token) -> bool:
        low = t.text.lower()
        return len(low) > 2 and low not in index.common and index.folder.fold(t.text) not in index.known_folds

    words: list[str] = []
    j = s - 1
    while j >= 0 and len(words) < ROLE_WINDOW and not _SENTENCE_BREAK.search(text[toks[j].end:toks[j + 1].start]):
        words.insert(0, toks[j].text.lower()) if usable(toks[j]) else None
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
    feats |= {f"{a} {b}" for a, b in zip(words, words[1:])} | {f"{a} {b}" for a, b in zip(after, after[1:])}
    return feats


def _scan(index: NameIndex, doc_id: str, text: str) -> _Doc:
    blocks = [b for b in text.split("\n\n") if b.strip()]
    unifier = DocumentUnifier(index, blocks, fuzzy=False)  # fuzzy matches are what we want to promote
    unifier.run()
    doc = _Doc(doc_id, set(), [], [])
    for m in unifier.mentions:
        block = unifier.blocks[m.block]
        doc.entities.add(m.entity.id)
        if m.entity.type == "person":
            doc.known.append((m.entity.id, _role_features(block.text, block.toks, m.start_tok, m.end_tok, index)))
    fold = index.folder.fold
    for block in unifier.blocks:
        for ti, tok in enumerate(block.toks):
            low = tok.text.lower()
            if (ti in block.covered or not tok.capitalised or not is_latin(tok.text) or len(tok.text) < 4
                    or low in index.common or low in index.titles or fold(tok.text) in index.known_folds):
                continue
            feats = _role_features(block.text, block.toks, ti, ti + 1, index)
            if feats:
                snippet = block.text[max(0, tok.start - 60):tok.end + 40].replace("\n", " ")
                doc.unknown.append((tok.text, feats, snippet))
    return doc


def propose(index: NameIndex, records: list[tuple[str, str]], *, min_shared: int = 2,
            min_similarity: float = 0.6) -> list[Proposal]:
    """records: (id, English text). Returns proposals, best supported first. Spellings the
    unifier would only match fuzzily count as unmatched: listing them makes them exact."""
    docs = [_scan(index, rid, text) for rid, text in records if text and text.strip()]
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
        for word, feats, snippet in doc.unknown:
            for ent_id, roles in roles_by_entity.items():
                shared = {f for f in feats if roles.get(f, set()) & story}
                if not shared:
                    continue
                ent = index.gazetteer.entities[ent_id]
                similarity = fuzz.ratio(fold(word), fold(ent.short)) / 100
                if similarity < min_similarity:
                    continue
                p = proposals.setdefault((ent_id, word), Proposal(ent_id, ent.canonical, word, round(similarity, 3)))
                p.roles |= shared
                p.records.add(doc.id)
                p.count += 1
                if len(p.snippets) < 3:
                    p.snippets.append(f"{doc.id}: ...{snippet}...")
    return sorted(proposals.values(), key=lambda p: (-p.support, -p.count, -p.similarity, p.variant))


def to_yaml(proposals: list[Proposal], n_records: int) -> str:
    lines = [f"# learn-names: {len(proposals)} proposal(s) from {n_records} record(s).",
             "# Review each one; paste the entries you accept into a gazetteer file listed in",
             "# gazetteer_paths (an entry with a known id and no canonical adds to that entity).",
             "entities:" if proposals else "entities: []"]
    for p in proposals:
        lines += [f"  - id: {p.entity_id}  # {p.canonical}",
                  f"    variants: [{_quote(p.variant)}]",
                  f"    # evidence: {p.count} mention(s) in {p.support} record(s), similarity {p.similarity:.2f}, "
                  f"shared role words: {', '.join(sorted(p.roles))}"]
        lines += [f"    #   {s}" for s in p.snippets]
    return "\n".join(lines) + "\n"


def _quote(word: str) -> str:
    return word if re.fullmatch(r"[^\W\d_][\w' -]*", word) else '"' + word.replace('"', '\\"') + '"'
