"""One document's state in the names stage: its blocks, the mentions accepted so far, the
candidates recorded, and the rewrite of each block with its accepted mentions.

The layers (names.known_forms, names.key_layer, names.fuzzy_layer) and the evidence they weigh
(names.evidence, names.place_evidence) build on `DocumentState`; names.unify runs them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from normalise.names.block_languages import reading_languages
from normalise.names.gazetteer import Entity
from normalise.names.index import NameIndex
from normalise.names.ordinary import OrdinaryWords, canonical_words, doubtful_word
from normalise.names.text import Token, tokens_of, words_of
from normalise.record import NameChange


@dataclass
class Mention:
    block: int
    start_tok: int
    end_tok: int
    entity: Entity
    replacement: str
    method: str
    score: float
    key: str = ""  # folded surname as written, to spot another person of that name
    has_given: bool = False
    cut: int = 0  # characters at the end of the last token that stay (a genitive -s)
    evidence: str = ""
    # names.evidence's answer whether it is one word of someone else's name, once found: it
    # depends on the mention and its block only, and is asked after every layer
    another_name: bool | None = field(default=None, compare=False, repr=False)


@dataclass
class Block:
    text: str
    words: list[str]  # the tokens' texts; most blocks hold no name and never need the tokens
    covered: set[int] = field(default_factory=set)
    _toks: list[Token] | None = None

    @property
    def toks(self) -> list[Token]:
        if self._toks is None:
            self._toks = tokens_of(self.text, self.words)  # the words are there: no second regex pass
        return self._toks


class DocumentState:
    """The blocks of one document and what the layers found in them."""

    def __init__(self, index: NameIndex, texts: list[str], *, fuzzy: bool = True,
                 languages: list[str | None] | None = None):
        self.index = index
        self.use_fuzzy = fuzzy
        self.texts = texts
        self.blocks = [Block(t, words_of(t)) for t in texts]
        # per block, the language of its text when it is not English (untranslated text; an
        # "unsupported" one named by its stop words: names.block_languages)
        self.languages = reading_languages(languages, [b.words for b in self.blocks])
        self.doc_lower = "\n".join(texts).lower()
        self.mentions: list[Mention] = []
        self.candidates: list[dict] = []
        self.topics: set[str] = set()
        self.countries: set[str] = set()  # countries of the entities the document names unambiguously
        self.people_countries: dict[int, set[str]] = {}  # ... of the people each block names
        self.block_countries: dict[int, set[str]] = {}  # ... per block
        # surnames written after someone else's given name in this document: another person
        # of that name is in the story, so the bare surname is ambiguous here
        self.conflicted: set[str] = set()
        # place forms written as part of a longer name in this document (Tony Romo, Huston
        # Huddleston, Tallon IV): alone elsewhere in it they are that name, not the place
        self.name_parts: set[str] = set()
        # (block, token) of a surname form left as written before another name word (Abbas of
        # Abbas Araqchi): a whole name found later by its key may take it as the given name
        self.before_name: set[tuple[int, int]] = set()
        self.ordinary = OrdinaryWords([b.words for b in self.blocks])
        # mentions with a letter that is also a word (Wang I in "Mr Wang I think"): kept when
        # the document names the entity otherwise or a role word stands by (names.ordinary)
        self.doubtful: list[tuple[Mention, str]] = []
        # known forms that stand only when the document agrees (names.known_forms: one word in
        # another spelling, Huston; an alternate name English writes as often, Werder)
        self.awaiting_agreement: list[dict[str, Any]] = []

    # -- spans ------------------------------------------------------------------------------
    def _key(self, bi: int, s: int, e: int) -> str:
        fold = self.index.folder.fold
        return " ".join(fold(t.text) for t in self.blocks[bi].toks[s:e])

    def _particle_start(self, bi: int, s: int, replacement: str) -> int:
        """The mention's first token, taking in a particle the replacement starts with when the
        text has it in front (al-Bourhane -> al-Burhan, not al-al-Burhan)."""
        head, dash, _ = replacement.partition("-")
        toks, text = self.blocks[bi].toks, self.blocks[bi].text
        if dash and s and head.lower() in PARTICLES and toks[s - 1].text.lower() in PARTICLES \
                and text[toks[s - 1].end:toks[s].start] in ("-", "'-", "’-"):  # es-Sisi; al'- (Russian аль-)
            return s - 1
        return s

    def _written(self, m: Mention) -> str:
        toks = self.blocks[m.block].toks
        return self.blocks[m.block].text[toks[m.start_tok].start:toks[m.end_tok - 1].end - m.cut]

    def _overlaps(self, p: dict) -> bool:
        covered = self.blocks[p["block"]].covered
        return any(t in covered for t in range(p["start_tok"], p["end_tok"]))

    # -- bookkeeping ------------------------------------------------------------------------
    def _cover(self, bi: int, s: int, e: int) -> None:
        self.blocks[bi].covered.update(range(s, e))

    def _candidate(self, bi: int, original: str, ent: Entity, score: float, reason: str) -> None:
        self.candidates.append({"original": original, "entity_id": ent.id, "canonical": ent.canonical,
                                "score": round(float(score), 3), "reason": reason, "block": bi})

    def _accept(self, p: dict[str, Any], method: str = "fuzzy") -> None:
        if self._overlaps(p):
            return
        self._add(p["block"], p["start_tok"], p["end_tok"], p["entity"], p["replacement"], method, p["score"],
                  key=p["key"], has_given=p["evidence"] == "given name", cut=p.get("cut", 0),
                  evidence=p["evidence"] or "")

    def _add(self, bi: int, s: int, e: int, ent: Entity, replacement: str, method: str, score: float,
             key: str = "", has_given: bool = False, cut: int = 0, evidence: str = "") -> None:
        s = self._particle_start(bi, s, replacement)
        self._cover(bi, s, e)
        mention = Mention(bi, s, e, ent, replacement, method, score, key, has_given, cut, evidence)
        block = self.blocks[bi]
        doubt = doubtful_word(block.text, block.toks, s, e, canonical_words(ent.canonical), self.ordinary, cut)
        if doubt is None:
            self.mentions.append(mention)
        elif doubt.refused:
            self._candidate(bi, self._written(mention), ent, score, f"{doubt.word!r}: {doubt.refused}")
        else:
            self.doubtful.append((mention, doubt.word))

    def _rewrite(self, bi: int, mentions: list[Mention]) -> tuple[str, list[NameChange]]:
        block = self.blocks[bi]
        if not mentions:
            return block.text, []
        text, toks = block.text, block.toks
        out, changes, pos, shift = [], [], 0, 0
        for m in sorted(mentions, key=lambda m: m.start_tok):
            start, end = toks[m.start_tok].start, toks[m.end_tok - 1].end - m.cut
            replacement = in_case_of(text[start:end], m.replacement)
            end = _through_final_stop(text, end, replacement)
            original = text[start:end]
            if original == replacement:
                continue
            out.append(text[pos:start])
            new_start = start + shift
            out.append(replacement)
            changes.append(NameChange(original=original, canonical=replacement, entity_id=m.entity.id,
                                      start=new_start, end=new_start + len(replacement), method=m.method,
                                      score=m.score, evidence=m.evidence or None))
            shift += len(replacement) - (end - start)
            pos = end
        out.append(text[pos:])
        return "".join(out), changes


# Lower-case words inside a person's name (Ursula von der Leyen, Lula da Silva, Mohammed bin Salman)
PARTICLES = frozenset({"von", "der", "den", "van", "de", "da", "do", "dos", "das", "del", "della", "di", "du", "le",
                        "la", "al", "el", "es", "ash", "as", "ad", "an", "ar", "at", "az", "bin", "ibn", "ben", "bint",
                        "abu"})


def _through_final_stop(text: str, end: int, replacement: str) -> int:
    """The mention's end, past a full stop right after it when the canonical name ends in one
    (*Ferdinand Marcos Jr.* at a sentence's end): the tokens leave the stop out as the sentence's,
    and the name would otherwise get a second one."""
    if replacement.endswith(".") and text[end - 1:end] != "." and text[end:end + 1] == ".":
        return end + 1
    return end


def in_case_of(original: str, replacement: str) -> str:
    """The replacement in the case of the words it replaces: a headline in capitals stays in
    capitals (SELENSKYJ -> ZELENSKYY), everything else takes the canonical form's case."""
    letters = [ch for ch in original if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return replacement.upper()
    return replacement
