"""lingua detectors: built once per process per (language set, accuracy mode), loaded lazily.

Lingua loads each language's n-gram models the first time they are needed and keeps them in
process-wide storage shared by all detectors, so a detector per script's candidate set
(en de fr es it pt for Latin text, ru uk for Cyrillic) costs no extra memory and lets lingua
score only the languages that can apply. The same candidate sets also get a low-accuracy
(trigrams only) detector, which settles most blocks in a page's language without the other
n-gram sizes (LanguageIdentifier._detect). The guard is a low-accuracy detector over all
languages but the ones languages.yaml tells it to ignore (~90 MB).
Answers are cached per text: site chrome repeats on every page of a site.
Measured in bench/langid.py.
"""
from __future__ import annotations

import logging
import threading
import time

from normalise.langid.profile import ALL, language_data, script_of_language  # noqa: F401 (re-exported)

log = logging.getLogger(__name__)

_lock = threading.Lock()
_detectors: dict[tuple, Detector] = {}
CHUNK_TEXTS = 1024  # texts per lingua call (bounds the per-language answer objects alive at once)
TOP_PAIRS = 3  # candidates kept per text; callers use the best one or two
PARALLEL_FROM = 2  # texts per call from which lingua's parallel API is used (measured faster even for 2-5)
CACHE_TEXTS = 20_000  # answers remembered per detector (texts are cut to a few hundred characters)


def _lingua_languages(codes):
    from lingua import IsoCode639_1, Language

    languages, unknown = [], []
    for code in sorted(codes):
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is None:
            unknown.append(code)
        else:
            languages.append(Language.from_iso_code_639_1(iso))
    if unknown:
        log.warning("lingua does not know language code(s) %s; ignored", ", ".join(unknown))
    return languages


class Detector:
    """Thin wrapper over lingua: ISO 639-1 codes in and out, many texts per call."""

    def __init__(self, codes: frozenset[str] | str, low_accuracy: bool = False, ignore: frozenset[str] = frozenset(),
                 preload: bool = False):
        from lingua import Language, LanguageDetectorBuilder

        started = time.perf_counter()
        if codes == ALL and not ignore:
            builder = LanguageDetectorBuilder.from_all_languages()
        else:
            if codes == ALL:
                codes = frozenset(lang.iso_code_639_1.name.lower() for lang in Language.all())
            languages = _lingua_languages(set(codes) - set(ignore))
            if len(languages) < 2:  # lingua needs at least two candidates
                languages.append(Language.ENGLISH if Language.ENGLISH not in languages else Language.GERMAN)
            builder = LanguageDetectorBuilder.from_languages(*languages)
        if low_accuracy:
            builder = builder.with_low_accuracy_mode()
        if preload:  # load every model now (seconds) rather than on the first page that needs it
            builder = builder.with_preloaded_language_models()
        self._detector = builder.build()
        self.preloaded = preload
        self._cache: dict[str, list[tuple[str, float]]] = {}
        self._cache_lock = threading.Lock()
        self.build_seconds = time.perf_counter() - started
        self.texts_scored = 0  # texts lingua actually scored (not served from the cache), for the benchmark

    def confidences(self, texts: list[str]) -> list[list[tuple[str, float]]]:
        """Per text: the TOP_PAIRS best (code, confidence) pairs, best first; empty when lingua finds
        no letters. Texts go to lingua in chunks: lingua answers with one object per language per
        text (75 per text for the guard), so a 20 MB dump of 140k lines in one call took gigabytes."""
        with self._cache_lock:
            cached = [self._cache.get(t) for t in texts]
        todo = list(dict.fromkeys(t for t, c in zip(texts, cached, strict=False) if c is None))
        fresh: dict[str, list[tuple[str, float]]] = {}
        for start in range(0, len(todo), CHUNK_TEXTS):
            chunk = todo[start:start + CHUNK_TEXTS]
            # one text: no thread pool
            rows = (self._detector.compute_language_confidence_values_in_parallel(chunk) if len(chunk) >= PARALLEL_FROM
                    else [self._detector.compute_language_confidence_values(text) for text in chunk])
            for text, row in zip(chunk, rows, strict=False):
                fresh[text] = [(cv.language.iso_code_639_1.name.lower(), cv.value) for cv in row[:TOP_PAIRS]
                               if cv.value > 0]
        if fresh:
            self.texts_scored += len(fresh)
            with self._cache_lock:
                if len(self._cache) + len(fresh) > CACHE_TEXTS:  # drop the oldest half
                    for key in list(self._cache)[: len(self._cache) // 2]:
                        del self._cache[key]
                self._cache.update(fresh if len(fresh) <= CACHE_TEXTS else {})
        return [c if c is not None else fresh[t] for t, c in zip(texts, cached, strict=False)]


def get_detector(codes, low_accuracy: bool = False, ignore=(), preload: bool = False) -> Detector:
    """The process-wide detector for this language set and mode (created on first use; `preload`
    loads all its models now, also for a detector first built without: it is rebuilt preloaded)."""
    key = (codes if codes == ALL else frozenset(codes), low_accuracy, frozenset(ignore))
    detector = _detectors.get(key)
    if detector is None or (preload and not detector.preloaded):
        with _lock:
            detector = _detectors.get(key)
            if detector is None or (preload and not detector.preloaded):
                detector = _detectors[key] = Detector(key[0], low_accuracy, key[2], preload)
    return detector
