"""Unify the names of one document's English blocks, in layers, with the document as context.

1. exact / normalised: known Latin-script forms (longest match), then the given name in
   front (Volodimir Zelenski -> Volodymyr Zelenskyy). A surname after someone else's given
   name, a surname that must not stand alone, and context-only forms whose context is
   missing are left unchanged and reported as candidates.
2. fuzzy: capitalised unknown tokens close to a known surname or place (rapidfuzz ratio on
   folded forms, above the measured threshold, clear of the runner-up) are changed only
   when the document's topic is the entity's and the given name or a role word agrees;
   a spelling accepted that way is accepted elsewhere in the same document too.
Everything doubtful is a candidate (original, entity_id, canonical, score, reason, block).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from normalise.names.gazetteer import Entity
from normalise.names.index import Form, NameIndex
from normalise.names.keys import consonants, skeleton
from normalise.names.matcher import Hit, extend_given, scan, scan_keys, worst
from normalise.names.ordinary import OrdinaryWords, doubtful_word
from normalise.names.text import Token, is_latin, tokenize, words_of
from normalise.names.written import folded_refusal, respelt, unknown_word_close
from normalise.record import NameChange


@dataclass
class Mention:
    block: int
    start_tok: int
    end_tok: int
    entity: Entity
    replacement: str
    method: str
    score: float
    key: str = ""  # folded surname as written, to spot another person of that name
    has_given: bool = False
    cut: int = 0  # characters at the end of the last token that stay (a genitive -s)
    evidence: str = ""


@dataclass
class _Block:
    text: str
    words: list[str]  # the tokens' texts; most blocks hold no name and never need the tokens
    covered: set[int] = field(default_factory=set)
    _toks: list[Token] | None = None

    @property
    def toks(self) -> list[Token]:
        if self._toks is None:
            self._toks = tokenize(self.text)
        return self._toks


class DocumentUnifier:
    def __init__(self, index: NameIndex, texts: list[str], *, fuzzy: bool = True):
        self.index = index
        self.use_fuzzy = fuzzy
        self.texts = texts
        self.blocks = [_Block(t, words_of(t)) for t in texts]
        self.doc_lower = "\n".join(texts).lower()
        self.mentions: list[Mention] = []
        self.candidates: list[dict] = []
        self.topics: set[str] = set()
        self.countries: set[str] = set()  # countries of the entities the document names unambiguously
        self.people_countries: dict[int, set[str]] = {}  # ... of the people each block names
        self.block_countries: dict[int, set[str]] = {}  # ... per block
        # surnames written after someone else's given name in this document: another person
        # of that name is in the story, so the bare surname is ambiguous here
        self.conflicted: set[str] = set()
        self.ordinary = OrdinaryWords([b.words for b in self.blocks])
        # mentions with a letter that is also a word (Wang I in "Mr Wang I think"): kept when
        # the document names the entity otherwise or a role word stands by (names.ordinary)
        self.doubtful: list[tuple[Mention, str]] = []
        # one word that is a known form only in another spelling (Huston, Tallon, Duke): it
        # stands when the document names the entity otherwise or a role word of it is near
        self.respelt: list[dict[str, Any]] = []

    # -- public -----------------------------------------------------------------------------
    def run(self) -> tuple[list[tuple[str, list[NameChange]]], list[dict]]:
        index = self.index
        hits = [scan(b.text, b.toks, index.english, index, latin_only=True) if index.may_start_english(b.words) else []
                for b in self.blocks]
        self.topics = self._doc_topics(hits)
        self.countries = self._doc_countries(hits)
        for bi, block_hits in enumerate(hits):
            for hit in block_hits:
                self._resolve(bi, hit)
        self._settle_respelt()
        if self.use_fuzzy:
            self._transliterated()
            self._fuzzy()
        self._settle_doubtful()
        self._drop_ambiguous_surnames()
        by_block: dict[int, list[Mention]] = {}
        for m in self.mentions:
            by_block.setdefault(m.block, []).append(m)
        return [self._rewrite(bi, by_block.get(bi, [])) for bi in range(len(self.blocks))], self.candidates

    # -- layers 1 and 2: known forms --------------------------------------------------------
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
                if len(ents) == 1:
                    ent = next(iter(ents.values()))
                    if ent.country:
                        found.add(ent.country)
                        self.block_countries.setdefault(bi, set()).add(ent.country)
                        if ent.type == "person":
                            self.people_countries.setdefault(bi, set()).add(ent.country)
        return found

    def _old_name(self, bi: int, s: int, e: int, ent: Entity) -> str | None:
        """Why an old name of a place stays as written: the block names the place by its new name
        too (Canton, now Guangzhou: the old name is meant); or it was renamed long ago and the
        block names no person of that country (history; German news still writes Peking for
        today's city, next to today's people)."""
        key = self._key(bi, s, e)
        if key in self._old_keys(ent) and re.search(r"\b" + re.escape(ent.canonical) + r"\b", self.blocks[bi].text):
            return f"the block also calls it {ent.canonical}: the old name is meant"
        year = self.index.old_names.get((ent.id, key))
        if year is None or ent.country in self.people_countries.get(bi, ()):
            return None
        return f"old name, changed in {year}: history unless the paragraph names someone of {ent.country}"

    def _old_keys(self, ent: Entity) -> set[str]:
        fold = self.index.folder.fold
        return {" ".join(fold(w) for w in name.split()) for name, _ in ent.former}

    def _rank_places(self, options: list, original: str, bi: int) -> list:
        """Places sharing a form (Odessa: Odesa, Ukraine and Odessa, Texas): the one in a country
        the block names, else the document; else the one the text names by its own canonical
        name (no change); else the far most populous one; else all of them (a candidate)."""
        ents = {o[0].entity.id: o[0].entity for o in options}
        towns = self.index.towns
        if len(ents) > 1 and any(i not in towns for i in ents) and \
                not any(e.country in self.countries for i, e in ents.items() if i in towns):
            # a small town shares the name of a better-known entity, and nothing points to the town
            options = [o for o in options if o[0].entity.id not in towns]
            ents = {i: e for i, e in ents.items() if i not in towns}
        if len(ents) < 2 or any(e.type != "place" for e in ents.values()):
            return options
        local: list[Entity] = []
        for countries in (self.block_countries.get(bi, set()), self.countries):
            local = [e for e in ents.values() if e.country in countries]
            if len(local) == 1:
                return [o for o in options if o[0].entity is local[0]]
        named = [e for e in (local or ents.values()) if e.canonical == original]
        if len(named) == 1:
            return [o for o in options if o[0].entity is named[0]]
        if local:
            return options
        by_pop = sorted(ents.values(), key=lambda e: -e.population)
        if by_pop[0].population >= self.index.setting("place_population_ratio") * max(1, by_pop[1].population):
            return [o for o in options if o[0].entity is by_pop[0]]
        return options

    def _form_refused(self, bi: int, hit: Hit, form: Form, original: str, prev: str, nxt: str) -> bool:
        """Whether this form cannot apply here (recorded as a candidate when doubtful)."""
        ent = form.entity
        if (prev and prev in ent.not_after) or (nxt and nxt in ent.not_before):
            self._cover(bi, hit.start_tok, hit.end_tok)
            return True
        if original != form.replacement and self._judged_by_spelling(bi, hit, form, original) and \
                self._spelling_refused(bi, hit.start_tok, hit.end_tok, ent, form.replacement):
            return True
        if ent.type == "place" and original != form.replacement:
            reason = self._place_kept(bi, hit, ent, dated=form.context is None)
            if reason:
                self._cover(bi, hit.start_tok, hit.end_tok)
                self._candidate(bi, original, ent, 1.0, reason)
                return True
        elif ent.type == "place" and self._historical(bi, hit.start_tok, hit.end_tok):
            return True  # a place name inside a longer name (Vladimir Medinsky): the words stay free
        if form.context is not None:
            reason = self._context_allows(form, self.blocks[bi].text)
            if reason:
                self._candidate(bi, original, ent, 0.0, reason)
                return True
        return False

    def _judged_by_spelling(self, bi: int, hit: Hit, form: Form, original: str) -> bool:
        """Whether the written form's letters prove no more than a close spelling: a folded
        match, or a world-layer place's alternate name. A hand-typed form in capitals (KIEV in a
        dateline) is that form (a world form in capitals may be an acronym: JAMA is not Jama);
        an old name has its dated rule (Calcutta)."""
        world_alternate = self._world_alternate(form)
        if hit.layer == "exact" and not world_alternate:
            return False
        if original.isupper() and original.casefold() == form.surface.casefold() \
                and form.entity.id not in self.index.gazetteer.world_ids:
            return False
        return self._key(bi, hit.start_tok, hit.end_tok) not in self._old_keys(form.entity)

    @staticmethod
    def _world_alternate(form: Form) -> bool:
        """A world-layer place's alternate name (another language's, a nickname: Thorn for
        Toruń, Kyle for Kiel), not its canonical name with or without diacritics nor a former
        name: its letters prove no more in English text than a folded spelling does."""
        ent = form.entity
        return ent.type == "place" and bool(ent.kind) and respelt(form.surface, ent.canonical) \
            and all(form.surface != name for name, _ in ent.former)

    def _spelling_refused(self, bi: int, s: int, e: int, ent: Entity, target: str) -> bool:
        """A mention that only a close spelling makes `target` and that reads as something else
        (an acronym, a short fragment, a more frequent English word: names.written) stays as
        written, recorded as a candidate."""
        block = self.blocks[bi]
        why = folded_refusal(block.text, block.toks, s, e, target, place=ent.type == "place",
                             min_letters=self.index.setting("world_min_letters"),
                             common_zipf=self.index.setting("common_word_zipf"))
        if why:
            self._cover(bi, s, e)
            self._candidate(bi, block.text[block.toks[s].start:block.toks[e - 1].end], ent, 0.0, why)
        return why is not None

    def _closest_form(self, bi: int, written: str, forms: list[Form]) -> tuple[Form | None, float]:
        """Of the forms sharing a transliteration key, the one spelt most like the text, when it
        is clear of the other entities' by the fuzzy margin (Mertz: Merz, not Morsi)."""
        fold = self.index.folder.fold
        best: dict[str, tuple[float, Form]] = {}
        for f in forms:
            score = fuzz.ratio(fold(written), fold(f.surface)) / 100
            if f.entity.id not in best or score > best[f.entity.id][0]:
                best[f.entity.id] = (score, f)
        ranked = sorted(best.values(), key=lambda x: -x[0])
        if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < self.index.setting("fuzzy_margin"):
            for _, f in ranked:
                self._candidate(bi, written, f.entity, 0.0, "transliteration key shared by several entities")
            return None, 0.0
        return ranked[0][1], ranked[0][0]

    def _particle_start(self, bi: int, s: int, replacement: str) -> int:
        """The mention's first token, taking in a particle the replacement starts with when the
        text has it in front (al-Bourhane -> al-Burhan, not al-al-Burhan)."""
        head, dash, _ = replacement.partition("-")
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        if dash and s and head.lower() in _PARTICLES and toks[s - 1].text.lower() in _PARTICLES \
                and text[toks[s - 1].end:toks[s].start] == "-":  # es-Sisi -> el-Sisi too
            return s - 1
        return s

    def _place_kept(self, bi: int, hit: Hit, ent: Entity, *, dated: bool) -> str | None:
        """Why a place form that would change stays as written here, if it does (`dated`: the
        dates of renames apply; a context-only form has its own rule)."""
        s, e = hit.start_tok, hit.end_tok
        reason = self._historical(bi, s, e) or (self._old_name(bi, s, e, ent) if dated else None)
        if reason:
            return reason
        given_word = self._after_given_name(bi, s)
        if given_word:
            return f"after a person's given name ({given_word}): part of a name"
        if self._after_unknown_name(bi, s):
            return "after an unknown capitalised word: part of a longer name"
        return None

    def _after_unknown_name(self, bi: int, s: int) -> bool:
        """A capitalised word that is no known name, title or word, inside a sentence, right in
        front of a place form (Samus Aran, Anjelica Huston): the words are someone's name."""
        if s < 2:
            return False
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        prev = toks[s - 1]
        if text[prev.end:toks[s].start] != " " or not prev.capitalised or prev.text.isupper():
            return False
        if _SENTENCE_START.search(text[toks[s - 2].end:prev.start]):
            return False
        low, index = prev.text.lower(), self.index
        return not (low in index.common or low in index.common_english or index.is_title(prev.text)
                    or index.folder.fold(prev.text) in index.known_folds)

    def _after_given_name(self, bi: int, s: int) -> str | None:
        """A known given name in front of a place form (particles skipped): the words are a
        person's name (Ursula von der Leyden, Luiz Inácio Lula), not the place."""
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        i = s - 1
        while i >= 0 and toks[i].text.lower() in _PARTICLES and text[toks[i].end:toks[i + 1].start] == " ":
            i -= 1
        if i < 0 or i == s - 1 and text[toks[i].end:toks[s].start] != " ":
            return None
        prev = toks[i]
        if prev.capitalised and self.index.folder.fold(prev.text) in self.index.given_owner:
            return prev.text
        return None

    def _before_name(self, bi: int, e: int) -> str | None:
        """A known person's name word right after a surname (Michał Tusk): the surname form
        is someone's given name here."""
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        if e >= len(toks) or text[toks[e - 1].end:toks[e].start] != " " or not toks[e].capitalised:
            return None
        nxt = toks[e].text
        low = nxt.lower()
        if low in self.index.common or low in self.index.common_english or self.index.is_title(nxt):
            return None
        return nxt if self.index.folder.fold(nxt) in self.index.person_folds else None

    def _context_allows(self, form: Form, block_text: str) -> str | None:
        """None if a context-only form applies here, else the reason it does not."""
        cv = form.context
        if cv is None:
            return None
        if cv.require_any and not any(re.search(r"\b" + re.escape(w) + r"\b", self.doc_lower) for w in cv.require_any):
            return "context-only form without the modern context it needs"
        low = block_text.lower()
        near = [w for w in cv.block_near if re.search(r"\b" + re.escape(w) + r"\b", low)]
        if near:
            return f"context-only form next to {near[0]!r} (historical or other sense)"
        return None

    def _resolve(self, bi: int, hit: Hit) -> None:
        block = self.blocks[bi]
        text, toks = block.text, block.toks
        prev = toks[hit.start_tok - 1].text.lower() if hit.start_tok else ""
        nxt = toks[hit.end_tok].text.lower() if hit.end_tok < len(toks) else ""
        original = text[toks[hit.start_tok].start:toks[hit.end_tok - 1].end]
        options = []  # (form, given result)
        for form in hit.forms:
            ent = form.entity
            if self._form_refused(bi, hit, form, original, prev, nxt):
                continue
            given = (extend_given(text, toks, self._particle_start(bi, hit.start_tok, form.replacement), ent,
                                  self.index.english, self.index, allow_fuzzy=True)
                     if ent.type == "person" else None)
            options.append((form, given))
        if not options:
            return
        with_given = [o for o in options if o[1] is not None and o[1].kind == "match"]
        if len(with_given) == 1:
            options = with_given
        contextual = [o for o in options if o[0].context is not None]
        if contextual and len(options) > 1:
            options = contextual  # the context said yes: the modern sense wins over the historical
        options = self._rank_places(options, original, bi)
        if len({o[0].entity.id for o in options}) > 1:
            for form, _ in options:
                self._candidate(bi, original, form.entity, 1.0, "form shared by several entities")
            return
        form, given = options[0]
        ent = form.entity
        start_tok, method, score, replacement = hit.start_tok, hit.layer, 1.0, form.replacement
        if form.full:
            pass  # the whole name is already there (Donald Trump, Ciragan Palace)
        elif given is not None and given.kind == "match":
            start_tok, method, score = given.start_tok, worst(hit.layer, given.layer), given.score
            replacement = ent.canonical
        elif ent.type == "person" and not ent.alone:
            self._candidate(bi, original, ent, 1.0, "surname that is matched only after a given name")
            return
        elif ent.type == "person" and (name := self._before_name(bi, hit.end_tok)):
            self._cover(bi, hit.start_tok, hit.end_tok)
            if original != replacement:
                self._candidate(bi, f"{original} {name}", ent, 1.0, f"followed by another name ({name})")
            return
        elif given is not None and given.kind == "conflict":
            self.conflicted.add(self._key(bi, hit.start_tok, hit.end_tok))
            if original != replacement:
                self._candidate(bi, f"{given.word} {original}", ent, 1.0, f"preceded by another given name ({given.word})")
            self._cover(bi, hit.start_tok, hit.end_tok)
            return
        evidence = "listed form" if hit.layer == "exact" else "listed form, folded spelling"
        if start_tok != hit.start_tok and given is not None:
            evidence += f", given name {given.word!r}" + ("" if given.layer in ("exact", "normalised")
                                                          else f" ({given.layer})")
        if form.context is not None:
            evidence += ", modern context"
        if hit.layer == "normalised" and start_tok == hit.start_tok and hit.end_tok - start_tok == 1 \
                and respelt(original[:len(original) - hit.cut], form.surface) \
                and self._key(bi, hit.start_tok, hit.end_tok) not in self._old_keys(ent):
            # (a dated old name has its own rule: Bombay is Mumbai in any current story)
            self.respelt.append({"block": bi, "start_tok": start_tok, "end_tok": hit.end_tok, "entity": ent,
                                 "replacement": replacement, "score": score, "cut": hit.cut, "evidence": None,
                                 "key": self._key(bi, hit.start_tok, hit.end_tok)})
            return
        self._add(bi, start_tok, hit.end_tok, ent, replacement, method, score,
                  key=self._key(bi, hit.start_tok, hit.end_tok), has_given=start_tok != hit.start_tok or form.full,
                  cut=hit.cut, evidence=evidence)

    def _settle_respelt(self) -> None:
        named = {m.entity.id for m in self.mentions}
        countries = {m.entity.country for m in self.mentions if m.entity.country}
        window = self.index.setting("cue_window")
        for p in self.respelt:
            block, ent = self.blocks[p["block"]], p["entity"]
            start, end = block.toks[p["start_tok"]].start, block.toks[p["end_tok"] - 1].end
            cue = self.index.cue_near(ent, block.text[max(0, start - window):end + window])
            if ent.id in named:
                p["evidence"] = "listed form, folded spelling; entity named elsewhere in the document"
            elif ent.country in countries:
                p["evidence"] = f"listed form, folded spelling; the document names {ent.country}"
            elif cue:
                p["evidence"] = f"listed form, folded spelling; role word {cue!r}"
            else:
                self._candidate(p["block"], block.text[start:end - p["cut"]], p["entity"], p["score"],
                                "one word in another spelling of a known form: nothing in the document agrees")
                continue
            self._accept(p, "normalised")

    def _historical(self, bi: int, s: int, e: int) -> str | None:
        """Why an old or foreign name of a place is left alone here, if it is: it follows
        "Battle of", "Siege of", "Grand Prince of" ... (history), or a capitalised word follows
        it within the name (Odessa Steps, Peking University, Leningrad Oblast: another name)."""
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        before = tuple(t.text.lower() for t in toks[max(0, s - 3):s])
        for phrase in self.index.history_before:
            if before[-len(phrase):] == phrase:
                return f"historical name ({' '.join(phrase)} ...)"
        if s >= 2 and toks[s - 1].text in _PARTICLES and toks[s - 2].capitalised:
            return f"part of a longer name ({text[toks[s - 2].start:toks[e - 1].end]})"  # Costa del Sol
        if e < len(toks):
            nxt, last = toks[e], toks[e - 1]
            headline = last.text.isupper() and nxt.text.isupper()
            if nxt.capitalised and text[last.end:nxt.start] == " " and not headline:
                return f"part of a longer name ({text[toks[s].start:nxt.end]})"
        return None

    def _key(self, bi: int, s: int, e: int) -> str:
        fold = self.index.folder.fold
        return " ".join(fold(t.text) for t in self.blocks[bi].toks[s:e])

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

    # -- layer 3: transliteration keys -------------------------------------------------------
    def _transliterated(self) -> None:
        """Unknown capitalised words whose transliteration keys equal a known form's
        (names.keys): accepted with a matching given name, or alone when the entity is already
        named in the document, a role word of it is near, or the name is long and distinctive;
        otherwise a candidate."""
        index = self.index
        pending: list[dict[str, Any]] = []
        first = index.key_first
        for bi, block in enumerate(self.blocks):
            # only a capitalised word whose key (or genitive stem's key) starts a known key can
            # start a hit: most blocks have none, and the rest few
            starts = [ti for ti, w in enumerate(block.words) if w[:1].isupper() and _may_start_key(w, first)]
            if not starts:
                continue
            toks = block.toks
            for ti in starts:
                word = toks[ti].text
                if ti in block.covered or not is_latin(word):
                    continue
                low = word.lower()
                if (low in index.common or index.is_title(word) or index.folder.fold(word) in index.known_folds
                        or low in index.common_english):
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
        named = {m.entity.id for m in self.mentions}
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
        form, score = self._closest_form(bi, written, forms)
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
            if given.kind == "match":
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

    # -- layer 4: guarded fuzzy -------------------------------------------------------------
    def _fuzzy(self) -> None:
        index = self.index
        threshold = index.setting("fuzzy_threshold")
        margin = index.setting("fuzzy_margin")
        min_len = index.setting("min_fuzzy_length")
        fuzzy_key = index.fuzzy_key
        # The words to look at, in document order (a word covered by a match made meanwhile is
        # skipped when its turn comes), and rapidfuzz's answers for all of them in one call.
        todo = [(bi, ti, key) for bi, block in enumerate(self.blocks) for ti, word in enumerate(block.words)
                if word[0].isupper() and (key := fuzzy_key(word, min_len))]
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
        ranked = sorted(best.values(), key=lambda x: -x[0])
        if not ranked or ranked[0][0] < threshold:
            return None
        block = self.blocks[bi]
        text, toks = block.text, block.toks
        score, ent, prefix = ranked[0]
        original = toks[ti].text
        if len(ranked) > 1 and score - ranked[1][0] < margin:
            self._candidate(bi, original, ent, score, f"as close to {ranked[1][1].id} ({ranked[1][0]:.2f})")
            return None
        start_tok = ti
        if prefix:  # multi-word surname: the words before must match exactly (von der ...)
            k = len(prefix)
            if ti - k < 0 or tuple(index.folder.fold(t.text) for t in toks[ti - k:ti]) != prefix:
                self._candidate(bi, original, ent, score, "surname particles do not match")
                return None
            start_tok = ti - k
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
        if ent.type == "person":
            given = extend_given(text, toks, start_tok, ent, index.english, index, allow_fuzzy=True)
            if given.kind == "conflict":
                self.conflicted.add(self._key(bi, start_tok, ti + 1))
                self._candidate(bi, f"{given.word} {proposal['original']}", ent, score,
                                f"preceded by another given name ({given.word})")
                return None
            if given.kind == "match":
                proposal.update(start_tok=given.start_tok, replacement=ent.canonical, evidence="given name",
                                original=text[toks[given.start_tok].start:toks[ti].end],
                                score=round(min(score, given.score), 3))
                return proposal
            if not ent.alone:
                self._candidate(bi, original, ent, score, "surname that is matched only after a given name")
                return None
        if not ent.topics:  # no story to agree with: only a given name may vouch
            return proposal
        window = index.setting("cue_window")
        cue = index.cue_near(ent, text[max(0, toks[start_tok].start - window):toks[ti].end + window])
        if cue:
            proposal["evidence"] = f"role word {cue!r}"
        return proposal

    def _accept(self, p: dict[str, Any], method: str = "fuzzy") -> None:
        if self._overlaps(p):
            return
        self._add(p["block"], p["start_tok"], p["end_tok"], p["entity"], p["replacement"], method, p["score"],
                  key=p["key"], has_given=p["evidence"] == "given name", cut=p.get("cut", 0),
                  evidence=p["evidence"] or "")

    def _overlaps(self, p: dict) -> bool:
        covered = self.blocks[p["block"]].covered
        return any(t in covered for t in range(p["start_tok"], p["end_tok"]))

    # -- bookkeeping ------------------------------------------------------------------------
    def _cover(self, bi: int, s: int, e: int) -> None:
        self.blocks[bi].covered.update(range(s, e))

    def _add(self, bi: int, s: int, e: int, ent: Entity, replacement: str, method: str, score: float,
             key: str = "", has_given: bool = False, cut: int = 0, evidence: str = "") -> None:
        s = self._particle_start(bi, s, replacement)
        self._cover(bi, s, e)
        mention = Mention(bi, s, e, ent, replacement, method, score, key, has_given, cut, evidence)
        block = self.blocks[bi]
        doubt = doubtful_word(block.text, block.toks, s, e, _canonical_words(ent.canonical), self.ordinary, cut)
        if doubt is None:
            self.mentions.append(mention)
        elif doubt.refused:
            self._candidate(bi, self._written(mention), ent, score, f"{doubt.word!r}: {doubt.refused}")
        else:
            self.doubtful.append((mention, doubt.word))

    def _settle_doubtful(self) -> None:
        """A mention holding a single letter that is also a word (Wang I) stands when the
        document names the entity by another mention, or a role word of the entity stands right
        in front of it or in an apposition after it; else it is a candidate."""
        named = {m.entity.id for m in self.mentions}
        for m, word in self.doubtful:
            why = "entity named elsewhere in the document" if m.entity.id in named else self._role_next_to(m)
            if why:
                m.evidence = f"{m.evidence}; {word!r} read as part of the name: {why}"
                self.mentions.append(m)
            else:
                self._candidate(m.block, self._written(m), m.entity, m.score,
                                f"{word!r} is also a word: no other mention or role word vouches for the name")

    def _role_next_to(self, m: Mention) -> str | None:
        block = self.blocks[m.block]
        toks, text = block.toks, block.text
        start, end = toks[m.start_tok].start, toks[m.end_tok - 1].end
        before = text[toks[max(0, m.start_tok - 3)].start:start] if m.start_tok else ""
        before = _CLAUSE_END.split(before)[-1]
        after = _APPOSITION.match(text, end)
        for part in (before, after.group(1) if after else ""):
            cue = self.index.cue_near(m.entity, part)
            if cue:
                return f"role word {cue!r}"
        return None

    def _written(self, m: Mention) -> str:
        toks = self.blocks[m.block].toks
        return self.blocks[m.block].text[toks[m.start_tok].start:toks[m.end_tok - 1].end - m.cut]

    def _candidate(self, bi: int, original: str, ent: Entity, score: float, reason: str) -> None:
        self.candidates.append({"original": original, "entity_id": ent.id, "canonical": ent.canonical,
                                "score": round(float(score), 3), "reason": reason, "block": bi})

    def _rewrite(self, bi: int, mentions: list[Mention]) -> tuple[str, list[NameChange]]:
        block = self.blocks[bi]
        if not mentions:
            return block.text, []
        text, toks = block.text, block.toks
        out, changes, pos, shift = [], [], 0, 0
        for m in sorted(mentions, key=lambda m: m.start_tok):
            start, end = toks[m.start_tok].start, toks[m.end_tok - 1].end - m.cut
            original = text[start:end]
            replacement = in_case_of(original, m.replacement)
            if original == replacement:
                continue
            out.append(text[pos:start])
            new_start = start + shift
            out.append(replacement)
            changes.append(NameChange(original=original, canonical=replacement, entity_id=m.entity.id,
                                      start=new_start, end=new_start + len(replacement), method=m.method,
                                      score=m.score, evidence=m.evidence or None))
            shift += len(replacement) - (end - start)
            pos = end
        out.append(text[pos:])
        return "".join(out), changes


# Lower-case words inside a person's name (Ursula von der Leyen, Lula da Silva, Mohammed bin Salman)
_PARTICLES = frozenset({"von", "der", "den", "van", "de", "da", "do", "dos", "das", "del", "della", "di", "du", "le",
                        "la", "al", "el", "es", "ash", "as", "ad", "an", "ar", "at", "az", "bin", "ibn", "ben", "bint",
                        "abu"})


_CLAUSE_END = re.compile(r"[.!?;:]")
_SENTENCE_START = re.compile(r"[.!?:;\"“”«»(\[]")  # between two words: the second opens a sentence or clause
_APPOSITION = re.compile(r",([^,.;:!?]*)")  # ", China's foreign minister," after a name


def _canonical_words(canonical: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in words_of(canonical))


def in_case_of(original: str, replacement: str) -> str:
    """The replacement in the case of the words it replaces: a headline in capitals stays in
    capitals (SELENSKYJ -> ZELENSKYY), everything else takes the canonical form's case."""
    letters = [ch for ch in original if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return replacement.upper()
    return replacement


def _may_start_key(word: str, first: set[str]) -> bool:
    """Whether `scan_keys` or a genitive (`_key_genitive`) could find a form at this word."""
    return skeleton(word) in first or (len(word) >= 5 and word[-1] == "s" and skeleton(word[:-1]) in first)


def gender_differs(a: str, b: str) -> bool:
    """Slavic surnames: Peskova is not Peskov, Zelenska is not Zelenskyy (-a marks the feminine)."""
    return a.endswith("a") != b.endswith("a")
