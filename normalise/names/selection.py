"""Which forms of the compiled world layer the matcher may use.

The world layer (normalise.names.build) holds every GeoNames alternate name of 34,000 towns and
cities; most of them are harmless, but a town's alternate name can be an English word (Wise ->
Visé), a person's name (Lula -> Luleå, Yaroslav -> Jarosław), or a short form that reads as
anything (An -> Ann). A false merge is worse than a miss, so the matcher takes from it:

- all people (their forms go through the person rules of the matcher: given names, gender);
- a place's own canonical form, unless it is a common word, a person's name or short (then
  the place is not indexed: writing it in its canonical form changes nothing anyway);
- a place's other forms only when they are distinctive: long enough, not a common English
  word (wordfreq), not a word of a known person's name, not a form of a hand-typed entity,
  and the place is a country, a first-level subdivision or a city of at least
  `world_variant_min_population`;
- no place whose name carries a number (GeoNames city districts: Paris 08 Élysée).

Dated renames apply to every entity: an old name that stopped being current before
`rename_current_from` (Danzig 1945, Stalingrad 1961, Leningrad 1991, Peking 1979) is history,
modernised only when the same block names a person of that country (German news still writes
Peking for Beijing); a recent one (Kiev 1995, Bombay 1995, Dnepropetrovsk 2016) is modernised.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from normalise.names.gazetteer import Entity

_DIGIT = re.compile(r"\d")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


@dataclass(frozen=True)
class SelectionRules:
    variant_min_population: int
    common_zipf: float
    min_letters: int
    rename_current_from: int

    @classmethod
    def from_settings(cls, settings: dict) -> SelectionRules:
        """The rules' thresholds from lexicon.yaml `settings` (the one place they are set;
        normalise.names.index checks they are all there)."""
        return cls(variant_min_population=int(settings["world_variant_min_population"]),
                   common_zipf=float(settings["common_word_zipf"]),
                   min_letters=int(settings["world_min_letters"]),
                   rename_current_from=int(settings["rename_current_from"]))


def common_english_words(min_zipf: float) -> frozenset[str]:
    """English words at least this frequent (wordfreq Zipf scale), lower-case."""
    from wordfreq import top_n_list, zipf_frequency

    words: set[str] = set()
    for word in top_n_list("en", 100_000):
        if zipf_frequency(word, "en") < min_zipf:
            break  # the list is ordered by frequency
        words.add(word)
    return frozenset(words)


class WorldSelection:
    """Decides, per entity, which of its forms the index holds (see the module docstring)."""

    def __init__(self, entities: Iterable[Entity], world_ids: set[str], rules: SelectionRules, fold,
                 common: frozenset[str]):
        self.rules = rules
        self.world_ids = world_ids
        self.common = common
        self._fold = fold
        ents = list(entities)
        self.person_words: set[str] = set()
        self.hand_forms: set[str] = set()
        for ent in ents:
            if ent.type == "person":
                for form in (ent.canonical, ent.short, *ent.given):
                    self.person_words.update(self._fold(w) for w in form.split())
            if ent.id not in world_ids:
                for form in (ent.canonical, ent.short, *ent.variants):
                    self.hand_forms.add(self._key(form))

    def _key(self, form: str) -> str:
        return " ".join(self._fold(w) for w in form.split())

    def world_place(self, ent: Entity) -> bool:
        return ent.type == "place" and ent.id in self.world_ids

    def skip(self, ent: Entity) -> bool:
        """A world place not indexed at all: a numbered district, or a name that is a word,
        a person's name or too short to identify a place."""
        if not self.world_place(ent):
            return False
        if _DIGIT.search(ent.canonical):
            return True
        return not self.keyed(ent) and not self._distinctive(ent.canonical, canonical=True)

    def exact_only(self, ent: Entity) -> bool:
        """A world town is matched letter for letter by its own name, never by a folded spelling
        (Pékin is not Pekin, Illinois; Paris is not Parys): it only tells the matcher that a
        name may mean the town, so the place is ranked and a doubtful change left out."""
        if not self.world_place(ent):
            return False
        return not self.keyed(ent) or sum(ch.isalpha() for ch in ent.canonical) < self.rules.min_letters

    def variants(self, ent: Entity) -> list[str]:
        """The entity's variants the index holds."""
        forms = ent.variants
        if not self.world_place(ent):
            return forms
        if not self.keyed(ent):
            return []  # a town is matched by its own name only
        return [v for v in forms if not _LATIN_LETTER.search(v) or self._distinctive(v)]

    def keyed(self, ent: Entity) -> bool:
        """Whether the entity's forms get transliteration keys and fuzzy keys: not for world
        towns (no role words or story vouch for a place; a key shared with a town would make
        a person's misspelt name ambiguous)."""
        if not self.world_place(ent):
            return True
        return ent.kind in ("country", "subdivision") or ent.population >= self.rules.variant_min_population

    def old_names(self, ent: Entity) -> dict[str, int]:
        """Folded old names of this entity that are history, renamed before the threshold, with
        the year (the matcher modernises them only in a clearly current story)."""
        canonical = self._key(ent.canonical)
        return {key: year for name, year in ent.former
                if year < self.rules.rename_current_from and (key := self._key(name)) != canonical}

    def _distinctive(self, form: str, *, canonical: bool = False) -> bool:
        """A form that can name this place only. A hand entity's form is another entity's
        (Hamas); a canonical name shared with one (Odessa, Texas) is kept and ranked."""
        letters = sum(ch.isalpha() for ch in form)
        if letters < self.rules.min_letters:
            return False
        words = form.split()
        if len(words) == 1:
            word = words[0]
            if word.lower() in self.common or self._fold(word) in self.person_words:
                return False
        return canonical or self._key(form) not in self.hand_forms
