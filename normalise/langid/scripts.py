"""Which writing system the letters of a text belong to, and the one home of script ranges.

`CJK_CHAR`, `IDEOGRAPHIC_CHAR` and `NO_SPACE_CHAR` match characters of the scripts that need
their own text measures (a CJK character carries about a word); `ending_with` builds the
"ends like a sentence" tests, with `SENTENCE_END` the common one.

It runs on every block of every page, so the common scripts (Latin, Greek, Cyrillic, Chinese,
Japanese) are counted with C-level byte operations on the UTF-16 code units' high bytes (the
256-character "page" of each character); text with characters from any other page takes the
exact, slower path (str.translate over a table of every script's letters).
"""
from __future__ import annotations

import functools
import re

# Unicode blocks of the scripts named in languages.yaml (only letters are counted).
_RANGES = {
    "Latin": [(0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF)],
    "Greek": [(0x370, 0x3FF), (0x1F00, 0x1FFF)],
    "Cyrillic": [(0x400, 0x52F)],
    "Armenian": [(0x531, 0x58F)],
    "Hebrew": [(0x590, 0x5FF)],
    "Arabic": [(0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)],
    "Devanagari": [(0x900, 0x97F)],
    "Bengali": [(0x980, 0x9FF)],
    "Gurmukhi": [(0xA00, 0xA7F)],
    "Gujarati": [(0xA80, 0xAFF)],
    "Tamil": [(0xB80, 0xBFF)],
    "Telugu": [(0xC00, 0xC7F)],
    "Thai": [(0xE00, 0xE7F)],
    "Georgian": [(0x10A0, 0x10FF)],
    "Hangul": [(0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)],
    # Not U+30FB/U+30FC (middle dot, long vowel mark): Chinese text uses the dot between name parts.
    "Kana": [(0x3041, 0x3096), (0x30A1, 0x30FA), (0x31F0, 0x31FF), (0xFF66, 0xFF9D)],
    "Han": [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF)],
}
SCRIPTS = tuple(_RANGES)
# A Chinese/Japanese/Korean character carries about as much as three Latin letters (a word is
# ~1.5 characters against ~4.7 letters): "用法：git remote add <名称>" is Chinese.
_WEIGHT = {"Han": 3, "Kana": 3, "Hangul": 3}
# Japanese has kana in nearly every sentence; a lone katakana loan in Chinese text does not make it Japanese.
KANA_SHARE = 0.1

_LETTER = re.compile(r"[^\W\d_]")
_KANA = re.compile("[\u3041-\u3096\u30a1-\u30fa\u31f0-\u31ff\uff66-\uff9d]")

# -- whole Unicode blocks, for text measures --------------------------------------------------
# Chinese and Japanese, written without spaces between words: kana blocks whole (marks such as
# the long vowel sign are part of a word), the unified and compatibility ideographs, and the
# supplementary-plane ideographs (rare names).
IDEOGRAPHIC = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
HANGUL_SYLLABLES = "\uac00-\ud7af"
THAI = "\u0e00-\u0e7f"
IDEOGRAPHIC_CHAR = re.compile(f"[{IDEOGRAPHIC}]")
# A character that counts as a short word in length and word-count measures.
CJK_CHAR = re.compile(f"[{IDEOGRAPHIC}{HANGUL_SYLLABLES}]")
# Scripts whose text is compared by characters rather than words (Thai has no spaces either).
NO_SPACE_CHAR = re.compile(f"[{IDEOGRAPHIC}{HANGUL_SYLLABLES}{THAI}]")

# Closing quotes and brackets that may follow a sentence's last mark.
CLOSERS = "'\"”’»)"
# Marks that end a sentence in the languages served (full-width forms for Chinese and Japanese).
SENTENCE_MARKS = ".!?。！？…"


def ending_with(marks: str) -> re.Pattern[str]:
    """Text ending with one of `marks`, then any closing quotes."""
    return re.compile(f"[{re.escape(marks)}][{re.escape(CLOSERS)}]*$")


SENTENCE_END = ending_with(SENTENCE_MARKS)


def cjk_count(text: str) -> int:
    return len(CJK_CHAR.findall(text))


# -- exact path: every script letter -> one private-use code character ------------------------
_CODES = {script: chr(0xF0000 + i) for i, script in enumerate(SCRIPTS)}


@functools.cache
def _translation() -> dict[int, str | None]:
    """Built on first use (tens of ms, at every start-up otherwise): most text never needs it."""
    table: dict[int, str | None] = {ord(c): None for c in _CODES.values()}
    for script, ranges in _RANGES.items():
        for lo, hi in ranges:
            for cp in range(lo, hi + 1):
                if chr(cp).isalpha():
                    table[cp] = _CODES[script]
    return table

# -- fast path: pages (high byte of the UTF-16 code unit) -------------------------------------
_NON_LETTER_LATIN1 = bytes(b for b in range(256) if not chr(b).isalpha())
_LATIN_PAGES = (0x01, 0x02, 0x1E)
_GREEK_PAGES = (0x03, 0x1F)
_HAN_PAGES = tuple(range(0x34, 0x4E)) + tuple(range(0x4E, 0xA0)) + (0xF9, 0xFA) + tuple(range(0xD8, 0xDC))
# Pages counted by the fast path (plus punctuation/symbol pages that hold no letters it cares about).
_FAST_PAGES = bytes(sorted({0x00, 0x04, 0x20, 0x21, 0x22, 0x25, 0x26, 0x27, 0x30, 0xFF, 0xFE, 0xDC, 0xDD, 0xDE, 0xDF}
                           | set(_LATIN_PAGES) | set(_GREEK_PAGES) | set(_HAN_PAGES)))
_HAN_ONLY = bytes(b for b in range(256) if b not in _HAN_PAGES)


def script_counts(text: str) -> dict[str, int]:
    """Letters per script; letters of scripts not listed above count as "Other"."""
    if text.isascii():
        n = len(text.encode("ascii").translate(None, _NON_LETTER_LATIN1))
        return {"Latin": n} if n else {}
    high = text.encode("utf-16-le", "surrogatepass")[1::2]
    if high.translate(None, _FAST_PAGES):
        return _exact_counts(text)
    counts = {
        "Latin": len(text.encode("latin-1", "ignore").translate(None, _NON_LETTER_LATIN1))
        + sum(high.count(p) for p in _LATIN_PAGES),
        "Greek": sum(high.count(p) for p in _GREEK_PAGES),
        "Cyrillic": high.count(0x04),
        "Han": len(high.translate(None, _HAN_ONLY)),
        "Kana": len(_KANA.findall(text)) if (0x30 in high or 0xFF in high) else 0,
    }
    return {s: n for s, n in counts.items() if n}


def _exact_counts(text: str) -> dict[str, int]:
    coded = text.translate(_translation())
    counts = {s: coded.count(c) for s, c in _CODES.items() if c in coded}
    other = len(_LETTER.findall(text)) - sum(counts.values())
    if other > 0:
        counts["Other"] = other
    return counts


def block_script(counts: dict[str, int]) -> str | None:
    """The script of a block: the one most (weighted) letters belong to, except that Chinese characters with
    enough kana are Japanese ("Kana"). None when there are no letters."""
    if not counts:
        return None
    han, kana = counts.get("Han", 0), counts.get("Kana", 0)
    if kana and kana >= KANA_SHARE * (han + kana):
        counts = dict(counts, Kana=han + kana, Han=0)
    return max(counts.items(), key=lambda kv: kv[1] * _WEIGHT.get(kv[0], 1))[0]


def dominant_script(text: str) -> str | None:
    return block_script(script_counts(text))


def letter_count(text: str) -> int:
    return sum(script_counts(text).values())
