"""Lookup tables compiled from the gazetteer (hand-typed layer merged with the world layer).

Two form tables: `english` (Latin-script forms, used on English text_en) and `source`
(every script plus generated Cyrillic case forms, used to protect names in the source text
before translation); a CJK substring pattern (one alternation, longest form first); the
transliteration keys and the fuzzy key list for rapidfuzz. Which world-layer forms go in is
decided by normalise.names.selection. Over the world layer the build takes about a minute, so
the index is compiled once into a file (normalise.names.index_cache) and `get_index` loads it
once per process.
"""
from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from normalise.names import index_parts
from normalise.names.gazetteer import (
    ContextVariant,
    Entity,
    Gazetteer,
    GazetteerError,
)
from normalise.names.keys import consonants, phrase_keys, skeleton
from normalise.names.selection import SelectionRules, WorldSelection, common_english_words
from normalise.names.text import Folder, has_cjk, is_latin, tokenize


@dataclass(frozen=True, eq=False)
class Form:
    """One way of writing an entity's name (surname alone, or place name)."""

    entity: Entity
    surface: str
    context: ContextVariant | None = None  # set: valid only where the context allows

    @cached_property
    def replacement(self) -> str:
        """A form as long as the canonical name stands for it; a shorter one for the short form
        (Zelenski -> Zelenskyy, Ciragan -> Çırağan, Ciragan Palace -> Çırağan Palace). Particles
        do not count: Bashar Assad is the whole name Bashar al-Assad, von der Leyen is not."""
        if self.context is not None or _name_words(self.surface) >= _name_words(self.entity.canonical):
            return self.entity.canonical
        return self.entity.short

    @property
    def full(self) -> bool:
        return self.replacement == self.entity.canonical


@dataclass
class FormTable:
    exact: dict[tuple[str, ...], list[Form]] = field(default_factory=dict)
    norm: dict[tuple[str, ...], list[Form]] = field(default_factory=dict)
    # per entity id: given-name variants as (words, folds), longest first
    given: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = field(default_factory=dict)
    max_len: int = 1
    # first words / first folded words of all forms, with the most words a form starting with
    # it has: most tokens start no name at all, and most that do start only short ones
    first_exact: dict[str, int] = field(default_factory=dict)
    first_norm: dict[str, int] = field(default_factory=dict)
    # folded keys given a form while set (add_entities): the only keys its confusable check reads
    changed_norm: set[tuple[str, ...]] | None = None

    def may_start(self, word: str, fold: Callable[[str], str]) -> bool:
        """Whether `scan` looks for a form at this word: a form's first word, or a capitalised
        word whose folded key starts one or that ends in -s (a genitive)."""
        return word in self.first_exact or (word[0].isupper() and (word[-1] == "s" or fold(word) in self.first_norm))

    def add_exact(self, words: tuple[str, ...], form: Form) -> None:
        """A form matched letter for letter only."""
        if not words:
            return
        bucket = self.exact.setdefault(words, [])
        if not any(f.entity is form.entity and f.context is form.context for f in bucket):
            bucket.append(form)
        self.max_len = max(self.max_len, len(words))
        self.first_exact[words[0]] = max(self.first_exact.get(words[0], 0), len(words))

    def add(self, words: tuple[str, ...], folds: tuple[str, ...], form: Form) -> None:
        if not words:
            return
        for table, key in ((self.exact, words), (self.norm, folds)):
            bucket = table.setdefault(key, [])
            if not any(f.entity is form.entity and f.context is form.context for f in bucket):
                bucket.append(form)
        if self.changed_norm is not None:
            self.changed_norm.add(folds)
        self.max_len = max(self.max_len, len(words))
        self.first_exact[words[0]] = max(self.first_exact.get(words[0], 0), len(words))
        self.first_norm[folds[0]] = max(self.first_norm.get(folds[0], 0), len(folds))


def _word_set(lexicon: dict, name: str) -> set[str]:
    words = lexicon.get(name) or []
    bad = [w for w in words if not isinstance(w, str)]
    if bad:  # YAML reads bare yes/no/on as booleans: they must be quoted
        raise GazetteerError(f"lexicon '{name}' has non-string entries {bad!r}; quote them")
    return {w.lower() for w in words}


def _words(form: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokenize(form))


def _name_words(form: str) -> int:
    """The words of a name that are no particle: not in lower case (al, bin, von der), nor a
    particle before a hyphen (Al-Dschubeir); Ben of Ben Wallace, Al of Al'bin count."""
    from normalise.names.document import PARTICLES  # (it imports this module)

    toks = tokenize(form)
    return sum(1 for i, t in enumerate(toks) if not t.text.islower()
               and not (i + 1 < len(toks) and form[t.end:toks[i + 1].start] == "-" and t.text.lower() in PARTICLES))


def _cyrillic(word: str) -> bool:
    return bool(re.fullmatch(r"[\u0400-\u04ff]+", word))


class NameIndex:
    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        lex = gazetteer.lexicon
        self.settings = _settings(lex.get("settings"))
        self.folder = Folder(lex.get("folding") or [])
        self.titles = _word_set(lex, "titles") | _word_set(lex, "foreign_titles")
        self.title_suffixes = tuple(sorted(_word_set(lex, "title_suffixes")))
        self.history_before = sorted((tuple(p.split()) for p in _word_set(lex, "history_before")), key=len, reverse=True)
        self.common = _word_set(lex, "common_words")
        self.generic_cues = _word_set(lex, "generic_cues")
        self.endings = {k: list(v) for k, v in (lex.get("cyrillic_endings") or {}).items()}
        self.topic_res = {topic: re.compile(r"\b(?:" + "|".join(re.escape(w.lower()) for w in words) + r")\b")
                          for topic, words in (lex.get("topics") or {}).items() if words}
        self._topic_words, self._any_topic_re = _joined_topics(
            {topic: [w.lower() for w in words] for topic, words in (lex.get("topics") or {}).items() if words})
        self.english = FormTable()
        self._source: FormTable | None = FormTable()  # None until the packed part is unpacked
        self._cjk: dict[str, tuple[Entity, str]] | None = {}  # CJK form -> (entity, replacement)
        self._packed: bytes | None = None  # index_parts: the two fields above, pickled on their own
        self.known_folds: set[str] = set()
        self.given_owner: dict[str, set[str]] = {}  # folded given name -> entity ids
        self.towns: set[str] = set()  # world places matched by their own name only (small towns)
        self.old_names: dict[tuple[str, str], int] = {}  # (entity id, folded old name) -> year it changed
        self.person_folds: set[str] = set()  # folded words of people's names (given names, surnames)
        self.fuzzy_keys: list[str] = []
        self.fuzzy_meta: list[tuple[Entity, tuple[str, ...]]] = []  # entity, folded surname prefix
        # transliteration keys (names.keys) of Latin-script forms and given names
        self.key_forms: dict[tuple[str, ...], list[Form]] = {}
        self.key_max_len = 1
        self.key_first: set[str] = set()  # first-word keys: most words start no known key
        self.given_keys: dict[str, list[tuple[str, ...]]] = {}
        self.key_owners: dict[str, set[str]] = {}  # key of a one-word form -> entity ids
        self._cue_words: dict[str, tuple[str, ...]] = {}  # entity id -> its specific role words
        self._cue_res: dict[str, re.Pattern] = {}  # compiled on first use
        # Per-word answers and rapidfuzz results, remembered across documents (names and the
        # words around them recur from page to page; every answer depends on the word alone).
        self._starts: dict[str, bool] = {}
        self._scan_starts: dict[str, bool] = {}
        self._key_starts: dict[str, bool] = {}
        self._fuzzy_key: dict[str, str] = {}
        self._fuzzy_results: dict[tuple[str, float], list] = {}
        self._fuzzy_choices: _FuzzyChoices | None = None  # built on first use
        self.rules = SelectionRules.from_settings(self.settings)
        # English words frequent enough to be read as words, never as a misspelt name
        self.common_english = common_english_words(self.rules.common_zipf)
        self.selection = WorldSelection(gazetteer.entities.values(), gazetteer.world_ids, self.rules,
                                        self.folder.fold, self.common_english)
        for ent in gazetteer.entities.values():
            if not self.selection.skip(ent):
                self._add_entity(ent)
        self._cjk_re: re.Pattern | None = None
        self._check_confusables()
        del self.selection  # only needed while building; not worth its bytes in the cache file

    # -- the source-language part, unpickled on first use (normalise.names.index_parts) --------
    @property
    def source(self) -> FormTable:
        """Forms in every script, for protecting names in source text before translation."""
        if self._source is None:
            self._unpack()
        assert self._source is not None
        return self._source

    @property
    def cjk(self) -> dict[str, tuple[Entity, str]]:
        if self._cjk is None:
            self._unpack()
        assert self._cjk is not None
        return self._cjk

    def _unpack(self) -> None:
        with _LOCK_PART:
            if self._packed is not None:
                fields = index_parts.unpack(self._packed, self.gazetteer.entities)
                self._source, self._cjk = fields["_source"], fields["_cjk"]
                self._packed = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        if self._packed is None:
            state["_packed"] = index_parts.pack({name: state[name] for name in index_parts.LAZY_FIELDS},
                                                self.gazetteer.entities)
        state.update(dict.fromkeys(index_parts.LAZY_FIELDS))
        from normalise.names.index_store import pack_state  # (it imports this module)

        return pack_state(state)

    # -- building ---------------------------------------------------------------------------
    def _add_entity(self, ent: Entity) -> None:
        exact_only = self.selection.exact_only(ent)
        if exact_only:
            self.towns.add(ent.id)
        for key, year in self.selection.old_names(ent).items():
            self.old_names[(ent.id, key)] = year
        for surface in dict.fromkeys([ent.canonical, ent.short, *self.selection.variants(ent)]):
            self._add_name(ent, surface, exact_only)
        self._add_context_variants(ent)
        if ent.type == "person":
            self.person_folds.update(self.folder.fold(w) for w in _words(ent.short)
                                     if is_latin(w) and w[:1].isupper() and len(w) > 2)
        self._add_given_names(ent)
        specific = tuple(c for c in ent.cues if c not in self.generic_cues)  # "president" vouches for no one
        if specific:
            self._cue_words[ent.id] = specific

    def _add_name(self, ent: Entity, surface: str, exact_only: bool) -> None:
        """One canonical, short or variant name into the CJK, English and source tables."""
        if has_cjk(surface):
            self.cjk.setdefault(surface, (ent, ent.short if surface != ent.canonical else ent.canonical))
            return
        fold = self.folder.fold_tokens
        words = _words(surface)
        form = Form(ent, surface)
        if all(is_latin(w) for w in words):
            if exact_only:  # a world town: letter for letter only, never by a folded spelling
                self.english.add_exact(words, form)
                return
            self._add_latin(words, form)
        self.source.add(words, fold(words), form)
        for inflected in self._inflections(words):
            self.source.add(inflected, fold(inflected), form)

    def _add_context_variants(self, ent: Entity) -> None:
        # English table only, never used by the protector: context decides later
        fold = self.folder.fold_tokens
        for cv in ent.context_variants:
            for surface in cv.forms:
                words = _words(surface)
                if words and all(is_latin(w) for w in words):
                    self.english.add(words, fold(words), Form(ent, surface, cv))
                    self.known_folds.update(fold(words))

    def _add_given_names(self, ent: Entity) -> None:
        """The entity's given names, longest first, per table (for extend_given)."""
        fold = self.folder.fold_tokens
        given_en, given_src = [], []
        for g in dict.fromkeys(ent.given):
            if has_cjk(g):
                self._add_cjk_full_names(ent, g)
                continue
            words = _words(g)
            entry = (words, fold(words))
            given_src.append(entry)
            given_src.extend((w, fold(w)) for w in self._inflections(words))
            if all(is_latin(w) for w in words):
                given_en.append(entry)
                self._add_latin_given(ent, words, entry[1])
        self.english.given[ent.id] = sorted(given_en, key=lambda e: -len(e[0]))
        self.source.given[ent.id] = sorted(given_src, key=lambda e: -len(e[0]))

    def _add_cjk_full_names(self, ent: Entity, given: str) -> None:
        # CJK text writes given name and surname as one string, with or without a middle dot
        for surname in [ent.short, *ent.variants]:
            if has_cjk(surname):
                self.cjk.setdefault(f"{given}·{surname}", (ent, ent.canonical))
                self.cjk.setdefault(f"{given}{surname}", (ent, ent.canonical))

    def _add_latin_given(self, ent: Entity, words: tuple[str, ...], folds: tuple[str, ...]) -> None:
        """Transliteration keys and owners of a Latin given name (a misspelt given name, another person's)."""
        self.given_keys.setdefault(ent.id, []).extend(phrase_keys(words))
        for f in folds:
            self.given_owner.setdefault(f, set()).add(ent.id)
            self.known_folds.add(f)
            if len(f) > 2:
                self.person_folds.add(f)

    def _add_latin(self, words: tuple[str, ...], form: Form) -> None:
        ent, folds = form.entity, self.folder.fold_tokens(words)
        self.english.add(words, folds, form)
        self.known_folds.update(folds)
        # A world place gets no transliteration or fuzzy key: no role word or story vouches for
        # one, so as a candidate it could only make a person's misspelt name ambiguous.
        if self.selection.world_place(ent):
            return
        self._add_key(words, form)
        if (ent.type != "organisation" and len(folds[-1]) >= self.settings["min_fuzzy_length"]
                and not (form.full and ent.canonical != ent.short)):  # full names: via surname + given
            self.fuzzy_keys.append(folds[-1])
            self.fuzzy_meta.append((ent, folds[:-1]))

    def add_entities(self, entities: Iterable[Entity]) -> None:
        """Index entities added or extended after the build (user gazetteer files, learned
        links): all their forms, as for hand-typed entities. Indexing is additive, so an
        extended entity is simply indexed again."""
        self.selection = WorldSelection((), set(), self.rules, self.folder.fold, self.common_english)
        changed = self.english.changed_norm = set()
        try:
            for ent in entities:
                self._add_entity(ent)
        finally:
            del self.selection
            self.english.changed_norm = None
        self._cjk_re = None
        self._starts.clear()
        self._scan_starts.clear()
        self._key_starts.clear()
        self._fuzzy_key.clear()
        self._fuzzy_results.clear()
        self._fuzzy_choices = None
        self._check_confusables(changed)  # the other keys were checked when the index was built

    def _add_key(self, words: tuple[str, ...], form: Form) -> None:
        for key in phrase_keys(words):
            if sum(consonants(k) for k in key) < MIN_KEY_CONSONANTS:
                continue
            bucket = self.key_forms.setdefault(key, [])
            if not any(f.entity is form.entity for f in bucket):
                bucket.append(form)
            self.key_max_len = max(self.key_max_len, len(key))
            self.key_first.add(key[0])
            if len(key) == 1:
                self.key_owners.setdefault(key[0], set()).add(form.entity.id)

    def _inflections(self, words: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Russian/Ukrainian case forms of a name written in Cyrillic (last word declines)."""
        if not words or not _cyrillic(words[-1]) or not self.endings:
            return []
        last = words[-1]
        for ending in sorted((e for e in self.endings if e != "_consonant"), key=len, reverse=True):
            if last.lower().endswith(ending) and len(last) > len(ending) + 1:
                stem = last[: -len(ending)]
                return [(*words[:-1], stem + e) for e in self.endings[ending]]
        if last[-1].lower() not in "аеёиоуыэюяіїєьй":
            return [(*words[:-1], last + e) for e in self.endings.get("_consonant", [])]
        return []

    def _check_confusables(self, keys: Iterable[tuple[str, ...]] | None = None) -> None:
        """A form of one entity must not fold to a form of an entity it lists under `not`
        (among the forms under `keys`, or every folded key)."""
        norm = self.english.norm
        for key, forms in (norm.items() if keys is None else ((k, norm[k]) for k in keys)):
            ids = {f.entity.id for f in forms}
            for f in forms:
                clash = ids & set(f.entity.not_)
                if clash:
                    raise GazetteerError(f"{f.entity.source}: form {f.surface!r} of {f.entity.id} folds to "
                                         f"{' '.join(key)!r}, a form of {', '.join(sorted(clash))}, which it is "
                                         "declared not to be")

    # -- queries ----------------------------------------------------------------------------
    def is_title(self, word: str) -> bool:
        """A title or role word, not a name: Minister, Präsident, Außenminister, Bundeskanzlerin."""
        low = word.lower()
        return low in self.titles or (len(low) > 5 and low.endswith(self.title_suffixes))

    def is_ambiguous(self, ent: Entity) -> bool:
        """Whether a mention of this entity's short name needs the story to agree: the name is
        a common word, too short to identify anyone, or shares its key with another entity."""
        key = skeleton(ent.short.split()[-1])
        return (ent.short.lower() in self.common or consonants(key) < 3
                or len(self.key_owners.get(key, ())) > 1)

    def may_start_english(self, words: list[str]) -> bool:
        """Whether any of these words could begin a known English form (what `scan` looks for
        first at every token: the exact first word, or a capitalised word with its folded key)."""
        memo = self._starts
        for word in words:
            answer = memo.get(word)
            if answer is None:
                table = self.english
                answer = word in table.first_exact or (word[:1].isupper() and (
                    self.folder.fold(word) in table.first_norm
                    or (word[-1] == "s" and self.folder.fold(word[:-1]) in table.first_norm)))  # genitive -s
                if len(memo) >= _MEMO_WORDS:
                    memo.clear()
                memo[word] = answer
            if answer:
                return True
        return False

    def english_starts(self, words: list[str]) -> list[int]:
        """The positions of the words `scan` looks at with the English table
        (`FormTable.may_start`), each word's answer remembered."""
        memo = self._scan_starts
        if len(memo) >= _MEMO_WORDS:
            memo.clear()
        may_start, fold = self.english.may_start, self.folder.fold
        return [i for i, w in enumerate(words)
                if (memo[w] if w in memo else memo.setdefault(w, may_start(w, fold)))]

    def key_starts(self, words: list[str]) -> list[int]:
        """The positions of the capitalised words `may_start_key` accepts."""
        memo, may_start = self._key_starts, self.may_start_key
        return [i for i, w in enumerate(words) if w[0].isupper() and (memo[w] if w in memo else may_start(w))]

    def may_start_key(self, word: str) -> bool:
        """Whether the transliteration-key layer (names.key_layer) looks for a known key at this
        word: a capitalised Latin-script word whose key (or its genitive stem's) starts a known
        key, and that is no common word, title, English word or word of a known form."""
        answer = self._key_starts.get(word)
        if answer is None:
            low = word.lower()
            # the set look-ups first: they turn away a fifth of the words before the key is made
            answer = (word[:1].isupper() and is_latin(word)
                      and not (low in self.common or self.is_title(word) or low in self.common_english
                               or self.folder.fold(word) in self.known_folds)
                      and _may_start_key(word, self.key_first))
            if len(self._key_starts) >= _MEMO_WORDS:
                self._key_starts.clear()
            self._key_starts[word] = answer
        return answer

    def fuzzy_key(self, word: str, min_len: int) -> str:
        """The folded key of a word the fuzzy layer should look at ("" if it should not): a
        capitalised Latin-script word, long enough, not a common word or title, not known."""
        key = self._fuzzy_key.get(word)
        if key is None:
            key = ""
            if word[:1].isupper() and is_latin(word):
                folded = self.folder.fold(word)
                low = word.lower()
                if not (len(folded) < min_len or low in self.common or low in self.titles or folded in self.known_folds
                        or low in self.common_english):
                    key = folded
            if len(self._fuzzy_key) >= _MEMO_WORDS:
                self._fuzzy_key.clear()
            self._fuzzy_key[word] = key
        return key

    def fuzzy_words(self, words: list[str], min_len: int) -> list[tuple[int, str]]:
        """(position, key) of the words `fuzzy_key` gives a key, in order."""
        memo, fuzzy_key = self._fuzzy_key, self.fuzzy_key
        return [(i, key) for i, w in enumerate(words)
                if w[0].isupper() and (key := memo[w] if w in memo else fuzzy_key(w, min_len))]

    def fuzzy_candidates(self, key: str, cutoff: float) -> list:
        """rapidfuzz's closest fuzzy keys to `key`: process.extract(key, fuzzy_keys, ratio,
        FUZZY_LIMIT best >= cutoff), as (key, score, index), best first, ties by index."""
        results = self._fuzzy_results.get((key, cutoff))
        if results is None:
            results = process.extract(key, self.fuzzy_keys, scorer=fuzz.ratio, limit=FUZZY_LIMIT, score_cutoff=cutoff)
            self._remember_fuzzy(key, cutoff, results)
        return results

    def prepare_fuzzy(self, keys, cutoff: float) -> None:
        """Compute `fuzzy_candidates` for many keys at once (a page's words in one rapidfuzz call,
        several times faster than one extract per key); the rows are cut exactly as extract cuts
        them (documented: by score, then by index)."""
        todo = [k for k in dict.fromkeys(keys) if (k, cutoff) not in self._fuzzy_results]
        if not self.fuzzy_keys:
            return
        if self._fuzzy_choices is None:
            self._fuzzy_choices = _FuzzyChoices(self.fuzzy_keys)
        for start in range(0, len(todo), _CDIST_ROWS):
            chunk = todo[start:start + _CDIST_ROWS]
            found = self._fuzzy_choices.scores(chunk, cutoff)
            for row, key in enumerate(chunk):
                best = sorted(found.get(row, ()))[:FUZZY_LIMIT]
                self._remember_fuzzy(key, cutoff, [(self.fuzzy_keys[col], -neg, col) for neg, col in best])

    def _remember_fuzzy(self, key: str, cutoff: float, results: list) -> None:
        if len(self._fuzzy_results) >= _MEMO_WORDS:
            self._fuzzy_results.clear()
        self._fuzzy_results[(key, cutoff)] = results

    def topic_scores(self, doc_lower: str) -> dict[str, int]:
        """Per topic: how many distinct topic words occur in the (lower-cased) document."""
        if self._any_topic_re is None:  # words whose matches could overlap: one scan per topic
            return {topic: len(set(rx.findall(doc_lower))) for topic, rx in self.topic_res.items()}
        found = set(self._any_topic_re.findall(doc_lower))
        scores = dict.fromkeys(self.topic_res, 0)
        for word in found:
            for topic in self._topic_words[word]:
                scores[topic] += 1
        return scores

    def cue_near(self, ent: Entity, window_text: str) -> str | None:
        words = self._cue_words.get(ent.id)
        if not words:
            return None
        rx = self._cue_res.get(ent.id)
        if rx is None:
            rx = self._cue_res[ent.id] = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")
        m = rx.search(window_text.lower())
        return m.group() if m else None

    @property
    def cjk_re(self) -> re.Pattern | None:
        """All CJK forms in one alternation, longest first (compiled on first use: a large
        pattern, needed only for Chinese and Japanese source text)."""
        if self._cjk_re is None and self.cjk:
            self._cjk_re = re.compile("|".join(map(re.escape, sorted(self.cjk, key=len, reverse=True))))
        return self._cjk_re

    def is_common_english(self, word: str) -> bool:
        return word.lower() in self.common_english

    def setting(self, name: str):
        """A matching threshold from lexicon.yaml `settings` (checked when the index is built)."""
        return self.settings[name]


# Every matching threshold, with its type: lexicon.yaml `settings` is the one place they are set.
SETTINGS: dict[str, type] = {
    "fuzzy_threshold": float, "given_threshold": float, "fuzzy_margin": float, "min_fuzzy_length": int,
    "key_min_similarity": float, "cue_window": int, "topic_min_score": int, "place_population_ratio": float,
    "world_variant_min_population": int, "common_word_zipf": float, "world_min_letters": int,
    "rename_current_from": int,
}


def _settings(raw) -> dict:
    from normalise.names.gazetteer import LEXICON_FILE

    raw = raw if isinstance(raw, dict) else {}
    missing = [k for k in SETTINGS if k not in raw]
    unknown = [k for k in raw if k not in SETTINGS]
    if missing or unknown:
        raise GazetteerError(f"{LEXICON_FILE}: settings " + "; ".join(
            part for part in (f"missing {', '.join(missing)}" if missing else "",
                              f"unknown {', '.join(unknown)}" if unknown else "") if part))
    try:
        return {k: kind(raw[k]) for k, kind in SETTINGS.items()}
    except (TypeError, ValueError) as exc:
        raise GazetteerError(f"{LEXICON_FILE}: settings: {exc}") from exc


def _joined_topics(topics: dict[str, list[str]]) -> tuple[dict[str, list[str]], re.Pattern | None]:
    """All topic words in one word-bounded regex, so a document is scanned once rather than once
    per topic; and word -> its topics. The one scan finds the same words as the per-topic scans
    only if no match of one word can overlap a match of another (a word-bounded prefix, or a word
    starting at a word boundary inside a multi-word phrase): then the regex is None."""
    by_word: dict[str, list[str]] = {}
    for topic, words in topics.items():
        for word in words:
            if topic not in by_word.setdefault(word, []):
                by_word[word].append(topic)
    words = list(by_word)
    if not words:
        return by_word, None
    is_word = [[bool(_WORD_CHAR.match(ch)) for ch in w] for w in words]
    for a, flags in zip(words, is_word, strict=False):
        for k in range(len(a)):
            if k and flags[k - 1] == flags[k]:
                continue  # no word boundary can fall inside a run of word (or non-word) characters
            tail = a[k:]
            for b in words:
                if k == 0:  # same start: only a shorter word ending where `a` has a boundary competes
                    if b != a and a.startswith(b) and flags[len(b) - 1] != flags[len(b)]:
                        return by_word, None
                elif b.startswith(tail) or tail.startswith(b):
                    return by_word, None
    by_length = sorted(words, key=len, reverse=True)
    return by_word, re.compile(r"\b(?:" + "|".join(map(re.escape, by_length)) + r")\b")


_WORD_CHAR = re.compile(r"\w")
MIN_KEY_CONSONANTS = 2  # a key with fewer consonant sounds matches too many words
_MEMO_WORDS = 200_000  # per-word answers remembered (cleared when full)
FUZZY_LIMIT = 12  # closest fuzzy keys looked at per word
_CUTOFF_SLACK = 1e-6  # the LCS bound is computed with room for float rounding: never too strict
_BYTE_MAX = 255  # the largest LCS an uint8 matrix holds
_CDIST_ROWS = 512  # words per cdist call (bounds the LCS matrix: rows x fuzzy keys)
_CACHE: dict[tuple[tuple[str, ...], bool], tuple[tuple[int | None, ...], NameIndex]] = {}
_LOCK = threading.Lock()
_LOCK_PART = threading.Lock()  # one thread unpacks the source-language part


def _may_start_key(word: str, first: set[str]) -> bool:
    """Whether `scan_keys` or a genitive (key_layer's `_key_genitive`) could find a form at this word."""
    return skeleton(word) in first or (len(word) >= 5 and word[-1] == "s" and skeleton(word[:-1]) in first)


class _FuzzyChoices:
    """The fuzzy keys as the batch scores them: each distinct key once (a key listed for several
    entities scores the same for all of them).

    fuzz.ratio is 200 * LCS / total length (LCS: the longest common subsequence), so a pair can
    reach the cutoff only when its LCS reaches a bound set by the two lengths. rapidfuzz fills
    the integer LCS matrix of a page's words against every key in one call, several times faster
    than the float ratios; the few pairs within the bound (with room for float rounding) are then
    scored by fuzz.ratio itself, so every score is the one cdist or extract would give."""

    def __init__(self, fuzzy_keys: list[str]):
        columns: dict[str, list[int]] = {}
        for col, key in enumerate(fuzzy_keys):
            columns.setdefault(key, []).append(col)
        self.keys = list(columns)
        self.columns = [columns[k] for k in self.keys]  # the fuzzy_keys positions of each key
        self._lengths = [len(k) for k in self.keys]
        self._needs: dict[tuple[int, float], Any] = {}
        self._need_tables: dict[float, Any] = {}
        self._byte_tables: dict[float, Any] = {}

    def needed_lcs(self, length: int, cutoff: float):
        """Per key: the smallest LCS with which a word of `length` letters can score `cutoff`."""
        need = self._needs.get((length, cutoff))
        if need is None:
            import numpy as np  # (cdist returns numpy arrays anyway; not imported at start-up)

            totals = np.array(self._lengths, dtype=np.float64) + length
            need = self._needs[(length, cutoff)] = np.ceil((cutoff - _CUTOFF_SLACK) * totals / 200).astype(np.int32)
        return need

    def need_table(self, longest: int, cutoff: float):
        """`needed_lcs` of every length up to `longest`, one row per length: a page's rows are
        picked from it in one step rather than stacked word by word."""
        import numpy as np

        table = self._need_tables.get(cutoff)
        if table is None or len(table) <= longest:
            table = self._need_tables[cutoff] = np.stack([self.needed_lcs(n, cutoff) for n in range(longest + 1)])
        return table

    def byte_need_table(self, longest: int, cutoff: float):
        """`need_table` as bytes, a bound above 255 cut to 255: a word of at most 255 letters
        has no LCS above 255, so a pair the cut lets through is scored and turned away."""
        import numpy as np

        table = self._byte_tables.get(cutoff)
        if table is None or len(table) <= longest:
            table = self._byte_tables[cutoff] = np.minimum(self.need_table(longest, cutoff), _BYTE_MAX).astype(np.uint8)
        return table

    def scores(self, words: list[str], cutoff: float) -> dict[int, list[tuple[float, int]]]:
        """Per word (row): (-score, fuzzy_keys position) of every key scoring `cutoff` or more."""
        import numpy as np

        found: dict[int, list[tuple[float, int]]] = {}
        if not words or not self.keys:
            return found
        lengths = np.fromiter(map(len, words), dtype=np.intp, count=len(words))
        longest = int(lengths.max())
        # An LCS is at most the word's length: with words of up to 255 letters one byte holds it,
        # and the matrix (words x keys) is a quarter of the int32 one to fill and compare.
        small = longest <= _BYTE_MAX
        common = process.cdist(words, self.keys, scorer=LCSseq.similarity, dtype="uint8" if small else "int32")
        need = self.byte_need_table(longest, cutoff) if small else self.need_table(longest, cutoff)
        rows, cols = (common >= need[lengths]).nonzero()
        keys = self.keys
        for row, col in zip(rows.tolist(), cols.tolist(), strict=False):
            score = fuzz.ratio(words[row], keys[col], score_cutoff=cutoff)
            if score >= cutoff:
                found.setdefault(row, []).extend((-score, position) for position in self.columns[col])
        return found


def _file_versions(paths: tuple[str, ...]) -> tuple[int | None, ...]:
    versions: list[int | None] = []
    for p in paths:
        try:
            versions.append(os.stat(p).st_mtime_ns)
        except OSError:
            versions.append(None)
    return tuple(versions)


def get_index(paths: Iterable[Path | str] = (), *, world: bool = True) -> NameIndex:
    """The index for the gazetteer (the hand-typed files, with `world` the compiled world
    layer) plus these extra gazetteer files, built once per process. The base index comes from
    the compiled index file (normalise.names.index_cache: built and cached on disk when missing
    or stale); extra files are indexed on top of it. An edited file (a new modification time)
    is read again, and its index replaces the one kept for the old version."""
    from normalise.names.gazetteer import add_files, load_gazetteer
    from normalise.names.index_cache import load_index

    files = tuple(str(p) for p in paths)
    versions = _file_versions(files)
    with _LOCK:
        kept = _CACHE.get((files, world))
        if kept is not None and kept[0] == versions:
            return kept[1]
        if files:
            load_gazetteer(files)  # a bad user file fails here, in a second, before any index is built
        index = load_index(world=world)
        if files:
            index.add_entities(add_files(index.gazetteer, files))
        _CACHE[(files, world)] = (versions, index)
        return index
