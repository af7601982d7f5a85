"""Layer 3 of the names stage: unknown capitalised words whose transliteration keys equal a known
form's (names.keys)."""
from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz

from normalise.names.evidence import gender_differs
from normalise.names.index import Form
from normalise.names.keys import consonants, skeleton
from normalise.names.matcher import Hit, extend_given, scan_keys
from normalise.names.place_evidence import PlaceEvidence
from normalise.names.written import unknown_word_close


class KeyLayer(PlaceEvidence):
    def _transliterated(self) -> None:
        """Unknown capitalised words whose transliteration keys equal a known form's
        (names.keys): accepted with a matching given name, or alone when the entity is already
        named in the document, a role word of it is near, or the name is long and distinctive;
        otherwise a candidate."""
        index = self.index
        pending: list[dict[str, Any]] = []
        for bi, block in enumerate(self.blocks):
            # only a capitalised unknown word whose key (or genitive stem's key) starts a known
            # key can start a hit (index.may_start_key): most blocks have none, and the rest few
            starts = index.key_starts(block.words)
            if not starts:
                continue
            toks = block.toks
            for ti in starts:
                if ti in block.covered:
                    continue
                hit = scan_keys(block.text, toks, ti, index) or self._key_genitive(bi, ti)
                if hit is None or any(t in block.covered for t in range(hit.start_tok, hit.end_tok)):
                    continue
                proposal = self._key_proposal(bi, hit)
                if proposal is None:
                    continue
                if proposal["evidence"]:
                    self._accept(proposal, "transliterated")
                else:
                    pending.append(proposal)
        named = self._named_ids()
        for p in pending:
            if p["entity"].id in named and not self._overlaps(p):
                p["evidence"] = "entity named elsewhere in the document"
                self._accept(p, "transliterated")
            else:
                self._candidate(p["block"], p["original"], p["entity"], p["score"],
                                "same transliteration key as a known name, but nothing in the document agrees")

    def _key_genitive(self, bi: int, ti: int) -> Hit | None:
        tok = self.blocks[bi].toks[ti]
        if len(tok.text) < 5 or not tok.text.endswith("s"):
            return None
        forms = self.index.key_forms.get((skeleton(tok.text[:-1]),))
        return Hit(ti, ti + 1, list(forms), "transliterated", cut=1) if forms else None

    def _key_proposal(self, bi: int, hit: Hit) -> dict[str, Any] | None:
        index = self.index
        block = self.blocks[bi]
        text, toks = block.text, block.toks
        s, e = hit.start_tok, hit.end_tok
        written = text[toks[s].start:toks[e - 1].end - hit.cut]
        prev = toks[s - 1].text.lower() if s else ""
        nxt = toks[e].text.lower() if e < len(toks) else ""
        forms = [f for f in hit.forms if prev not in f.entity.not_after and nxt not in f.entity.not_before]
        if not forms:
            return None
        form, score = self._closest_form(bi, written, forms, s)
        if form is None:
            return None
        ent = form.entity
        if self._spelling_refused(bi, s, e, ent, form.replacement):
            return None
        if score < index.setting("key_min_similarity"):
            self._candidate(bi, written, ent, score, "same transliteration key, spelling too far from the known form")
            return None
        if ent.type == "person" and gender_differs(index.folder.fold(written), index.folder.fold(ent.short)):
            self._candidate(bi, written, ent, score, "other gender form of the surname: a different person")
            return None
        if ent.type == "place" and (self._historical(bi, s, e) or self._old_name(bi, s, e, ent)):
            return None
        proposal: dict[str, Any] = {
                    "block": bi, "start_tok": s, "end_tok": e, "entity": ent, "score": round(score, 3),
                    "key": index.folder.fold(written), "original": written, "replacement": form.replacement,
                    "evidence": None, "cut": hit.cut}
        if ent.type == "person" and not form.full:
            s = self._particle_start(bi, s, form.replacement)
            proposal.update(start_tok=s, original=text[toks[s].start:toks[e - 1].end - hit.cut])
            given = extend_given(text, toks, s, ent, index.english, index, allow_fuzzy=True)
            if given.kind == "conflict":
                self.conflicted.add(self._key(bi, s, e))
                self._candidate(bi, f"{given.word} {written}", ent, score, f"preceded by another given name ({given.word})")
                return None
            if given.kind == "match" and (name := self._name_word_after(bi, e)):
                # Anna Monette Roberts: a longer name, whose first two words only sound like his
                self._candidate(bi, f"{given.word} {written} {name}", ent, score, f"followed by another name ({name})")
                return None
            if given.kind == "match":
                # the given name may be another entity's surname form held back before this name
                self.blocks[bi].covered.difference_update(t for t in range(given.start_tok, s)
                                                          if (bi, t) in self.before_name)
                proposal.update(start_tok=given.start_tok, replacement=ent.canonical, evidence="given name",
                                original=text[toks[given.start_tok].start:toks[e - 1].end - hit.cut])
                return proposal
            if not ent.alone:
                self._candidate(bi, written, ent, score, "surname that is matched only after a given name")
                return None
        elif ent.type == "person" and e - s > 1:
            proposal["evidence"] = "whole name"
            return proposal
        window = index.setting("cue_window")
        cue = index.cue_near(ent, text[max(0, toks[s].start - window):toks[e - 1].end + window])
        if cue:
            proposal["evidence"] = f"role word {cue!r}"
        elif (ent.type == "person" and not index.is_ambiguous(ent)
              and sum(consonants(k) for k in skeleton(written).split()) >= 4
              and unknown_word_close(written, score, index.setting("fuzzy_threshold"))):
            # places are many and short-named (GeoNames towns): a place needs its context
            proposal["evidence"] = "distinctive name"
        return proposal

    def _name_word_after(self, bi: int, e: int) -> str | None:
        """A capitalised word right after, no title nor word of the lexicon's common list: a
        surname English writes often (Roberts) counts, as a name matched by key needs more."""
        after = self._word_after(bi, e)
        if after is None or not after.capitalised or self.index.is_title(after.text) \
                or after.text.lower() in self.index.common:
            return None
        return after.text

    def _closest_form(self, bi: int, written: str, forms: list[Form], start_tok: int) -> tuple[Form | None, float]:
        """Of the forms sharing a transliteration key, the one spelt most like the text, when it
        is clear of the other entities' by the fuzzy margin (Mertz: Merz, not Morsi), or when it
        is the only one of the closest whose given name stands in front or who the document
        already names (Khalifa Hafter: Khalifa Haftar, not his son Saddam Haftar)."""
        fold = self.index.folder.fold
        best: dict[str, tuple[float, Form]] = {}
        for f in forms:
            score = fuzz.ratio(fold(written), fold(f.surface)) / 100
            if f.entity.id not in best or score > best[f.entity.id][0]:
                best[f.entity.id] = (score, f)
        ranked = sorted(best.values(), key=lambda x: -x[0])
        given = self._one_given_in_front(bi, start_tok, ranked)
        if given is not None:
            return given[1], given[0]  # Esmail Ghaani: Esmail Qaani, not Ashraf Ghani, spelt closer
        tied = [r for r in ranked if ranked[0][0] - r[0] < self.index.setting("fuzzy_margin")]
        if len(tied) > 1:
            chosen = self._tie_named(bi, start_tok, tied)
            if chosen is not None:
                return chosen[1], chosen[0]
            for _, f in ranked:
                self._candidate(bi, written, f.entity, 0.0, "transliteration key shared by several entities")
            return None, 0.0
        return ranked[0][1], ranked[0][0]

    def _one_given_in_front(self, bi: int, start_tok: int,
                            ranked: list[tuple[float, Form]]) -> tuple[float, Form] | None:
        """The one person of those sharing a key whose own given name, no other known person's,
        stands in front, when there is one (John is many people's: John Gille is not John Healey)."""
        block = self.blocks[bi]
        given = []
        for r in ranked:
            if r[1].entity.type != "person":
                continue
            g = extend_given(block.text, block.toks, start_tok, r[1].entity, self.index.english, self.index,
                             allow_fuzzy=False)
            if g.kind == "match" and all(self.index.given_owner.get(self.index.folder.fold(w)) == {r[1].entity.id}
                                         for w in g.word.split()):
                given.append(r)
        return given[0] if len({r[1].entity.id for r in given}) == 1 else None

    def _tie_named(self, bi: int, start_tok: int, tied: list[tuple[float, Form]]) -> tuple[float, Form] | None:
        """The one person of several sharing a key whose given name is in front, else the one
        the document has named so far; None when no single one is."""
        block = self.blocks[bi]
        people = [t for t in tied if t[1].entity.type == "person"]
        if len(people) != len(tied):
            return None
        given = [t for t in people if extend_given(block.text, block.toks, start_tok, t[1].entity,
                                                   self.index.english, self.index, allow_fuzzy=False).kind == "match"]
        if len(given) == 1:
            return given[0]
        if given:
            return None
        named = self._named_ids()
        in_doc = [t for t in people if t[1].entity.id in named]
        return in_doc[0] if len(in_doc) == 1 else None

