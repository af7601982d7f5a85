"""Words of a matched name that are also ordinary words of the text around it.

A generated romanisation can hold a syllable that is a single letter or a stop word of the
text's language: Wang I (Wade-Giles for Wang Yi), Kim Chen In (Kim Jong Un through Russian),
Pak The Son, Marine L Pen; and a folded spelling can make an ordinary word a name (Being ->
Beijing, Make -> Macau, Island -> Iceland). In "Mr Wang I think", "Being a port city, ..." or a
headline "BACK IN" the words are a name (or nothing) followed by an ordinary word. Such a word
of a mention (capitalised, standing alone: not a syllable joined by a hyphen or apostrophe, not
an initial with its dot; and not a word of the entity's canonical name) is read as part of the name when
another word of the mention is a name, not an ordinary word (KIM CHEN IN, Said Chengriha, I
Če-mjong); a single letter (I, A and O are capitals anyway) that ends the mention (a name and a
pronoun: Wang I think) or opens it at the start of a sentence still needs evidence from the
document, which the matcher (names.unify) looks for. A mention made of ordinary words only, or
one with an ordinary word after a full stop inside it (Wang. I was told), is no name.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from normalise.extract.text_stopwords import (
    is_stop_word,
    language_index,
    languages_by_word,
    stop_counts,
    stoplist_files,
)
from normalise.names.text import Token, words_of

FOREIGN_MIN_STOPS = 10  # stop words of another language that make a document (partly) in it
_SENTENCE_START = re.compile(r"[.!?\"“”«»(\[\n]")  # what in front of a word makes it open a sentence
_JOINED = re.compile(r"[-'’‘]")  # a syllable of a hyphenated or apostrophised word (Ce-in, Ch'ing)


@dataclass(frozen=True)
class Doubt:
    word: str  # the ordinary word as written
    refused: str  # why no evidence can make it a name ("": other mentions or a role word may)


class OrdinaryWords:
    """The ordinary words of one document: single letters; English stop words (the stage reads
    English text); stop words of the language whose stop words (jusText's lists) the document
    uses most, when they are at least FOREIGN_MIN_STOPS and more than twice as many as English's
    (untranslated text; in a short English text another language can lead by a word or two) and
    the list or the document writes the word in lower case (the lists hold the language's
    frequent proper nouns too, capitalised: Deutschland, Brasil); and any word of more than three letters the
    document itself writes in lower case (island, store: a name is not written so; shorter ones
    are often particles of names: van, al, de). Found on first use: most documents never need
    them."""

    def __init__(self, blocks: list[list[str]], language: str | None = None):
        """`language`: the ISO 639-1 code of the language the text is known to be in (the
        translation stage's source language); else it is told by its stop words."""
        self._blocks = blocks
        self._english = language_index("English")
        self._given = stop_language(language) if language else None
        self._foreign: int | None = None
        self._lower: set[str] | None = None
        self._language_known = False

    def _learn_language(self) -> None:
        if self._given is not None:
            self._foreign = self._given
        else:
            counts = stop_counts([[w.casefold() for w in words] for words in self._blocks])
            top = counts.most_common(1)[0][0] if counts else self._english
            if counts[top] >= FOREIGN_MIN_STOPS and counts[top] > 2 * counts[self._english]:
                self._foreign = top
        self._language_known = True

    def writes_lower(self, word: str) -> bool:
        """Whether the document writes this word in lower case somewhere."""
        if self._lower is None:
            self._lower = {w.casefold() for words in self._blocks for w in words if w[:1].islower()}
        return word.casefold() in self._lower

    def is_stop(self, word: str) -> bool:
        if is_stop_word(word, self._english):
            return True
        if word.casefold() not in languages_by_word():
            return False  # no language's stop word: the document's language need not be known
        if not self._language_known:
            self._learn_language()
        return self._foreign is not None and is_stop_word(word, self._foreign) and (
            self.writes_lower(word) or word.casefold() in lower_case_stop_words(self._foreign))

    def is_ordinary(self, word: str) -> bool:
        if len(word) == 1 or self.is_stop(word):
            return True
        return len(word) > 3 and self.writes_lower(word)


@functools.lru_cache(maxsize=1 << 14)
def canonical_words(canonical: str) -> frozenset[str]:
    """The casefolded words of an entity's canonical name (never ordinary words of a mention)."""
    return frozenset(w.casefold() for w in words_of(canonical))


def doubtful_word(text: str, toks: list[Token], s: int, e: int, canonical: frozenset[str],
                  words: OrdinaryWords, cut: int = 0) -> Doubt | None:
    """The first ordinary word of the mention toks[s:e] that the mention does not vouch for as
    a name (`canonical`: the casefolded words of the entity's canonical name; `cut`: letters of
    the last token that are not the name, a genitive -s); None when every word reads as a name."""
    written = {i: toks[i].text[:len(toks[i].text) - cut] if i == e - 1 else toks[i].text for i in range(s, e)}
    capitals = [i for i in range(s, e) if written[i][:1].isupper()]
    if all(written[i].casefold() in canonical for i in capitals):
        return None  # the canonical name's own words (most mentions): nothing to look up
    alone = {i for i in capitals if _standalone(text, toks, i, s, e)}
    ordinary = [i for i in capitals if i in alone and written[i].casefold() not in canonical
                and words.is_ordinary(written[i])]
    if not ordinary:
        return None
    # a syllable of a hyphenated word (Če-mjong) or a word that is no ordinary word is a name
    named = any(i not in alone or not words.is_ordinary(written[i]) for i in capitals)
    for i in ordinary:
        word = written[i]
        if i > s and "." in text[toks[i - 1].end:toks[i].start] and len(toks[i - 1].text) > 1:
            return Doubt(word, "it starts a new sentence")
        if not named:
            return Doubt(word, "every word of it is also an ordinary word")
        if len(word) == 1 and (i == e - 1 or i == s and _sentence_start(text, toks, s)):
            return Doubt(word, "")  # a name and a pronoun or article (Wang I think), or "I" opening a sentence
    return None


def _sentence_start(text: str, toks: list[Token], i: int) -> bool:
    return i == 0 or _SENTENCE_START.search(text[toks[i - 1].end:toks[i].start]) is not None


def _standalone(text: str, toks: list[Token], i: int, s: int, e: int) -> bool:
    """A word of its own: not joined to its neighbours in the mention by a hyphen or apostrophe,
    and not an initial (one letter and a dot: J. D. Vance)."""
    if i > s and _JOINED.search(text[toks[i - 1].end:toks[i].start]):
        return False
    if i + 1 < e and _JOINED.search(text[toks[i].end:toks[i + 1].start]):
        return False
    return not (len(toks[i].text) == 1 and text[toks[i].end:toks[i].end + 1] == ".")


@functools.lru_cache(maxsize=8)
def lower_case_stop_words(language: int) -> frozenset[str]:
    """The stop words jusText's list for `language` writes in lower case (dabei, aber): ordinary
    words. The lists hold the language's frequent proper nouns and nouns too, capitalised
    (Deutschland, Berlin), and those only when the document writes them in lower case."""
    lines = stoplist_files()[language].read_text(encoding="utf-8").splitlines()
    return frozenset(w.casefold() for w in lines if w and w == w.lower())


@functools.lru_cache(maxsize=64)
def stop_language(code: str) -> int | None:
    """jusText's index of the language with this ISO 639-1 code (de -> German), None when it has
    no stop list."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code.split("-")[0].lower())
    if found is None:
        return None
    try:
        return language_index(found.name.split(";")[0].replace(" ", "_"))
    except ValueError:
        return None
