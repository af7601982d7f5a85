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
"""
from __future__ import annotations

import functools

from normalise.extract.text_stopwords import _stoplist_files, language_index, stop_counts

UNSUPPORTED = "unsupported"
MIN_STOPS = 3  # stop words of one language in the "unsupported" blocks that name it


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
        else:
            out.append(None if lang in ("en", None) else lang)
    return out


def _stop_language(blocks: list[list[str]]) -> tuple[int, str] | None:
    """jusText's index and the code of the language the blocks' stop words name, if any."""
    english = language_index("English")
    counts = stop_counts([[w.casefold() for w in words] for words in blocks])
    top = next((lang for lang, _ in counts.most_common() if lang not in _english()), None)
    if top is None or counts[top] < MIN_STOPS or counts[top] <= 2 * counts[english]:
        return None
    return top, language_code(top)


def _more_english(words: list[str], language: int) -> bool:
    counts = stop_counts([[w.casefold() for w in words]])
    return counts[language_index("English")] > counts[language]


@functools.lru_cache(maxsize=1)
def _english() -> frozenset[int]:
    """jusText's English lists (English, Simple English): none of them names another language."""
    return frozenset(i for i, path in enumerate(_stoplist_files()) if path.stem.endswith("English"))


@functools.lru_cache(maxsize=128)
def language_code(language: int) -> str:
    """The ISO 639-1 code of a jusText language (Polish -> pl); UNSUPPORTED when it has none."""
    import pycountry

    name = _stoplist_files()[language].stem.split("_")[0]
    found = pycountry.languages.get(name=name)
    return getattr(found, "alpha_2", None) or UNSUPPORTED
