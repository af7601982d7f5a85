"""Common words of a configured language (wordfreq's most frequent words), for the trigram step.

Foreign text in plain ASCII letters (Basque, Finnish, Indonesian) can look like the page's language
to the configured languages' trigrams, but few of its words are that language's common words.
"""
from __future__ import annotations

import re
from functools import cache

# Top words per language; English loads in ~0.05 s of CPU, Russian ~0.2 s (wordfreq reads its whole list).
COMMON_WORDS = 20_000
_WORD = re.compile(r"[^\W\d_]+")


@cache
def common_words(lang: str) -> frozenset[str] | None:
    """The language's COMMON_WORDS most frequent words, or None when wordfreq has no list for it."""
    from wordfreq import top_n_list

    try:
        return frozenset(top_n_list(lang, COMMON_WORDS))
    except LookupError:
        return None


def common_share(text: str, lang: str) -> float | None:
    """Share of the text's words that are common words of `lang`; None: no words, or no list for `lang`."""
    words = _WORD.findall(text.lower())
    known = common_words(lang) if words else None
    if known is None:
        return None
    return sum(word in known for word in words) / len(words)
