"""The pipeline's contract: one record per input, in order, never a crash, nothing dropped."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from normalise import InputDocument
from normalise.config import NormaliserConfig
from normalise.pipeline import Normaliser

REPO = Path(__file__).resolve().parents[2]


def _normaliser():
    return Normaliser(NormaliserConfig(translate=False))


def test_records_come_back_in_input_order_with_ids_echoed():
    docs = [InputDocument(id=f"doc-{i}", text=f"Paragraph number {i} of a story that ends here.") for i in range(40)]
    records = list(_normaliser().normalise_many(docs, chunk_size=7))
    assert [r.id for r in records] == [d.id for d in docs]
    assert all("Paragraph number" in r.text for r in records)


def test_bad_inputs_become_error_records_and_do_not_stop_the_others():
    docs = [
        InputDocument(id="empty", html=b"   "),
        InputDocument(id="pdf", html=b"%PDF-1.7\n binary"),
        InputDocument(id="good", html=b"<html><body><p>A real paragraph of news text.</p></body></html>"),
    ]
    records = {r.id: r for r in _normaliser().normalise_many(docs)}
    assert records["empty"].error.code == "empty_input"
    assert records["pdf"].error.code == "not_html"
    assert records["good"].error is None and "real paragraph" in records["good"].text


def test_gbk_page_declared_as_utf8_is_decoded_and_warned_about():
    html = "<html><head><meta charset='utf-8'><title>测试</title></head><body><p>乌克兰和俄罗斯在伊斯坦布尔举行会谈。</p></body></html>"
    record = _normaliser().normalise(InputDocument(id="gbk", html=html.encode("gbk")))
    assert "伊斯坦布尔" in record.text
    assert any("does not decode" in w for w in record.warnings)


def test_untranslated_blocks_keep_their_text_and_say_why():
    record = _normaliser().normalise(InputDocument(id="de", text="Die Gespräche in Istanbul endeten ohne Einigung.", lang="de"))
    block = record.kept_blocks[0]
    assert block.translation == "untranslated" and block.translation_reason
    assert record.text_en == record.text
    assert record.translation["untranslated_blocks"] == 1


def test_every_record_kind_matches_the_published_json_schema():
    from normalise.schema import validate_record

    docs = [
        InputDocument(id="ok", html="<html><head><title>T</title></head><body><h1>T</h1><p>Body text here.</p></body></html>"),
        InputDocument(id="err", html=b""),
        InputDocument(id="txt", text="Title line\nA paragraph that says something."),
    ]
    for record in _normaliser().normalise_many(docs):
        validate_record(record.to_dict())


def test_schema_rejects_a_record_missing_a_field():
    import jsonschema
    import pytest

    from normalise.schema import validate_record

    record = _normaliser().normalise(InputDocument(id="x", text="Some text."))
    broken = record.to_dict()
    del broken["text_en"]
    with pytest.raises(jsonschema.ValidationError):
        validate_record(broken)


def test_the_record_page_documents_every_field_of_the_published_schema():
    from pathlib import Path

    from normalise.schema import record_schema

    page = (Path(__file__).resolve().parents[2] / "docs" / "records.md").read_text(encoding="utf-8")
    schema = record_schema()
    fields = list(schema["properties"]) + list(schema["$defs"]["block"]["properties"]) \
        + list(schema["$defs"]["name_change"]["properties"])
    assert [f for f in fields if f"`{f}`" not in page] == []
    assert "normalise/schema/record.schema.json" in page


def test_a_term_listed_under_two_reasons_gets_the_same_reason_in_every_process(tmp_path):
    # The reason recorded must not depend on Python's per-process string hashing (set order).
    extra = tmp_path / "twice.yaml"
    extra.write_text("rules:\n  alpha_reason:\n    terms: [harbour notice]\n"
                     "  beta_reason:\n    terms: [harbour notice]\n"
                     "settings:\n  alpha_reason: {min_terms: 1}\n  beta_reason: {min_terms: 1}\n", encoding="utf-8")
    script = ("import sys; from normalise.boilerplate.lexicon import Lexicon; "
              "print([m.reason for m in Lexicon.load([sys.argv[1]]).match('Harbour notice')])")
    answers = set()
    for seed in ("1", "2", "3", "4"):
        out = subprocess.run([sys.executable, "-c", script, str(extra)], capture_output=True, text=True, check=True,
                             cwd=REPO, env={**os.environ, "PYTHONHASHSEED": seed})
        answers.add(out.stdout.strip())
    assert answers == {"['alpha_reason', 'beta_reason']"}
