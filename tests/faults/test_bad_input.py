"""Item-level bad input: bytes that are not a page, a UTF-8 page declared ISO-8859-1, a store path
that cannot be a database."""
from __future__ import annotations

import random

from crawls import crawl, crawl_session, fixture_site

from normalise import InputDocument, NormaliserConfig
from normalise.exit_codes import ExitCode
from normalise.extract.decoding import decode_body
from normalise.extract.sniff import sniff_non_page
from normalise.pipeline import Normaliser


def test_random_bytes_without_a_content_type_are_refused_not_stored_as_an_article():
    body = random.Random(7).randbytes(20_000)
    assert sniff_non_page(body[:8192]) == "binary data"
    record = Normaliser(NormaliserConfig(translate=False)).normalise(
        InputDocument(id="r", url="http://x.test/r", html=body, expected_languages=["en"]))
    assert record.error is not None and record.error.code == "not_html"


def test_text_in_legacy_charsets_is_not_taken_for_binary():
    for text, charset in (("Переговоры в Стамбуле длились около часа.", "cp1251"),
                          ("会谈结束了。双方同意交换俘虏。", "gbk"), ("Müller sagte: „Straße“.", "cp1252"),
                          ("東京で会談が行われた。", "shift_jis")):
        assert sniff_non_page(f"<p>{text}</p>\n\t".encode(charset) * 50) is None


def test_a_utf8_page_declared_iso_8859_1_is_read_as_utf8_with_a_warning():
    text, encoding, warnings = decode_body("<p>Müller sagte: „Straße“</p>".encode(), "text/html; charset=ISO-8859-1")
    assert text == "<p>Müller sagte: „Straße“</p>" and encoding == "utf-8"
    assert warnings == ["declared charset 'ISO-8859-1' but the body is valid UTF-8; read as UTF-8"]
    latin = decode_body("<p>Müller</p>".encode("latin-1"), "text/html; charset=ISO-8859-1")
    assert latin == ("<p>Müller</p>", "iso-8859-1", [])  # a real Latin-1 page is left alone


def test_a_store_path_that_cannot_be_a_database_is_one_line_and_exit_3(tmp_path):
    with fixture_site.FixtureSite(articles=2) as site:
        env = crawl.crawl_env(site.seeds(tmp_path / "seeds"), f"sqlite:///{tmp_path}", tmp_path / "data")
        with crawl_session(crawl.crawl_command(settings={"FEEDS": "{}"}), env, tmp_path / "crawl.log") as proc:
            code = proc.wait(timeout=300)
        hits = site.article_hits()
    log = (tmp_path / "crawl.log").read_text()
    assert code == ExitCode.FAILED, log
    assert f"crawl: cannot open the SQLite store {tmp_path}: unable to open database file" in log
    assert "Traceback" not in log and hits == 0
