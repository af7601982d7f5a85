"""Translation stage logic (batching, reassembly, cache, missing models, name hook) with a fake model."""
from __future__ import annotations

from fake_model import FakeModel, provider_for

from normalise.record import Block
from normalise.stages import TranslationJob
from normalise.translate.cache import TranslationCache
from normalise.translate.engine import BatchTranslator


def _jobs(docs: dict[str, list[tuple[str, str]]]) -> list[TranslationJob]:
    return [TranslationJob(doc_id, Block(text=text, position=i, language=lang), lang)
            for doc_id, blocks in docs.items() for i, (lang, text) in enumerate(blocks)]


def _many_docs(n: int = 12) -> dict[str, list[tuple[str, str]]]:
    return {f"doc{d}": [("de", f"Satz eins von Artikel {d}. Satz zwei von Artikel {d}!"),
                        ("de", f"Zeile A {d}.\nZeile B {d}. Noch ein Satz {d}."),
                        ("ru", f"Переговоры {d} продолжались час.")] for d in range(n)}


def test_sentences_of_many_documents_go_to_the_model_together_and_come_back_in_place(tmp_path):
    de, ru = FakeModel("fake:de-en"), FakeModel("fake:ru-en")
    translator = BatchTranslator(provider_for({"de": de, "ru": ru}), TranslationCache(tmp_path / "c.sqlite"))
    jobs = _jobs(_many_docs(12))
    stats = translator.translate(jobs)
    assert len(de.calls) == 1 and len(ru.calls) == 1  # one batch per model across all 12 documents
    for d in range(12):
        first, second, third = [j.block for j in jobs if j.doc_id == f"doc{d}"]
        assert first.text_en == f"EN<Satz eins von Artikel {d}.> EN<Satz zwei von Artikel {d}!>"
        assert second.text_en == f"EN<Zeile A {d}.>\nEN<Zeile B {d}.> EN<Noch ein Satz {d}.>"
        assert third.text_en == f"EN<Переговоры {d} продолжались час.>"
        assert {b.translation for b in (first, second, third)} == {"translated"}
        assert first.model == "fake:de-en" and third.model == "fake:ru-en"
    assert stats["models"] == ["fake:de-en", "fake:ru-en"]


def test_second_pass_is_served_from_the_persistent_cache_with_zero_model_calls(tmp_path):
    path = tmp_path / "cache.sqlite"
    first = FakeModel()
    BatchTranslator(provider_for({"de": first}), TranslationCache(path)).translate(_jobs(_many_docs(3)))
    sentences = first.sentences_seen
    assert sentences > 0

    again = FakeModel()  # a new process: new model object, same cache file
    jobs = _jobs({k: [b for b in v if b[0] == "de"] for k, v in _many_docs(3).items()})
    stats = BatchTranslator(provider_for({"de": again}), TranslationCache(path)).translate(jobs)
    assert again.calls == []
    assert stats["cached_by_doc"] == {"doc0": 5, "doc1": 5, "doc2": 5}
    assert all(j.block.translation == "translated" and j.block.text_en.startswith("EN<") for j in jobs)


def test_repeated_sentences_are_translated_once(tmp_path):
    model = FakeModel()
    jobs = _jobs({f"d{i}": [("de", "Alle Rechte vorbehalten. Neuer Satz.")] for i in range(5)})
    BatchTranslator(provider_for({"de": model}), TranslationCache(None)).translate(jobs)
    assert model.calls == [["Alle Rechte vorbehalten.", "Neuer Satz."]]


def test_language_without_a_model_stays_original_with_the_reason_and_nothing_is_dropped(tmp_path):
    model = FakeModel()
    jobs = _jobs({"a": [("de", "Ein Satz."), ("el", "Μια πρόταση."), ("de", "Noch einer.")]})
    stats = BatchTranslator(provider_for({"de": model}), TranslationCache(None)).translate(jobs)
    greek = jobs[1].block
    assert greek.translation == "untranslated" and greek.text == "Μια πρόταση."
    assert "el->en" in greek.translation_reason and greek.model is None
    assert [j.block.translation for j in jobs] == ["translated", "untranslated", "translated"]
    assert stats["untranslated_blocks"] == 1


def test_a_failing_model_only_costs_its_own_blocks():
    jobs = _jobs({"a": [("de", "Ein Satz."), ("ru", "Одно предложение.")]})
    provider = provider_for({"de": FakeModel(), "ru": FakeModel("fake:ru-en", fail=True)})
    BatchTranslator(provider, TranslationCache(None)).translate(jobs)
    assert jobs[0].block.translation == "translated"
    assert jobs[1].block.translation == "untranslated" and "model crashed" in jobs[1].block.translation_reason


def test_text_without_letters_never_reaches_the_model():
    model = FakeModel()
    jobs = _jobs({"a": [("de", "12:30"), ("de", "1.000 €. Ein Satz.")]})
    BatchTranslator(provider_for({"de": model}), TranslationCache(None)).translate(jobs)
    assert jobs[0].block.text_en == "12:30"
    assert model.calls == [["Ein Satz."]] and jobs[1].block.text_en == "1.000 €. EN<Ein Satz.>"


def test_name_protector_wraps_every_model_call_including_cache_hits(tmp_path):
    seen = []

    def protect(text, lang):
        seen.append((text, lang))
        return text.replace("Mentinsky", "Medinsky"), lambda out: out.replace("EN<", "<")

    cache = TranslationCache(tmp_path / "c.sqlite")
    for _ in range(2):
        model = FakeModel()
        jobs = _jobs({"a": [("de", "Mentinsky sprach. Dann ging er.")]})
        BatchTranslator(provider_for({"de": model}), cache).translate(jobs, protect)
        assert jobs[0].block.text_en == "<Medinsky sprach.> <Dann ging er.>"
    assert seen[:2] == [("Mentinsky sprach.", "de"), ("Dann ging er.", "de")] and len(seen) == 4
    assert model.calls == []  # second round: cache keyed by the protected text


def test_an_empty_model_answer_keeps_the_original_sentence_and_says_so():
    class Silent(FakeModel):
        def translate(self, sentences):
            return ["" if "leer" in s else f"EN<{s}>" for s in sentences]

    jobs = _jobs({"a": [("de", "Ein Satz. Fast leer.")]})
    BatchTranslator(provider_for({"de": Silent()}), TranslationCache(None)).translate(jobs)
    block = jobs[0].block
    assert block.text_en == "EN<Ein Satz.> Fast leer."
    assert block.translation == "translated" and "1 sentence" in block.translation_reason
