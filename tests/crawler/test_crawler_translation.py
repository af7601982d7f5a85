"""The demo crawl with a real (tiny, random-weight) Argos package installed the way users do it:
German pages come out translated by the model, languages without a model stay flagged."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys

from crawl_helpers import REPO, db_rows, free_port, run_crawl

from normalise.translate.random_package import build_argos_package


def test_demo_crawl_translates_german_with_an_installed_package(tmp_path):
    archive = build_argos_package(tmp_path / "archives", "de", "en", seed=3)
    packages = tmp_path / "argos-packages"
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    install = subprocess.run([sys.executable, "-m", "normalise", "models", "--packages-dir", str(packages),
                              "install", str(archive), "--sha256", digest], cwd=REPO, capture_output=True,
                             text=True, timeout=300)
    assert install.returncode == 0, install.stderr

    run = run_crawl(tmp_path, "-a", "source=demo", settings_module=None,
                    settings={"NEWS_BUNDLED_SITE_PORT": free_port()},
                    env_extra={"ARGOS_PACKAGES_DIR": str(packages)})
    assert run.returncode == 0, run.stderr[-3000:]
    summary = [line for line in run.stdout.splitlines() if line.startswith("stored ")][0]
    assert summary.endswith("no Argos model installed for: fr, zh (python -m normalise models list)"), summary

    records = [json.loads(r[0]) for r in db_rows(tmp_path / "news.sqlite", "SELECT record FROM pages")]
    german = [r for r in records if r["language"] == "de"]
    assert german
    for record in german:
        kept_de = [b for b in record["blocks"] if b["removed"] is None and b["language"] == "de"]
        assert kept_de and all(b["translation"] == "translated" for b in kept_de)
        assert all(b["model"].startswith("argos:de-en:") for b in kept_de)
        assert record["translation"]["models"] and record["translation"]["untranslated_blocks"] == 0
        # text_en is the model's output, not the German original passed through
        assert record["text_en"] != record["text"]
    french = [r for r in records if r["language"] == "fr"]
    assert french and all("no Argos model installed for fr" in b["translation_reason"]
                          for r in french for b in r["blocks"]
                          if b["removed"] is None and b["language"] == "fr")
