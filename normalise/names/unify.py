"""Unify the names of one document's English blocks, in layers, with the document as context.

The document is the unit: every block is scanned before any change is made, and each layer
sees what the layers before it accepted.

1. and 2. known forms (names.known_forms): listed Latin-script forms, letter for letter or
   folded (longest match), then the given name in front (Volodimir Zelenski -> Volodymyr
   Zelenskyy). A surname after someone else's given name, a surname that must not stand
   alone, a context-only form whose context is missing, and a close spelling that reads as
   something else (names.written) are left unchanged and reported as candidates.
3. transliteration keys (names.key_layer): unknown capitalised words with a known form's key.
4. fuzzy (names.fuzzy_layer): capitalised unknown words close to a known surname or place
   (rapidfuzz ratio on folded forms, clear of the runner-up), changed only when a given name
   or role word agrees; a spelling accepted that way is accepted elsewhere in the document.

In blocks whose text is not English (untranslated), places and organisations keep their names
and a person's mention holding an ordinary word of the language is dropped (names.untranslated).

What the text around a mention says is in names.evidence and names.place_evidence; the
document's state, bookkeeping and rewrite in names.document. Everything doubtful is a
candidate (original, entity_id, canonical, score, reason, block).
"""
from __future__ import annotations

from normalise.names.document import Mention, in_case_of
from normalise.names.evidence import gender_differs
from normalise.names.fuzzy_layer import FuzzyLayer
from normalise.names.key_layer import KeyLayer
from normalise.names.known_forms import KnownForms
from normalise.names.matcher import Hit, scan
from normalise.names.syllable_names import SyllableNames
from normalise.names.untranslated import UntranslatedText
from normalise.record import NameChange

__all__ = ["DocumentUnifier", "Mention", "gender_differs", "in_case_of"]


class DocumentUnifier(KnownForms, KeyLayer, FuzzyLayer, SyllableNames, UntranslatedText):
    """The names stage over one document: layer by layer, all blocks read before any change."""

    def run(self) -> tuple[list[tuple[str, list[NameChange]]], list[dict]]:
        index = self.index
        hits = [scan(b.text, b.toks, index.english, index, latin_only=True, english=True, words=b.words,
                     starts=index.english_starts(b.words))
                if index.may_start_english(b.words) else [] for b in self.blocks]
        self.topics = self._doc_topics(hits)
        self.countries = self._doc_countries(hits)
        for bi, block_hits in enumerate(hits):
            for hit in block_hits:
                self._resolve(bi, hit)
        self._settle_awaiting()
        if self.use_fuzzy:
            self._transliterated()
            self._fuzzy()
        self._settle_doubtful()
        self._drop_ambiguous_surnames()
        self._drop_name_parts()
        self._keep_listed_syllable_names()
        self._keep_untranslated()
        by_block: dict[int, list[Mention]] = {}
        for m in self.mentions:
            by_block.setdefault(m.block, []).append(m)
        return [self._rewrite(bi, by_block.get(bi, [])) for bi in range(len(self.blocks))], self.candidates

    def _doc_topics(self, hits: list[list[Hit]]) -> set[str]:
        scores: dict[str, int] = {}
        for block_hits in hits:
            for hit in block_hits:
                for topic in {t for f in hit.forms if f.context is None for t in f.entity.topics}:
                    scores[topic] = scores.get(topic, 0) + 1
        for topic, n in self.index.topic_scores(self.doc_lower).items():
            scores[topic] = scores.get(topic, 0) + n
        need = self.index.setting("topic_min_score")
        return {t for t, s in scores.items() if s >= need}

    def _doc_countries(self, hits: list[list[Hit]]) -> set[str]:
        found = set()
        for bi, block_hits in enumerate(hits):
            for hit in block_hits:
                ents = {f.entity.id: f.entity for f in hit.forms}
                if len(ents) > 1:  # a small town sharing a better-known entity's name (Costa Rica, Brazil)
                    ents = {i: e for i, e in ents.items() if i not in self.index.towns} or ents
                if len(ents) == 1:
                    ent = next(iter(ents.values()))
                    if ent.country:
                        found.add(ent.country)
                        self.block_countries.setdefault(bi, set()).add(ent.country)
                        if ent.type == "person":
                            self.people_countries.setdefault(bi, set()).add(ent.country)
        return found

    def _settle_doubtful(self) -> None:
        """A mention holding a single letter that is also a word (Wang I) stands when the
        document names the entity by another mention, or a role word of the entity stands right
        in front of it or in an apposition after it; else it is a candidate."""
        named = self._named_ids()
        for m, word in self.doubtful:
            why = "entity named elsewhere in the document" if m.entity.id in named else self._role_next_to(m)
            if why:
                m.evidence = f"{m.evidence}; {word!r} read as part of the name: {why}"
                self.mentions.append(m)
            else:
                self._candidate(m.block, self._written(m), m.entity, m.score,
                                f"{word!r} is also a word: no other mention or role word vouches for the name")

    def _drop_ambiguous_surnames(self) -> None:
        kept = []
        for m in self.mentions:
            if m.entity.type == "person" and not m.has_given and m.key in self.conflicted:
                toks = self.blocks[m.block].toks
                original = self.blocks[m.block].text[toks[m.start_tok].start:toks[m.end_tok - 1].end]
                if original != m.replacement:
                    self._candidate(m.block, original, m.entity, m.score,
                                    "this surname also belongs to another person in the document")
                continue
            kept.append(m)
        self.mentions = kept

    def _drop_name_parts(self) -> None:
        """A place form that the document also writes as part of a longer name (Tony Romo,
        Samus Aran, Huston Huddleston) is that name's word wherever it stands alone: unchanged,
        recorded as a candidate."""
        if not self.name_parts:
            return
        kept = []
        for m in self.mentions:
            written = self._written(m)
            if m.entity.type == "place" and m.key in self.name_parts and written != in_case_of(written, m.replacement):
                self._candidate(m.block, written, m.entity, m.score,
                                "the document writes it as part of a longer name: that name's word here")
                continue
            kept.append(m)
        self.mentions = kept
