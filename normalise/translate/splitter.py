"""Offline sentence splitting for every configured language, Chinese included.

Argos' own splitters (MiniSBD, Stanza, spaCy) download models at run time; this
one is rules plus per-language abbreviation lists (abbreviations.yaml), which is
what a translation model needs: a unit short enough to translate well, never cut
inside a sentence where avoidable (a missed split only makes a longer unit; a wrong
split breaks a sentence). Overlong units are cut at clause punctuation, then spaces,
so the model never sees more than MAX_UNIT_CHARS characters at once.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from normalise.langid.scripts import IDEOGRAPHIC_CHAR

MAX_UNIT_CHARS = 400
MAX_UNIT_CHARS_CJK = 160

_CLOSERS = "\"'»”’)]}›」』）》】"
_OPENERS = "\"'«“‘([{‹「『（《【¿¡"
# A sentence end: terminal punctuation (plus closing quotes), then whitespace. Linear on any
# input: a match starts only at the first mark of a run (lookbehind) and the runs are possessive,
# so a run of 200,000 dots is one failed attempt, not one backtracking scan per dot (quadratic).
_LATIN_END = re.compile(r"(?<![.!?…])([.!?…]++|;(?=\s))"
                        r"([" + re.escape(_CLOSERS) + r"]*+)(\s+)")
# Chinese/Japanese full-width terminals end a sentence with or without following space.
_CJK_END = re.compile(r"(?<![。！？!?；;…])([。！？!?；;…]++)([" + re.escape(_CLOSERS) + r"]*+)\s*+")
_CJK_CHAR = IDEOGRAPHIC_CHAR
_CLAUSE = re.compile(r"[,;:，；：、]\s*")
_SPACES = re.compile(r"\s+")
_WORDS_WINDOW = 200  # characters before a dot read to decide whether it ends an abbreviation
_DOTTED = re.compile(r"^(\w\.)+\w?$")  # U.S / z.B / т.е


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, frozenset[str]]:
    with open(Path(__file__).with_name("abbreviations.yaml"), encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return {lang: frozenset(str(w).lower() for w in (words or [])) for lang, words in data.items()}


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences of one line of text, stripped, in order; '' gives []."""
    text = text.strip()
    if not text:
        return []
    if lang in ("zh", "ja") or len(_CJK_CHAR.findall(text)) > len(text) // 3:
        pieces = _split_cjk(text)
    else:
        pieces = _split_latin(text, lang)
    out = []
    for piece in pieces:
        out.extend(_cap_length(piece, MAX_UNIT_CHARS_CJK if _CJK_CHAR.search(piece) else MAX_UNIT_CHARS))
    return out


def _split_cjk(text: str) -> list[str]:
    out, start = [], 0
    for m in _CJK_END.finditer(text):
        if m.group(1) in (";", "!", "?") and not _CJK_CHAR.search(text[max(0, m.start() - 1):m.start()]):
            continue  # ASCII punctuation inside embedded Latin text: leave it to the Latin rules
        out.append(text[start:m.end()].strip())
        start = m.end()
    if start < len(text):
        out.append(text[start:].strip())
    return [s for s in out if s]


def _split_latin(text: str, lang: str) -> list[str]:
    abbreviations = _abbreviations().get(lang, frozenset()) | _abbreviations().get("en", frozenset())
    out, start = [], 0
    for m in _LATIN_END.finditer(text):
        end, nxt = m.end(), text[m.end():m.end() + 1]
        if not nxt:
            break
        if m.group(1) == ";" and lang != "el":  # only Greek writes its question mark as ';'
            continue
        if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS or _CJK_CHAR.match(nxt)):
            continue
        # Only the last words before the dot matter: a bounded window keeps a long run of
        # abbreviations (no split, so `start` stays put) linear instead of re-reading it all.
        before = text[max(start, m.start() - _WORDS_WINDOW):m.start()]
        if m.group(1) == "." and _is_abbreviation(before, abbreviations, lang, nxt):
            continue
        out.append(text[start:m.start() + len(m.group(1)) + len(m.group(2))].strip())
        start = end
    out.append(text[start:].strip())
    return [s for s in out if s]


def _is_abbreviation(before: str, abbreviations: frozenset[str], lang: str, nxt: str) -> bool:
    word = before.rsplit(None, 1)[-1] if before.strip() else ""
    word = word.lstrip(_OPENERS)
    if not word:
        return False
    if len(word) == 1 and word.isalpha():  # an initial: "V. Putin", "В. Путин"
        return True
    if _DOTTED.match(word):
        return True
    if word.lower() in abbreviations:
        return True
    # German ordinals: "am 3. Mai", "der 2. Weltkrieg", "zum 5. Mal" (but "Artikel 5. Danach" ends)
    if lang == "de" and word.isdigit() and len(word) <= 2:
        previous = before.rsplit(None, 2)[-2].lower() if len(before.split()) >= 2 else ""
        return previous in _GERMAN_ORDINAL_CUES
    return False


_GERMAN_ORDINAL_CUES = frozenset(
    "am an im vom zum zur bis ab seit der die das den dem des ein einem einer eines jeden jedem "
    "vor nach zwischen ihr ihrem ihren sein seinem seinen".split())


def _cap_length(sentence: str, limit: int) -> list[str]:
    """Cut an overlong unit at the clause break (else space) nearest its middle, recursively."""
    if len(sentence) <= limit:
        return [sentence]
    middle = len(sentence) // 2
    # Breaks are looked for near the middle first: listing every break of a 200,000-character
    # unit at each level of the recursion made hostile pages cost seconds.
    lo, hi = max(0, middle - limit), min(len(sentence), middle + limit)
    cut = (_nearest_break(_CLAUSE, sentence, lo, hi, middle) or _nearest_break(_CLAUSE, sentence, 0, len(sentence), middle)
           or _nearest_break(_SPACES, sentence, lo, hi, middle)
           or _nearest_break(_SPACES, sentence, 0, len(sentence), middle) or middle)
    return _cap_length(sentence[:cut].strip(), limit) + _cap_length(sentence[cut:].strip(), limit)


def _nearest_break(pattern: re.Pattern, sentence: str, lo: int, hi: int, middle: int) -> int | None:
    """The end of the break in sentence[lo:hi] nearest `middle`, not at either edge; None if none."""
    cuts = [c for c in (m.end() for m in pattern.finditer(sentence, lo, hi)) if 0 < c < len(sentence)]
    return min(cuts, key=lambda c: abs(c - middle)) if cuts else None
