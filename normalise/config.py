"""Settings for the normaliser, shared by the CLI and the crawler (which maps Scrapy settings onto it)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

# Languages the service is configured for: language identification is restricted to these
# (plus an out-of-scope guard) and a translation model is expected for each non-English one.
DEFAULT_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "zh", "ru", "uk", "el")


def _default_data_dir() -> Path:
    return Path(os.environ.get("NEWS_DATA_DIR", "data"))


def user_data_dir() -> Path:
    """The per-user data folder (XDG), where the batch CLI keeps its translation cache when
    NEWS_DATA_DIR is not set, instead of writing into whatever folder it is run from."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "news-ingest"


@dataclass
class NormaliserConfig:
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    translate: bool = True
    # Load lingua's models (~2-5 s, ~330 MB) when the Normaliser is built. Off: each model loads
    # when a page first needs it (a process that never sees Latin-script text never loads those),
    # and `Normaliser.warm_up()` loads everything before the first page when that matters.
    preload_models: bool = False
    # Translation (Argos + CTranslate2)
    translation_cache: Path | None = None  # SQLite file; None = <data dir>/translation-cache.sqlite
    beam_size: int = 2
    batch_size: int = 32  # sentences per CTranslate2 batch
    threads: int = 0  # 0 = CTranslate2 default
    device: str = "cpu"
    max_decoding_length: int = 256  # absolute cap on output tokens per sentence
    max_decoding_ratio: float = 2.0  # and relative: at most ratio x the longest source in the batch + 8
    argos_packages_dir: Path | None = None  # None = argostranslate's (ARGOS_PACKAGES_DIR / settings.json)
    # Per-page bounds: a page beyond them (a hostile or broken one: 300k paragraphs) keeps its first
    # blocks up to these limits, with a warning, so memory and the stored record stay bounded.
    max_blocks: int = 5000
    max_text_chars: int = 2_000_000
    # The names stage with the compiled world layer (1,158 people, countries, subdivisions,
    # GeoNames cities; ~290 MB resident) or the hand-typed gazetteer alone (docs/names.md).
    names_world: bool = True
    # Block vote with trafilatura and readability-lxml (the `vote` extra) after boilerplate removal:
    # "off", "gated" (pages where the rules look unsure) or "always"; see docs/extraction.md.
    extraction_vote: str = "off"
    # Extra data files users add without touching the package.
    gazetteer_paths: tuple[Path, ...] = ()
    lexicon_paths: tuple[Path, ...] = ()
    data_dir: Path = field(default_factory=_default_data_dir)

    @classmethod
    def from_mapping(cls, values: dict) -> NormaliserConfig:
        """Build from a flat mapping (Scrapy settings, env); unknown keys are an error, not ignored."""
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown normaliser setting(s): {', '.join(sorted(unknown))}")
        cfg = cls(**values)
        cfg.languages = tuple(cfg.languages)
        cfg.gazetteer_paths = tuple(Path(p) for p in cfg.gazetteer_paths)
        cfg.lexicon_paths = tuple(Path(p) for p in cfg.lexicon_paths)
        cfg.data_dir = Path(cfg.data_dir)
        if cfg.argos_packages_dir is not None:
            cfg.argos_packages_dir = Path(cfg.argos_packages_dir)
        return cfg

# Batch CLI with --jobs N > 1: pages go to the worker processes in the batches one process
# normalises (normalise/batches.py). A batch is the unit of work and of ordering: its records are
# written once it and every batch before it are done.
# Chunks sent out and not yet written, per worker: bounds the pages held in memory whatever the
# batch size, while each worker has its next chunk queued when it finishes one.
JOB_CHUNKS_PER_WORKER = 2
# Peak resident memory of one worker without translation, names' world layer on, that met all ten
# languages (820 and 952 MiB measured: docs/cli.md, bench/cli_batch_memory.py --jobs 2 --files),
# rounded up. `--jobs auto` runs no more workers than the available memory holds at this size.
JOB_WORKER_BYTES = 1024 * 1024 * 1024
