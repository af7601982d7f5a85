"""Hostile or broken pages through the real normaliser: every one ends as a record (text kept) or an
error record with a specific code; nothing raises, nothing is invented."""
from __future__ import annotations

import pytest

from normalise import InputDocument
from normalise.config import NormaliserConfig
from normalise.pipeline import Normaliser
from normalise.schema import validate_record

DEEP = 10_000
PARAGRAPH = "The harbour board met on Thursday and agreed to repair the northern pier before winter."
AFTER = "A second paragraph after the deep part reports that the ferry timetable stays the same."


@pytest.fixture(scope="module")
def normaliser():
    return Normaliser(NormaliserConfig(translate=False))


def _normalise(normaliser, html, **kw):
    record = normaliser.normalise(InputDocument(id="page", html=html, **kw))
    validate_record(record.to_dict())
    return record


@pytest.mark.parametrize("shape", ["nested_divs", "nested_inline", "unclosed_divs", "nested_lists"])
def test_ten_thousand_levels_of_nesting_keep_their_text(normaliser, shape):
    deep_text = f"<p>{PARAGRAPH}</p>"
    html = {
        "nested_divs": "<div>" * DEEP + deep_text + "</div>" * DEEP,
        "nested_inline": "<p>" + "<b>" * DEEP + PARAGRAPH + "</b>" * DEEP + "</p>",
        "unclosed_divs": "<div>" * DEEP + deep_text,  # broken, not hostile: a CMS that never closes
        "nested_lists": "<ul><li>" * DEEP + PARAGRAPH + "</li></ul>" * DEEP,
    }[shape]
    page = f"<html><head><title>Deep</title></head><body>{html}<p>{AFTER}</p></body></html>".encode()
    record = _normalise(normaliser, page)  # no RecursionError, no parser give-up
    assert record.error is None
    assert PARAGRAPH in record.text
    if shape != "unclosed_divs":  # unclosed, the last paragraph is still inside the deep divs: kept, though
        assert AFTER in record.text
    assert AFTER.split()[-1] in record.text
    assert any("nested deeper than" in w for w in record.warnings), record.warnings


def test_text_at_every_level_of_a_deep_page_is_kept_in_order(normaliser):
    page = "<html><body>" + "".join(f"<div>level {i} " for i in range(3000)) + "</div>" * 3000 + "</body></html>"
    record = _normalise(normaliser, page.encode())
    numbers = [int(b.text.split()[1]) for b in record.blocks if b.text.startswith("level ")]
    assert numbers == list(range(3000))


def test_nul_bytes_are_dropped_and_the_text_kept(normaliser):
    page = (b"<html><body>\x00<article><h1>Budget\x00 vote</h1><p>" + PARAGRAPH.encode().replace(b" ", b" \x00", 3)
            + b"</p></article>\x00\x00</body></html>")
    record = _normalise(normaliser, page)
    assert record.error is None
    assert "\x00" not in record.text and "\x00" not in (record.title or "")
    assert PARAGRAPH in record.text


def test_mostly_utf8_page_with_stray_cp1252_bytes_is_read_as_both(normaliser):
    utf8 = ("<html><head><title>Rathaus in Köln</title></head><body><article>"
            "<p>Die Bürgermeisterin von Köln eröffnete am Montag das renovierte Rathaus; über tausend Gäste kamen.</p>"
            "<p>Café-Besitzer rund um den Platz berichteten von einem außergewöhnlich guten Geschäft.</p>").encode()
    pasted = "<p>An older press note quoted the mayor: “We are proud” – and that is all.</p>".encode("cp1252")
    record = _normalise(normaliser, utf8 + pasted + b"</article></body></html>")
    assert record.error is None
    assert "Die Bürgermeisterin von Köln eröffnete" in record.text and "außergewöhnlich" in record.text
    assert "“We are proud” – and that is all." in record.text
    assert any("mixed encodings" in w for w in record.warnings), record.warnings


def test_a_page_that_is_only_scripts_yields_no_script_text(normaliser):
    page = (b"<html><head><script>var title = 'Injected headline';</script><style>p{color:red}</style></head>"
            b"<body><script>document.write('Injected body text for the reader');</script>"
            b"<noscript>Please enable JavaScript</noscript><script type='application/ld+json'>{\"a\": 1}</script>"
            b"</body></html>")
    record = _normalise(normaliser, page)
    assert record.error is None
    assert record.text == "" and "Injected" not in record.to_dict().__repr__()
    assert "no article text found" in record.warnings


@pytest.mark.parametrize("body", [
    b'{"headline": "Ferry resumes", "body": "The ferry sailed again."}',
    b'\xef\xbb\xbf{"headline": "Ferry resumes"}',  # with a UTF-8 byte-order mark
    b'\n  [{"id": 1}, {"id": 2}]',
    '{"headline": "already decoded text"}',  # str input (a JSONL line's "html")
])
def test_json_served_as_html_is_refused_as_not_html(normaliser, body):
    record = _normalise(normaliser, body, content_type="text/html; charset=utf-8")
    assert record.error is not None and record.error.code == "not_html"
    assert "json" in record.error.message


def test_pdf_served_as_html_is_refused_as_not_html(normaliser):
    record = _normalise(normaliser, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n", content_type="text/html")
    assert record.error.code == "not_html" and "pdf" in record.error.message


@pytest.mark.parametrize("page, expected", [
    (b"<html><body><p>Unclosed <b>bold <i>italic<p>" + PARAGRAPH.encode() + b"</div></span></td></html><p>tail",
     PARAGRAPH),
    (b"<p>" + PARAGRAPH.encode() + b"<!-- a comment that never ends <p>hidden", PARAGRAPH),
    (b"<html><body><p>3 < 5 and 7 > 2, the council's report said in its summary of the figures.</p>",
     "3 < 5 and 7 > 2"),
    (b"</p></div></body><p>" + PARAGRAPH.encode() + b"</p></html></html>", PARAGRAPH),
    (b"<table><tr><td><p>" + PARAGRAPH.encode() + b"<td><tr></table></table>", PARAGRAPH),
    (b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">'
     b"<body><p>" + PARAGRAPH.encode() + b"</p></body></html>", PARAGRAPH),  # XHTML with its XML declaration
    (("<html><body><p>UTF-16 page: " + PARAGRAPH + "</p></body></html>").encode("utf-16"), PARAGRAPH),
])
def test_broken_markup_still_gives_the_text(normaliser, page, expected):
    record = _normalise(normaliser, page)
    assert record.error is None, record.error
    assert expected in record.text


@pytest.mark.parametrize("page, code", [
    (b"", "empty_input"), (b" \n\t ", "empty_input"), (b"\x00" * 64, "not_html"),
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "not_html"),
])
def test_empty_and_binary_pages_are_error_records(normaliser, page, code):
    assert _normalise(normaliser, page).error.code == code
