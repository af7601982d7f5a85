"""A known person's name that many other people share: a name made only of given names
(Mohamed Mostafa, Ahmed Hassan) in a machine-made spelling is most often a namesake's (a trader,
a company's head), unless an office is named next to it or the document otherwise agrees."""
from __future__ import annotations

import re

# Offices a known person of the gazetteer holds: one of them next to the name says the
# politician is meant (Prime Minister Mohammed Moustafa; Mahmud Abbas, the Palestinian president).
OFFICE_RE = re.compile(r"\b(?:president|prime minister|premier|minister|chancellor|king|queen|emir|prince|"
                       r"sheikh|leader|commander|general|mayor|governor|speaker|ambassador|envoy|spokesman|"
                       r"spokeswoman)\b", re.IGNORECASE)

NAMESAKE = "a namesake's"  # the end of the reason recorded for such a name


def given_names_only(words: list[str], fold, given_owner: dict) -> bool:
    """Whether every one of two or more written words is some known person's given name
    (`fold`: the index's folding of a word; `given_owner`: folded given name -> its people)."""
    return len(words) > 1 and all(fold(w) in given_owner for w in words)


def office_near(text: str, start: int, end: int, window: int) -> str | None:
    """An office word within `window` characters of the span, if any."""
    m = OFFICE_RE.search(text[max(0, start - window):end + window])
    return m.group().lower() if m else None
