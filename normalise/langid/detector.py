"""lingua detectors: built once per process per (language set, accuracy mode), loaded lazily.

Lingua loads each language's n-gram models the first time text in that script is
seen; building the detector object itself is cheap. Two detectors are used:
- the main one, high accuracy, restricted to the configured languages (~280 MB for
  the ten default languages);
- the guard, low accuracy (trigrams only), over all languages (~90 MB), which only
  decides whether a long block is in a language outside the configured set.
Measured in bench/langid.py.
"""
from __future__ import annotations

import logging
import threading
import time
from functools import lru_cache
from pathlib import Path

import yaml

log = logging.getLogger(__name__)

_DATA = Path(__file__).with_name("languages.yaml")
_lock = threading.Lock()
_detectors: dict[tuple, "Detector"] = {}
ALL = "all"
CHUNK_TEXTS = 1024  # texts per lingua call (bounds the per-language answer objects alive at once)
TOP_PAIRS = 3  # candidates kept per text; callers use the best one


@lru_cache(maxsize=1)
def language_data() -> dict:
    with open(_DATA, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    guard = data.get("guard", ALL)
    guard = ALL if guard == ALL else tuple(guard or ())
    return {"guard": guard, "scripts": dict(data.get("scripts") or {})}


def script_of_language(code: str | None) -> str:
    return language_data()["scripts"].get(code, "Latin")


class Detector:
    """Thin wrapper over lingua: ISO 639-1 codes in and out, many texts per call."""

    def __init__(self, codes: frozenset[str] | str, low_accuracy: bool = False):
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        started = time.perf_counter()
        if codes == ALL:
            builder = LanguageDetectorBuilder.from_all_languages()
        else:
            languages, unknown = [], []
            for code in sorted(codes):
                iso = getattr(IsoCode639_1, code.upper(), None)
                if iso is None:
                    unknown.append(code)
                else:
                    languages.append(Language.from_iso_code_639_1(iso))
            if unknown:
                log.warning("lingua does not know language code(s) %s; ignored", ", ".join(unknown))
            if len(languages) < 2:  # lingua needs at least two candidates
                languages.append(Language.ENGLISH if Language.ENGLISH not in languages else Language.GERMAN)
            builder = LanguageDetectorBuilder.from_languages(*languages)
        if low_accuracy:
            builder = builder.with_low_accuracy_mode()
        self._detector = builder.build()
        self.build_seconds = time.perf_counter() - started

    def confidences(self, texts: list[str]) -> list[list[tuple[str, float]]]:
        """Per text: the TOP_PAIRS best (code, confidence) pairs, best first; empty when lingua finds
        no letters. Texts go to lingua in chunks: lingua answers with one object per language per
        text (75 per text for the guard), so a 20 MB dump of 140k lines in one call took gigabytes."""
        out = []
        for start in range(0, len(texts), CHUNK_TEXTS):
            rows = self._detector.compute_language_confidence_values_in_parallel(texts[start:start + CHUNK_TEXTS])
            for row in rows:
                out.append([(cv.language.iso_code_639_1.name.lower(), cv.value) for cv in row[:TOP_PAIRS]
                            if cv.value > 0])
        return out


def get_detector(codes, low_accuracy: bool = False) -> Detector:
    """The process-wide detector for this language set and mode (created on first use)."""
    key = (codes if codes == ALL else frozenset(codes), low_accuracy)
    detector = _detectors.get(key)
    if detector is None:
        with _lock:
            detector = _detectors.get(key)
            if detector is None:
                detector = _detectors[key] = Detector(key[0], low_accuracy)
    return detector
