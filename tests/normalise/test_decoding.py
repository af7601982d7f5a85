"""Declared charsets are read in each form a page can declare one, and only used when they decode."""
from __future__ import annotations

import pytest

from normalise.extract.decoding import decode_body

TEXT = "Переговоры в Стамбуле"


@pytest.mark.parametrize("head", [
    '<meta charset="windows-1251">',
    '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
    '<meta content="text/html; charset=windows-1251" http-equiv="Content-Type">',
])
def test_each_form_of_declaration_is_honoured(head):
    body = f"<html><head>{head}</head><body><p>{TEXT}</p></body></html>".encode("cp1251")
    text, encoding, warnings = decode_body(body)
    assert TEXT in text and encoding == "windows-1251" and warnings == []


def test_xml_declaration_and_header_precedence():
    body = f'<?xml version="1.0" encoding="koi8-r"?><html><p>{TEXT}</p></html>'.encode("koi8-r")
    assert decode_body(body)[1] == "koi8-r"
    # the HTTP header wins over what the page says
    assert decode_body(body, "text/html; charset=KOI8-R")[1] == "koi8-r"


def test_a_wrong_declaration_is_reported_and_detection_takes_over():
    body = f'<html><head><meta charset="utf-8"></head><body><p>{TEXT} {TEXT}</p></body></html>'.encode("cp1251")
    text, _, warnings = decode_body(body)
    assert TEXT in text
    assert any("does not decode" in w for w in warnings)
