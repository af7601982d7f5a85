"""`scrapy schedule`, `scrapy export`, `scrapy sources` as a user types them (real subprocesses)."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from crawler.discovery.sources import load_sources
from crawler.jobs.schedule import due_sources

from .helpers import REPO, cli_env


def _seeds(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for sid, network in [("local", False), ("remote", True)]:
        (seeds / f"{sid}.toml").write_text(
            f'id = "{sid}"\nname = "The {sid} paper"\nhome = "http://{sid}.test/"\n'
            f'allowed_domains = ["{sid}.test"]\nfeeds = ["http://{sid}.test/rss"]\ninterval_minutes = 30\n'
            f'needs_network = {str(network).lower()}\n')
    return seeds


def scrapy(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in cli_env(tmp_path).items() if k not in ("NEWS_OFFLINE", "NEWS_STORE_URL")}
    full_env |= {"NEWS_DATA_DIR": str(tmp_path / "data"), "NEWS_SEEDS_DIR": str(tmp_path / "seeds")} | env
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=REPO, env=full_env, capture_output=True, check=False,
                          text=True, timeout=600)


def test_offline_schedule_does_not_list_network_sources_as_due(tmp_path):
    seeds = _seeds(tmp_path)
    sources = load_sources(seeds).sources.values()
    assert [d.source for d in due_sources(sources, {}, datetime.now(timezone.utc), offline=True)] == ["local"]
    proc = scrapy(tmp_path, "schedule", "--dry-run", NEWS_OFFLINE="1")
    assert proc.returncode == 0, proc.stderr
    assert "schedule: local: due" in proc.stdout and "remote" not in proc.stdout
    proc = scrapy(tmp_path, "schedule", "--dry-run")
    assert "schedule: local: due" in proc.stdout and "schedule: remote: due" in proc.stdout


def test_schedule_help_describes_jobdir_in_plain_words(tmp_path):
    proc = scrapy(tmp_path, "schedule", "-h")
    assert proc.returncode == 0
    jobdir_help = proc.stdout.split("--jobdir", 1)[1].split("Global Options", 1)[0]
    assert "=====" not in jobdir_help and "one subfolder per source" in " ".join(jobdir_help.split())


def test_export_names_a_typo_in_source_or_entity_and_an_empty_result(tmp_path):
    _seeds(tmp_path)
    proc = scrapy(tmp_path, "export", "--source", "locl", "-o", str(tmp_path / "out.jsonl"))
    assert proc.returncode == 2 and "unknown --source 'locl'" in proc.stderr, proc.stderr
    proc = scrapy(tmp_path, "export", "--entity", "zelensky", "-o", str(tmp_path / "out.jsonl"))
    assert proc.returncode == 2 and "unknown --entity 'zelensky'" in proc.stderr, proc.stderr
    assert "did you mean volodymyr-zelenskyy" in proc.stderr
    # an entity of the world layer is known (nothing stored names it yet), unless the crawl turns the layer off
    proc = scrapy(tmp_path, "export", "--entity", "shigeru-ishiba", "-o", str(tmp_path / "out.jsonl"))
    assert proc.returncode == 4 and "no stored record matches" in proc.stderr, proc.stderr
    proc = scrapy(tmp_path, "export", "--entity", "shigeru-ishiba", "-s", 'NORMALISER={"names_world": false}',
                  "-o", str(tmp_path / "out.jsonl"))
    assert proc.returncode == 2 and "unknown --entity 'shigeru-ishiba'" in proc.stderr, proc.stderr
    proc = scrapy(tmp_path, "export", "--source", "local", "-o", str(tmp_path / "out.jsonl"))
    assert proc.returncode == 4 and "no stored record matches" in proc.stderr, proc.stderr


def test_sources_lists_each_seeds_file_and_names_invalid_ones(tmp_path):
    seeds = _seeds(tmp_path)
    proc = scrapy(tmp_path, "sources", "--json")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(r["id"], r["needs_network"], r["interval_minutes"]) for r in rows] == [
        ("local", False, 30), ("remote", True, 30)]
    (seeds / "broken.toml").write_text('id = "broken"\n')
    proc = scrapy(tmp_path, "sources")
    assert proc.returncode == 2
    assert "local" in proc.stdout and "The remote paper" in proc.stdout
    assert "broken.toml" in proc.stderr
