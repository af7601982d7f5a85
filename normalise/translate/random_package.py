"""Build a small but real Argos Translate package (.argosmodel) with RANDOM weights.

For tests, benchmarks and for trying the pipeline without internet
(`python -m normalise models install-test-package de`): its "English" is gibberish.

The package has the exact layout Argos installs: one top-level folder holding
`metadata.json`, `model/` (a CTranslate2 Transformer written with CTranslate2's
model-spec API, random weights) and `sentencepiece.model` (trained on the fly).
A random model translates into nonsense, but every code path that touches the
package (install, load, tokenise, batch, decode, cache) is the real one.

    from normalise.translate.random_package import build_argos_package
    path = build_argos_package(tmp_dir, "de", "en")          # tiny, ~1 s
    path = build_argos_package(tmp_dir, "de", "en", **TRANSFORMER_BASE, corpus=lines)  # benchmark size
"""
from __future__ import annotations

import io
import json
import random
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

# Transformer-base, as used by the real Argos packages.
TRANSFORMER_BASE = dict(layers=6, d_model=512, ffn=2048, heads=8, vocab_size=32000, quantization="int8")

# Words per language for the generated training corpus (our own, not scraped text).
_WORDS = {
    "de": "die der das und mit von Regierung Gespräche Istanbul Waffenruhe Gefangene Austausch Präsident "
          "sagte am Montag nach über heute Delegation Frieden Verhandlungen Krieg Ukraine Russland".split(),
    "fr": "le la les et avec des gouvernement pourparlers cessez-le-feu prisonniers échange président "
          "a dit lundi après aujourd'hui délégation paix négociations guerre Ukraine Russie".split(),
    "es": "el la los y con del gobierno conversaciones alto el fuego prisioneros intercambio presidente "
          "dijo lunes después hoy delegación paz negociaciones guerra Ucrania Rusia".split(),
    "it": "il la gli e con del governo colloqui cessate il fuoco prigionieri scambio presidente "
          "ha detto lunedì dopo oggi delegazione pace negoziati guerra Ucraina Russia".split(),
    "pt": "o a os e com do governo conversações cessar-fogo prisioneiros troca presidente "
          "disse segunda-feira depois hoje delegação paz negociações guerra Ucrânia Rússia".split(),
    "ru": "и в на с правительство переговоры перемирие пленные обмен президент сказал "
          "понедельник после сегодня делегация мир война Украина Россия Стамбул".split(),
    "uk": "і в на з уряд переговори перемир'я полонені обмін президент сказав "
          "понеділок після сьогодні делегація мир війна Україна Росія Стамбул".split(),
    "el": "και η ο το με κυβέρνηση συνομιλίες εκεχειρία αιχμάλωτοι ανταλλαγή πρόεδρος είπε "
          "Δευτέρα μετά σήμερα αντιπροσωπεία ειρήνη διαπραγματεύσεις πόλεμος Ουκρανία Ρωσία".split(),
    "zh": list("乌克兰俄罗斯在伊斯坦布尔举行会谈双方同意交换战俘总统表示停火谈判和平代表团今天星期一之后"),
    "en": "the and with of government talks ceasefire prisoners exchange president said on Monday "
          "after today delegation peace negotiations war Ukraine Russia Istanbul".split(),
}


def generated_corpus(languages: Iterable[str], sentences_per_language: int = 200, seed: int = 0) -> list[str]:
    """Random but well-formed sentences in each language: enough to train a small SentencePiece model."""
    rng = random.Random(seed)
    out = []
    for lang in languages:
        words = _WORDS.get(lang, _WORDS["en"])
        joiner = "" if lang == "zh" else " "
        stop = "。" if lang == "zh" else "."
        for _ in range(sentences_per_language):
            n = rng.randint(4, 14)
            sentence = joiner.join(rng.choice(words) for _ in range(n))
            out.append(sentence[0].upper() + sentence[1:] + stop)
    return out


def train_sentencepiece(corpus: list[str], vocab_size: int, out_path: Path) -> list[str]:
    """Train a SentencePiece unigram model; returns its pieces in id order (the model vocabulary)."""
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus), model_writer=buf, vocab_size=vocab_size, model_type="unigram",
        character_coverage=1.0, hard_vocab_limit=False, num_threads=2, minloglevel=2,
        input_sentence_size=len(corpus), shuffle_input_sentence=False,
    )
    out_path.write_bytes(buf.getvalue())
    sp = spm.SentencePieceProcessor(model_file=str(out_path))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _random_transformer(vocab: list[str], layers: int, d_model: int, ffn: int, heads: int, seed: int):
    import ctranslate2

    spec = ctranslate2.specs.TransformerSpec.from_config((layers, layers), heads, pre_norm=True)
    rng = np.random.default_rng(seed)

    def mat(rows, cols):
        return (rng.standard_normal((rows, cols), dtype=np.float32) / np.sqrt(cols)).astype(np.float32)

    def linear(lin, rows, cols):
        lin.weight = mat(rows, cols)
        lin.bias = np.zeros(rows, dtype=np.float32)

    def norm(ln):
        ln.gamma = np.ones(d_model, dtype=np.float32)
        ln.beta = np.zeros(d_model, dtype=np.float32)

    v = len(vocab)
    for stack in (spec.encoder, spec.decoder):
        norm(stack.layer_norm)
        for layer in stack.layer:
            norm(layer.self_attention.layer_norm)
            linear(layer.self_attention.linear[0], 3 * d_model, d_model)  # fused q, k, v
            linear(layer.self_attention.linear[1], d_model, d_model)
            if getattr(layer, "attention", None) is not None:
                norm(layer.attention.layer_norm)
                linear(layer.attention.linear[0], d_model, d_model)
                linear(layer.attention.linear[1], 2 * d_model, d_model)  # fused k, v
                linear(layer.attention.linear[2], d_model, d_model)
            norm(layer.ffn.layer_norm)
            linear(layer.ffn.linear_0, ffn, d_model)
            linear(layer.ffn.linear_1, d_model, ffn)
    spec.encoder.embeddings[0].weight = mat(v, d_model)
    spec.decoder.embeddings.weight = mat(v, d_model)
    linear(spec.decoder.projection, v, d_model)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    return spec


def build_argos_package(out_dir: Path, from_code: str = "de", to_code: str = "en", *, layers: int = 1,
                        d_model: int = 32, ffn: int = 64, heads: int = 2, vocab_size: int = 300,
                        quantization: str | None = None, version: str = "1.0", seed: int = 0,
                        corpus: list[str] | None = None, name: str | None = None,
                        sentencepiece_model: Path | None = None) -> Path:
    """Write `<out_dir>/<name>.argosmodel` and return its path.

    sentencepiece_model: reuse an already trained model (benchmarks build several packages)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = name or f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    archive = out_dir / f"{name}.argosmodel"
    with tempfile.TemporaryDirectory(dir=out_dir) as work:
        root = Path(work) / name
        root.mkdir()
        if sentencepiece_model is not None:
            import sentencepiece as spm

            shutil.copyfile(sentencepiece_model, root / "sentencepiece.model")
            sp = spm.SentencePieceProcessor(model_file=str(sentencepiece_model))
            vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
        else:
            corpus = corpus or generated_corpus([from_code, to_code], seed=seed)
            vocab = train_sentencepiece(corpus, vocab_size, root / "sentencepiece.model")
        spec = _random_transformer(vocab, layers, d_model, ffn, heads, seed)
        spec.validate()
        spec.optimize(quantization=quantization)
        (root / "model").mkdir()
        spec.save(str(root / "model"))
        metadata = {
            "package_version": version, "argos_version": "1.9", "from_code": from_code,
            "from_name": from_code, "to_code": to_code, "to_name": to_code, "type": "translate",
            "links": [],
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        (root / "README.md").write_text(f"Test package {from_code}->{to_code}: random weights.\n", encoding="utf-8")
        tmp_archive = Path(work) / "pkg.zip"
        with zipfile.ZipFile(tmp_archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(root.rglob("*")):
                zf.write(path, path.relative_to(work).as_posix())
        shutil.move(tmp_archive, archive)
    return archive
