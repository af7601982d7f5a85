"""Layers 1 and 2 of the names stage: known forms, letter for letter (exact) or folded
(normalised), with the given name in front; a form that cannot apply here is left as written
and recorded as a candidate, and one word in another spelling waits for the document to agree."""
from __future__ import annotations

import re

from normalise.names.document import PARTICLES
from normalise.names.gazetteer import Entity
from normalise.names.group_use import group_use
from normalise.names.index import Form
from normalise.names.matcher import GivenResult, Hit, extend_given, worst
from normalise.names.namesakes import NAMESAKE, given_names_only, office_near
from normalise.names.place_evidence import PlaceEvidence
from normalise.names.place_spelling import accents_only, nearby, other_name, possessive_name
from normalise.names.written import (
    alternate_as_common,
    alternate_as_english,
    as_english_writes,
    given_spelt_only,
    respelt,
    singular_of,
    zipf,
)


class KnownForms(PlaceEvidence):
    def _resolve(self, bi: int, hit: Hit) -> None:
        """Change a known form found by `scan` (or record why not)."""
        block = self.blocks[bi]
        original = block.text[block.toks[hit.start_tok].start:block.toks[hit.end_tok - 1].end]
        span_toks = range(hit.start_tok, hit.end_tok)
        covered_before = {t for t in span_toks if t in block.covered}
        option = self._one_option(bi, hit, original)
        if option is None:
            return
        form, given = option
        span = self._person_span(bi, hit, form, given, original)
        if span is None:
            return
        start_tok, method, score, replacement = span
        ent = form.entity
        written = original[:len(original) - hit.cut]
        if ent.type == "person" and start_tok == hit.start_tok and hit.end_tok - start_tok == 1 \
                and _particle_added(written, replacement) \
                and (group := group_use(block.text, block.toks, hit.end_tok, original, written)):
            self._cover(bi, start_tok, hit.end_tok)  # Houthi rebels: the group, not al-Houthi
            self._candidate(bi, original, ent, 1.0, group)
            return
        if ent.id in self.index.gazetteer.world_ids and as_english_writes(replacement) == written:
            replacement = written  # the canonical name as English writes it (Tamil Nadu, Ryazan): no change
        key = self._key(bi, hit.start_tok, hit.end_tok)
        evidence = _listed_evidence(hit, form, given if start_tok != hit.start_tok else None)
        doubt = self._needs_agreement(hit, form, written, replacement, start_tok) \
            or self._namesake_doubt(bi, hit, form, written)
        if doubt and key not in self._old_keys(ent):  # a dated old name has its own rule: Bombay
            self.awaiting_agreement.append({"block": bi, "start_tok": start_tok, "end_tok": hit.end_tok, "entity": ent,
                                 "replacement": replacement, "score": score, "cut": hit.cut, "evidence": None,
                                 "key": key, "listed": evidence, "doubt": doubt[0], "method": method,
                                 "country_vouches": doubt[1], "namesake": doubt[0].endswith(NAMESAKE),
                                 "nearby": self._accents_dropped(form, written, replacement),
                                 # what the hit's other forms covered as they were refused: free for this one
                                 "own_cover": {t for t in span_toks if t in block.covered} - covered_before})
            return
        self._add(bi, start_tok, hit.end_tok, ent, replacement, method, score,
                  key=key, has_given=start_tok != hit.start_tok or form.full, cut=hit.cut, evidence=evidence)

    def _needs_agreement(self, hit: Hit, form: Form, written: str, replacement: str,
                         start_tok: int) -> tuple[str, bool] | None:
        """Why a known form that changes the text stands only when the document agrees (names the
        entity otherwise, or a role word is near, or names a person or place of its country when
        the second item is True), or None when it needs no more: one word whose folded match
        changes more than case and diacritics (Huston for Houston; a country named vouches only
        for a word English never writes, Ilinois, not for a surname such as Heyward or Rainer),
        or a world place's alternate name that English writes nearly as often as the place's own
        name (Werder, Marca)."""
        if written == replacement:
            return None
        ent = form.entity
        one_word = start_tok == hit.start_tok and hit.end_tok - start_tok == 1
        if one_word and (hit.layer == "normalised" and all(respelt(written, name)
                                                            for name in (form.surface, *self._typed_forms(ent)))
                         or self._generated_spelling(form)):
            return "one word in another spelling of a known form", zipf(written) == 0
        if one_word and hit.layer == "normalised" and ent.type == "person":
            # the surname without its diacritics (Alvarez, Turk, Guler) is most often another
            # person's, who writes it so: the document must point to this one
            return "a surname without its diacritics", True
        if one_word and ent.type == "person" and _particle_added(written, replacement):
            # Sisi for el-Sisi: a bare word without the article, as a nickname or another name is
            return "a surname without its article", True
        if self._world_alternate(form) and alternate_as_common(written, replacement):
            return f"another name of the place that English writes nearly as often as {replacement!r}", True
        if self._world_alternate(form) and other_name(written, ent.canonical):
            return f"another name of {ent.canonical} that English writes and no other language does", True
        if self._accents_dropped(form, written, replacement):
            return f"{replacement!r} without its diacritics, as English writes other things of that name", True
        return None

    def _namesake_doubt(self, bi: int, hit: Hit, form: Form, written: str) -> tuple[str, bool] | None:
        """A whole name of given names in a generated spelling (Mohamed Mostafa for Mohammad
        Mustafa) with no office named next to it: most often a namesake's
        (`names.namesakes`); the document must point to this person."""
        ent, block = form.entity, self.blocks[bi]
        if ent.type != "person" or form.surface not in ent.generated or written == form.replacement \
                or not given_names_only(written.split(), self.index.folder.fold, self.index.given_owner):
            return None
        start, end = block.toks[hit.start_tok].start, block.toks[hit.end_tok - 1].end
        if office_near(block.text, start, end, self.index.setting("cue_window")):
            return None
        return f"a name of given names in a generated spelling, no office next to it: {NAMESAKE}", True

    def _accents_dropped(self, form: Form, written: str, replacement: str) -> bool:
        """A world-layer city's or region's name written without its diacritics (Bogota, the
        Chrysler Cordoba): `place_spelling.accents_only`."""
        ent = form.entity
        return ent.type == "place" and ent.kind in ("city", "subdivision") \
            and ent.id in self.index.gazetteer.world_ids and accents_only(written, replacement)

    def _typed_forms(self, ent: Entity) -> tuple[str, ...]:
        """A hand-typed entity's listed forms in any table (Kiew is a German form of Kyiv: KIEW
        in an English headline is that form in capitals); a world-layer entity's alternate names
        count only as the English table holds them (the selection leaves out Sophia for Sofia)."""
        if ent.id in self.index.gazetteer.world_ids:
            return ()
        return (ent.canonical, *ent.variants)

    def _one_option(self, bi: int, hit: Hit, original: str) -> tuple[Form, GivenResult | None] | None:
        """The one form of the hit that applies here, with the given name in front of it; None
        when none does, or several entities remain (then each is a candidate)."""
        block = self.blocks[bi]
        text, toks = block.text, block.toks
        prev = toks[hit.start_tok - 1].text.lower() if hit.start_tok else ""
        nxt = toks[hit.end_tok].text.lower() if hit.end_tok < len(toks) else ""
        options = []  # (form, given result)
        for form in hit.forms:
            ent = form.entity
            if self._form_refused(bi, hit, form, original, prev, nxt):
                continue
            given = (extend_given(text, toks, self._particle_start(bi, hit.start_tok, form.replacement), ent,
                                  self.index.english, self.index, allow_fuzzy=True)
                     if ent.type == "person" else None)
            if given is not None and given.kind == "match" and \
                    given_spelt_only(given.layer, original[:len(original) - hit.cut], self.index.setting("common_word_zipf")):
                given = GivenResult("conflict", word=given.word)  # Mick Johnson is not Mike Johnson
            options.append((form, given))
        if not options:
            return None
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
            return None
        return options[0]

    def _person_span(self, bi: int, hit: Hit, form: Form, given: GivenResult | None,
                     original: str) -> tuple[int, str, float, str] | None:
        """(first token, method, score, replacement) of the mention: the given name in front
        joins it; None when a person's surname cannot stand here (recorded as a candidate)."""
        ent = form.entity
        if form.full:
            return hit.start_tok, hit.layer, 1.0, form.replacement  # the whole name is there (Donald Trump)
        if given is not None and given.kind == "match":
            return given.start_tok, worst(hit.layer, given.layer), given.score, ent.canonical
        if ent.type != "person":
            return hit.start_tok, hit.layer, 1.0, form.replacement
        changes = original != form.replacement
        if not ent.alone:
            self._candidate(bi, original, ent, 1.0, "surname that is matched only after a given name")
        elif name := self._before_name(bi, hit.end_tok):
            self._cover(bi, hit.start_tok, hit.end_tok)
            self.before_name.update((bi, t) for t in range(hit.start_tok, hit.end_tok))
            if changes:
                self._candidate(bi, f"{original} {name}", ent, 1.0, f"followed by another name ({name})")
        elif given is not None and given.kind == "conflict":
            self.conflicted.add(self._key(bi, hit.start_tok, hit.end_tok))
            if changes:
                self._candidate(bi, f"{given.word} {original}", ent, 1.0, f"preceded by another given name ({given.word})")
            self._cover(bi, hit.start_tok, hit.end_tok)
        else:
            return hit.start_tok, hit.layer, 1.0, form.replacement
        return None

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
            reason = self._place_kept(bi, hit, ent, dated=form.context is None) \
                or self._english_word_form(bi, hit, form, original[:len(original) - hit.cut], prev == "the")
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

    def _english_word_form(self, bi: int, hit: Hit, form: Form, written: str, after_article: bool) -> str | None:
        """Why a place form stays as English writes it, if it does: the plural name without its
        -s (Philippine before a noun is the adjective); a world place's alternate name in a
        block that also writes the place's name (both names given, as for an old name:
        Ōtautahi/Christchurch), one that English writes about as often as the place's own name
        (Seville for Sevilla), or one of English words after "the" (`after_article`), not a
        country's: a nickname (the Big Apple, the Queen City)."""
        if singular_of(written, form.replacement):
            return f"{form.replacement} without its -s: the adjective or another word"
        if not self._world_alternate(form) or self._key(bi, hit.start_tok, hit.end_tok) in self._old_keys(form.entity):
            return None  # an old name has its dated rule (Calcutta)
        if re.search(r"\b" + re.escape(form.entity.canonical) + r"\b", self.blocks[bi].text):
            return f"the block also calls it {form.entity.canonical}: this name is meant"  # Ōtautahi/Christchurch
        if possessive_name(written, form.entity.canonical):
            return "another name of the place ending in a possessive: an institution's or a person's"
        if alternate_as_english(written, form.replacement):
            return f"another name of the place that English writes about as often as {form.replacement!r}: as written"
        if after_article and form.entity.kind != "country" and all(w.lower() in self.index.common_english
                                                                    for w in written.split()):
            return f"'the' and English words: a nickname or another name, not {form.replacement}"
        return None

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

    def _generated_spelling(self, form: Form) -> bool:
        """A world-layer person's one-word form in another spelling than the surname (Miley for
        Milei, Batch for Bach, Kalyn for Kalın): made by transliteration rules, not seen in
        print: the document must agree, as for a folded spelling (Khavier Miley ... Miley is
        Milei; Miley Cyrus is not)."""
        ent = form.entity
        head, dash, rest = ent.short.partition("-")
        bare = rest if dash and head.lower() in PARTICLES else ent.short  # Houthi is al-Houthi's
        return ent.type == "person" and ent.id in self.index.gazetteer.world_ids and " " not in form.surface \
            and respelt(form.surface, bare)

    @staticmethod
    def _world_alternate(form: Form) -> bool:
        """A world-layer place's alternate name (another language's, a nickname: Thorn for
        Toruń, Kyle for Kiel), not its canonical name with or without diacritics nor a former
        name: its letters prove no more in English text than a folded spelling does."""
        ent = form.entity
        return ent.type == "place" and bool(ent.kind) and respelt(form.surface, ent.canonical) \
            and all(form.surface != name for name, _ in ent.former)

    def _settle_awaiting(self) -> None:
        """Accept the known forms that waited for the document to agree (`_needs_agreement`),
        now that every block's letter-for-letter mentions are known; the rest are candidates."""
        named = self._named_ids()
        countries = self._countries_named()
        window = self.index.setting("cue_window")
        for p in self.awaiting_agreement:
            block, ent = self.blocks[p["block"]], p["entity"]
            start, end = block.toks[p["start_tok"]].start, block.toks[p["end_tok"] - 1].end
            cue = self.index.cue_near(ent, block.text[max(0, start - window):end + window])
            # a namesake's name words (Mustafa Mohamed beside Mohamed Mostafa) vouch for no one
            evidence, refusal = self._agreement(p, named, countries if not p.get("namesake") else
                                                self._countries_named(but=ent), cue)
            if evidence is None:
                self._candidate(p["block"], block.text[start:end - p["cut"]], p["entity"], p["score"], refusal)
                continue
            p["evidence"] = evidence
            block.covered.difference_update(p["own_cover"])
            self._accept(p, p["method"])

    def _countries_named(self, but: Entity | None = None) -> set[str]:
        """The countries of the document's mentions (of entities other than `but`). A surname
        right after another person's given name (Julián Álvarez) names no country of its own; a
        name word before another capitalised word (Mustafa Abu Taha) still tells which part of
        the world the story's people are from."""
        return {m.entity.country for m in self.mentions if m.entity.country and m.entity is not but
                and not (m.end_tok - m.start_tok == 1 and self._after_name_word(m.block, m.start_tok))}

    @staticmethod
    def _agreement(p: dict, named: set[str], countries: set[str], cue: str | None) -> tuple[str | None, str]:
        """The evidence that the document agrees with a waiting form (None when it does not)
        and, when it does not, why."""
        ent, listed = p["entity"], p["listed"]
        if ent.id in named:
            return f"{listed}; entity named elsewhere in the document", ""
        if ent.country in countries and p["country_vouches"]:
            return f"{listed}; the document names {ent.country}", ""
        if p["nearby"] and (near := _nearby_named(ent.country, countries)):
            return f"{listed}; the document names {near}, near {ent.country}", ""
        if cue:
            return f"{listed}; role word {cue!r}", ""
        return None, f"{p['doubt']}: nothing in the document agrees"


def _nearby_named(country: str, countries: set[str]) -> str | None:
    """One of `countries` near `country` (`place_spelling.nearby`), if any (sorted: the same one
    each run)."""
    return next((c for c in sorted(countries) if c in nearby(country)), None) if country else None


def _particle_added(written: str, replacement: str) -> bool:
    """Whether the replacement is the written word with a particle in front (Sisi: el-Sisi)."""
    head, _, rest = replacement.partition("-")
    return rest == written and head.lower() in PARTICLES


def _listed_evidence(hit: Hit, form: Form, given: GivenResult | None) -> str:
    """The evidence of a known form (`given`: the given name that joined it, if one did)."""
    evidence = "listed form" if hit.layer == "exact" else "listed form, folded spelling"
    if given is not None:
        evidence += f", given name {given.word!r}" + ("" if given.layer in ("exact", "normalised")
                                                      else f" ({given.layer})")
    if form.context is not None:
        evidence += ", modern context"
    return evidence
