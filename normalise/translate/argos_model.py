"""One installed Argos package loaded for batch translation: CTranslate2 + SentencePiece.

We load the package's own `model/` (CTranslate2) and `sentencepiece.model` directly,
exactly what argostranslate does inside, but translate many sentences per
`translate_batch` call instead of one paragraph at a time.
"""
from __future__ import annotations

import hashlib
import math
import threading
from dataclasses import dataclass

from normalise.translate.packages import InstalledPackage, PackageError

_load_lock = threading.Lock()
_loaded: dict[tuple, ArgosModel] = {}


@dataclass(frozen=True)
class DecodeSettings:
    beam_size: int = 2
    batch_size: int = 32  # sentences per CTranslate2 batch
    threads: int = 0  # intra-op threads, 0 = CTranslate2 default
    device: str = "cpu"
    max_decoding_length: int = 256  # absolute cap, in target tokens
    max_decoding_ratio: float = 2.0  # cap relative to the longest source in the batch (+ DECODE_SLACK)

    @classmethod
    def from_config(cls, config) -> DecodeSettings:
        return cls(beam_size=config.beam_size, batch_size=config.batch_size, threads=config.threads,
                   device=config.device, max_decoding_length=config.max_decoding_length,
                   max_decoding_ratio=getattr(config, "max_decoding_ratio", 2.0))


DECODE_SLACK = 8


def decoding_cap(settings: DecodeSettings, longest_source: int) -> int:
    """Longest output allowed for a batch: stops runaway (looping) decodes early."""
    relative = math.ceil(longest_source * settings.max_decoding_ratio) + DECODE_SLACK
    return max(1, min(settings.max_decoding_length, relative))


def model_fingerprint(package: InstalledPackage) -> str:
    """Stable id for cache keys: pair, version and a hash of the weights (a replaced model never reuses old entries)."""
    digest = hashlib.sha256()
    with open(package.model_dir / "model.bin", "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return f"argos:{package.from_code}-{package.to_code}:{package.version}:{digest.hexdigest()[:12]}"


class ArgosModel:
    """translate(sentences) -> English sentences, batched; counts its CTranslate2 calls."""

    def __init__(self, package: InstalledPackage, settings: DecodeSettings):
        import ctranslate2
        import sentencepiece

        if not package.sentencepiece_model.is_file():
            raise PackageError(f"{package.path}: no sentencepiece.model (BPE packages are not supported)")
        if not (package.model_dir / "model.bin").is_file():
            raise PackageError(f"{package.path}: no model/model.bin")
        self.package = package
        self.settings = settings
        self.model_id = model_fingerprint(package)
        self.source = package.from_code
        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(package.sentencepiece_model))
        self.translator = ctranslate2.Translator(str(package.model_dir), device=settings.device,
                                                 inter_threads=1, intra_threads=settings.threads)
        self.calls = 0  # translate_batch calls made
        self.sentences = 0  # sentences sent to the model

    def translate(self, sentences: list[str]) -> list[str]:
        if not sentences:
            return []
        tokens = self.sp.encode(sentences, out_type=str)
        # Similar lengths per batch: less padding, and the decoding cap follows the batch.
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
        prefix = [self.package.target_prefix] if self.package.target_prefix else None
        out: list[str] = [""] * len(sentences)
        size = max(1, self.settings.batch_size)
        for start in range(0, len(order), size):
            idx = order[start:start + size]
            batch = [tokens[i] for i in idx]
            results = self.translator.translate_batch(
                batch, beam_size=self.settings.beam_size, max_batch_size=0, replace_unknowns=True,
                max_decoding_length=decoding_cap(self.settings, max(len(t) for t in batch)),
                target_prefix=[prefix] * len(batch) if prefix else None, length_penalty=0.2)
            self.calls += 1
            self.sentences += len(batch)
            for i, result in zip(idx, results, strict=True):
                pieces = result.hypotheses[0]
                if prefix and pieces[:1] == prefix:
                    pieces = pieces[1:]
                out[i] = self.sp.decode(pieces).strip()
        return out


def load_model(package: InstalledPackage, settings: DecodeSettings) -> ArgosModel:
    """One loaded model per package folder and settings per process."""
    stat = (package.model_dir / "model.bin").stat()
    key = (str(package.path.resolve()), package.version, stat.st_mtime_ns, stat.st_size, settings)
    model = _loaded.get(key)
    if model is None:
        with _load_lock:
            model = _loaded.get(key)
            if model is None:
                model = _loaded[key] = ArgosModel(package, settings)
    return model


def unload_all() -> None:
    with _load_lock:
        _loaded.clear()
