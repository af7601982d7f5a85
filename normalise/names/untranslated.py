"""What the names stage changes in text that stays in its own language (`--no-translate`, or no
translation model for the language): the pipeline then hands the stage the source text, and
says which blocks are in which language.

- A mention with a word, not a word of the entity's canonical name, that is an ordinary word
  of the text's language is no name, unless a word of the canonical name that is no ordinary
  word stands in it (Victor Orbán): dropped, not even a candidate. German capitalises its
  nouns, so capitals tell nothing there: a word that the language's stop list or the document
  writes in lower case, or that is at least UNTRANSLATED_WORD_ZIPF frequent in the language
  (wordfreq: Fälle, Türen, Länder, Ofen) is a word. (Frequent place names of the language,
  Deutschland, are such words too: they stay as written either way.)
- Places and organisations keep the name the text's language gives them: Österreich stays
  Österreich, Katar Katar, Nato Nato, because their English form would put an English word
  into a German sentence the user asked to keep German. The mention is left as written and
  recorded as a candidate, so an audit still sees which entity it is.
- A person's name has no language, only spellings: a person written in another convention
  (Wladimir Putin) is still unified when a known form matches it. A spelling matched by its
  transliteration key alone, because it is no English word ("distinctive name"),
  is a candidate only: that it is no English word says nothing in German (Freuden -> Frieden);
  a given name, the whole name or the entity named elsewhere in the document still vouch for it.

A block whose language was not identified (None) is read as English; one identified as outside
the configured set ("unsupported") is read in the language its document's stop words name, else
as English (names.block_languages).
"""
from __future__ import annotations

import functools

from normalise.names.document import DocumentState, Mention
from normalise.names.ordinary import OrdinaryWords, canonical_words

# wordfreq Zipf frequency in the text's language from which a capitalised word reads as a word
# of the language (German nouns: Fälle 4.7, Türen 4.4, Ofen 4.1) rather than a spelling of a
# person's name (Wladimir 3.9, Gorbatschow 3.2, Lawrow 3.2)
UNTRANSLATED_WORD_ZIPF = 4.0
# evidence of the transliteration-key layer (names.key_layer) that rests on the word being no
# English word: in other languages it is often a word (Freuden -> Frieden, Kombis -> Kombos)
ENGLISH_ONLY_EVIDENCE = "distinctive name"


class UntranslatedText(DocumentState):
    """The rules for mentions in blocks whose text is not English (see the module docstring)."""

    def _keep_untranslated(self) -> None:
        if not any(self.languages):
            return
        ordinary: dict[str, OrdinaryWords] = {}
        kept = []
        for m in self.mentions:
            lang = self.languages[m.block]
            if lang is None:
                kept.append(m)
            elif self._word_of_language(m, lang, ordinary):
                continue  # a word of the text (Türen is not Turin): no name, no candidate
            elif m.entity.type != "person":
                self._candidate(m.block, self._written(m), m.entity, m.score,
                                f"untranslated {lang} text: the {m.entity.type} keeps the name its language gives it")
            elif m.evidence.startswith(ENGLISH_ONLY_EVIDENCE):
                self._candidate(m.block, self._written(m), m.entity, m.score,
                                f"untranslated {lang} text: {ENGLISH_ONLY_EVIDENCE!r} is judged by English words")
            else:
                kept.append(m)
        self.mentions = kept

    def _word_of_language(self, m: Mention, lang: str, ordinary: dict[str, OrdinaryWords]) -> bool:
        """Whether a word of the mention, not a word of the canonical name, is an ordinary word of
        the language the block is written in, and no word of the canonical name that is no
        ordinary word vouches for the rest (Victor Orbán: Victor is a frequent German word, Orbán
        makes it a given name)."""
        if lang not in ordinary:
            ordinary[lang] = OrdinaryWords([b.words for b in self.blocks], lang)
        words = ordinary[lang]
        canonical = canonical_words(m.entity.canonical)
        written = [t.text for t in self.blocks[m.block].toks[m.start_tok:m.end_tok]]
        plain = {w for w in written if words.is_ordinary(w) or frequent_in(w, lang)}
        if any(w.casefold() in canonical and w not in plain for w in written):
            return False
        return any(w.casefold() not in canonical for w in plain)


# languages whose wordfreq lookups need a segmenter the project does not install (jieba, MeCab);
# their text writes no Latin-script ordinary words anyway
_NEEDS_SEGMENTER = frozenset({"zh", "ja", "ko"})


@functools.lru_cache(maxsize=1 << 14)
def frequent_in(word: str, lang: str) -> bool:
    """At least UNTRANSLATED_WORD_ZIPF frequent in the language (wordfreq; False for a language it
    does not know)."""
    from wordfreq import zipf_frequency

    return lang in _wordfreq_languages() and zipf_frequency(word, lang) >= UNTRANSLATED_WORD_ZIPF


@functools.lru_cache(maxsize=1)
def _wordfreq_languages() -> frozenset[str]:
    from wordfreq import available_languages

    return frozenset(available_languages()) - _NEEDS_SEGMENTER
