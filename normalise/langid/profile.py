"""What languages.yaml says, turned into fast look-ups for one set of configured languages."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import cast

import yaml

_DATA = Path(__file__).with_name("languages.yaml")
ALL = "all"
_WORD = re.compile(r"[^\W\d_]+")
# Letters the foreign-letter check looks at (lower case): Latin beyond ASCII, and Cyrillic.
_CHECKED_LETTERS = {
    "Latin": [chr(c) for c in range(0xC0, 0x250) if chr(c).isalpha() and chr(c).islower()]
    + [chr(c) for c in range(0x1E00, 0x1F00) if chr(c).isalpha() and chr(c).islower()],
    "Cyrillic": [chr(c) for c in range(0x400, 0x530) if chr(c).isalpha() and chr(c).islower()],
}


@lru_cache(maxsize=1)
def language_data() -> dict:
    with open(_DATA, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    guard = data.get("guard", ALL)
    return {
        "guard": ALL if guard == ALL else tuple(guard or ()),
        "guard_ignore": tuple(data.get("guard_ignore") or ()),
        "scripts": {script: tuple(langs) for script, langs in (data.get("scripts") or {}).items()},
        "alphabets": {lang: str(letters or "") for lang, letters in (data.get("alphabets") or {}).items()},
        "cues": {lang: str(letters) for lang, letters in (data.get("cues") or {}).items()},
        "function_words": {lang: str(words).split() for lang, words in (data.get("function_words") or {}).items()},
    }


def script_of_language(code: str | None) -> str:
    for script, langs in language_data()["scripts"].items():
        if code in langs:
            return script
    return "Latin"


@dataclass
class Route:
    """How a block in one script is identified: directly, or by lingua among `candidates`."""

    language: str | None = None  # settled by the script alone ("unsupported" when no configured language uses it)
    candidates: tuple[str, ...] = ()


@dataclass
class LanguageProfile:
    languages: tuple[str, ...]
    routes: dict[str, Route] = field(default_factory=dict)
    foreign: dict[str, re.Pattern] = field(default_factory=dict)  # script -> letters no configured language uses
    cues: dict[str, re.Pattern] = field(default_factory=dict)  # language -> its cue letters
    words: dict[str, str] = field(default_factory=dict)  # function word -> the one configured language using it
    alphabets: dict[str, frozenset[str]] = field(default_factory=dict)
    scripts: dict[str, str] = field(default_factory=dict)  # configured language -> its script
    with_words: frozenset[str] = frozenset()  # configured languages that have a function-word list

    def route(self, script: str) -> Route:
        return self.routes.get(script) or Route(language="unsupported")

    def foreign_letters(self, text: str, script: str) -> int:
        """How many of the text's letters no configured language of its script uses."""
        pattern = self.foreign.get(script)
        return len(pattern.findall(text)) if pattern is not None and not text.isascii() else 0

    def script_of(self, lang: str | None) -> str | None:
        return None if lang is None else self.scripts.get(lang, "Latin")

    def cue_language(self, text: str, candidates: tuple[str, ...]) -> str | None:
        """The one candidate whose cue letters the text has, if no other candidate's cues appear."""
        present = [lang for lang in candidates if lang in self.cues and self.cues[lang].search(text)]
        return present[0] if len(present) == 1 else None

    def has_cues(self, text: str, candidates: tuple[str, ...]) -> bool:
        return any(lang in self.cues and self.cues[lang].search(text) for lang in candidates)

    def word_hits(self, text: str) -> tuple[int, dict[str, int]]:
        """(number of words, function-word hits per configured language)."""
        tokens = _WORD.findall(text.lower())
        hits = Counter(map(self.words.get, tokens))  # counted in C
        hits.pop(None, None)
        return len(tokens), cast(dict[str, int], hits)

    def outside_alphabet(self, text: str, lang: str) -> bool:
        """Whether a Latin-script text has non-ASCII letters `lang` does not use (ñ on an English page)."""
        alphabet = self.alphabets.get(lang)
        if alphabet is None or text.isascii():
            return False
        return any(ch.isalpha() and not ch.isascii() and ch.lower() not in alphabet for ch in text)


def _letter_class(letters: str) -> re.Pattern:
    """A character class of these lower-case letters and their capitals (ſ -> S, ı -> I and
    ǰ -> J + caron are not theirs: a capital that is ASCII or two characters is left out)."""
    both = set(letters)
    for ch in letters:
        upper = ch.upper()
        if len(upper) == 1 and not upper.isascii():
            both.add(upper)
    return re.compile("[" + re.escape("".join(sorted(both))) + "]")


@lru_cache(maxsize=16)
def profile_for(languages: tuple[str, ...]) -> LanguageProfile:
    data = language_data()
    configured = set(languages)
    profile = LanguageProfile(languages=languages)
    listed = {lang for langs in data["scripts"].values() for lang in langs}
    by_script: dict[str, list[str]] = {"Latin": sorted(code for code in configured if code not in listed)}
    for script, langs in data["scripts"].items():
        by_script[script] = sorted(configured & set(langs))
    for script, mine in by_script.items():
        lingua_langs = data["scripts"].get(script)  # None for Latin: many languages
        if not mine:
            profile.routes[script] = Route(language="unsupported")
        elif lingua_langs is not None and len(lingua_langs) == 1:
            profile.routes[script] = Route(language=mine[0])
        else:
            profile.routes[script] = Route(candidates=tuple(mine))
    for script, letters in _CHECKED_LETTERS.items():
        mine = by_script.get(script) or []
        if not mine or any(lang not in data["alphabets"] for lang in mine):
            continue  # an alphabet we do not know: every letter could be the language's own
        used = set("".join(data["alphabets"][lang] for lang in mine))
        foreign = "".join(ch for ch in letters if ch not in used)
        if foreign:
            profile.foreign[script] = _letter_class(foreign)
    for lang, letters in data["cues"].items():
        if lang in configured and letters:
            profile.cues[lang] = _letter_class(letters)
    owners: dict[str, set[str]] = {}
    for lang, words in data["function_words"].items():
        for word in words:
            owners.setdefault(word.lower(), set()).add(lang)
    # Only words that tell the configured languages apart (listed for exactly one language).
    profile.words = {w: next(iter(langs)) for w, langs in owners.items() if len(langs) == 1 and langs <= configured}
    profile.with_words = frozenset(profile.words.values())
    profile.scripts = {lang: script for script, langs in by_script.items() for lang in langs}
    profile.alphabets = {lang: frozenset(letters) for lang, letters in data["alphabets"].items() if lang in configured}
    return profile
