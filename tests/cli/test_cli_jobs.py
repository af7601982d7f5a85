"""`--jobs N`: pages normalised in worker processes give the records of one process, byte for byte,
in input order; a worker that dies loses no other page; Ctrl-C, SIGTERM and a closed pipe stop
every worker. Real `python -m normalise` processes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from normalise.workers import EXIT_ON_PAGE_ENV, auto_jobs

from .helpers import REPO, RunningCli, cli_env, group_members, records, run_cli

WAIT = 300  # seconds; only a safety net against a hang
PAGES = REPO / "tests" / "fixtures" / "pages"

_TOWNS = ["Harbourton", "Millbrook", "Eastfield", "Kingsford", "Ashdown", "Brackley", "Fernhill"]


def _text_page(i: int) -> dict:
    town = _TOWNS[i % len(_TOWNS)]
    return {"id": f"p{i}", "text": f"The council of {town} met on day {i} to discuss the new bridge.\n"
                                   f"Residents of {town} asked for {i % 5 + 2} more buses each morning.\n"
                                   "The vote on the budget was postponed until next month."}


def _html_page(i: int) -> dict:
    return {"id": f"h{i}", "url": f"https://example.org/news/{i}",
            "html": f"<html><head><title>Story {i}</title></head><body><nav>Home | World | Sport</nav>"
                    f"<article><h1>Story {i}</h1><p>The ferry to the island sails again after {i} weeks of "
                    "repairs, the harbour master said on Tuesday.</p><p>Tickets cost the same as last "
                    "summer, and the first boat leaves at seven.</p></article>"
                    "<footer>Cookies help us deliver our services.</footer></body></html>"}


def _mixed_batch(tmp_path: Path, n: int = 60) -> Path:
    """Text and HTML pages, a bad JSON line, a line of the wrong shape, a blank line, a page in
    another language: what a real batch holds."""
    lines = []
    for i in range(n):
        lines.append(json.dumps(_html_page(i) if i % 3 else _text_page(i), ensure_ascii=False))
        if i == 7:
            lines.append("{not json")
        if i == 20:
            lines.append(json.dumps({"id": 5, "html": 12}))
        if i == 33:
            lines.append("")
        if i == 41:
            lines.append(json.dumps({"id": "de", "text": "Der Stadtrat hat am Montag über die neue Brücke beraten."},
                                    ensure_ascii=False))
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return batch


def _same_run(a: subprocess.CompletedProcess, b: subprocess.CompletedProcess) -> None:
    assert a.returncode == b.returncode, (a.stderr[-2000:], b.stderr[-2000:])
    assert a.stdout == b.stdout
    assert a.stderr == b.stderr


def test_jobs_2_writes_the_bytes_of_jobs_1_for_files_and_stdin(tmp_path):
    batch = _mixed_batch(tmp_path)
    args = ("--no-translate", str(batch), str(PAGES / "de.html"), str(PAGES / "el.html"))
    one, two = run_cli(tmp_path, *args, "--jobs", "1"), run_cli(tmp_path, *args, "--jobs", "2")
    _same_run(one, two)
    assert one.returncode == 1  # the two bad lines
    out = records(two)
    assert len(out) == 60 + 2 + 1 + 2
    assert sum(r["error"] is not None for r in out) == 2
    piped = [run_cli(tmp_path, "--no-translate", "--format", "jsonl", "-", "--jobs", jobs, stdin=batch.read_bytes())
             for jobs in ("1", "3")]
    _same_run(*piped)
    normalised = [r for r in out if r["error"] is None]
    assert [r for r in records(piped[1]) if r["error"] is None] == normalised[:-2]  # the files' two pages are not on stdin


def test_without_jobs_local_files_go_to_workers_and_a_pipe_stays_in_this_process(tmp_path):
    batch = tmp_path / "pages.jsonl"
    batch.write_text("".join(json.dumps(_text_page(i)) + "\n" for i in range(40)), encoding="utf-8")
    picked = auto_jobs()
    workers = f"normalising in {picked} worker processes" if picked > 1 else "normalising in this process"
    from_file = run_cli(tmp_path, "--no-translate", "-v", str(batch))
    with batch.open("rb") as stdin:  # stdin redirected from a file is a local file too
        redirected = subprocess.run([sys.executable, "-m", "normalise", "--no-translate", "-v", "--format", "jsonl"],
                                    stdin=stdin, capture_output=True, cwd=REPO, env=cli_env(tmp_path),
                                    timeout=WAIT, check=False)
    piped = run_cli(tmp_path, "--no-translate", "-v", "--format", "jsonl", "-", stdin=batch.read_bytes())
    assert workers in from_file.stderr.decode()
    assert workers in redirected.stderr.decode()
    assert "normalising in this process" in piped.stderr.decode()
    assert from_file.returncode == redirected.returncode == piped.returncode == 0, piped.stderr
    assert from_file.stdout == redirected.stdout == piped.stdout
    assert len(records(piped)) == 40


def test_records_come_back_in_input_order_from_many_workers(tmp_path):
    n = 150
    batch = tmp_path / "many.jsonl"
    batch.write_text("".join(json.dumps(_text_page(i)) + "\n" for i in range(n)), encoding="utf-8")
    proc = run_cli(tmp_path, "--no-translate", "--jobs", "3", str(batch))
    assert proc.returncode == 0, proc.stderr
    assert [r["id"] for r in records(proc)] == [f"p{i}" for i in range(n)]


def test_an_oversized_page_fails_alone_with_workers(tmp_path):
    big = json.dumps({"id": "big", "text": "x" * (70 * 1024 * 1024)})
    batch = tmp_path / "pages.jsonl"
    batch.write_text(json.dumps(_text_page(0)) + "\n" + big + "\n" + json.dumps(_text_page(1)) + "\n", encoding="utf-8")
    proc = run_cli(tmp_path, "--no-translate", "--jobs", "2", str(batch))
    assert proc.returncode == 1, proc.stderr
    out = records(proc)
    assert [r["id"] for r in out] == ["p0", f"{batch}:2", "p1"]
    assert out[1]["error"]["code"] == "input_too_large"


def test_a_page_that_kills_its_worker_gets_an_error_record_and_no_other_page_is_lost(tmp_path):
    n = 70
    batch = tmp_path / "many.jsonl"
    batch.write_text("".join(json.dumps(_text_page(i)) + "\n" for i in range(n)), encoding="utf-8")
    env = cli_env(tmp_path) | {EXIT_ON_PAGE_ENV: "p37"}
    proc = subprocess.run([sys.executable, "-m", "normalise", "--no-translate", "--jobs", "2", str(batch)],
                          capture_output=True, cwd=REPO, env=env, timeout=WAIT, check=False)
    out = records(proc)
    assert [r["id"] for r in out] == [f"p{i}" for i in range(n)]
    failed = [r for r in out if r["error"] is not None]
    assert [r["id"] for r in failed] == ["p37"]
    assert failed[0]["error"]["code"] == "worker_died"
    assert all("bridge" in r["text"] for r in out if r["error"] is None)
    assert proc.returncode == 1 and f"{n} record(s): {n - 1} normalised, 1 failed" in proc.stderr.decode()


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5", ""])
def test_a_bad_jobs_value_is_a_usage_error(tmp_path, value):
    proc = run_cli(tmp_path, "--no-translate", f"--jobs={value}", stdin=b"")
    assert proc.returncode == 2
    assert "--jobs" in proc.stderr.decode() and proc.stdout == b""


def _none_left(pgid: int) -> list[int]:
    deadline = time.monotonic() + 30
    while (left := group_members(pgid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.fixture
def running(tmp_path):
    cli = RunningCli(tmp_path, "--no-translate", "--jobs", "2", "--format", "jsonl", "-")
    try:
        yield cli
    finally:
        cli.stop()  # also when the test failed: no process left behind


def _pages(n: int) -> bytes:
    return b"".join(json.dumps(_text_page(i)).encode() + b"\n" for i in range(n))


def test_a_page_from_a_waiting_producer_is_answered_at_once(running):
    running.write(_pages(1))
    assert json.loads(running.first_line())["id"] == "p0"  # stdin still open: nothing else ends the chunk


def test_ctrl_c_to_the_process_group_stops_workers_and_keeps_whole_records_in_order(running):
    n = 3000  # far more than is normalised by the time the signal comes
    running.write(_pages(n))
    first = running.first_line()
    os.killpg(running.proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: workers get it too
    rest, err = running.proc.communicate(timeout=WAIT)
    assert running.proc.returncode == 130, err[-2000:]
    assert b"Traceback" not in err
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "interrupted" in lines[0], lines
    out = [json.loads(line) for line in (first + rest).splitlines()]
    assert 1 <= len(out) < n
    assert [r["id"] for r in out] == [f"p{i}" for i in range(len(out))]
    assert f"after {len(out)} record(s)" in lines[0]
    assert _none_left(running.proc.pid) == []


def test_sigterm_stops_workers_and_ends_the_run_by_that_signal(running):
    running.write(_pages(3000))
    first = running.first_line()
    running.proc.send_signal(signal.SIGTERM)
    rest, err = running.proc.communicate(timeout=WAIT)
    assert running.proc.returncode == -signal.SIGTERM, err[-2000:]
    out = [json.loads(line) for line in (first + rest).splitlines()]  # whole records only
    assert [r["id"] for r in out] == [f"p{i}" for i in range(len(out))]
    assert _none_left(running.proc.pid) == []


def _long_page(i: int) -> dict:
    """A page whose record is several times what a pipe holds: writing it blocks until the reader reads."""
    town = _TOWNS[i % len(_TOWNS)]
    paragraph = f"The council of {town} met on day {i} to discuss the new bridge and the buses. " * 12
    return {"id": f"p{i}", "text": "\n".join(f"{k}. {paragraph}" for k in range(150))}


def test_sigterm_where_sigint_is_ignored_still_leaves_the_record_being_written_whole(tmp_path):
    """A background job of a script (or nohup) runs with SIGINT ignored; SIGTERM must not cut a record."""
    data = b"".join(json.dumps(_long_page(i)).encode() + b"\n" for i in range(20))
    proc = subprocess.Popen(["sh", "-c", 'trap "" INT; exec "$0" -m normalise --no-translate --format jsonl -',
                             sys.executable], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=REPO, env=cli_env(tmp_path), start_new_session=True)
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(data)  # a pipe's worth at a time as the CLI reads; all of it fits before the first record
        proc.stdin.close()
        _wait_until_writing_into_a_full_pipe(proc.pid)  # the first record, nobody reading yet
        proc.send_signal(signal.SIGTERM)
        out = proc.stdout.read()
        proc.wait(timeout=WAIT)
        assert proc.returncode == -signal.SIGTERM
        records = [json.loads(line) for line in out.splitlines()]  # whole records only
        assert 1 <= len(records) < 20 and records[0]["id"] == "p0"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _wait_until_writing_into_a_full_pipe(pid: int) -> None:
    """Until the process's main thread blocks in a write to a pipe (Linux: its wait channel)."""
    wchan = Path(f"/proc/{pid}/task/{pid}/wchan")
    deadline = time.monotonic() + WAIT
    while "pipe_write" not in wchan.read_text():
        assert time.monotonic() < deadline, "the CLI never blocked writing a record"
        time.sleep(0.05)


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, -signal.SIGTERM), (signal.SIGINT, 130)])
def test_a_signal_while_a_large_record_waits_for_the_reader_leaves_it_whole(tmp_path, signum, status):
    running = RunningCli(tmp_path, "--no-translate", "--jobs", "1", "--format", "jsonl", "-")
    try:
        running.write(b"".join(json.dumps(_long_page(i)).encode() + b"\n" for i in range(20)))
        first = running.first_line()
        _wait_until_writing_into_a_full_pipe(running.proc.pid)  # the next record, nobody reading
        running.proc.send_signal(signum)
        rest, err = running.proc.communicate(timeout=WAIT)
        assert running.proc.returncode == status, err[-2000:]
        assert b"Traceback" not in err
        out = [json.loads(line) for line in (first + rest).splitlines()]  # the record being written is whole
        assert 1 <= len(out) < 20
        assert [r["id"] for r in out] == [f"p{i}" for i in range(len(out))]
    finally:
        running.stop()


def test_a_closed_output_pipe_ends_the_run_like_one_process_and_stops_workers(tmp_path):
    batch = tmp_path / "many.jsonl"
    batch.write_bytes(_pages(300))
    statuses = []
    for jobs in ("1", "2"):
        proc = subprocess.Popen([sys.executable, "-m", "normalise", "--no-translate", "--jobs", jobs, str(batch)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, env=cli_env(tmp_path),
                                start_new_session=True)
        try:
            assert proc.stdout is not None
            proc.stdout.readline()
            proc.stdout.close()  # as `| head -1` does
            err = proc.communicate(timeout=WAIT)[1]
            statuses.append(proc.returncode)
            assert b"Traceback" not in err, err[-2000:]
            assert _none_left(proc.pid) == []
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
    assert statuses[0] == statuses[1] == 1


def test_no_worker_outlives_a_cli_killed_with_sigkill(running):
    running.write(_pages(1))
    running.first_line()
    assert len(group_members(running.proc.pid)) >= 3  # the CLI, the fork server, workers
    running.proc.kill()  # nothing of the CLI runs: the workers notice on their own
    running.proc.wait(WAIT)
    assert _none_left(running.proc.pid) == []
