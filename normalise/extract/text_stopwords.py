"""Stop-word share of a line, in the language whose stop words the page uses most.

Article prose is full of function words ("the", "und", "которые"); menus, labels and link
lists are not. The stop lists are jusText's (about 100 languages, Wikipedia-derived), so no
list is written per outlet or per benchmark set.
"""
from __future__ import annotations

import functools
import re
from collections import Counter

_WORD = re.compile(r"[^\W\d_]+")


@functools.lru_cache(maxsize=1)
def languages_by_word() -> dict[str, tuple[int, ...]]:
    """Stop word -> indices of the languages listing it (loaded once per process)."""
    import justext

    names = sorted(justext.get_stoplists())
    by_word: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        for word in justext.get_stoplist(name):
            by_word.setdefault(word.casefold(), []).append(index)
    return {word: tuple(langs) for word, langs in by_word.items()}


def words_of(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def page_stop_language(lines: list[list[str]]) -> int | None:
    """Index of the language whose stop words cover most of the page's words (None: no stop word at all)."""
    by_word = languages_by_word()
    counts: Counter = Counter()
    for words in lines:
        for word in words:
            counts.update(by_word.get(word, ()))
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def stop_share(words: list[str], language: int | None) -> float:
    """Share of the words that are stop words of `language` (0 for no words or no language)."""
    if not words or language is None:
        return 0.0
    by_word = languages_by_word()
    return sum(1 for w in words if language in by_word.get(w, ())) / len(words)
