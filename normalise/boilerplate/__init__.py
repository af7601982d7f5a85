"""Boilerplate removal (placeholder until the boilerplate stage lands): keeps every block."""
from __future__ import annotations

from normalise.record import Block
from normalise.stages import DocumentContext


class BoilerplateRemover:
    def __init__(self, lexicon_paths=()):
        self.lexicon_paths = tuple(lexicon_paths)

    def apply(self, blocks: list[Block], ctx: DocumentContext) -> list[Block]:
        return blocks
