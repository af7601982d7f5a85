"""The five real scraped seeds: every boilerplate line goes, every article line stays.

Expectations were written by reading the seeds (they are only beside the checkout, in
../shared/seeds; the tests skip without them). Counts are of the seed's own lines.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from normalise import InputDocument, NormaliserConfig
from normalise.pipeline import Normaliser

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def records(seeds_dir):
    normaliser = Normaliser(NormaliserConfig(translate=False))
    out = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        out[path.name[:3]] = normaliser.normalise(InputDocument(id=path.name, text=path.read_text(encoding="utf-8")))
    if len(out) != 5:
        pytest.skip(f"expected the five seed files in {seeds_dir}, found {len(out)}")
    return out


def removed(record, reason=None):
    return [b for b in record.blocks if not b.kept and (reason is None or b.removed == reason)]


def kept(record, kind=None):
    return [b for b in record.blocks if b.kept and (kind is None or b.kind == kind)]


def kept_containing(record, fragment):
    return [b for b in kept(record) if fragment in b.text]


def test_every_block_is_kept_or_has_a_reason(records):
    for record in records.values():
        assert record.error is None
        for block in record.blocks:
            assert block.kept or (block.removed and block.removed_detail), block


def test_wire_story_under_six_cookie_walls(records):
    rec = records["000"]
    walls = removed(rec, "cookie_wall")
    # the consent text is repeated in German, English, Spanish, French, Italian, Portuguese
    assert len(walls) == 6
    assert all("Quotidienne de Bruxelles" in b.text for b in walls)
    assert not [b for b in kept(rec) if "cookie" in b.text.lower()]
    assert [b.text for b in removed(rec, "widget")] == ["Text size:"]
    assert len(removed(rec)) == 7  # nothing else is boilerplate in this story
    assert kept_containing(rec, "Prisoner swap")[0].kind == "heading"
    assert kept_containing(rec, "Constructive atmosphere")[0].kind == "heading"
    assert len(kept(rec, "paragraph")) == 26
    assert rec.text.startswith("US President Donald Trump is")
    assert rec.text.endswith("he said.")


def test_latest_news_list_after_the_article(records):
    rec = records["001"]
    assert rec.title.startswith("Trump plans calls with Russian and Ukrainian leaders")
    assert [b.text for b in removed(rec, "related_links")] == ["Lire aussi"]
    timestamped = removed(rec, "latest_news")
    assert timestamped[0].text == "Latest News"
    assert len(timestamped) == 8 and all(re.match(r"- \d\d:\d\d ", b.text) for b in timestamped[1:])
    assert len(kept(rec, "paragraph")) == 7
    assert rec.text.rstrip().endswith("hosted in Turkey.")  # the headline list never reaches the body


def test_translated_story_with_source_line_and_author_bio(records):
    rec = records["002"]
    assert "exchange of prisoners of war" in rec.title
    for subheading in ("Atmosphere", "Cut off from reality", "Unclear the next step"):
        blocks = kept_containing(rec, subheading)
        assert blocks and blocks[0].kind == "heading", subheading
    assert [b.text for b in removed(rec, "source_attribution")] == ["Source :Skai"]
    assert rec.metadata["source_attribution"] == ["Skai"]
    bio = removed(rec, "author_bio")
    assert len(bio) == 1 and bio[0].text.startswith("With a wealth of experience")
    assert len(removed(rec)) == 2
    assert len(kept(rec, "paragraph")) == 29
    # the truncated paragraph ending in "2." is still article text
    assert kept_containing(rec, "The largest exchange of prisoners of war, 2.")


def test_ft_chinese_page(records):
    rec = records["003"]
    assert rec.title == "Ukraine and Russia far apart on ceasefire terms at Istanbul talks"
    assert rec.metadata["site_name"] == "FT中文网"
    logins = removed(rec, "login_form")
    assert len(logins) == 7 and logins[0].text == "登录×" and "用户注册协议" in logins[-1].text
    assert [b.text for b in removed(rec, "section_tag")] == ["战争"]
    assert len(removed(rec, "duplicate_title")) == 1
    assert removed(rec, "copyright")[0].text.startswith("版权声明")
    assert len(removed(rec, "related_links")) == 12  # six headline + teaser pairs after the notice
    assert "4小时前" in [b.text for b in removed(rec)]
    widgets = [b.text for b in removed(rec, "widget")]
    assert widgets == ["00:00", "设置字号×", "最小", "较小", "默认", "较大", "最大", "分享×"]
    assert [b.text for b in removed(rec, "byline")] == ["Additional reporting by Fabrice Deprez in Kyiv"]
    assert not [b for b in kept(rec) if CJK.search(b.text)]  # all the Chinese chrome is gone
    assert kept_containing(rec, "Talks follow Kyiv")[0].kind == "standfirst"
    assert len(kept(rec, "paragraph")) == 22
    assert len(removed(rec)) == 32


def test_cgtn_page_with_repeated_captions(records):
    rec = records["004"]
    assert rec.title == "Russia-Ukraine peace talks: What was agreed in Istanbul?"
    assert len(removed(rec, "cookie_wall")) == 3
    assert [b.text for b in removed(rec, "machine_translation_notice")] == [
        "Content is automatically generated by Microsoft Azure Translator Text API. "
        "CGTN is not responsible for any of the translations."]
    assert {b.text for b in removed(rec, "widget")} == {"Translating...", "Search Trends"}
    captions = kept(rec, "caption")
    assert len(captions) == 3 and all(b.text.endswith("/Reuters") for b in captions)
    copies = removed(rec, "duplicate_caption")
    assert len(copies) == 6
    for caption in captions:  # exactly one copy of each is left
        assert sum(1 for b in kept(rec) if b.text == caption.text) == 1
        assert sum(1 for b in copies if b.text == caption.text) == 2
    assert rec.metadata["source_attribution"] == ["Reuters"]
    for subheading in ("Prisoner exchanges and body swaps", "Shortest talks yet"):
        assert kept_containing(rec, subheading)[0].kind == "heading"
    assert len(kept(rec, "paragraph")) == 16
    assert len(removed(rec)) == 13


def test_cli_normalises_the_seeds(seeds_dir, tmp_path):
    paths = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    proc = subprocess.run([sys.executable, "-m", "normalise", "--format", "text", "--no-translate", *paths],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == 5
    by_title = {r["title"]: r for r in lines}
    assert "Ukraine and Russia far apart on ceasefire terms at Istanbul talks" in by_title
    for rec in lines:
        assert rec["error"] is None
        assert any(b["removed"] for b in rec["blocks"])
        assert "cookie" not in rec["text"].lower()
