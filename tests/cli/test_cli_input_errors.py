"""Every input that cannot be a page gives a failed record in its place, saying what is wrong, and
the batch goes on: nothing is dropped, replaced or stringified silently, nothing crashes the run."""
from __future__ import annotations

import json
import os
import sys

import pytest

from normalise import input_files
from normalise.input_files import InputOptions, read_inputs
from normalise.inputs import InputDocument
from normalise.record import Record

from .helpers import records, run_cli

GOOD_BEFORE = json.dumps({"id": "before", "text": "A page before the bad line."}).encode()
GOOD_AFTER = json.dumps({"id": "after", "text": "A page after the bad line."}).encode()
DEFAULTS = InputOptions()


def _items(tmp_path, body: bytes, name: str = "pages.jsonl", opts: InputOptions = DEFAULTS) -> list:
    path = tmp_path / name
    path.write_bytes(body)
    return list(read_inputs([str(path)], opts))


def _around(tmp_path, bad: bytes) -> Record:
    """The record for `bad`, read between two good lines, which must come through untouched."""
    first, middle, last = _items(tmp_path, GOOD_BEFORE + b"\n" + bad + b"\n" + GOOD_AFTER + b"\n")
    assert isinstance(first, InputDocument) and first.id == "before"
    assert isinstance(last, InputDocument) and last.id == "after"
    assert isinstance(middle, Record) and middle.error is not None
    return middle


# (line, words the error message must contain: what is wrong and where)
BAD_LINES = [
    (b"[1, 2]", ["not a JSON object", "array"]),
    (b'"just a string"', ["not a JSON object", "string"]),
    (b"null", ["not a JSON object"]),
    (b"{}", ["neither", "html", "text"]),
    (b'{"id": "x", "text": null}', ["neither", "html", "text"]),
    (b'{"id": "x", "text": 5}', ["'text'", "number"]),
    (b'{"id": "x", "html": ["<p>a</p>"]}', ["'html'", "array"]),
    (b'{"id": "x", "html": 5, "text": "A page."}', ["'html'", "number"]),
    (b'{"id": "x", "text": "A page.", "url": 5}', ["'url'", "number"]),
    (b'{"id": "x", "text": "A page.", "lang": 7}', ["'lang'", "number"]),
    (b'{"id": "x", "text": "A page.", "source": ["a"]}', ["'source'", "array"]),
    (b'{"id": {"a": 1}, "text": "A page."}', ["'id'", "object"]),
    (b'{"id": true, "text": "A page."}', ["'id'", "boolean"]),
    (b'{"id": "x", "text": "A page.", "lang": NaN}', ["NaN"]),
    (b'{"id": "x", "text": "A page.", "lang": "xx"}', ["'lang'", "'xx'", "de"]),
    (b'{"id": "x", "text": "Half a pair \\ud800 here."}', ["surrogate", "'text'"]),
    (b'{"id": "x\\udc00", "text": "A page."}', ["surrogate", "'id'"]),
    (b"this is not json", ["not valid JSON"]),
]


@pytest.mark.parametrize(("line", "words"), BAD_LINES, ids=[str(i) for i in range(len(BAD_LINES))])
def test_a_bad_line_fails_alone_with_what_is_wrong(tmp_path, line, words):
    record = _around(tmp_path, line)
    assert record.error.code == "invalid_jsonl"
    assert "line 2 " in record.error.message
    for word in words:
        assert word in record.error.message, (word, record.error.message)


def test_stray_bytes_that_are_not_utf8_are_read_as_cp1252_and_the_record_says_so(tmp_path):
    line = b'{"id": "x", "text": "Caf\xe9 near the harbour, \x93quoted\x94."}'
    _, page, _ = _items(tmp_path, GOOD_BEFORE + b"\n" + line + b"\n" + GOOD_AFTER + b"\n")
    assert isinstance(page, InputDocument) and page.text == "Café near the harbour, \u201cquoted\u201d."
    assert page.warnings == [f"line 2 held 3 byte(s) that are not UTF-8 (the first 0xe9 at offset {line.index(0xE9)}), "
                             "read as cp1252"]


def test_a_failed_line_keeps_its_own_id_when_it_has_a_usable_one(tmp_path):
    assert _around(tmp_path, b'{"id": "mine", "text": 5}').id == "mine"
    assert _around(tmp_path, b'{"id": {"a": 1}, "text": "A page."}').id.endswith("pages.jsonl:2")


def test_a_valid_surrogate_pair_and_an_escaped_backslash_u_are_text(tmp_path):
    line = b'{"id": "ok", "text": "Emoji \\ud83d\\ude00 and a literal \\\\ud800 in the text."}'
    [doc] = _items(tmp_path, line + b"\n")
    assert isinstance(doc, InputDocument) and doc.text == "Emoji \U0001F600 and a literal \\ud800 in the text."


def test_an_integer_id_is_kept_even_zero_and_a_missing_or_empty_id_is_the_line(tmp_path):
    lines = [{"id": 0, "text": "Zero."}, {"id": 17, "text": "Seventeen."}, {"text": "No id."}, {"id": "", "text": "Empty."}]
    docs = _items(tmp_path, b"".join(json.dumps(x).encode() + b"\n" for x in lines))
    assert [d.id for d in docs] == ["0", "17", f"{tmp_path / 'pages.jsonl'}:3", f"{tmp_path / 'pages.jsonl'}:4"]


def test_a_line_over_the_limit_in_the_middle_fails_alone(tmp_path):
    big = json.dumps({"id": "big", "text": "x" * 500}).encode()
    items = _items(tmp_path, b"\n".join([GOOD_BEFORE, big, GOOD_AFTER]), opts=InputOptions(max_page_bytes=200))
    assert [i.id for i in items] == ["before", f"{tmp_path / 'pages.jsonl'}:2", "after"]
    assert items[1].error.code == "input_too_large"


def test_things_in_a_folder_that_are_not_files_are_reported_in_place(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("First page.\n")
    (folder / "b-link").symlink_to(folder / "missing.txt")
    os.mkfifo(folder / "c-fifo")
    (folder / "sub" / "d.txt").write_text("Page in a sub-folder.\n")
    (folder / "sub" / "e-loop").symlink_to(folder)
    (folder / "z.txt").write_text("Last page.\n")
    items = list(read_inputs([str(folder)], InputOptions()))
    assert [i.id for i in items] == [str(folder / n) for n in ("a.txt", "b-link", "c-fifo", "sub/d.txt", "sub/e-loop",
                                                                "z.txt")]
    assert [type(i).__name__ for i in items] == ["InputDocument", "Record", "Record", "InputDocument", "Record",
                                                  "InputDocument"]
    assert [i.error.code for i in items if isinstance(i, Record)] == ["unreadable_input"] * 3
    assert "link to nothing" in items[1].error.message and "FIFO" in items[2].error.message
    assert "link back" in items[4].error.message


def test_a_sub_folder_that_cannot_be_listed_is_reported_and_the_rest_read(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.txt").write_text("First page.\n")
    (folder / "locked" / "hidden-from-us.txt").write_text("Never listed.\n")
    (folder / "z.txt").write_text("Last page.\n")
    real_scandir = os.scandir

    def scandir(path):  # the tests may run as root, whom chmod does not stop
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(read_inputs([str(folder)], InputOptions()))
    assert [i.id for i in items] == [str(folder / "a.txt"), str(folder / "locked"), str(folder / "z.txt")]
    assert items[1].error.code == "unreadable_input" and "Permission denied" in items[1].error.message


def test_a_file_that_cannot_be_opened_is_a_record_and_the_next_one_is_read(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Unlucky page.\n")
    (tmp_path / "b.txt").write_text("Next page.\n")
    real_open = open

    def fake_open(path, *args, **kwargs):
        if str(path).endswith("a.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(input_files, "open", fake_open, raising=False)
    items = list(read_inputs([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], InputOptions()))
    assert items[0].error.code == "unreadable_input" and "Permission denied" in items[0].error.message
    assert isinstance(items[1], InputDocument) and items[1].text == "Next page.\n"


def test_closed_stdin_is_a_record_not_a_crash(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    [record] = list(read_inputs(["-"], InputOptions()))
    assert record.id == "<stdin>" and record.error.code == "unreadable_input" and "closed" in record.error.message


@pytest.mark.skipif(sys.platform != "linux", reason="file names of any bytes are a Linux (ext4, tmpfs) thing")
def test_a_file_name_that_is_not_utf8_gets_a_readable_id_and_the_output_file_is_written(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    odd = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    with open(odd, "wb") as fh:
        fh.write(b"A page whose file name is Latin-1.\n")
    out_file = tmp_path / "out.jsonl"
    proc = run_cli(tmp_path, "--no-translate", str(folder), "-o", str(out_file))
    assert proc.returncode == 0, proc.stderr[-2000:]
    [record] = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert record["id"].startswith(str(folder)) and "caf" in record["id"] and record["id"].isprintable()
    assert "Latin-1" in record["text"]
    assert records(run_cli(tmp_path, "--no-translate", str(folder)))[0]["id"] == record["id"]
