"""Which line of a text dump is the headline: never a navigation line.

A browser's copy of a page starts with whatever sits above the article: a menu
("Startseite | Politik | Sport"), a site name, a login link. The title is the first line that
reads like a headline: a few words to a long phrase, not a sentence ending in a full stop, and
not navigation (items split by separators, or a row of capitalised words without a single
function word, the way menus read and headlines, even in headline case, do not).
"""
from __future__ import annotations

import re

from normalise.extract.text_stopwords import page_stop_language, stop_share, words_of

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_SEPARATOR = re.compile(r"\s[|·•»›/\\>]\s|\s?[|｜•·]\s?|\t")
_FULL_STOP = re.compile(r"[.。;；…:：]['\"”’»)]*$")
_MIN_WORDS, _MAX_WORDS = 3, 30
_MIN_CJK, _MAX_CJK = 6, 60
SEARCH_LINES = 40  # a headline further down than this is not the page's title


def separator_count(text: str) -> int:
    return len(_SEPARATOR.findall(text))


def is_navigation(text: str, language: int | None) -> bool:
    """Menu items joined by separators, or four or more capitalised words with no short function word
    ("of", "and", "der": a headline in headline case has them; the stop lists also hold nouns like "home")."""
    if separator_count(text) >= 2:
        return True
    if _CJK.search(text):
        return False
    tokens = text.split()
    words = words_of(text)
    if len(tokens) < 4 or not words:
        return False
    capitalised = sum(1 for t in tokens if t[:1].isupper())
    return capitalised == len(tokens) and stop_share([w for w in words if len(w) <= 3], language) == 0.0


def looks_like_headline(text: str, language: int | None) -> bool:
    text = text.strip()
    if not text or _FULL_STOP.search(text) or "://" in text:
        return False
    cjk = len(_CJK.findall(text))
    if cjk >= len(text) / 3:
        if not _MIN_CJK <= cjk <= _MAX_CJK:
            return False
    elif not _MIN_WORDS <= len(text.split()) <= _MAX_WORDS:
        return False
    return not is_navigation(text, language)


_SENTENCE_END = re.compile(r"[.!?。！？…]['\"”’»)]*$")


def reads_as_prose(text: str) -> bool:
    """A paragraph of running text: long, or a sentence of some length (CJK characters count as words)."""
    cjk = len(_CJK.findall(text))
    n = len(text.split()) + cjk
    return n >= 20 or (n >= 8 and bool(_SENTENCE_END.search(text)))


def title_index(lines: list[str], language: int | None) -> int | None:
    """Index of the first headline-like line above the first prose line (within SEARCH_LINES), or None:
    a headline under running text heads a section, not the page."""
    for index, line in enumerate(lines[:SEARCH_LINES]):
        if looks_like_headline(line, language):
            return index
        if reads_as_prose(line):
            return None
    return None


def first_headline(texts: list[str], page: list[str]) -> int | None:
    """Index of the first of `texts` that reads like a headline, in the stop-word language of `page`."""
    language = page_stop_language([words_of(t) for t in page])
    return next((i for i, text in enumerate(texts) if looks_like_headline(text, language)), None)
