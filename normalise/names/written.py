"""Whether a mention as written may be changed by a layer that does not match it letter for
letter (folded spelling, transliteration key, fuzzy spelling).

Those layers make a known form out of a close spelling, and in English text the close spelling
is most often something else: an acronym or brand (NYC -> Nice, API -> Cotonou, KOs -> Kos,
LEDs -> Leeds), a fragment too short to identify anything (Wi-Fi's Fi -> Fiji, Ray -> Rajji),
or an English word more frequent than the name it would become (Island -> Iceland, Sure ->
Caucaia, Lions -> Lyon). A listed form written letter for letter (Kiev, Zelenskiy) is not
judged here: the exact layer never asks.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from unidecode import unidecode

from normalise.names.text import Token


def folded_refusal(text: str, toks: list[Token], s: int, e: int, target: str, *, place: bool, min_letters: int,
                   common_zipf: float) -> str | None:
    """Why the mention toks[s:e] (`text` is its block) must not become `target` through a
    folded, transliterated or fuzzy match; None when it may."""
    words = [t.text for t in toks[s:e]]
    for i in range(s, e):
        if is_acronym(toks, i):
            return f"{toks[i].text!r} is written as an acronym"
    if len(words) == 1 and len(words[0]) < min_letters:
        return f"{words[0]!r} is too short to be matched by a spelling other than its own"
    # one word only: the words of a longer name are frequent as names (Pedro Sanchez, Kim Chen In).
    # A place keeps the spelling English writes more often than the target at any frequency
    # (Karnataka, not Karnātaka; Huston is not Houston); a person's name only when the written
    # form is a common word (Orban and Mertz are rarer in English than Orbán and Merz anyway).
    if len(words) == 1 and (place or zipf(words[0]) >= common_zipf) and zipf(words[0]) > zipf(target):
        return f"{words[0]!r} is a more frequent English word than {target!r}"
    return None


def unknown_word_close(written: str, score: float, threshold: float) -> bool:
    """Whether a person's name that only shares a transliteration key with the written word may
    stand on its spelling alone: the word is one English text never writes (no wordfreq
    frequency: not a word, brand or other person's name such as Motorola, Lorenz, Martian) and
    is spelt as close to the known form as the fuzzy layer needs (`score`, `threshold`:
    Starmar for Starmer, not Syntyche for Santokhi)."""
    return score >= threshold and zipf(written) == 0


def respelt(written: str, surface: str) -> bool:
    """Whether the folded match changed more than case and diacritics (Huston for Houston,
    Duke for Duque; not Zurich for Zürich)."""
    return unidecode(written).casefold() != unidecode(surface).casefold()


# An alternate name of a place that English writes at least a tenth as often as the place's own
# name (a Zipf gap under 1.0) is most often something else in English text: a surname (Lahey,
# Romo), a word or brand (Marca, Bardo), another town (Werder, Valence). The exonyms that
# translation leaves (Tokio, Moskau, Teheran, Kiew) are far rarer than the English name.
ALTERNATE_MIN_GAP = 1.0
# A one-word alternate name that English writes about as often as the place's own name (a Zipf
# gap under this either way, a factor of about 1.8: Seville for Sevilla) is an English name of it,
# not a spelling to correct; the exonyms that need a change are rarer (Marseilles for Marseille
# is 0.35 under, Moskau 3.2) and a spelling far more common than the name is the one the stage
# exists to unify (Khan Younis). wordfreq's phrase frequencies are read from their words, too
# rough for names of several words (Sao Paolo).
EXONYM_MAX_GAP = 0.25
_MACRON = "\u0304"
# a soft sign (or hard sign) romanised as an apostrophe or a modifier letter prime (Ryazan', Tver')
_SOFT_SIGN = str.maketrans("", "", "'\u2019\u02b9\u02bc\u02ba")


def alternate_as_common(written: str, target: str) -> bool:
    """Whether `written`, another name of the place `target`, is a name or word English writes
    too and nearly as often as `target` (ALTERNATE_MIN_GAP): then it needs the document to agree."""
    return zipf(written) > 0 and zipf(target) - zipf(written) < ALTERNATE_MIN_GAP


def alternate_as_english(written: str, target: str) -> bool:
    """Whether `written`, one word that is another name of the place `target`, is written in
    English about as often as `target` (EXONYM_MAX_GAP either way): an English name of the place
    (Seville), which stays as written even when the document names the place."""
    return " " not in written and zipf(written) > 0 and abs(zipf(target) - zipf(written)) < EXONYM_MAX_GAP


def given_spelt_only(layer: str, surname: str, common_zipf: float) -> bool:
    """Whether a given name matched only by its spelling or transliteration key (`layer` fuzzy or
    transliterated: Mick for Mike, Ira for Imran) stands in front of a surname English writes
    often (Johnson, Khan): many people share such a surname, and the given name is then most
    often another person's own (Mick Johnson), not a misspelling. A rare surname (Kir Starmer,
    Kit Kellog) leaves the close given name a spelling of the entity's."""
    return layer not in ("exact", "normalised") and zipf(surname) >= common_zipf


def without_macrons(name: str) -> str:
    """The name without macrons (Himāchal Pradesh -> Himachal Pradesh): scholarly romanisation
    that GeoNames writes and English text does not."""
    decomposed = unicodedata.normalize("NFD", name)
    return unicodedata.normalize("NFC", decomposed.replace(_MACRON, "")) if _MACRON in decomposed else name


def as_english_writes(name: str) -> str:
    """The name without macrons and without the soft signs that romanisation writes as
    apostrophes (GeoNames' Himāchal Pradesh, Ryazan' -> Himachal Pradesh, Ryazan): English text
    writes neither, so a text that differs from the name only by them needs no change."""
    return without_macrons(name).translate(_SOFT_SIGN)


def singular_of(written: str, name: str) -> bool:
    """Whether `written` is the name of a plural form without its -s (Philippine for
    Philippines, Bahama): the adjective or another word, not a spelling of the name."""
    return len(name) > 1 and name[-1] in "sS" and written.casefold() == name[:-1].casefold()


def is_acronym(toks: list[Token], i: int) -> bool:
    """A word with a capital after its first letter (NYC, KOs, LEDs, SoFi) in running text; a
    word in capitals between words in capitals is a headline (SELENSKYJ TRIFFT PUTIN), not an
    acronym."""
    word = toks[i].text
    if not any(ch.isupper() for ch in word[1:]):
        return False
    if not word.isupper():
        return True  # mixed case: KOs, LEDs, SoFi, PpyAj
    return not any(_in_capitals(toks[j].text) for j in (i - 1, i + 1) if 0 <= j < len(toks))


def _in_capitals(word: str) -> bool:
    return len(word) > 1 and word.isupper()


@lru_cache(maxsize=1 << 16)
def zipf(words: str) -> float:
    """English frequency of a word or phrase (wordfreq's Zipf scale, case and accents as written
    folded by wordfreq itself)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(words, "en")
