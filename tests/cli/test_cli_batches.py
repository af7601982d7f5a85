"""Batch input: JSON Lines split on newline only, folders, per-page size limit, bounded memory."""
from __future__ import annotations

import json
import subprocess
import sys

from .helpers import REPO, cli_env, records, run_cli

# Legal inside a JSON string, but str.splitlines() would break a line at each of them.
LINE_SEPARATORS = ["\u2028", "\u2029", "\u0085", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c"]


def test_unicode_line_separators_inside_a_page_do_not_split_it(tmp_path):
    pages = [{"id": f"p{i}", "text": f"Before the separator{sep}after the separator in page {i}."}
             for i, sep in enumerate(LINE_SEPARATORS)]
    batch = tmp_path / "pages.jsonl"
    batch.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages), encoding="utf-8")
    proc = run_cli(tmp_path, "--no-translate", str(batch))
    assert proc.returncode == 0, proc.stderr
    out = records(proc)
    assert [r["id"] for r in out] == [p["id"] for p in pages]
    assert all(r["error"] is None for r in out)
    assert all(f"page {i}" in r["text"] for i, r in enumerate(out))


def test_crlf_lines_and_a_missing_final_newline_are_read(tmp_path):
    batch = tmp_path / "pages.jsonl"
    batch.write_bytes(json.dumps({"id": "a", "text": "First page text."}).encode() + b"\r\n"
                      + json.dumps({"id": "b", "text": "Second page text."}).encode())
    proc = run_cli(tmp_path, "--no-translate", str(batch))
    assert proc.returncode == 0, proc.stderr
    assert [r["id"] for r in records(proc)] == ["a", "b"]


def test_a_folder_stands_for_its_files_in_name_order(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.txt").write_text("Text page about the harbour.\n")
    (folder / "a.html").write_text("<html><body><p>HTML page about the bridge.</p></body></html>")
    (folder / "sub" / "c.jsonl").write_text(json.dumps({"id": "c1", "text": "JSONL page."}) + "\n")
    (folder / ".hidden.txt").write_text("editor backup, not an input\n")
    proc = run_cli(tmp_path, "--no-translate", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert [r["id"] for r in records(proc)] == [str(folder / "a.html"), str(folder / "b.txt"), "c1"]


def test_an_oversized_page_fails_alone_and_the_rest_of_the_batch_is_kept(tmp_path):
    small = json.dumps({"id": "small", "text": "A small page."})
    big = json.dumps({"id": "big", "text": "x" * (70 * 1024 * 1024)})
    batch = tmp_path / "pages.jsonl"
    batch.write_text(small + "\n" + big + "\n" + small.replace("small", "after") + "\n", encoding="utf-8")
    proc = run_cli(tmp_path, "--no-translate", str(batch))
    assert proc.returncode == 1, proc.stderr
    out = records(proc)
    assert [r["id"] for r in out] == ["small", f"{batch}:2", "after"]
    assert out[1]["error"]["code"] == "input_too_large"


# Streams the batch from stdin and reports the child's peak RSS (kilobytes on Linux) on stderr.
_MEASURE = """
import resource, sys
from normalise.cli import main
status = main(sys.argv[1:])
sys.stderr.write("MAXRSS_KB=%d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(status)
"""


def _write_batch(path, n_pages: int) -> int:
    """Pages of ~100 KB (a short article and a large inline script): cheap to normalise, heavy to hold."""
    script = "var x = 1;" * 10_000
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n_pages):
            html = f"<html><body><p>Short article number {i} about the harbour.</p><script>{script}</script></body></html>"
            fh.write(json.dumps({"id": f"p{i}", "html": html}) + "\n")
    return path.stat().st_size


def _stream(tmp_path, batch) -> tuple[list[bytes], int]:
    with batch.open("rb") as stdin:
        proc = subprocess.run([sys.executable, "-c", _MEASURE, "--no-translate", "--format", "jsonl", "-"],
                              stdin=stdin, capture_output=True, check=False, cwd=REPO, env=cli_env(tmp_path), timeout=3000)
    assert proc.returncode == 0, proc.stderr[-2000:]
    peak_kb = int(proc.stderr.rsplit(b"MAXRSS_KB=", 1)[1].split()[0])
    return proc.stdout.split(b"\n")[:-1], peak_kb * 1024


def test_a_batch_over_the_size_limit_streams_every_page_in_bounded_memory(tmp_path):
    small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
    _write_batch(small, 10)
    n_pages = 800
    size = _write_batch(big, n_pages)
    assert size > 64 * 1024 * 1024  # the whole batch is over the per-page limit
    _, baseline = _stream(tmp_path, small)
    lines, peak = _stream(tmp_path, big)
    assert len(lines) == n_pages
    assert [json.loads(line)["id"] for line in (lines[0], lines[-1])] == ["p0", f"p{n_pages - 1}"]
    # Reading the batch whole would add its size to the peak; streaming adds a few pages' worth.
    assert peak - baseline < size / 4, (peak, baseline, size)
