"""Configuration an attacker (or a typo) controls: seeds files, user data files, URL patterns.

Unknown keys and wrong types in seeds files are covered field by field in
tests/crawler/test_crawler_sources.py; nested-quantifier patterns in test_crawler_safe_regex.py.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crawler.discovery.sources import SourceError, load_source_file, load_sources
from normalise.safe_regex import MAX_URL_LENGTH, SafePattern

REPO = Path(__file__).resolve().parents[2]
GOOD = """
id = "good"
name = "Good Outlet"
home = "https://news.example.org/"
allowed_domains = ["example.org"]
feeds = ["https://news.example.org/rss"]
"""


def _evil_yaml(marker: Path) -> str:
    return (f'id: !!python/object/apply:os.system ["touch {marker}"]\n'
            f'name: !!python/object/new:subprocess.Popen [["touch", "{marker}"]]\n'
            f"entities:\n  - !!python/object/apply:os.system [\"touch {marker}\"]\n"
            f"rules:\n  x: !!python/object/apply:os.system [\"touch {marker}\"]\n")


def test_a_yaml_seeds_file_is_reported_and_never_parsed(tmp_path):
    marker = tmp_path / "pwned"
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a_good.toml").write_text(GOOD)
    (seeds / "evil.yaml").write_text(_evil_yaml(marker))
    (seeds / "evil.yml").write_text(_evil_yaml(marker))
    (seeds / "evil_tags.toml").write_text(_evil_yaml(marker))  # YAML text under a .toml name
    loaded = load_sources(seeds)
    assert list(loaded.sources) == ["good"]  # the good file still loads
    problems = {Path(e.path).name: str(e) for e in loaded.errors}
    assert set(problems) == {"evil.yaml", "evil.yml", "evil_tags.toml"}
    assert "YAML is not loaded" in problems["evil.yaml"] and "not valid TOML" in problems["evil_tags.toml"]
    assert not marker.exists()


@pytest.mark.parametrize("option", ["--gazetteer", "--lexicon"])
def test_yaml_tags_in_user_data_files_are_a_clear_error_and_never_run(tmp_path, option):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.yaml"
    evil.write_text(_evil_yaml(marker))
    proc = subprocess.run([sys.executable, "-m", "normalise", "--no-translate", option, str(evil)],
                          input=b"A paragraph of text about the harbour.", capture_output=True, cwd=REPO, timeout=300)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert str(evil).encode() in proc.stderr and b"python/object" in proc.stderr
    assert b"Traceback" not in proc.stderr and proc.stdout == b""
    assert not marker.exists()


@pytest.mark.parametrize("text", [
    'id = "deep"\nname = ' + "[" * 50_000 + "]" * 50_000 + "\n",
    "x = " + "{a = " * 20_000 + "1" + "}" * 20_000 + "\n",
])
def test_a_seeds_file_nested_past_the_parser_is_an_error_not_a_crash(tmp_path, text):
    (tmp_path / "a_good.toml").write_text(GOOD)
    (tmp_path / "deep.toml").write_text(text)
    loaded = load_sources(tmp_path)  # tomllib recurses per level: this used to raise RecursionError
    assert list(loaded.sources) == ["good"]
    (error,) = loaded.errors
    assert error.path.endswith("deep.toml") and "nested too deeply" in str(error)


def test_an_oversized_seeds_file_is_refused_unread(tmp_path):
    path = tmp_path / "big.toml"
    path.write_text(GOOD + "# padding\n" * 40_000)
    with pytest.raises(SourceError) as info:
        load_source_file(path)
    assert "larger than" in str(info.value)


# A pattern with no nested quantifier passes the load-time check, yet six adjacent stars make the
# standard library's backtracking O(n^6): on a 4 kB URL it would run for years. The match timeout
# of the `regex` engine ends it; the URL simply does not match.
POLYNOMIAL = r"^https?://[a-z./]*[a-z./]*[a-z./]*[a-z./]*[a-z./]*[a-z./]*\d$"


def test_a_backtracking_pattern_that_passes_the_check_is_cut_off_at_match_time():
    pattern = SafePattern(POLYNOMIAL)  # accepted: the static check cannot see polynomial blow-up
    assert pattern.search("https://news.example.org/7")
    assert pattern.search("https://" + "a" * (MAX_URL_LENGTH - 20)) is False


def test_a_seeds_file_with_that_pattern_still_filters_urls(tmp_path):
    path = tmp_path / "slow.toml"
    path.write_text(GOOD + f"article_patterns = ['{POLYNOMIAL}']\n")
    source = load_source_file(path)
    assert source.is_article_url("https://news.example.org/7")
    assert not source.is_article_url("https://news.example.org/" + "a" * 3000)


def test_catastrophic_patterns_in_a_seeds_file_are_refused_at_load(tmp_path):
    path = tmp_path / "redos.toml"
    path.write_text(GOOD + "article_patterns = ['^https://news\\\\.example\\\\.org/(\\\\w+/?)+$']\n")
    with pytest.raises(SourceError) as info:
        load_source_file(path)
    assert info.value.field == "article_patterns" and "nested quantifiers" in str(info.value)


def test_unknown_normaliser_setting_stops_the_crawl_with_one_clear_error(tmp_path):
    from crawl_helpers import run_crawl

    run = run_crawl(tmp_path / "data", "-a", "source=demo", "-s", 'NORMALISER={"translate": false, "bogus": 1}',
                    timeout=300)
    assert run.returncode != 0
    assert "unknown normaliser setting(s): bogus" in run.stderr
