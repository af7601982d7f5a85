"""Seeds files: the shipped ones load; each kind of bad file gets an error naming file, field, problem."""
from __future__ import annotations

from pathlib import Path

import pytest

from crawler.discovery.sources import SourceError, load_source_file, load_sources

REPO = Path(__file__).resolve().parents[2]
GOOD = """
id = "good"
name = "Good Outlet"
home = "https://news.example.org/"
allowed_domains = ["example.org"]
languages = ["en", "de"]
feeds = ["https://news.example.org/rss"]
article_patterns = ['^https://news\\.example\\.org/\\d{4}/[a-z0-9-]+$']
drop_selectors = [".cookie-banner", "#login"]
interval_minutes = 15
needs_network = true
"""


def test_shipped_seeds_all_load_and_real_outlets_need_network():
    loaded = load_sources(REPO / "seeds")
    assert loaded.errors == []
    ids = set(loaded.sources)
    assert {"demo", "france24", "hespress", "tovima", "ftchinese", "cgtn", "dw", "lemonde", "xinhua",
            "elpais", "tass", "pravda_ua"} <= ids
    langs = {lang for s in loaded.sources.values() for lang in s.languages}
    assert {"de", "fr", "zh", "es", "ru", "uk", "el", "en"} <= langs
    for source in loaded.sources.values():
        assert source.needs_network == (source.id != "demo"), source.id
    demo = loaded.sources["demo"]
    assert demo.bundled_site == "demo_site" and not demo.enabled


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path, text) -> SourceError:
    with pytest.raises(SourceError) as info:
        load_source_file(_write(tmp_path, "bad.toml", text))
    assert info.value.path.endswith("bad.toml")
    return info.value


def test_a_valid_file_loads_with_types_normalised(tmp_path):
    source = load_source_file(_write(tmp_path, "good.toml", GOOD))
    assert source.languages == ("en", "de") and source.interval_minutes == 15
    assert source.is_article_url("https://news.example.org/2025/ferry-resumes")
    assert not source.is_article_url("https://news.example.org/about")
    assert not source.is_article_url("https://evil.example.com/2025/ferry-resumes")


@pytest.mark.parametrize("change, field, message", [
    ("surprise = 1", "surprise", "unknown key"),
    ('interval_minutes = "15"', "interval_minutes", "expected an integer"),
    ("interval_minutes = 0", "interval_minutes", "outside"),
    ("needs_network = 1", "needs_network", "expected true or false"),
    ('languages = "en"', "languages", "expected a list"),
    ('languages = ["english"]', "languages", "ISO 639"),
    ('allowed_domains = ["https://example.org/"]', "allowed_domains", "not a host name"),
    ('sitemaps = ["ftp://news.example.org/sitemap.xml"]', "sitemaps", "absolute http(s) URL"),
    ('sections = ["https://other.example.com/world"]', "sections", "outside allowed_domains"),
    ("article_patterns = ['(a+)+$']", "article_patterns", "nested quantifiers"),
    ("article_patterns = ['(\\\\w+\\\\s?)*$']", "article_patterns", "nested quantifiers"),
    ("article_patterns = ['[unclosed']", "article_patterns", "not a valid regular expression"),
    ('drop_selectors = ["div[[["]', "drop_selectors", "not a valid CSS selector"),
    ('id = "Bad Id"', "id", "lowercase"),
])
def test_each_bad_field_is_named_with_what_is_wrong(tmp_path, change, field, message):
    key = change.split("=")[0].strip()
    lines = [ln for ln in GOOD.strip().splitlines() if not ln.startswith(key + " ")]
    err = _error(tmp_path, "\n".join(lines + [change]))
    assert err.field == field and message in str(err), str(err)
    assert f"field '{field}'" in str(err)


def test_missing_required_key_and_syntax_errors(tmp_path):
    err = _error(tmp_path, GOOD.replace('name = "Good Outlet"', ""))
    assert err.field == "name" and "missing required key" in str(err)
    err = _error(tmp_path, GOOD + "\nfeeds = [unterminated\n")
    assert err.field is None and "not valid TOML" in str(err)
    err = _error(tmp_path, "!!python/object:os.system ['echo pwned']\n")  # a YAML tag means nothing to TOML
    assert "not valid TOML" in str(err)


def test_bad_files_do_not_stop_the_good_ones(tmp_path):
    _write(tmp_path, "a_good.toml", GOOD)
    _write(tmp_path, "b_bad.toml", GOOD.replace('id = "good"', 'id = "other"') + "\nsurprise = true\n")
    _write(tmp_path, "c_dup.toml", GOOD)
    (tmp_path / "d_binary.toml").write_bytes(b"\xff\xfe\x00garbage")
    loaded = load_sources(tmp_path)
    assert list(loaded.sources) == ["good"]
    problems = {Path(e.path).name: str(e) for e in loaded.errors}
    assert set(problems) == {"b_bad.toml", "c_dup.toml", "d_binary.toml"}
    assert "duplicate id 'good'" in problems["c_dup.toml"]
    assert "not UTF-8" in problems["d_binary.toml"]


@pytest.mark.parametrize("suffix", ["com", "co.uk", "github.io"])
def test_a_public_suffix_is_refused_as_an_allowed_domain(tmp_path, suffix):
    text = GOOD.replace('allowed_domains = ["example.org"]', f'allowed_domains = ["example.org", "{suffix}"]')
    err = _error(tmp_path, text)
    assert err.field == "allowed_domains" and "public suffix" in err.message and suffix in err.message


def test_a_registrable_domain_under_a_two_part_suffix_is_accepted(tmp_path):
    text = GOOD.replace("example.org", "example.co.uk").replace("example\\\\.org", "example\\\\.co\\\\.uk")
    source = load_source_file(_write(tmp_path, "uk.toml", text))
    assert source.allowed_domains == ("example.co.uk",)


def test_a_seeds_file_saved_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert load_source_file(path).id == "good"
