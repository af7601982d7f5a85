"""The language the names stage reads each block in: English, or a language it is untranslated in.

The pipeline tells the stage each block's language: "en" for English and translated text, else
the untranslated block's own. A page identified as in a language outside the configured set is
"unsupported" (Polish on a service configured for western Europe): its blocks were not translated
either, but the pipeline cannot name their language. Read as English, their place names would
be turned into English ones (Warszawa -> Warsaw, Rosja -> Russia) in a sentence kept in Polish.
So the stage names the language itself, by jusText's stop lists over the document's
"unsupported" blocks together: the language whose stop words they use most, when it is not
English, counts at least MIN_STOPS stop words and more than twice English's. Those blocks are then
untranslated text of that language (names.untranslated), except a block with more English stop
words than that language's (an English line in the page). When the stop words name no language
(a few words, names only), the blocks are read as English, as short English lines full of
foreign names are sometimes identified "unsupported".

An untranslated block of a configured language in a page of another language (a German quote on
an English page with translation off, or after its model failed) comes as `unconfirmed(code)`:
langid's verdict on one block, which is often wrong for a short line ("They met in Kiew." reads
as German). The block is read in that language only when its own stop words in lower case confirm
it (at least MIN_STOPS of that language's and more than twice English's), else as English.
"""
from __future__ import annotations

import functools
from collections import Counter

from normalise.extract.text_stopwords import language_index, stop_counts, stoplist_files

UNSUPPORTED = "unsupported"
MIN_STOPS = 3  # stop words of one language in the "unsupported" blocks that name it
UNCONFIRMED = "?"  # ends the code of a block's language that its stop words must confirm


def unconfirmed(code: str) -> str:
    """How the pipeline tells the stage langid's verdict on one block of a page in another language."""
    return code + UNCONFIRMED


def reading_languages(languages: list[str | None] | None, blocks: list[list[str]]) -> list[str | None]:
    """Per block, the ISO 639-1 code of the language it is read in when it is not English, else
    None. `languages`: as the pipeline tells the stage ("en", a code, "unsupported" or None);
    `blocks`: each block's words."""
    given = languages or [None] * len(blocks)
    unsupported = [words for words, lang in zip(blocks, given, strict=False) if lang == UNSUPPORTED]
    found = _stop_language(unsupported) if unsupported else None
    out: list[str | None] = []
    for words, lang in zip(blocks, given, strict=False):
        if lang == UNSUPPORTED:
            out.append(found[1] if found is not None and not _more_english(words, found[0]) else None)
        elif lang is not None and lang.endswith(UNCONFIRMED):
            out.append(_confirmed(words, lang[:-len(UNCONFIRMED)]))
        else:
            out.append(None if lang in ("en", None) else lang)
    return out


def _confirmed(words: list[str], code: str) -> str | None:
    """`code` when the block's stop words confirm it (as for "unsupported" blocks), else None."""
    language = _code_index().get(code)
    if language is None:
        return None
    # Only words in lower case count (and the block's first): a line of names holds stop words of
    # other languages in capitals (Rio de Janeiro, Sao Paolo: Portuguese "sao"; Den Haag).
    counts = stop_counts([[w.casefold() for i, w in enumerate(words) if i == 0 or w.islower()]])
    return code if _named_by_stops(counts, language) else None


def _stop_language(blocks: list[list[str]]) -> tuple[int, str] | None:
    """jusText's index and the code of the language the blocks' stop words name, if any."""
    counts = stop_counts([[w.casefold() for w in words] for words in blocks])
    top = next((lang for lang, _ in counts.most_common() if lang not in _english()), None)
    if top is None or not _named_by_stops(counts, top):
        return None
    return top, language_code(top)


def _named_by_stops(counts: Counter[int], language: int) -> bool:
    """Whether stop-word counts name `language`: MIN_STOPS of its words and more than twice English's."""
    return counts[language] >= MIN_STOPS and counts[language] > 2 * counts[language_index("English")]


def _more_english(words: list[str], language: int) -> bool:
    counts = stop_counts([[w.casefold() for w in words]])
    return counts[language_index("English")] > counts[language]


@functools.lru_cache(maxsize=1)
def _english() -> frozenset[int]:
    """jusText's English lists (English, Simple English): none of them names another language."""
    return frozenset(i for i, path in enumerate(stoplist_files()) if path.stem.endswith("English"))


@functools.lru_cache(maxsize=1)
def _code_index() -> dict[str, int]:
    """ISO 639-1 code -> jusText's index of that language (the first list of a code wins)."""
    out: dict[str, int] = {}
    for i in range(len(stoplist_files())):
        out.setdefault(language_code(i), i)
    out.pop(UNSUPPORTED, None)
    return out


@functools.lru_cache(maxsize=128)
def language_code(language: int) -> str:
    """The ISO 639-1 code of a jusText language (Polish -> pl); UNSUPPORTED when it has none."""
    import pycountry

    name = stoplist_files()[language].stem.split("_")[0]
    found = pycountry.languages.get(name=name)
    return getattr(found, "alpha_2", None) or UNSUPPORTED
