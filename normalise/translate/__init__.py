"""Translation to English (placeholder until the Argos stage lands): marks non-English blocks untranslated."""
from __future__ import annotations

from normalise.stages import NameProtector, TranslationJob


class NoTranslator:
    """Used with --no-translate and when no model is installed: nothing is dropped, all is flagged."""

    def __init__(self, reason: str = "translation disabled"):
        self.reason = reason

    def translate(self, jobs: list[TranslationJob], protect: NameProtector | None = None) -> dict:
        for job in jobs:
            job.block.translation = "untranslated"
            job.block.translation_reason = self.reason
        return {"models": [], "cached_sentences": 0}


def build_translator(config):
    return NoTranslator("no translation stage installed")
