"""People whose given names are syllables (Chinese, Korean, Vietnamese names): spelt as listed only.

A Chinese or Korean given name is one or two syllables, and syllables that differ by one letter
are different names: Jun and Yun, Seok and Sook, Zheng and Zhen. The layers' folding and
transliteration keys merge exactly such letters (j/y, oo/o, a dropped final g), because for a
Russian or Arabic name they are spellings of one sound. So a mention of several words of such a
person is changed only when it is one of the person's listed forms (the canonical name and its
generated romanisations) up to case, diacritics, hyphens, spaces and apostrophes: Kim Jong-un,
KIM JONG UN, To Lam, Chzhao Letszi. Any other spelling is another person's name as far as the
stage can tell (Zhang Yun, a researcher, is not Zhang Jun): left as written, a candidate. A
surname alone (President Xi) is judged by the other rules.
"""
from __future__ import annotations

import re

from unidecode import unidecode

from normalise.names.document import DocumentState
from normalise.names.gazetteer import Entity

# countries whose people's names are written family name first, then a given name of syllables
SYLLABLE_NAME_COUNTRIES = frozenset({"CN", "HK", "MO", "TW", "KR", "KP", "VN"})
_NOT_LETTER = re.compile(r"[^a-z]")


def has_syllable_given_name(ent: Entity) -> bool:
    return ent.type == "person" and ent.country in SYLLABLE_NAME_COUNTRIES


def light(form: str) -> str:
    """A spelling without case, diacritics, hyphens, spaces and apostrophes: Kim Jong-un = KIM JONG UN."""
    return _NOT_LETTER.sub("", unidecode(form).lower())


def spelt_as_listed(ent: Entity, written: str) -> bool:
    """Whether the written mention is one of the entity's listed forms, up to case, diacritics,
    hyphens, spaces and apostrophes (only mentions of several words of such people get here)."""
    want = light(written)
    forms = [ent.canonical, *ent.variants, *(f for cv in ent.context_variants for f in cv.forms)]
    return any(light(f) == want for f in forms)


class SyllableNames(DocumentState):
    """The rule above over a document's accepted mentions."""

    def _keep_listed_syllable_names(self) -> None:
        kept = []
        for m in self.mentions:
            if m.end_tok - m.start_tok > 1 and has_syllable_given_name(m.entity) \
                    and not spelt_as_listed(m.entity, written := self._written(m)):
                self._candidate(m.block, written, m.entity, m.score,
                                "a given name of syllables spelt otherwise than listed: another person's name")
                continue
            kept.append(m)
        self.mentions = kept
