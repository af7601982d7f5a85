"""The scheduler: only due sources run, last runs are remembered, a second run is refused."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.discovery.sources import load_sources
from crawler.jobs.schedule import due_sources, file_lock, run_due
from crawler.storage.errors import LockHeld
from crawler.storage.sqlite import SQLiteStore

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def _seeds(tmp_path: Path) -> dict:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for sid, minutes, enabled in [("fast", 5, True), ("slow", 120, True), ("manual", 5, False)]:
        (seeds / f"{sid}.toml").write_text(
            f'id = "{sid}"\nname = "{sid}"\nhome = "http://{sid}.test/"\nallowed_domains = ["{sid}.test"]\n'
            f'feeds = ["http://{sid}.test/rss"]\ninterval_minutes = {minutes}\nenabled = {str(enabled).lower()}\n')
    loaded = load_sources(seeds)
    assert not loaded.errors
    return loaded.sources


def test_due_sources_follow_each_interval(tmp_path):
    sources = _seeds(tmp_path).values()
    assert [d.source for d in due_sources(sources, {}, T0)] == ["fast", "slow"]  # never run: due
    last = {"fast": T0, "slow": T0}
    assert due_sources(sources, last, T0 + timedelta(minutes=4)) == []
    assert [d.source for d in due_sources(sources, last, T0 + timedelta(minutes=5))] == ["fast"]
    assert [d.source for d in due_sources(sources, last, T0 + timedelta(minutes=120))] == ["fast", "slow"]
    # a disabled source runs only when named
    assert [d.source for d in due_sources(sources, {}, T0, only=["manual"])] == ["manual"]


class _Clock:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now


def test_run_due_launches_only_due_sources_and_records_runs(tmp_path):
    sources = _seeds(tmp_path).values()
    state = SQLiteStore(tmp_path / "news.sqlite")
    launched = []

    def runner(cmd):  # a real process per crawl; it records which source it was given
        launched.append(cmd[cmd.index("-a") + 1])
        return subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(0)"])

    clock = _Clock(T0)
    outcomes = run_due(state, sources, runner=runner, now=clock, jobdir=tmp_path / "jobs")
    assert outcomes == {"fast": "ok", "slow": "ok"}
    assert launched == ["source=fast", "source=slow"]
    clock.now = T0 + timedelta(minutes=10)
    launched.clear()
    assert run_due(state, sources, runner=runner, now=clock) == {"fast": "ok"}
    assert launched == ["source=fast"]
    assert state.last_runs()["slow"] == T0
    state.close()


def test_a_failing_crawl_is_reported_and_recorded(tmp_path):
    sources = _seeds(tmp_path).values()
    state = SQLiteStore(tmp_path / "news.sqlite")
    outcomes = run_due(state, sources, only=["fast"], now=_Clock(T0),
                       runner=lambda cmd: subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"]))
    assert outcomes == {"fast": "failed (exit 3)"}
    status = state._db.execute("SELECT last_status FROM source_runs WHERE source='fast'").fetchone()[0]
    assert status == "failed (exit 3)"
    state.close()


def test_second_run_is_refused_while_the_file_lock_is_held(tmp_path):
    _seeds(tmp_path)
    db = tmp_path / "news.sqlite"
    with file_lock(db.with_name(db.name + ".schedule.lock")):
        proc = subprocess.run(
            [sys.executable, "-m", "crawler.jobs.schedule", "--dry-run"], cwd=REPO, capture_output=True, text=True,
            env={"PATH": "/usr/bin:/bin", "NEWS_STORE_URL": f"sqlite:///{db}",
                 "SCRAPY_SETTINGS_MODULE": "settings.default", "PYTHONPATH": str(REPO)})
    assert proc.returncode == 75, proc.stderr
    assert "another scheduled run holds the lock" in proc.stderr
    # once released, the same command runs
    proc = subprocess.run(
        [sys.executable, "-m", "crawler.jobs.schedule", "--dry-run"], cwd=REPO, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "NEWS_STORE_URL": f"sqlite:///{db}", "NEWS_SEEDS_DIR": str(tmp_path / "seeds"),
             "SCRAPY_SETTINGS_MODULE": "settings.default", "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr


@pytest.mark.postgres
def test_postgres_advisory_lock_refuses_a_second_run(pg_dsn, tmp_path):
    from crawler.storage.postgres import PostgresStore

    first, second = PostgresStore(pg_dsn).open(), PostgresStore(pg_dsn).open()
    sources = _seeds(tmp_path).values()
    with first.run_lock():
        with pytest.raises(LockHeld, match="advisory lock"):
            run_due(second, sources, dry_run=True)
    assert run_due(second, sources, dry_run=True, now=_Clock(T0)) == {"fast": "due", "slow": "due"}
    second.record_run("fast", T0, T0, "ok")
    assert first.last_runs() == {"fast": T0}
    first.close()
    second.close()


def test_scheduled_run_crawls_the_due_source_for_real_then_waits_for_its_interval(tmp_path):
    from crawler.testing.fixture_site import FixtureSite
    from crawler.testing.local_crawl import crawl_env

    db = tmp_path / "news.sqlite"
    with FixtureSite(articles=4) as site:
        env = crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{db}", tmp_path / "data",
                        NEWS_ALLOW_PRIVATE_ADDRESSES="1")
        env["SCRAPY_SETTINGS_MODULE"] = "settings.test"  # the fixture site lives on 127.0.0.1
        cmd = [sys.executable, "-m", "scrapy", "schedule", "--jobdir", str(tmp_path / "jobs")]
        first = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        assert first.returncode == 0, first.stderr[-3000:]
        assert "schedule: fixture: ok" in first.stdout
        assert site.article_hits() == 4
        second = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        assert second.returncode == 4 and "no source is due" in second.stdout  # ExitCode.NOTHING_TO_DO
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 4
        assert conn.execute("SELECT last_status FROM source_runs WHERE source='fixture'").fetchone()[0] == "ok"
    assert (tmp_path / "jobs" / "fixture").is_dir()  # the crawl ran with a resumable JOBDIR
