"""The one-command start: `scrapy serve` and `python -m crawler.web`, as real processes."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading

import httpx
import pytest
from conftest import REPO

LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


def _env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWS_", "SCRAPY_"))}
    env["NEWS_DATA_DIR"] = str(tmp_path)
    return env


def _start(cmd: list[str], env: dict) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    found: dict = {}
    seen: list[str] = []

    def read():
        for line in proc.stderr:  # type: ignore[union-attr]
            seen.append(line)
            match = LISTENING.search(line)
            if match and "port" not in found:
                found["port"] = int(match.group(1))
                ready.set()
        ready.set()

    ready = threading.Event()
    threading.Thread(target=read, daemon=True).start()
    ready.wait(timeout=120)  # a hang guard, not a speed assertion
    if "port" not in found:
        proc.kill()
        proc.wait()
        pytest.fail("server did not start:\n" + "".join(seen)[-3000:])
    return proc, found["port"]


@pytest.mark.parametrize("cmd", [[sys.executable, "-m", "scrapy", "serve"], [sys.executable, "-m", "crawler.web"]],
                         ids=["scrapy-serve", "python-m-crawler.web"])
def test_command_serves_the_store_on_loopback(cmd, tmp_path, demo_store):
    proc, port = _start([*cmd, "--port", "0", "--store", f"sqlite:///{demo_store}"], _env(tmp_path))
    try:
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=30)
        assert health.status_code == 200 and health.json()["store"] == str(demo_store)
        records = httpx.get(f"http://127.0.0.1:{port}/records", params={"limit": 200}, timeout=30).json()["records"]
        assert len(records) == 9
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=30).status_code == 200
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("args, words", [(["--store", "ftp://x/y"], "unsupported store URL"),
                                         (["--port", "70000"], "--port must be 0..65535")])
def test_bad_options_exit_non_zero_with_the_reason(tmp_path, args, words):
    for cmd in ([sys.executable, "-m", "scrapy", "serve"], [sys.executable, "-m", "crawler.web"]):
        run = subprocess.run([*cmd, *args], cwd=REPO, env=_env(tmp_path), capture_output=True, text=True, timeout=120)
        assert run.returncode != 0, cmd
        assert words in run.stderr + run.stdout, (cmd, run.stderr[-2000:])


def test_unreachable_store_exits_1_with_the_reason(tmp_path):
    for cmd in ([sys.executable, "-m", "scrapy", "serve"], [sys.executable, "-m", "crawler.web"]):
        run = subprocess.run([*cmd, "--store", "postgresql://postgres@127.0.0.1:1/news"], cwd=REPO,
                             env=_env(tmp_path), capture_output=True, text=True, timeout=120)
        assert run.returncode == 1, (cmd, run.stderr[-2000:])
        assert "cannot open the store" in run.stderr and "Traceback" not in run.stderr, run.stderr[-2000:]
