"""Which writing system a piece of text is (mostly) in, from Unicode character names."""
from __future__ import annotations

import unicodedata
from collections import Counter

# Unicode name prefixes -> script names used in languages.yaml.
_PREFIXES = (
    ("LATIN", "Latin"), ("CYRILLIC", "Cyrillic"), ("GREEK", "Greek"), ("CJK", "Han"),
    ("HIRAGANA", "Han"), ("KATAKANA", "Han"), ("HANGUL", "Hangul"), ("ARABIC", "Arabic"),
    ("HEBREW", "Hebrew"), ("DEVANAGARI", "Devanagari"), ("THAI", "Thai"), ("GEORGIAN", "Georgian"),
    ("ARMENIAN", "Armenian"),
)


def letter_count(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def dominant_script(text: str) -> str | None:
    """The script most letters belong to; None when the text has no letters."""
    counts: Counter[str] = Counter()
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        for prefix, script in _PREFIXES:
            if name.startswith(prefix):
                counts[script] += 1
                break
        else:
            counts["Other"] += 1
    return counts.most_common(1)[0][0] if counts else None
