"""Layer 4 of the names stage: capitalised unknown words close to a known surname or place
(rapidfuzz ratio on folded forms, above the threshold, clear of the runner-up), changed only
when a given name or role word agrees, or the same spelling was accepted so elsewhere in the
document."""
from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz

from normalise.names.evidence import MentionEvidence, gender_differs
from normalise.names.gazetteer import Entity
from normalise.names.matcher import GivenResult, extend_given


class FuzzyLayer(MentionEvidence):
    def _fuzzy(self) -> None:
        index = self.index
        threshold = index.setting("fuzzy_threshold")
        margin = index.setting("fuzzy_margin")
        min_len = index.setting("min_fuzzy_length")
        # The words to look at, in document order (a word covered by a match made meanwhile is
        # skipped when its turn comes), and rapidfuzz's answers for all of them in one call.
        todo = [(bi, ti, key) for bi, block in enumerate(self.blocks) for ti, key in index.fuzzy_words(block.words, min_len)]
        cutoff = (threshold - margin) * 100
        index.prepare_fuzzy([key for _, _, key in todo], cutoff)
        pending: list[dict[str, Any]] = []
        accepted: dict[str, str] = {}
        for bi, ti, key in todo:
            if ti in self.blocks[bi].covered or not index.fuzzy_candidates(key, cutoff):
                continue  # no known key is close: most words
            proposal = self._fuzzy_one(bi, ti, key, threshold, margin)
            if proposal is None:
                continue
            if proposal["evidence"]:
                accepted.setdefault(key, proposal["entity"].id)
                self._accept(proposal)
            else:
                pending.append(proposal)
        for p in pending:  # same spelling accepted with evidence elsewhere in this document
            if accepted.get(p["key"]) == p["entity"].id and not self._overlaps(p):
                p["evidence"] = "same spelling accepted elsewhere in the document"
                self._accept(p)
            else:
                self._candidate(p["block"], p["original"], p["entity"], p["score"],
                                "similar to a known name but no given name or role word agrees")

    def _fuzzy_one(self, bi: int, ti: int, key: str, threshold: float, margin: float) -> dict[str, Any] | None:
        """A proposal for the word toks[ti] (its evidence None when nothing vouches for it yet),
        or None (recorded as a candidate when doubtful)."""
        target = self._fuzzy_target(bi, ti, key, threshold, margin)
        if target is None:
            return None
        score, ent, start_tok = target
        index = self.index
        block = self.blocks[bi]
        text, toks = block.text, block.toks
        original = toks[ti].text
        prev = toks[start_tok - 1].text.lower() if start_tok else ""
        nxt = toks[ti + 1].text.lower() if ti + 1 < len(toks) else ""
        if prev in ent.not_after or nxt in ent.not_before:
            return None
        if self._spelling_refused(bi, start_tok, ti + 1, ent, ent.short):
            return None
        if ent.type == "person" and gender_differs(key, index.folder.fold(ent.short)):
            self._candidate(bi, original, ent, score, "other gender form of the surname: a different person")
            return None
        proposal: dict[str, Any] = {
                    "block": bi, "start_tok": start_tok, "end_tok": ti + 1, "entity": ent, "score": round(score, 3),
                    "key": index.folder.fold(original), "original": text[toks[start_tok].start:toks[ti].end],
                    "replacement": ent.short, "evidence": None}
        if index.is_ambiguous(ent) and ent.topics and not set(ent.topics) & self.topics:
            self._candidate(bi, proposal["original"], ent, score, "document topic does not match the entity's")
            return None
        if ent.type == "person" and not self._fuzzy_person(proposal, score):
            return None
        if proposal["evidence"] or not ent.topics:  # no story to agree with: only a given name may vouch
            return proposal
        window = index.setting("cue_window")
        cue = index.cue_near(ent, text[max(0, toks[start_tok].start - window):toks[ti].end + window])
        if cue:
            proposal["evidence"] = f"role word {cue!r}"
        return proposal

    def _fuzzy_target(self, bi: int, ti: int, key: str, threshold: float,
                      margin: float) -> tuple[float, Entity, int] | None:
        """(score, entity, first token) of the known surname or place closest to toks[ti], when
        it reaches the threshold clear of the runner-up and its particles are in front."""
        ranked = self._fuzzy_ranked(bi, ti, key, threshold, margin)
        if not ranked or ranked[0][0] < threshold:
            return None
        toks = self.blocks[bi].toks
        score, ent, prefix = ranked[0]
        original = toks[ti].text
        if len(ranked) > 1 and score - ranked[1][0] < margin:
            self._candidate(bi, original, ent, score, f"as close to {ranked[1][1].id} ({ranked[1][0]:.2f})")
            return None
        start_tok = ti
        if prefix:  # multi-word surname: the words before must match exactly (von der ...)
            k = len(prefix)
            if ti - k < 0 or tuple(self.index.folder.fold(t.text) for t in toks[ti - k:ti]) != prefix:
                self._candidate(bi, original, ent, score, "surname particles do not match")
                return None
            start_tok = ti - k
        return score, ent, start_tok

    def _fuzzy_ranked(self, bi: int, ti: int, key: str, threshold: float,
                      margin: float) -> list[tuple[float, Entity, tuple]]:
        """The entities whose fuzzy keys are close to `key`, best first (one score each)."""
        index = self.index
        results = index.fuzzy_candidates(key, (threshold - margin) * 100)  # prepared by _fuzzy
        best: dict[str, tuple[float, Entity, tuple]] = {}
        toks = self.blocks[bi].toks
        for _, score, i in results:
            ent, prefix = index.fuzzy_meta[i]
            if prefix and tuple(index.folder.fold(t.text) for t in toks[max(0, ti - len(prefix)):ti]) != prefix:
                continue  # a multi-word surname whose particles are not there (bin Laden for von der Laien)
            score /= 100
            if ent.id not in best or score > best[ent.id][0] or (score == best[ent.id][0] and not prefix):
                best[ent.id] = (score, ent, prefix)
        return sorted(best.values(), key=lambda x: -x[0])

    def _fuzzy_person(self, proposal: dict[str, Any], score: float) -> bool:
        """Whether a person's surname may stand here: the given name in front joins the
        proposal (its evidence then set), or the surname may stand alone; False when it is
        another person's given name in front or a surname never matched alone (a candidate)."""
        bi, start_tok, ti = proposal["block"], proposal["start_tok"], proposal["end_tok"] - 1
        ent, index = proposal["entity"], self.index
        block = self.blocks[bi]
        text, toks = block.text, block.toks
        given = extend_given(text, toks, start_tok, ent, index.english, index, allow_fuzzy=True)
        if given.kind == "match" and given.layer == "transliterated" and not self._given_spelt_alike(given.word, ent):
            # a close surname and a given name with only the same key are two guesses (Sione
            # Takitaki is not Sanae Takaichi): another person's given name
            given = GivenResult("conflict", word=given.word)
        if given.kind == "conflict":
            self.conflicted.add(self._key(bi, start_tok, ti + 1))
            self._candidate(bi, f"{given.word} {proposal['original']}", ent, score,
                            f"preceded by another given name ({given.word})")
            return False
        if given.kind == "match":
            proposal.update(start_tok=given.start_tok, replacement=ent.canonical, evidence="given name",
                            original=text[toks[given.start_tok].start:toks[ti].end],
                            score=round(min(score, given.score), 3))
            return True
        if not ent.alone:
            self._candidate(bi, toks[ti].text, ent, score, "surname that is matched only after a given name")
            return False
        return True

    def _given_spelt_alike(self, written: str, ent: Entity) -> bool:
        """Whether a given name is spelt as close to one of the entity's listed given names as
        `given_threshold` (rapidfuzz ratio on folded forms)."""
        fold = self.index.folder.fold
        want = self.index.setting("given_threshold")
        return any(fuzz.ratio(fold(written), fold(g)) / 100 >= want for g in ent.given)
