"""Name unification (placeholder until the gazetteer stage lands): changes nothing."""
from __future__ import annotations

from normalise.record import NameChange
from normalise.stages import DocumentContext


class NameUnifier:
    def __init__(self, gazetteer_paths=()):
        self.gazetteer_paths = tuple(gazetteer_paths)

    def unify_blocks(
        self, texts: list[str], ctx: DocumentContext
    ) -> tuple[list[tuple[str, list[NameChange]]], list[dict]]:
        """For each English block text (whole document given for context) return the text with
        canonical names and its changes, spans relative to that returned block text; plus
        candidate mentions left unchanged (doubtful matches) for audit."""
        return [(t, []) for t in texts], []

    def protector(self):
        """A NameProtector for the translation stage, or None."""
        return None
