"""What the text around a mention says about it: a history phrase or a longer name around a
place, a person's given name or another name next to a surname, a role word next to a name, a
context-only form's context, and whether a close spelling reads as something else
(names.written)."""
from __future__ import annotations

import re

from normalise.names.document import PARTICLES, DocumentState, Mention
from normalise.names.gazetteer import Entity
from normalise.names.index import Form
from normalise.names.text import Token
from normalise.names.written import folded_refusal, zipf


class MentionEvidence(DocumentState):
    def _historical(self, bi: int, s: int, e: int) -> str | None:
        """Why an old or foreign name of a place is left alone here, if it is: it follows
        "Battle of", "Siege of", "Grand Prince of" ... (history), or a capitalised word follows
        it within the name (Odessa Steps, Peking University, Leningrad Oblast: another name)."""
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        before = tuple(t.text.lower() for t in toks[max(0, s - 3):s])
        for phrase in self.index.history_before:
            if before[-len(phrase):] == phrase:
                return f"historical name ({' '.join(phrase)} ...)"
        if s >= 2 and toks[s - 1].text in PARTICLES and toks[s - 2].capitalised:
            return f"part of a longer name ({text[toks[s - 2].start:toks[e - 1].end]})"  # Costa del Sol
        if e < len(toks):
            nxt, last = toks[e], toks[e - 1]
            headline = last.text.isupper() and nxt.text.isupper()
            if nxt.capitalised and text[last.end:nxt.start] == " " and not headline:
                return f"part of a longer name ({text[toks[s].start:nxt.end]})"
        return None

    def _after_unknown_name(self, bi: int, s: int) -> bool:
        """A capitalised word inside a sentence right in front of a place form that is no known
        name, title or English word (Samus Aran, Anjelica Huston), or that is an English word
        the document never writes in lower case, after a word in lower case (coach Annie Lahey,
        quarterback Tony Romo; not a headline in title case) and that names nothing known (or only
        places rarer than the word: Annie): the words are someone's name."""
        if s < 2:
            return False
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        prev = toks[s - 1]
        if text[prev.end:toks[s].start] != " " or _SENTENCE_START.search(text[toks[s - 2].end:prev.start]):
            return False
        if self._unknown_name_word(prev.text):
            return True
        before = toks[s - 2]
        return (before.text[:1].islower() and text[before.end:prev.start] == " " and prev.capitalised
                and not prev.text.isupper() and not self.ordinary.writes_lower(prev.text)
                and not self.index.is_title(prev.text) and not self._may_name_known(prev.text))

    def _may_name_known(self, word: str) -> bool:
        """Whether a capitalised word may be a known name: one of its forms, unless every entity
        it would name is a place that English writes less often than the word (Annie, a name
        of Angers: a word, or a person's given name)."""
        index = self.index
        forms = index.english.norm.get((index.folder.fold(word),))
        if forms is None:
            return index.folder.fold(word) in index.known_folds
        return any(f.entity.type != "place" or zipf(f.entity.canonical) >= zipf(word) for f in forms)

    def _named_ids(self) -> set[str]:
        """The entities the accepted mentions name, as evidence for a doubtful mention of the
        same entity elsewhere. A one-word mention of a person right before a capitalised word
        (*Dan Garrison*, left unchanged: it is the listed form) most likely names someone else
        whose given name it is: it vouches for nothing (*Dane, Wisconsin* is not Nicușor Dan). Nor
        does one right after a capitalised word that is no title nor English word (*the
        playwright Alan Bennett* is not Naftali Bennett, *Julián Álvarez* not Roberto Álvarez)."""
        return {m.entity.id for m in self.mentions if not self._one_word_of_another_name(m)}

    def _one_word_of_another_name(self, m: Mention) -> bool:
        if m.another_name is None:
            m.another_name = self._reads_as_another_name(m)
        return m.another_name

    def _reads_as_another_name(self, m: Mention) -> bool:
        if m.entity.type != "person" or m.end_tok - m.start_tok != 1:
            return False
        after = self._word_after(m.block, m.end_tok)
        return (after is not None and after.capitalised and not m.cut) or self._after_name_word(m.block, m.start_tok)

    def _after_name_word(self, bi: int, s: int) -> bool:
        """A capitalised word right in front that is no title nor English word (opening a
        sentence or not: an English word opening one is excluded as a word)."""
        if s < 1:
            return False
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        prev = toks[s - 1]
        if text[prev.end:toks[s].start] != " " or not prev.capitalised or prev.text.isupper():
            return False
        return not self.index.is_title(prev.text) and prev.text.lower() not in self.index.common

    def _word_after(self, bi: int, e: int) -> Token | None:
        """The word right after a span ending before token `e`, one space between (None when
        the span ends the block or something else stands between)."""
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        return toks[e] if e < len(toks) and text[toks[e - 1].end:toks[e].start] == " " else None

    def _before_unknown_name(self, bi: int, e: int) -> bool:
        """A capitalised word that is no known name, title or word right after a place form
        (Huston Huddleston): the words are someone's name (not Odessa Steps, Peking University)."""
        nxt = self._word_after(bi, e)
        return nxt is not None and self._unknown_name_word(nxt.text)

    def _unknown_name_word(self, word: str) -> bool:
        """A capitalised word (not in capitals) that is no known name, title, or English word."""
        if not word[:1].isupper() or word.isupper():
            return False
        low, index = word.lower(), self.index
        return not (low in index.common or low in index.common_english or index.is_title(word)
                    or index.folder.fold(word) in index.known_folds)

    def _after_given_name(self, bi: int, s: int) -> str | None:
        """A known given name in front of a place form (particles skipped): the words are a
        person's name (Ursula von der Leyden, Luiz Inácio Lula), not the place."""
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        i = s - 1
        while i >= 0 and toks[i].text.lower() in PARTICLES and text[toks[i].end:toks[i + 1].start] == " ":
            i -= 1
        if i < 0 or i == s - 1 and text[toks[i].end:toks[s].start] != " ":
            return None
        prev = toks[i]
        if prev.capitalised and self.index.folder.fold(prev.text) in self.index.given_owner:
            return prev.text
        return None

    def _before_name(self, bi: int, e: int) -> str | None:
        """A known person's name word right after a surname (Michał Tusk), a capitalised word
        that is no known name, title or English word (Miley Cyrus), or a number in Roman
        numerals from II (Talon IV): the surname form is part of another name here."""
        after = self._word_after(bi, e)
        if after is None or not after.capitalised:
            return None
        nxt = after.text
        if len(nxt) > 1 and _REGNAL_NUMBER.fullmatch(nxt):
            return nxt  # Talon IV, Tallon IV: a name of its own (a ruler, a world, a sequel)
        low = nxt.lower()
        if low in self.index.common or low in self.index.common_english or self.index.is_title(nxt):
            return None
        known = self.index.folder.fold(nxt) in self.index.person_folds
        return nxt if known or self._unknown_name_word(nxt) else None

    def _role_next_to(self, m: Mention) -> str | None:
        block = self.blocks[m.block]
        toks, text = block.toks, block.text
        start, end = toks[m.start_tok].start, toks[m.end_tok - 1].end
        before = text[toks[max(0, m.start_tok - 3)].start:start] if m.start_tok else ""
        before = _CLAUSE_END.split(before)[-1]
        after = _APPOSITION.match(text, end)
        for part in (before, after.group(1) if after else ""):
            cue = self.index.cue_near(m.entity, part)
            if cue:
                return f"role word {cue!r}"
        return None

    def _context_allows(self, form: Form, block_text: str) -> str | None:
        """None if a context-only form applies here, else the reason it does not."""
        cv = form.context
        if cv is None:
            return None
        if cv.require_any and not any(re.search(r"\b" + re.escape(w) + r"\b", self.doc_lower) for w in cv.require_any):
            return "context-only form without the modern context it needs"
        low = block_text.lower()
        near = [w for w in cv.block_near if re.search(r"\b" + re.escape(w) + r"\b", low)]
        if near:
            return f"context-only form next to {near[0]!r} (historical or other sense)"
        return None

    def _spelling_refused(self, bi: int, s: int, e: int, ent: Entity, target: str) -> bool:
        """A mention that only a close spelling makes `target` and that reads as something else
        (an acronym, a short fragment, a more frequent English word: names.written) stays as
        written, recorded as a candidate."""
        block = self.blocks[bi]
        why = folded_refusal(block.text, block.toks, s, e, target, place=ent.type == "place",
                             min_letters=self.index.setting("world_min_letters"),
                             common_zipf=self.index.setting("common_word_zipf"))
        if why:
            self._cover(bi, s, e)
            self._candidate(bi, block.text[block.toks[s].start:block.toks[e - 1].end], ent, 0.0, why)
        return why is not None


_CLAUSE_END = re.compile(r"[.!?;:]")
# Roman numerals to XXXIX (from II: I, V and X are words too): after a one-word name, a ruler's,
# a world's or a sequel's number
_REGNAL_NUMBER = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")

_SENTENCE_START = re.compile(r"[.!?:;\"“”«»(\[]")  # between two words: the second opens a sentence or clause
_APPOSITION = re.compile(r",([^,.;:!?]*)")  # ", China's foreign minister," after a name


def gender_differs(a: str, b: str) -> bool:
    """Slavic surnames: Peskova is not Peskov, Zelenska is not Zelenskyy (-a marks the feminine).
    A surname ending in -e takes no feminine -a: Dissanayaka is Dissanayake in another spelling."""
    return a.endswith("a") != b.endswith("a") and not (a + b).endswith("e")
