"""Run the real `scrapy crawl news` in a subprocess, as users and cron do (Twisted's reactor
cannot restart in-process): the one way tests and benchmarks start a crawl.

`crawl_env` gives the child a clean environment (no NEWS_* or SCRAPY_* leaking in from the
caller), `crawl_command` the command line with `-s` settings; `start`/`run` run it with output
to a log file, `run_crawl` with output captured.
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# On top of the chosen settings module: the test site is on 127.0.0.1, no politeness delays.
LOCAL_SITE = {"NEWS_ALLOW_PRIVATE_ADDRESSES": "True", "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
              "NORMALISER": '{"translate": false}', "TELNETCONSOLE_ENABLED": "False", "RETRY_TIMES": "1"}


@dataclass
class CrawlRun:
    returncode: int
    stdout: str
    stderr: str


def crawl_env(data_dir: Path, *, seeds: Path | None = None, store_url: str | None = None,
              module: str | None = "settings.test", **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWS_", "SCRAPY_"))}
    env.update({"NEWS_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)})
    if seeds is not None:
        env["NEWS_SEEDS_DIR"] = str(seeds)
    if store_url is not None:
        env["NEWS_STORE_URL"] = store_url
    if module:
        env["SCRAPY_SETTINGS_MODULE"] = module
    env.update(extra)
    return env


def crawl_command(*args: str, settings: dict | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", *args]
    for key, value in (settings or {}).items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:  # the child keeps its own handle
        return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)


def run(cmd: list[str], env: dict[str, str], log: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    proc = start(cmd, env, log)
    try:
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:  # timed out (or the test was interrupted): never leave it running
            proc.kill()
            proc.wait()
    return subprocess.CompletedProcess(cmd, proc.returncode, log.read_text(errors="replace"), "")


def run_crawl(data_dir: Path, *args: str, settings_module: str | None = "settings.test",
              seeds_dir: Path | None = None, settings: dict | None = None, timeout: int = 300,
              env_extra: dict | None = None) -> CrawlRun:
    env = crawl_env(data_dir, seeds=seeds_dir, module=settings_module, **(env_extra or {}))
    proc = subprocess.run(crawl_command(*args, settings=settings), cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout)
    return CrawlRun(proc.returncode, proc.stdout, proc.stderr)
