"""The real path on a real (tiny, random-weight) Argos package: install, load, split, batch, cache, reassemble."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from normalise import InputDocument
from normalise.config import NormaliserConfig
from normalise.pipeline import Normaliser
from normalise.record import Block
from normalise.stages import TranslationJob
from normalise.translate import build_translator
from normalise.translate.cache import TranslationCache
from normalise.translate.splitter import split_sentences

GERMAN = ["Die Delegationen trafen sich am Montag in Istanbul. Eine Einigung gab es nicht.",
          "Der Präsident sagte, die Gespräche würden fortgesetzt.\nDer Austausch der Gefangenen beginnt bald.",
          "Beide Seiten wollen weiter verhandeln!"]
RUSSIAN = ["Переговоры в Стамбуле длились около часа. Стороны договорились об обмене пленными."]
CHINESE = ["双方在伊斯坦布尔举行会谈。会谈没有达成停火协议。"]


def _config(packages_dir: Path, tmp_path: Path, **kw) -> NormaliserConfig:
    return NormaliserConfig(argos_packages_dir=packages_dir, data_dir=tmp_path / "data", batch_size=4, **kw)


def _jobs(n_docs: int) -> list[TranslationJob]:
    jobs = []
    for d in range(n_docs):
        for i, text in enumerate(GERMAN):
            jobs.append(TranslationJob(f"doc{d}", Block(text=f"{text} Nr {d}.", position=i, language="de"), "de"))
        jobs.append(TranslationJob(f"doc{d}", Block(text=RUSSIAN[0], position=9, language="ru"), "ru"))
        jobs.append(TranslationJob(f"doc{d}", Block(text=CHINESE[0], position=10, language="zh"), "zh"))
    return jobs


def test_translates_many_documents_in_batches_and_reassembles_each_block_from_its_own_sentences(packages_dir, tmp_path):
    config = _config(packages_dir, tmp_path)
    translator = build_translator(config)
    jobs = _jobs(6)
    stats = translator.translate(jobs)

    models = {m.source: m for m in translator.provider_models.loaded}
    assert set(models) == {"de", "ru"}
    de_sentences = sum(len(split_sentences(line, "de")) for j in jobs if j.source_language == "de"
                       for line in j.block.text.split("\n"))
    unique_de = len({s for j in jobs if j.source_language == "de" for line in j.block.text.split("\n")
                     for s in split_sentences(line, "de")})
    assert models["de"].sentences == unique_de < de_sentences  # sentences repeated across documents go once
    assert models["de"].calls == -(-unique_de // config.batch_size)  # full batches across documents

    cache = TranslationCache(config.data_dir / "translation-cache.sqlite")
    for job in jobs:
        block = job.block
        if job.source_language == "zh":  # no zh package installed
            assert block.translation == "untranslated" and "zh->en" in block.translation_reason
            assert "models install" in block.translation_reason
            continue
        assert block.translation == "translated" and block.model.startswith(f"argos:{job.source_language}-en:1.0:")
        lines = block.text.split("\n")
        cached = cache.get_many(block.model, [s for line in lines for s in split_sentences(line, job.source_language)])
        expected = "\n".join(" ".join(cached[s] for s in split_sentences(line, job.source_language)) for line in lines)
        assert block.text_en == expected  # each block is its own sentences' translations, in order
        assert block.text_en.count("\n") == block.text.count("\n")
    assert sorted(stats["models"]) == sorted(m.model_id for m in models.values())


def test_second_pass_comes_from_the_cache_with_zero_model_calls(packages_dir, tmp_path):
    config = _config(packages_dir, tmp_path)
    first = build_translator(config)
    first_jobs = _jobs(3)
    first.translate(first_jobs)
    loaded = first.provider_models.loaded
    calls_before = {m.model_id: m.calls for m in loaded}

    second = build_translator(config)  # a fresh stage over the same cache file
    jobs = _jobs(3)
    stats = second.translate(jobs)
    assert {m.model_id: m.calls for m in second.provider_models.loaded} == calls_before  # no new calls
    assert [j.block.text_en for j in jobs] == [j.block.text_en for j in first_jobs]
    assert stats["translated_sentences"] == 0 and stats["cached_by_doc"]["doc0"] > 0


def test_normaliser_end_to_end_keeps_paragraphs_order_and_flags_missing_models(packages_dir, tmp_path):
    normaliser = Normaliser(_config(packages_dir, tmp_path))
    docs = [InputDocument(id=f"p{i}", text="\n\n".join(GERMAN[:1] + [
        "The delegations met in Istanbul on Monday and agreed on a new prisoner exchange.",
        "Οι αντιπροσωπείες συναντήθηκαν τη Δευτέρα στην Κωνσταντινούπολη χωρίς συμφωνία."]))
        for i in range(4)]
    records = list(normaliser.normalise_many(docs))
    assert [r.id for r in records] == ["p0", "p1", "p2", "p3"]
    for record in records:
        langs = [b.language for b in record.kept_blocks]
        assert langs == ["de", "en", "el"]
        de, en, el = record.kept_blocks
        assert de.translation == "translated" and de.text_en and de.text_en != de.text
        assert en.translation == "source_english" and en.text_en == en.text
        assert el.translation == "untranslated" and "el->en" in el.translation_reason and el.text_en == el.text
        assert record.text_en.split("\n\n") == [de.text_en, en.text_en, el.text_en]
        assert record.translation["translated_blocks"] == 1 and record.translation["untranslated_blocks"] == 1
        assert record.translation["models"] == [de.model]


def test_argostranslate_itself_loads_the_installed_package(packages_dir, tmp_path):
    """The package is a genuine Argos package: argostranslate's own API lists and opens it."""
    env = dict(os.environ, ARGOS_PACKAGES_DIR=str(packages_dir), XDG_DATA_HOME=str(tmp_path / "xdg-data"),
               XDG_CONFIG_HOME=str(tmp_path / "xdg-config"), XDG_CACHE_HOME=str(tmp_path / "xdg-cache"))
    code = ("import json; from argostranslate import package; "
            "print(json.dumps(sorted((p.from_code, p.to_code, type(p.tokenizer).__name__) "
            "for p in package.get_installed_packages())))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [["de", "en", "SentencePieceTokenizer"], ["ru", "en", "SentencePieceTokenizer"]]
