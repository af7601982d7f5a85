"""Language identification with lingua, per document and per block.

Rules (issue 4):
- lingua (high accuracy) is restricted to the configured languages. A guard detector
  (low accuracy, all languages unless languages.yaml narrows it) checks blocks of
  SHORT_BLOCK_CHARS+ characters: one it places in an unconfigured language with
  confidence >= GUARD_CONFIDENCE is marked "unsupported", never forced into a
  configured one.
- Blocks of at least SHORT_BLOCK_CHARS characters get lingua's answer. The document
  language is the one covering most characters of those blocks.
- Shorter blocks take the document language unless lingua is confident otherwise
  (confidence >= SHORT_BLOCK_CONFIDENCE) or the block is written in a different script
  from the document language (a Chinese login link on an English page).
- Blocks with no letters at all ("00:00") take the document language: nothing to translate.
"""
from __future__ import annotations

from collections import Counter

from normalise.langid.detector import ALL, get_detector, language_data, script_of_language
from normalise.langid.scripts import dominant_script, letter_count
from normalise.record import Block
from normalise.stages import DocumentContext

__all__ = ["LanguageIdentifier", "GUARD_CONFIDENCE", "SHORT_BLOCK_CHARS", "SHORT_BLOCK_CONFIDENCE", "UNSUPPORTED"]

UNSUPPORTED = "unsupported"
SHORT_BLOCK_CHARS = 40
SHORT_BLOCK_CONFIDENCE = 0.8
GUARD_CONFIDENCE = 0.8  # bench/langid.py: 0.5 marked 3.4% of configured-language text unsupported
# A document made only of short blocks is identified from their joined text if lingua is at least this sure.
JOINED_TEXT_CONFIDENCE = 0.5


class LanguageIdentifier:
    def __init__(self, languages=("en",), guard="default"):
        """guard: "default" (languages.yaml), "all", a list of codes, or None for no guard."""
        self.languages = tuple(languages)
        guard = language_data()["guard"] if guard == "default" else guard
        if guard not in (None, ALL):
            guard = frozenset(guard) | set(self.languages)  # the guard must know the configured ones too
        self.guard = guard

    @property
    def detector(self):
        return get_detector(self.languages)  # loaded on first use, shared by the whole process

    @property
    def guard_detector(self):
        return None if self.guard is None else get_detector(self.guard, low_accuracy=True)

    def assign(self, blocks: list[Block], ctx: DocumentContext) -> str | None:
        kept = [b for b in blocks if b.kept]
        if not kept:
            return self._fallback(ctx)
        texts = [b.text.strip() for b in kept]
        detected = self.detector.confidences(texts)
        self._apply_guard(texts, detected)
        long_chars: Counter[str] = Counter()
        for text, pairs in zip(texts, detected):
            if len(text) >= SHORT_BLOCK_CHARS and pairs:
                long_chars[self._label(pairs[0][0])] += len(text)
        doc_lang = self._document_language(long_chars, texts, ctx)
        for block, text, pairs in zip(kept, texts, detected):
            block.language = self._block_language(text, pairs, doc_lang)
        return doc_lang

    # -- helpers ----------------------------------------------------------------------------
    def _apply_guard(self, texts: list[str], detected: list[list[tuple[str, float]]]) -> None:
        """Replace the answer for long out-of-scope blocks with the guard's (unconfigured) language."""
        guard = self.guard_detector
        if guard is None:
            return
        long_idx = [i for i, t in enumerate(texts) if len(t) >= SHORT_BLOCK_CHARS and detected[i]]
        for i, pairs in zip(long_idx, guard.confidences([texts[i] for i in long_idx])):
            if pairs and pairs[0][0] not in self.languages and pairs[0][1] >= GUARD_CONFIDENCE:
                detected[i] = [pairs[0]]

    def _label(self, code: str) -> str:
        return code if code in self.languages else UNSUPPORTED

    def _document_language(self, long_chars: Counter, texts: list[str], ctx: DocumentContext) -> str | None:
        configured = [(lang, n) for lang, n in long_chars.most_common() if lang != UNSUPPORTED]
        if configured:
            return configured[0][0]
        if long_chars:  # only out-of-scope text: say so rather than guess
            return UNSUPPORTED
        hint = self._fallback(ctx)
        if hint:
            return hint
        joined = " ".join(texts)
        pairs = self.detector.confidences([joined])[0]
        if pairs and pairs[0][1] >= JOINED_TEXT_CONFIDENCE:
            return self._label(pairs[0][0])
        return None

    def _fallback(self, ctx: DocumentContext) -> str | None:
        for candidate in (ctx.lang_hint, ctx.metadata.get("html_lang")):
            code = (candidate or "").split("-")[0].split("_")[0].lower()
            if code in self.languages:
                return code
        return None

    def _block_language(self, text: str, pairs: list[tuple[str, float]], doc_lang: str | None) -> str | None:
        if not pairs or letter_count(text) == 0:
            return doc_lang
        best, confidence = pairs[0]
        if len(text) >= SHORT_BLOCK_CHARS or doc_lang in (None, UNSUPPORTED):
            return self._label(best)
        if best == doc_lang:
            return doc_lang
        if confidence >= SHORT_BLOCK_CONFIDENCE or dominant_script(text) != script_of_language(doc_lang):
            return self._label(best)
        return doc_lang
