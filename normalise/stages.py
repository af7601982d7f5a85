"""Contracts between the pipeline and its stages.

The pipeline (normalise/pipeline.py) only talks to stages through these
protocols, so each stage can be developed, tested and replaced on its own.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from normalise.record import Block, NameChange


@dataclass
class DocumentContext:
    """What a stage may know about the document it is working on."""

    id: str
    url: str | None = None
    source: str | None = None
    lang_hint: str | None = None  # user's --lang or the source's single expected language
    expected_languages: list[str] = field(default_factory=list)
    drop_selectors: list[str] = field(default_factory=list)  # per-site CSS hints from seeds/
    is_html: bool = True
    # Hashes of blocks learned to be site chrome for this source (see boilerplate.templates).
    template_hashes: frozenset[str] = frozenset()
    metadata: dict = field(default_factory=dict)  # stages may add facts (source attribution, site name)
    warnings: list[str] = field(default_factory=list)


class BoilerplateStage(Protocol):
    def apply(self, blocks: list[Block], ctx: DocumentContext) -> list[Block]:
        """Return the blocks in order, dropped ones marked with `removed` + reason; never delete."""


class LanguageStage(Protocol):
    def assign(self, blocks: list[Block], ctx: DocumentContext) -> str | None:
        """Set `language` on each kept block; return the document language."""


@dataclass
class TranslationJob:
    """One kept block of one document that needs English text."""

    doc_id: str
    block: Block
    source_language: str


class NameProtector(Protocol):
    """protect(text, lang) -> (text for the model, restore(model_output) -> text).

    How the translator (normalise/translate/engine.py) uses it:
    - called once per sentence (the unit sent to the model), with the block's source language;
      restore() is called with the model's English for exactly that sentence, also when the
      English comes from the translation cache (the cache is keyed by the protected text).
    - Placeholders must survive SentencePiece + CTranslate2. Opaque tokens ("__N1__", "<x1>") do
      not reliably: SentencePiece splits them and the model may drop or inflect them. What does
      survive is a Latin-script proper noun: protect() should put the canonical English form of a
      known name in the text ("Мединский" -> "Medinsky"), which models copy through, and restore()
      maps any variant the model still produced back to the canonical form.
    """

    def __call__(self, text: str, source_lang: str) -> tuple[str, Callable[[str], str]]: ...


class NameStage(Protocol):
    """Canonical names: protects known names before translation, unifies them after."""

    def protector(self) -> NameProtector:
        """The protector the translation stage calls on each source-language sentence."""

    def unify_blocks(self, texts: list[str], ctx: DocumentContext | None = None,
                     languages: list[str | None] | None = None
                     ) -> tuple[list[tuple[str, list[NameChange]]], list[dict]]:
        """For each English block text of one document (the whole document is the context):
        the text with canonical names and its changes (spans into the returned text); plus the
        doubtful mentions left unchanged, as candidates for review. `languages`: per block, "en"
        for English text, else the language of an untranslated block's text (ISO 639-1 code,
        "unsupported" or None when unknown; a code marked by names.block_languages.unconfirmed
        when it is langid's verdict on a block of a page in another language, for the stage to
        confirm by the block's stop words)."""


class TranslationStage(Protocol):
    def translate(self, jobs: list[TranslationJob], protect: NameProtector | None = None) -> dict:
        """Fill block.text_en / translation / translation_reason / model for every job,
        batching across jobs (and so across documents). Returns run statistics."""
