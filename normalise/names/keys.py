"""Transliteration-aware keys: one key shared by the spellings a name takes in different
romanisation conventions, so that a spelling nobody listed still finds its entity.

`skeleton(word)` folds a Latin-script word to a phonetic skeleton:
- letters only, diacritics dropped (Unidecode), lower case;
- hushing and velar fricatives merge (German tsch/sch, Polish cz/sz, French ch, English sh/ch,
  Slavic kh and zh, h) -> "h": Tschernihiw/Chernihiv, Chamenei/Khamenei, Schoigu/Shoigu;
- hissing sounds merge (s, z, ts, tz, soft c) -> "s": Selenskyj/Zelensky, Scholz/Sholts;
- w -> v, ph -> f, hard c/ck/q -> k, final ff/f -> v (Witkoff/Uitkof, Medwedew/Medvedev);
- gh -> k: Persian writes one sound as gh or q (Ghasem/Qasem, Araghchi/Araqchi);
- the consonant j sound (English dzh, German dsch, soft Italian g) is "j";
- every run of vowels (a e i o u y, and j between or after vowels) is one "a", a final vowel
  run is dropped (Zelenskyy/Zelenskij/Zelenski, Ryutte/Rutte, Bayden/Biden);
- doubled letters collapse.
A key says "could be the same name"; it never decides alone. The matcher adds a spelling
score, the margin over other entities, common-word lists, a minimum key length, and the
context (a given name, a role word, the same spelling accepted elsewhere in the document).
"""
from __future__ import annotations

import re
from functools import lru_cache
from operator import itemgetter

from unidecode import unidecode

_NOT_AZ = re.compile(r"[^a-z]")
# Ordered: longer clusters first, so "tsch" is not read as "t" + "sch".
_CLUSTERS = (
    ("schtsch", "h"), ("shch", "h"), ("szcz", "h"), ("tsch", "h"), ("dsch", "J"), ("dzh", "J"), ("dj", "J"),
    ("sch", "h"), ("tch", "h"), ("tsh", "h"), ("ch", "h"), ("kh", "h"), ("sh", "h"), ("sz", "h"),
    ("cz", "h"), ("zh", "h"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("gh", "k"),
)
_SOFT_C = re.compile(r"c(?=[eiy])")
_SOFT_G = re.compile(r"g(?=[ei])")  # Italian and English: Giorgia, George (a "J" sound, like Dzhordzha)
_INITIAL_U = re.compile(r"^u(?=[aeio])")  # Russian "У" for an English W: Uitkoff, Uilyam
_VOWEL_J = re.compile(r"(?<=[aeiouy])j|j(?=[aeiouy]|$)|^j")
_VOWELS = re.compile(r"[aeiouy]+")
_REPEATS = re.compile(r"(.)\1+")
_ONE_OF_RUN = itemgetter(1)  # the repeated letter once: a C callable, ~2.5x faster than the template r"\1"
_FINAL_F = re.compile(r"f+$")


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    s = _NOT_AZ.sub("", unidecode(word).lower())
    if not s:
        return ""
    s = _INITIAL_U.sub("v", s)
    for a, b in _CLUSTERS:
        s = s.replace(a, b)
    s = _SOFT_C.sub("s", s)
    s = _SOFT_G.sub("J", s)
    s = s.replace("c", "k").replace("q", "k").replace("w", "v").replace("x", "ks")
    s = s.replace("ts", "s").replace("tz", "s").replace("z", "s")
    s = _VOWEL_J.sub("a", s)
    s = _REPEATS.sub(_ONE_OF_RUN, s)
    s = _VOWELS.sub("a", s)
    s = _FINAL_F.sub("v", s)
    s = _REPEATS.sub(_ONE_OF_RUN, s)
    if len(s) > 1 and s.endswith("a"):
        s = s[:-1]
    return s.lower()


def skeletons(word: str) -> tuple[str, ...]:
    """The keys a listed form is stored under: an initial J is a Y in German and Polish
    (Jermak = Yermak) but a J in English (Joe = Dzho), so such a form gets both keys."""
    key = skeleton(word)
    if word[:1] in "Jj" and len(word) > 1:
        english = skeleton("Dzh" + word[1:])
        if english != key:
            return key, english
    return (key,)


def consonants(key: str) -> int:
    """How many consonant sounds a key has: too few and it says nothing about identity."""
    return sum(1 for ch in key if ch != "a")


def phrase_key(words: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(skeleton(w) for w in words)


def phrase_keys(words: tuple[str, ...] | list[str]) -> list[tuple[str, ...]]:
    """Every combination of `skeletons` of the words (a listed form's keys)."""
    keys: list[tuple[str, ...]] = [()]
    for w in words:
        keys = [(*k, v) for k in keys for v in skeletons(w)]
    return keys
