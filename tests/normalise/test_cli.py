"""The batch CLI as users run it: a real subprocess, files and stdin, JSON Lines out."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "normalise", *args], input=stdin, capture_output=True,
                          cwd=REPO, timeout=300)


def records(proc) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def test_files_of_each_format_give_one_record_each_in_order(tmp_path):
    (tmp_path / "a.html").write_text("<html><body><p>Paragraph of an HTML page about the talks.</p></body></html>")
    (tmp_path / "b.txt").write_text("A text dump line about the ceasefire.\n")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"id": "j1", "text": "First JSONL document."}) + "\n"
        + "this is not json\n"
        + json.dumps({"id": "j2", "html": "<p>Second JSONL document.</p>", "url": "https://example.org/x"}) + "\n"
        + json.dumps({"id": "j3"}) + "\n"
    )
    proc = run_cli("--no-translate", str(tmp_path / "a.html"), str(tmp_path / "b.txt"), str(tmp_path / "c.jsonl"))
    assert proc.returncode == 1, proc.stderr  # some inputs failed
    out = records(proc)
    assert [r["id"] for r in out] == [str(tmp_path / "a.html"), str(tmp_path / "b.txt"), "j1",
                                      f"{tmp_path / 'c.jsonl'}:2", "j2", "j3"]
    assert "HTML page about the talks" in out[0]["text"]
    assert "ceasefire" in out[1]["text"]
    assert out[3]["error"]["code"] == "invalid_jsonl"
    assert out[4]["url"] == "https://example.org/x" and "Second JSONL" in out[4]["text"]
    assert out[5]["error"]["code"] == "invalid_jsonl"
    assert b"6 record(s): 4 normalised, 2 failed" in proc.stderr


def test_stdin_is_read_when_no_path_is_given_and_output_file_is_written(tmp_path):
    out_file = tmp_path / "out.jsonl"
    proc = run_cli("--no-translate", "--url", "https://news.example/a", "-o", str(out_file),
                   stdin=b"<html><head><title>Headline</title></head><body><p>Body from stdin.</p></body></html>")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b""
    (rec,) = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert rec["id"] == "<stdin>" and rec["url"] == "https://news.example/a"
    assert rec["title"] == "Headline" and "Body from stdin." in rec["text"]


def test_empty_binary_and_missing_inputs_are_errors_not_crashes(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 64)
    proc = run_cli("--no-translate", str(tmp_path / "empty.txt"), str(tmp_path / "blob.txt"),
                   str(tmp_path / "missing.html"))
    assert proc.returncode == 3, proc.stderr  # every input failed
    codes = [r["error"]["code"] for r in records(proc)]
    assert codes == ["empty_input", "binary_input", "unreadable_input"]


def test_unknown_language_hint_is_refused_with_the_known_list():
    proc = run_cli("--lang", "xx", stdin=b"text")
    assert proc.returncode == 2
    assert b"unknown --lang 'xx'" in proc.stderr and b"de" in proc.stderr
