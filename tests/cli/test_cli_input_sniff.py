"""Reading a stream whose format is sniffed: JSON Lines is recognised from its first '{' without
waiting for more of a pipe; HTML and text are still told apart on the whole page."""
from __future__ import annotations

import json
import os
import threading

import pytest

from normalise.input_files import InputOptions, _read_stream
from normalise.inputs import InputDocument

WAIT = 60  # seconds; only a safety net against a hang, never reached when the code is right
DEFAULTS = InputOptions()


def _first_item_while_open(data: bytes, opts: InputOptions):
    """The stream's first item, taken while the writing end of the pipe is still open."""
    read_end, write_end = os.pipe()
    got: list = []
    with os.fdopen(read_end, "rb") as fh:
        reader = threading.Thread(target=lambda: got.append(next(_read_stream("<stdin>", fh, None, opts))),
                                  daemon=True)
        try:
            os.write(write_end, data)
            reader.start()
            reader.join(WAIT)
            assert got, "the first page was not read until the pipe closed"
        finally:
            os.close(write_end)  # lets a reader stuck on the pipe finish
            reader.join(WAIT)
    return got[0]


@pytest.mark.parametrize("fmt", ["auto", "jsonl"])
def test_a_json_lines_page_on_an_open_pipe_is_read_at_once(fmt):
    line = b"  \n\t" + json.dumps({"id": "a", "text": "A page."}).encode() + b"\n"
    doc = _first_item_while_open(line, InputOptions(format=fmt))
    assert isinstance(doc, InputDocument) and doc.id == "a" and doc.text == "A page."


def _read_all(data: bytes, opts: InputOptions = DEFAULTS) -> list:
    read_end, write_end = os.pipe()
    writer = threading.Thread(target=lambda: (os.write(write_end, data), os.close(write_end)), daemon=True)
    writer.start()  # a pipe holds 64 KB: larger pages need a writer beside the reader
    with os.fdopen(read_end, "rb") as fh:
        items = list(_read_stream("<stdin>", fh, None, opts))
    writer.join(WAIT)
    return items


def test_html_after_leading_space_is_sniffed_on_the_whole_page():
    html = b"\n\n   <!doctype html><html><body>" + b"<p>Paragraph about the harbour.</p>" * 4000 + b"</body></html>"
    assert len(html) > 128 * 1024  # more than one read of the pipe
    [doc] = _read_all(html)
    assert isinstance(doc, InputDocument) and doc.html == html and doc.text is None


def test_plain_text_stays_text():
    [doc] = _read_all(b"First line of a dump.\nSecond line, {braces} inside.\n")
    assert isinstance(doc, InputDocument) and doc.text == "First line of a dump.\nSecond line, {braces} inside.\n"


def test_only_whitespace_is_one_empty_text_page_not_json_lines():
    [doc] = _read_all(b" \n\t\n")
    assert isinstance(doc, InputDocument) and doc.html is None and doc.text == " \n\t\n"


def test_json_lines_after_a_long_run_of_blank_lines_are_still_json_lines():
    data = b"\n" * (200 * 1024) + json.dumps({"id": "a", "text": "A page."}).encode() + b"\n"
    assert [d.id for d in _read_all(data)] == ["a"]


def test_a_sniffed_page_over_the_limit_is_refused():
    [record] = _read_all(b"<html>" + b"x" * 5000, InputOptions(max_page_bytes=4096))
    assert record.error.code == "input_too_large"


BOM = b"\xef\xbb\xbf"  # what Windows editors put before UTF-8 text


def test_a_byte_order_mark_before_json_lines_on_a_pipe_is_skipped():
    data = BOM + json.dumps({"id": "a", "text": "A page."}).encode() + b"\n" + json.dumps({"id": "b", "text": "B."}).encode()
    assert [(d.id, d.text) for d in _read_all(data)] == [("a", "A page."), ("b", "B.")]


@pytest.mark.parametrize("fmt", ["auto", "jsonl"])
def test_a_page_after_a_byte_order_mark_on_an_open_pipe_is_read_at_once(fmt):
    doc = _first_item_while_open(BOM + json.dumps({"id": "a", "text": "A page."}).encode() + b"\n", InputOptions(format=fmt))
    assert isinstance(doc, InputDocument) and doc.id == "a"


def test_a_byte_order_mark_then_blank_lines_then_json_lines():
    data = BOM + b"\n" * (100 * 1024) + json.dumps({"id": "a", "text": "A page."}).encode() + b"\n"
    assert [d.id for d in _read_all(data)] == ["a"]


def test_a_byte_order_mark_alone_on_the_first_line_is_no_page():
    data = BOM + b"\n" + json.dumps({"id": "a", "text": "A page."}).encode() + b"\n"
    assert [d.id for d in _read_all(data, InputOptions(format="jsonl"))] == ["a"]


def test_html_after_a_byte_order_mark_is_html_and_keeps_the_mark_for_its_decoding():
    html = BOM + b"<!doctype html><html><head><title>Caf\xc3\xa9</title></head></html>"
    [doc] = _read_all(html)
    assert isinstance(doc, InputDocument) and doc.html == html


def test_text_after_a_byte_order_mark_is_text_without_the_mark():
    [doc] = _read_all(BOM + b"A text dump, line one.\n")
    assert isinstance(doc, InputDocument) and doc.text == "A text dump, line one.\n"


@pytest.mark.parametrize("name", ["pages.jsonl", "pages.data"])
def test_a_file_with_a_byte_order_mark_is_read_as_json_lines(tmp_path, name):
    from normalise.input_files import read_inputs

    path = tmp_path / name
    path.write_bytes(BOM + json.dumps({"id": "a", "text": "A page."}).encode() + b"\n")
    [doc] = list(read_inputs([str(path)], DEFAULTS))
    assert isinstance(doc, InputDocument) and (doc.id, doc.text) == ("a", "A page.")


def test_json_lines_files_each_with_a_mark_concatenated_are_read_whole():
    one = BOM + json.dumps({"id": "a", "text": "A page."}).encode() + b"\n"
    empty = BOM + b"\n"
    two = BOM + json.dumps({"id": "b", "text": "B page."}).encode() + b"\n"
    assert [d.id for d in _read_all(one + empty + two)] == ["a", "b"]
