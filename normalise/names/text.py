"""Tokens and folded keys: the text primitives the name matcher works on."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from operator import itemgetter

from unidecode import unidecode

from normalise.langid.scripts import IDEOGRAPHIC_CHAR

# Letters (and combining marks, so decomposed diacritics stay inside their word). Digits,
# apostrophes and hyphens split tokens: "Zelenski's" -> Zelenski + s, "Putin-Zelenski" -> 2.
# (Written as runs of either class: the same tokens as one character at a time, fewer steps.)
TOKEN_RE = re.compile(r"(?:[^\W\d_]+|[\u0300-\u036f]+)+")
_COMBINING_MARK = re.compile(r"[\u0300-\u036f]")
_LETTERS_RE = re.compile(r"[^\W\d_]+")
# What may separate the tokens of one multi-word name: a space, a hyphen, an apostrophe, or
# the dot of an abbreviation ("St. Petersburg").
NAME_GAP_RE = re.compile(r"(?: |\u00a0|-|'|’|\. ?|\.)")
NAME_GAPS = frozenset({" ", "\u00a0", "-", "'", "’", ". ", "."})  # NAME_GAP_RE's full matches: a set look-up
_CJK_RE = IDEOGRAPHIC_CHAR
_NOT_AZ = re.compile(r"[^a-z]")
_REPEATS = re.compile(r"(.)\1+")
_ONE_OF_RUN = itemgetter(1)  # the repeated letter once: a C callable, ~2.5x faster than the template r"\1"
_FOLD_CACHE = 1 << 19  # words remembered: the world index folds ~400,000 distinct words once each


class Token:
    """One word of a text and its span (a plain slotted class: documents have hundreds of
    thousands of tokens, and a frozen dataclass is several times slower to build)."""

    __slots__ = ("start", "end", "text")

    def __init__(self, start: int, end: int, text: str):
        self.start = start
        self.end = end
        self.text = text

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    def __eq__(self, other) -> bool:
        return isinstance(other, Token) and (self.start, self.end, self.text) == (other.start, other.end, other.text)

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.text))

    def __repr__(self) -> str:
        return f"Token(start={self.start!r}, end={self.end!r}, text={self.text!r})"


def tokenize(text: str) -> list[Token]:
    # (start() and end() rather than *span(): no tuple built and unpacked per token, ~10% faster)
    return [Token(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]


def words_of(text: str) -> list[str]:
    """The texts of `tokenize(text)`, without building tokens (same order). A text without
    combining marks (most) has the same tokens as runs of letters alone: that simpler regex
    lets the search skip to the next letter in C."""
    return (TOKEN_RE if _COMBINING_MARK.search(text) else _LETTERS_RE).findall(text)


def tokens_of(text: str, words: list[str]) -> list[Token]:
    """`tokenize(text)` from `words_of(text)`, without running the regex again: each word is the
    first occurrence of its text after the previous token, because what lies between tokens holds
    no letter that could start one (a third faster than `tokenize`)."""
    toks = []
    find, end = text.find, 0
    for word in words:
        start = find(word, end)
        end = start + len(word)
        toks.append(Token(start, end, word))
    return toks


def gap_ok(text: str, left: Token, right: Token) -> bool:
    return text[left.end:right.start] in NAME_GAPS


@lru_cache(maxsize=65536)
def is_latin(word: str) -> bool:
    """True for words written in Latin script (with or without diacritics)."""
    if word.isascii():
        return True
    for ch in word:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            if not name.startswith("LATIN"):
                return False
    return True


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


class Folder:
    """Folds a word to a key shared by its spellings across romanisation conventions."""

    def __init__(self, rules: list[list[str]]):
        self.rules = [(a, b) for a, b in rules]
        self.fold = lru_cache(maxsize=_FOLD_CACHE)(self._fold)

    def __getstate__(self) -> dict:
        return {"rules": self.rules}  # the cache wrapper is rebuilt, not pickled

    def __setstate__(self, state: dict) -> None:
        self.rules = state["rules"]
        self.fold = lru_cache(maxsize=_FOLD_CACHE)(self._fold)

    def _fold(self, word: str) -> str:
        s = unidecode(word).lower()
        s = _NOT_AZ.sub("", s)
        for a, b in self.rules:
            s = s.replace(a, b)
        return _REPEATS.sub(_ONE_OF_RUN, s)

    def fold_tokens(self, words: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        return tuple(self.fold(w) for w in words)
