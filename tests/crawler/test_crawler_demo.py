"""README command 1: the offline demo crawl, in a subprocess, with the project's default settings."""
from __future__ import annotations

import re

from crawl_helpers import db_rows, feed_records, free_port, run_crawl

SUMMARY = re.compile(r"^stored 9 articles \((?:[a-z]+ \d+(?:, )?)+\) from source demo into (?P<db>\S+news\.sqlite); "
                     r"2 skipped: http_404 1, not_html 1; 0 errors"
                     r"; left untranslated, no Argos model installed for: de, fr, zh \(python -m normalise models list\)$")


def test_demo_crawl_stores_records_and_prints_the_summary(tmp_path):
    # Default settings (scrapy.cfg), only the data directory and the port moved out of the way.
    # A fresh machine: no Argos package installed.
    run = run_crawl(tmp_path, "-a", "source=demo", settings_module=None,
                    settings={"NEWS_BUNDLED_SITE_PORT": free_port()},
                    env_extra={"ARGOS_PACKAGES_DIR": str(tmp_path / "no-packages")})
    assert run.returncode == 0, run.stderr[-3000:]
    lines = [line for line in run.stdout.splitlines() if line.startswith("stored ")]
    assert len(lines) == 1 and SUMMARY.match(lines[0]), run.stdout + run.stderr[-2000:]
    db = tmp_path / "news.sqlite"
    assert SUMMARY.match(lines[0])["db"] == str(db)
    rows = db_rows(db, "SELECT canonical_url, language, source, record FROM pages")
    assert len(rows) == 9 and {r[2] for r in rows} == {"demo"}
    assert {r[1] for r in rows} == {"en", "de", "fr", "zh"}
    assert {r[0].rsplit("/", 2)[1] for r in rows} == {"en", "de", "fr", "zh"}
    # Links carried utm_*/fbclid parameters; none survive canonicalisation.
    assert not any("utm_" in r[0] or "fbclid" in r[0] for r in rows)
    assert len(feed_records(tmp_path / "records.jsonl")) == 9
    reasons = sorted(r[0] for r in db_rows(db, "SELECT reason FROM skips"))
    assert reasons == ["http_404", "not_html"]
