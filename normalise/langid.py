"""Language identification (placeholder until the lingua stage lands): trusts the hint, else English."""
from __future__ import annotations

from normalise.record import Block
from normalise.stages import DocumentContext


class LanguageIdentifier:
    def __init__(self, languages=("en",)):
        self.languages = tuple(languages)

    def assign(self, blocks: list[Block], ctx: DocumentContext) -> str | None:
        lang = ctx.lang_hint or "en"
        for block in blocks:
            if block.kept:
                block.language = lang
        return lang
