"""The library's public API: `normalise.normalise` / `normalise_many`, and what `__all__` exports."""
from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import normalise
from normalise import InputDocument, NormaliserConfig, Record

CONFIG = NormaliserConfig(translate=False)
PAGE = ("<html><head><title>Talks resume in Kiev</title></head><body><nav>Home | World | Sport</nav>"
        "<article><h1>Talks resume in Kiev</h1><p>Delegations met in Kiev on Tuesday to resume talks on a "
        "prisoner exchange, officials said.</p><p>Zelenski said the first exchange could happen within "
        "weeks.</p></article></body></html>")

EXPECTED = {"PIPELINE_VERSION", "Block", "InputDocument", "NameChange", "Normaliser", "NormaliserConfig",
            "Record", "RecordError", "normalise", "normalise_many"}


def test_all_lists_exactly_the_public_members():
    assert set(normalise.__all__) == EXPECTED
    for name in normalise.__all__:
        member = getattr(normalise, name)
        if not isinstance(member, str):
            assert member.__doc__, f"{name} has no docstring"
    # every public callable or class on the package is exported (submodules are not members)
    public = {name for name, value in vars(normalise).items()
              if not name.startswith("_") and not inspect.ismodule(value) and name not in {"annotations", "TYPE_CHECKING", "Any"}}
    assert public <= EXPECTED


def test_the_package_is_typed():
    assert (Path(normalise.__file__).parent / "py.typed").is_file()


def test_normalise_one_html_page_with_a_url():
    record = normalise.normalise(PAGE, url="https://herald.test/talks", config=CONFIG)
    assert isinstance(record, Record) and record.error is None
    assert record.url == "https://herald.test/talks"
    assert record.title == "Talks resume in Kiev"
    assert "prisoner exchange" in record.text
    assert "Home | World" not in record.text  # navigation is not article text
    assert "Kyiv" in record.text_en and "Kiev" not in record.text_en  # canonical names
    assert "Zelenskyy" in record.text_en


def test_bytes_and_str_give_the_same_record():
    as_str = normalise.normalise(PAGE, config=CONFIG)
    as_bytes = normalise.normalise(PAGE.encode("utf-8"), config=CONFIG)
    assert as_str.text == as_bytes.text and as_str.title == as_bytes.title


def test_plain_text_is_read_as_one_block_per_line_and_lang_is_a_hint():
    text = "Die Gespräche in Istanbul endeten ohne Einigung.\nBeide Seiten wollen sich nächste Woche wieder treffen."
    record = normalise.normalise(text, lang="de", config=CONFIG)
    assert record.error is None
    assert record.language == "de"
    assert [b.text for b in record.kept_blocks] == text.splitlines()


def test_bad_input_gives_a_record_with_an_error_not_an_exception():
    record = normalise.normalise(b"%PDF-1.7\n binary", config=CONFIG)
    assert record.error is not None and record.error.code == "not_html"
    with pytest.raises(TypeError, match="str or bytes"):
        normalise.normalise(42, config=CONFIG)  # type: ignore[arg-type]


def test_normalise_many_keeps_order_and_reuses_one_normaliser():
    pages = [PAGE, "A plain text page.\nWith a second line.",
             InputDocument(id="given", text="Ein Satz auf Deutsch über die Gespräche.", lang="de")]
    records = list(normalise.normalise_many(pages, config=CONFIG))
    assert [r.id for r in records] == ["1", "2", "given"]
    assert records[2].language == "de"
    from normalise import api

    assert api._normaliser(CONFIG) is api._normaliser(NormaliserConfig(translate=False))
