"""Exit statuses of `scrapy crawl` and `scrapy schedule` (normalise/exit_codes.py): cron can tell a
run that did its job from one that did part of it, nothing, or had nothing to do."""
from __future__ import annotations

import subprocess
import sys

import pytest
from crawls import REPO, crawl, crawl_session, fixture_site

from crawler.commands.crawl import crawl_exit_code
from normalise.exit_codes import ExitCode, from_counts


@pytest.mark.parametrize(("stats", "expected"), [
    ({"finish_reason": "finished", "news/stored/new": 3}, ExitCode.OK),
    ({"finish_reason": "finished", "news/stored/new": 3, "news/skipped/http_503": 1}, ExitCode.PARTIAL),
    ({"finish_reason": "finished", "news/stored/new": 3, "news/skipped/not_article": 5,
      "news/skipped/http_404": 2}, ExitCode.OK),  # not articles, gone pages: facts about the site
    ({"finish_reason": "finished", "news/skipped/connection_refused": 4, "response_received_count": 0}, ExitCode.FAILED),
    ({"finish_reason": "finished", "news/skipped/private_address": 2}, ExitCode.FAILED),  # all refused
    ({"finish_reason": "finished", "news/stored/new": 3, "news/skipped/redirect_private_address": 1},
     ExitCode.OK),  # one hostile redirect refused among stored pages: the site's doing
    ({"finish_reason": "finished", "news/skipped/unknown_source": 1}, ExitCode.USAGE),
    ({"finish_reason": "store_unavailable", "news/stored/new": 9}, ExitCode.FAILED),
    ({"finish_reason": "finished"}, ExitCode.NOTHING_TO_DO),
    ({"finish_reason": "finished", "response_received_count": 3, "news/not_modified": 0}, ExitCode.OK),
])
def test_crawl_exit_code_from_stats(stats, expected):
    assert crawl_exit_code(stats)[0] is expected


def test_from_counts():
    assert [from_counts(*c) for c in ((2, 0), (2, 1), (0, 1), (0, 0))] == [
        ExitCode.OK, ExitCode.PARTIAL, ExitCode.FAILED, ExitCode.NOTHING_TO_DO]


def _crawl(tmp_path, source: str, seeds_text: dict[str, str] | None = None, site=None) -> tuple[int, str]:
    seeds = tmp_path / "seeds"
    if site is not None:
        site.seeds(seeds)
    seeds.mkdir(exist_ok=True)
    for name, text in (seeds_text or {}).items():
        (seeds / name).write_text(text, encoding="utf-8")
    env = crawl.crawl_env(seeds, f"sqlite:///{tmp_path / 'news.sqlite'}", tmp_path / "data")
    log = tmp_path / f"{source}.log"
    with crawl_session(crawl.crawl_command(source, settings={"FEEDS": "{}"}), env, log) as proc:
        code = proc.wait(timeout=300)
    return code, log.read_text(errors="replace")


def test_an_unknown_source_exits_2(tmp_path):
    code, log = _crawl(tmp_path, "dww")
    assert code == ExitCode.USAGE, log[-3000:]
    assert "no seeds file defines source 'dww'" in log


def test_a_named_source_whose_seeds_file_is_invalid_exits_2(tmp_path):
    code, log = _crawl(tmp_path, "broken", {"broken.toml": 'id = "broken"\nname = 3\n'})
    assert code == ExitCode.USAGE, log[-3000:]
    assert "invalid seeds file" in log


def test_a_crawl_whose_every_request_is_refused_exits_3(tmp_path):
    with fixture_site.FixtureSite(articles=3) as site:
        site.seeds(tmp_path / "seeds")
    # The site is gone: every request to it is refused.
    code, log = _crawl(tmp_path, "fixture")
    assert code == ExitCode.FAILED, log[-3000:]
    assert "connection_refused" in log and "crawl status 3" in log


def test_scrapy_schedule_with_nothing_due_exits_4_and_an_unknown_source_2(tmp_path):
    with fixture_site.FixtureSite(articles=2) as site:
        env = crawl.crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{tmp_path / 'news.sqlite'}",
                              tmp_path / "data")
        schedule = [sys.executable, "-m", "scrapy", "schedule"]
        first = subprocess.run(schedule, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert first.returncode == ExitCode.OK, first.stderr[-3000:]
        second = subprocess.run(schedule, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
        unknown = subprocess.run([*schedule, "--source", "dww"], cwd=REPO, env=env, capture_output=True, text=True,
                                 timeout=300, check=False)
    assert second.returncode == ExitCode.NOTHING_TO_DO and "no source is due" in second.stdout
    assert unknown.returncode == ExitCode.USAGE and "dww" in unknown.stderr
