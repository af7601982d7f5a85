"""Run the real `scrapy crawl news` in a subprocess against a fixture site (as users and cron do)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# On top of the chosen settings module: the fixture site is on 127.0.0.1, no politeness delays.
LOCAL_SITE = {"NEWS_ALLOW_PRIVATE_ADDRESSES": "True", "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
              "NORMALISER": '{"translate": false}', "TELNETCONSOLE_ENABLED": "False", "RETRY_TIMES": "1"}


def crawl_command(source: str = "fixture", settings: dict | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"source={source}"]
    for key, value in {**LOCAL_SITE, **(settings or {})}.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def crawl_env(seeds: Path, store_url: str, data_dir: Path, module: str = "settings.test", **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWS_", "SCRAPY_"))}
    env.update({"NEWS_SEEDS_DIR": str(seeds), "NEWS_STORE_URL": store_url, "NEWS_DATA_DIR": str(data_dir),
                "SCRAPY_SETTINGS_MODULE": module, "PYTHONPATH": str(REPO)})
    env.update(extra)
    return env


def start(cmd, env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT)


def run(cmd, env, log: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    proc = start(cmd, env, log)
    proc.wait(timeout=timeout)
    return subprocess.CompletedProcess(cmd, proc.returncode, log.read_text(errors="replace"), "")
