"""Rules for place names: dated renames (an old name is history or meant), places sharing a name
ranked by the countries the document names and by population, and a place form that is part of
someone's name or a longer name."""
from __future__ import annotations

import re

from normalise.names.evidence import MentionEvidence
from normalise.names.gazetteer import Entity
from normalise.names.matcher import Hit

_WORD = re.compile(r"\w+")
_SENTENCE_OPENS = re.compile(r"[.!?:;\"“”«»(\[/|]")  # between two words: the second opens a sentence or a line
_COMMA_APPOSITION = re.compile(r", ?")  # Sarkh, Logar
_ARTICLES = frozenset({"A", "An", "The"})  # opening a sentence: "A Chrysler Cordoba sold"
_WHO_AFTER = re.compile(r",\s*who\b")  # Sinder, who ...: the relative pronoun of a person


class PlaceEvidence(MentionEvidence):
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
        if len({e.canonical for e in local}) == 1:
            # places of one name in the named country (San José: the city and its province): the
            # text reads the same whichever is meant; the most populous stands for them
            first = max(local, key=lambda e: e.population)
            return [o for o in options if o[0].entity is first]
        if local:
            return options
        by_pop = sorted(ents.values(), key=lambda e: -e.population)
        if by_pop[0].population >= self.index.setting("place_population_ratio") * max(1, by_pop[1].population):
            return [o for o in options if o[0].entity is by_pop[0]]
        return options

    def _longer_than_canonical(self, bi: int, s: int, e: int, ent: Entity) -> str | None:
        """A form that holds the place's canonical name and more words (Gaza City, State of
        Israel, Washington D.C.) is a longer name of it that English writes as such: it stays."""
        toks = self.blocks[bi].toks
        written = [t.text.casefold() for t in toks[s:e]]
        canonical = _WORD.findall(ent.canonical.casefold())
        n = len(canonical)
        if len(written) > n and any(written[i:i + n] == canonical for i in range(len(written) - n + 1)):
            return f"a longer name of {ent.canonical} ({' '.join(t.text for t in toks[s:e])}): as written"
        return None

    def _place_kept(self, bi: int, hit: Hit, ent: Entity, *, dated: bool) -> str | None:
        """Why a place form that would change stays as written here, if it does (`dated`: the
        dates of renames apply; a context-only form has its own rule)."""
        s, e = hit.start_tok, hit.end_tok
        reason = self._historical(bi, s, e) or (self._old_name(bi, s, e, ent) if dated else None) \
            or self._longer_than_canonical(bi, s, e, ent)
        given_word = self._after_given_name(bi, s)
        if given_word or self._after_unknown_name(bi, s) or self._before_unknown_name(bi, e) \
                or self._before_person_name(bi, e) or self._after_unknown_name_at_start(bi, s):
            # a person's name (Tony Romo, Huston Huddleston): its word alone elsewhere in the
            # document is that person's too
            self.name_parts.add(self._key(bi, s, e))
        if not reason:
            reason = self._person_or_compound(bi, s, e) or self._in_other_country(bi, s, ent) \
                or self._after_capitalised_word(bi, s) or self._in_other_region(bi, e, ent)
            if reason:
                self.name_parts.add(self._key(bi, s, e))  # its other mentions name the same
        if reason:
            return reason
        if given_word:
            return f"after a person's given name ({given_word}): part of a name"
        if self._after_unknown_name(bi, s):
            return "after an unknown capitalised word: part of a longer name"
        return None

    def _person_or_compound(self, bi: int, s: int, e: int) -> str | None:
        """A place form followed by ", who" names a person (Sinder, who was nominated ...); one
        joined by a hyphen to a capitalised word that names no place is part of a compound
        name (Exxon-Mobil, a line of surnames Erving-Matias-Barron); Kiev-Moscow stays two places."""
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        if _WHO_AFTER.match(text, toks[e - 1].end):
            return "followed by ', who': a person's name"
        joined = []
        if s > 0 and text[toks[s - 1].end:toks[s].start] == "-":
            joined.append(toks[s - 1].text)
        if e < len(toks) and text[toks[e - 1].end:toks[e].start] == "-":
            joined.append(toks[e].text)
        other = next((w for w in joined if w[:1].isupper() and not self._names_place(w)), None)
        return f"joined by a hyphen to {other!r}: part of a compound name" if other else None

    def _after_capitalised_word(self, bi: int, s: int) -> str | None:
        """A place form right after a capitalised word inside a sentence, itself after a word in
        lower case or an article (against Real Salt Lake, A Seat Malaga, the Chrysler Cordoba):
        the words are one longer name, a club's, a car's, a building's. Not after a title
        (President) or a place's name, nor in capitals or a headline in title case."""
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        if s < 2:
            return None
        prev, before = toks[s - 1], toks[s - 2]
        if text[prev.end:toks[s].start] != " " or text[before.end:prev.start] != " " \
                or not (before.text[:1].islower() or before.text in _ARTICLES) or not prev.capitalised \
                or prev.text.isupper():
            return None
        if self.index.is_title(prev.text) or self._names_place(prev.text):
            return None
        return f"after the capitalised word {prev.text!r}: part of a longer name"

    def _in_other_region(self, bi: int, e: int, ent: Entity) -> str | None:
        """A town's form followed by a comma and a region or country of another country (Sarkh,
        Logar; San Jose, California): the town of that name there, not this one."""
        if ent.kind != "city":
            return None
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        if e >= len(toks) or not _COMMA_APPOSITION.fullmatch(text[toks[e - 1].end:toks[e].start]):
            return None
        for n in (3, 2, 1):
            words = toks[e:e + n]
            if len(words) < n or not all(w.capitalised for w in words) \
                    or any(text[a.end:b.start] != " " for a, b in zip(words, words[1:], strict=False)):
                continue
            countries = self._region_countries(tuple(w.text for w in words))
            if countries:
                where = " ".join(w.text for w in words)
                return None if ent.country in countries else f"followed by ', {where}': a place of another country"
        return None

    def _region_countries(self, words: tuple[str, ...]) -> set[str]:
        """The countries of the countries and regions these words name (letter for letter or folded)."""
        index = self.index
        forms = index.english.exact.get(words) or index.english.norm.get(tuple(index.folder.fold(w) for w in words)) or []
        return {f.entity.country for f in forms
                if f.entity.type == "place" and f.entity.kind in ("country", "subdivision") and f.entity.country}

    def _names_place(self, word: str) -> bool:
        """Whether a word alone is a known place form (letter for letter or folded)."""
        index = self.index
        forms = index.english.exact.get((word,)) or index.english.norm.get((index.folder.fold(word),)) or []
        return any(f.entity.type == "place" for f in forms)

    def _before_person_name(self, bi: int, e: int) -> bool:
        """A known person's name word right after a place form (Jenova Chen, Paris Hilton): the
        form is that person's given name here (not Odessa Steps, Leningrad Oblast)."""
        after = self._word_after(bi, e)
        if after is None or not after.capitalised:
            return False
        return not after.text.isupper() and self.index.folder.fold(after.text) in self.index.person_folds

    def _after_unknown_name_at_start(self, bi: int, s: int) -> bool:
        """A capitalised word that is no known name, title or English word opening a block or a
        sentence right before a place form (a byline: Ingrid Lunden): someone's name, as inside
        a sentence (`_after_unknown_name`)."""
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        if s < 1 or text[toks[s - 1].end:toks[s].start] != " ":
            return False
        opens = s == 1 or _SENTENCE_OPENS.search(text[toks[s - 2].end:toks[s - 1].start]) is not None
        return opens and self._unknown_name_word(toks[s - 1].text)

    def _in_other_country(self, bi: int, s: int, ent: Entity) -> str | None:
        """A place form after a country's possessive that is not the place's (Tunisia's Bardo
        museum is not Bordeaux's): a place of that country under this name."""
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        if s < 2 or toks[s - 1].text not in ("s", "S") or text[toks[s - 2].end:toks[s - 1].start] not in ("'", "\u2019") \
                or text[toks[s - 1].end:toks[s].start] != " ":
            return None
        owner = toks[s - 2].text
        forms = self.index.english.exact.get((owner,)) or []
        countries = {f.entity.country for f in forms if f.entity.type == "place" and f.entity.kind == "country"}
        if countries and ent.country not in countries:
            return f"after {owner}'s: a place of another country"
        return None
