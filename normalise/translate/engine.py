"""The translation stage: split, protect names, batch across blocks and documents, cache, reassemble.

Works with any model provider that, for a source language, returns either a model
(`model_id`, `translate(list[str]) -> list[str]`) or the reason there is none; the
real provider loads installed Argos packages (normalise/translate/provider.py), tests
may pass a deterministic fake.
"""
from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from normalise.stages import NameProtector, TranslationJob
from normalise.translate.cache import TranslationCache
from normalise.translate.splitter import split_sentences

log = logging.getLogger(__name__)

LINE_SEPARATOR = "\n"  # lines inside a block (list items, verse) stay lines
SENTENCE_SEPARATOR = " "  # English output: sentences joined by a space


class SentenceModel(Protocol):
    model_id: str

    def translate(self, sentences: list[str]) -> list[str]: ...


# provider(source_language) -> model, or a human-readable reason why there is none
ModelProvider = Callable[[str], "SentenceModel | str"]


def _identity(text: str) -> str:
    return text


@dataclass
class _Unit:
    """One sentence of one block: what goes to the model and how to put the answer back."""

    job: int
    line: int
    model_text: str | None  # None: copied as is (no letters)
    restore: Callable[[str], str]
    source: str
    output: str | None = None


class BatchTranslator:
    def __init__(self, provider: ModelProvider, cache: TranslationCache, cache_warning: str | None = None):
        self.provider = provider
        self.cache = cache
        self.cache_warning = cache_warning

    def translate(self, jobs: list[TranslationJob], protect: NameProtector | None = None) -> dict:
        models: dict[str, SentenceModel] = {}
        units_by_job: dict[int, list[_Unit]] = {}
        model_of: dict[int, str] = {}  # job -> model id
        for j, job in enumerate(jobs):
            model = self.provider(job.source_language)
            if isinstance(model, str):
                _untranslated(job, model)
                continue
            models.setdefault(model.model_id, model)
            units_by_job[j] = self._units(j, job, protect)
            job.block.model = model_of[j] = model.model_id

        cached_by_doc: Counter[str] = Counter()
        translated = 0
        failed_models: dict[str, str] = {}
        by_model: dict[str, list[_Unit]] = defaultdict(list)
        for j, units in units_by_job.items():
            for unit in units:
                if unit.model_text is not None:
                    by_model[model_of[j]].append(unit)
        for model_id, units in by_model.items():
            texts = list(dict.fromkeys(u.model_text for u in units if u.model_text is not None))
            known = self.cache.get_many(model_id, texts)
            missing = [t for t in texts if t not in known]
            try:
                outputs = models[model_id].translate(missing) if missing else []
            except Exception as exc:  # a broken model costs its own blocks only
                log.exception("model %s failed", model_id)
                failed_models[model_id] = f"translation failed with {model_id}: {type(exc).__name__}: {exc}"
                continue
            fresh = dict(zip(missing, outputs, strict=True))
            self.cache.put_many(model_id, fresh)
            translated += len(fresh)
            for unit in units:
                text = unit.model_text or ""
                if text in known:
                    cached_by_doc[jobs[unit.job].doc_id] += 1
                unit.output = unit.restore(known.get(text, fresh.get(text, "")))

        used: set[str] = set()
        for j, units in units_by_job.items():
            job = jobs[j]
            if model_of[j] in failed_models:
                _untranslated(job, failed_models[model_of[j]])
                continue
            empty = [u for u in units if u.model_text is not None and not (u.output or "").strip()]
            for unit in empty:  # never lose text: an empty model answer keeps the original sentence
                unit.output = unit.source
            job.block.text_en = _reassemble(units, job.block.text)
            job.block.translation = "translated"
            job.block.translation_reason = (f"model returned nothing for {len(empty)} sentence(s); originals kept"
                                            if empty else None)
            used.add(model_of[j])
        stats = {
            "models": sorted(used),
            "cached_by_doc": dict(cached_by_doc),
            "cached_sentences": sum(cached_by_doc.values()),
            "translated_sentences": translated,
            "untranslated_blocks": sum(j.block.translation == "untranslated" for j in jobs),
        }
        if self.cache_warning:
            stats["warnings"] = [self.cache_warning]
        return stats

    @staticmethod
    def _units(j: int, job: TranslationJob, protect: NameProtector | None) -> list[_Unit]:
        units = []
        for line_no, line in enumerate(job.block.text.split(LINE_SEPARATOR)):
            for sentence in split_sentences(line, job.source_language):
                if not any(ch.isalpha() for ch in sentence):
                    units.append(_Unit(j, line_no, None, _identity, sentence, output=sentence))
                    continue
                model_text, restore = protect(sentence, job.source_language) if protect else (sentence, _identity)
                units.append(_Unit(j, line_no, model_text, restore, sentence))
        return units


def _reassemble(units: list[_Unit], original: str) -> str:
    """Sentences back into their lines, lines into the block, in the original order."""
    lines: dict[int, list[str]] = defaultdict(list)
    for unit in units:
        lines[unit.line].append(unit.output if unit.output is not None else unit.source)
    line_count = original.count(LINE_SEPARATOR) + 1
    return LINE_SEPARATOR.join(SENTENCE_SEPARATOR.join(lines.get(i, [])) for i in range(line_count))


def _untranslated(job: TranslationJob, reason: str) -> None:
    job.block.translation = "untranslated"
    job.block.translation_reason = reason
    job.block.text_en = None
    job.block.model = None
