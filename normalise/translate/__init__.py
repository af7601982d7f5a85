"""Translation to English, offline, with installed Argos Translate packages (CTranslate2).

`build_translator(config)` gives the stage the pipeline uses: it splits blocks into
sentences (offline, splitter.py), protects names through the NameProtector hook, sends
the sentences of many blocks and documents to CTranslate2 in batches (argos_model.py),
caches every sentence it translates (cache.py) and puts the English back block by
block, line by line, in order (engine.py). A language with no installed model leaves
its blocks in the original, flagged "untranslated" with the reason.
Models are managed with `python -m normalise models ...` (models_cli.py).
"""
from __future__ import annotations

from normalise.stages import NameProtector, TranslationJob

__all__ = ["NoTranslator", "argos_provider", "build_translator", "cache_path"]


class NoTranslator:
    """Used with --no-translate: nothing is dropped, all is flagged."""

    def __init__(self, reason: str = "translation disabled"):
        self.reason = reason

    def translate(self, jobs: list[TranslationJob], protect: NameProtector | None = None) -> dict:
        for job in jobs:
            job.block.translation = "untranslated"
            job.block.translation_reason = self.reason
        return {"models": [], "cached_by_doc": {}, "cached_sentences": 0}


def cache_path(config):
    return config.translation_cache or config.data_dir / "translation-cache.sqlite"


def argos_provider(config):
    """The Argos models of the config's packages folder and languages, each loaded when first asked for."""
    from normalise.translate.argos_model import DecodeSettings
    from normalise.translate.packages import packages_dir
    from normalise.translate.provider import ArgosProvider

    return ArgosProvider(packages_dir(getattr(config, "argos_packages_dir", None)),
                         DecodeSettings.from_config(config), languages=config.languages)


def build_translator(config):
    """The Argos-backed stage when translation is on; NoTranslator otherwise."""
    if not config.translate:
        return NoTranslator()
    from normalise.translate.cache import TranslationCache
    from normalise.translate.engine import BatchTranslator

    provider = argos_provider(config)
    cache, warning = TranslationCache.open_or_memory(cache_path(config))
    translator = BatchTranslator(provider, cache, warning)
    translator.provider_models = provider  # for stats and benchmarks: loaded models and their call counts
    return translator
