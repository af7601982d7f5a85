"""Stop-word share of a line, in the language whose stop words the page uses most.

Article prose is full of function words ("the", "und", "которые"); menus, labels and link
lists are not. The stop lists are jusText's (about 100 languages, Wikipedia-derived), so no
list is written per outlet or per benchmark set.
"""
from __future__ import annotations

import functools
import importlib.util
import re
from collections import Counter
from itertools import chain
from pathlib import Path

_WORD = re.compile(r"[^\W\d_]+")
_LINE_BREAK = re.compile("\r\n|\r|\n")


@functools.lru_cache(maxsize=1)
def _stoplist_files() -> list[Path]:
    """jusText's stop-list files, sorted by language name (a language's index is its place here)."""
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jusText's stop lists are not installed (package justext)")
    folder = Path(next(iter(spec.submodule_search_locations))) / "stoplists"
    return sorted((p for p in folder.iterdir() if p.suffix == ".txt"), key=lambda p: p.stem)


@functools.lru_cache(maxsize=1)
def languages_by_word() -> dict[str, tuple[int, ...]]:
    """Stop word -> indices of the languages listing it (loaded once per process). The lists are
    jusText's files, read here directly: the same words as justext.get_stoplist (per line, lower
    case), in half the time, without importing jusText (the first text page waits for this)."""
    by_word: dict[str, tuple[int, ...]] = {}
    for index, path in enumerate(_stoplist_files()):
        lines = _LINE_BREAK.split(path.read_bytes().decode("utf8"))
        if lines[-1] == "":  # bytes.splitlines, as jusText splits: no empty line after the last break
            lines.pop()
        for word in {line.lower() for line in lines}:
            key = word.casefold()
            by_word[key] = by_word.get(key, ()) + (index,)
    return by_word


def words_of(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def page_stop_language(lines: list[list[str]]) -> int | None:
    """Index of the language whose stop words cover most of the page's words (None: no stop word at all)."""
    counts = stop_counts(lines)
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def stop_counts(lines: list[list[str]]) -> Counter:
    """Language index -> how many of the (casefolded) words are its stop words."""
    by_word = languages_by_word()
    # one Counter over all the stop words' languages (counted in C), not an update per word:
    # the same counts, first seen first (most_common's order among ties)
    return Counter(chain.from_iterable(langs for words in lines for word in words if (langs := by_word.get(word))))


@functools.lru_cache(maxsize=8)
def language_index(name: str) -> int:
    """The index of a jusText language by name ("English"), as `page_stop_language` returns it."""
    return [path.stem for path in _stoplist_files()].index(name)


def is_stop_word(word: str, language: int | None) -> bool:
    """Whether `word` is a stop word of `language` (an index from `page_stop_language`)."""
    return language is not None and language in languages_by_word().get(word.casefold(), ())


def stop_share(words: list[str], language: int | None) -> float:
    """Share of the words that are stop words of `language` (0 for no words or no language)."""
    if not words or language is None:
        return 0.0
    by_word = languages_by_word()
    return sum(1 for w in words if language in by_word.get(w, ())) / len(words)
