"""Common words of a configured language (wordfreq's most frequent words), for the trigram step.

Foreign text in plain ASCII letters (Basque, Finnish, Indonesian) can look like the page's language
to the configured languages' trigrams, but few of its words are that language's common words.
Importing wordfreq and reading its list cost ~0.15 s of CPU for English (~0.3 s for Russian), on
the first page that needs it, so each language's set is kept in the cache directory.
"""
from __future__ import annotations

import hashlib
import logging
import pickle
import re
from functools import cache
from importlib.metadata import version
from pathlib import Path

COMMON_WORDS = 20_000  # top words per language
CACHE_STEM = "common-words"
_WORD = re.compile(r"[^\W\d_]+")
_log = logging.getLogger(__name__)


@cache
def common_words(lang: str) -> frozenset[str] | None:
    """The language's COMMON_WORDS most frequent words, or None when wordfreq has no list for it."""
    from normalise.names.pickle_cache import load_pickled, write_pickled

    path = _cache_path(lang)
    try:
        return load_pickled(path, frozenset, "common words")
    except FileNotFoundError:
        pass
    except (OSError, TypeError, EOFError, pickle.UnpicklingError) as exc:
        _log.warning("common-word cache %s is unreadable (%s): reading wordfreq's list again", path, exc)
    from wordfreq import top_n_list

    try:
        words = frozenset(top_n_list(lang, COMMON_WORDS))
    except LookupError:
        return None
    try:
        write_pickled(path, words)
    except OSError as exc:  # a read-only cache directory: the next process reads wordfreq again
        _log.info("common-word cache not written to %s (%s)", path, exc)
    return words


def _cache_path(lang: str) -> Path:
    from normalise.names.build.compiled import cache_dir

    key = hashlib.sha256(f"{lang}:{COMMON_WORDS}:{version('wordfreq')}".encode()).hexdigest()[:16]
    return cache_dir() / f"{CACHE_STEM}-{lang}-{key}.pickle"


def common_share(text: str, lang: str) -> float | None:
    """Share of the text's words that are common words of `lang`; None: no words, or no list for `lang`."""
    words = _WORD.findall(text.lower())
    known = common_words(lang) if words else None
    if known is None:
        return None
    return sum(word in known for word in words) / len(words)
