"""learn-names: proposes variants from stored records, never edits the gazetteer."""
from __future__ import annotations

import hashlib
import json
import sqlite3

from normalise.cli import main as cli_main
from normalise.names.gazetteer import DATA_DIR

RECORDS = [
    {"id": "r1", "text_en": "Russia's delegation head Vladimir Medinsky met Rustem Umerov in Istanbul.\n\n"
                            "The Kremlin said Putin backed the talks."},
    {"id": "r2", "text_en": "Russia's delegation head Mentinsky said the prisoner exchange would go ahead.\n\n"
                            "Umerov and Putin were told the same day."},
    {"id": "r3", "text_en": "Football: Mentana scored twice for the home side."},
]


def _gazetteer_digest() -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(DATA_DIR.glob("*.yaml")))).hexdigest()


def test_proposes_a_variant_seen_in_the_same_role_and_edits_nothing(tmp_path, capsys):
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\nnot json\n", encoding="utf-8")
    before = _gazetteer_digest()
    assert cli_main(["learn-names", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "id: vladimir-medinsky" in out and "variants: [Mentinsky]" in out
    assert "delegation head" in out  # the shared role is the evidence
    assert "Mentana" not in out
    assert "not valid JSON" in err
    assert _gazetteer_digest() == before


def test_reads_the_crawler_sqlite_store_and_skips_a_store_without_pages(tmp_path, capsys):
    good = tmp_path / "store.sqlite"
    con = sqlite3.connect(good)
    con.execute("CREATE TABLE pages (url TEXT, record TEXT)")
    con.executemany("INSERT INTO pages VALUES (?, ?)", [(r["id"], json.dumps(r)) for r in RECORDS] + [("x", None)])
    con.commit()
    con.close()
    empty = tmp_path / "other.sqlite"
    sqlite3.connect(empty).execute("CREATE TABLE something (x)").connection.close()
    assert cli_main(["learn-names", "--sqlite", str(good), "--sqlite", str(empty)]) == 0
    out, err = capsys.readouterr()
    assert "variants: [Mentinsky]" in out
    assert "no table 'pages'" in err


def test_no_inputs_is_a_usage_error(capsys):
    try:
        cli_main(["learn-names"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "--sqlite" in capsys.readouterr().err
