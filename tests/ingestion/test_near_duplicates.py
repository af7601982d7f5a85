"""Syndicated copies: the same wire story on two outlets is linked; different stories are not."""
from __future__ import annotations

import sqlite3

import pytest

from crawler.processing.near_duplicates import (
    MemoryIndex,
    NearDuplicateDetector,
    SqlIndex,
    signature,
)

from .stories import GERMAN_STORY, OTHER_STORY, WIRE_STORY, article_html, normalise_page


def _records():
    """Two outlets carry the wire story (own headline, chrome and a trailing line each), one a different story."""
    herald = normalise_page("https://herald.test/rates", article_html(
        "Norland raises rates", ["By our economics desk."] + WIRE_STORY, canonical="https://herald.test/rates",
        chrome="Daily Herald"), source="herald")
    gazette = normalise_page("https://gazette.test/economy/123", article_html(
        "Central bank lifts rate by half a point", WIRE_STORY[:3] + [WIRE_STORY[3] + " Agencies contributed."],
        canonical="https://gazette.test/economy/123", chrome="Evening Gazette"), source="gazette")
    snow = normalise_page("https://gazette.test/weather/9", article_html(
        "Snow closes passes", OTHER_STORY, canonical="https://gazette.test/weather/9", chrome="Evening Gazette"),
        source="gazette")
    return herald, gazette, snow


def _check_links(detector):
    herald, gazette, snow = _records()
    detector.assign_many([herald, gazette, snow])
    assert herald["metadata"]["cluster_id"] == "https://herald.test/rates"
    assert "near_duplicate_of" not in herald["metadata"]
    assert gazette["metadata"]["near_duplicate_of"] == "https://herald.test/rates"
    assert gazette["metadata"]["cluster_id"] == "https://herald.test/rates"
    assert gazette["metadata"]["near_duplicate_similarity"] >= 0.5
    assert snow["metadata"]["cluster_id"] == "https://gazette.test/weather/9"
    assert "near_duplicate_of" not in snow["metadata"]


def test_syndicated_copies_are_clustered_and_other_stories_are_not():
    _check_links(NearDuplicateDetector(MemoryIndex()))


def test_sqlite_index_persists_between_runs(tmp_path):
    path = tmp_path / "news.sqlite"
    _check_links(NearDuplicateDetector(SqlIndex(sqlite3.connect(path))))
    # A later run (new process, new detector) still links a third copy to the same cluster.
    later = NearDuplicateDetector(SqlIndex(sqlite3.connect(path)))
    third = normalise_page("https://courier.test/r", article_html("Rates", WIRE_STORY, canonical="https://courier.test/r"),
                           source="courier")
    later.assign(third)
    assert third["metadata"]["cluster_id"] == "https://herald.test/rates"
    assert third["metadata"]["near_duplicate_of"] in {"https://herald.test/rates", "https://gazette.test/economy/123"}


@pytest.mark.postgres
def test_postgres_index_links_across_detectors(pg_store):
    _check_links(NearDuplicateDetector(pg_store.near_duplicate_index()))
    again = NearDuplicateDetector(pg_store.near_duplicate_index())
    copy = normalise_page("https://courier.test/r", article_html("Rates", WIRE_STORY), source="courier")
    again.assign(copy)
    assert copy["metadata"]["cluster_id"] == "https://herald.test/rates"


def test_re_assigning_a_record_does_not_link_it_to_itself():
    detector = NearDuplicateDetector(MemoryIndex())
    herald, _, _ = _records()
    detector.assign(herald)()
    detector.assign(herald)()  # re-normalisation or a revision of the same URL
    assert "near_duplicate_of" not in herald["metadata"]


def test_short_and_foreign_texts():
    assert signature("Breaking: more soon.") is None  # too little evidence to link anything
    de = signature(" ".join(GERMAN_STORY))
    en = signature(" ".join(OTHER_STORY))
    assert de is not None and en is not None and de.jaccard(en) < 0.2
    zh_a = signature("中央银行周二宣布将主要利率上调半个百分点，理由是食品和能源价格持续上涨。行长表示如果工资继续快速增长，不排除进一步加息。")
    zh_b = signature("中央银行周二宣布将主要利率上调半个百分点，理由是食品和能源价格持续上涨。行长表示如果工资继续快速增长，不排除进一步加息。记者报道。")
    assert zh_a is not None and zh_a.jaccard(zh_b) > 0.7  # no spaces: character shingles


@pytest.mark.postgres
def test_postgres_candidate_lookup_reads_the_band_index_even_before_the_table_is_analysed(pg_store):
    """A young band table has no statistics: the planner then guessed a lookup matches ~12% of the
    rows and scanned them all, per page stored (the crawl slowed as the index grew)."""
    index = pg_store.near_duplicate_index()
    urls = [f"https://herald.test/{n}" for n in range(600)]
    with index.conn.cursor() as cur:
        cur.executemany("INSERT INTO near_duplicate_signatures (url, cluster_id, signature) VALUES (%s, %s, %s)",
                        [(u, u, b"\0" * 512) for u in urls])
        cur.executemany("INSERT INTO near_duplicate_bands (band_key, url) VALUES (%s, %s)",
                        [(f"{band}:{n:012x}", u) for n, u in enumerate(urls) for band in range(25)])
    index.conn.commit()
    keys = [f"{band}:{7:012x}" for band in range(25)]
    plan = "\n".join(r[0] for r in index.conn.execute("EXPLAIN " + index.candidates_sql(len(keys)), (keys,)))
    assert "Seq Scan" not in plan, plan
    assert [c.url for c in index.candidates(keys)] == [urls[7]]
    index.conn.close()


def _bands_of(conn, url):
    return sorted(k for (k,) in conn.execute(
        "SELECT band_key FROM near_duplicate_bands WHERE url = " + ("%s" if "psycopg" in type(conn).__module__
                                                                      else "?"), (url,)).fetchall())


def _check_re_add_replaces_bands(index):
    url = "https://herald.test/a"
    index.add(url, url, ["0:a", "1:b", "2:c"], b"\1" * 8)
    index.add(url, "https://herald.test/first", ["1:b", "2:x", "3:y"], b"\2" * 8)
    if not index.autocommit:
        index.conn.commit()
    assert _bands_of(index.conn, url) == ["1:b", "2:x", "3:y"]
    [cand] = index.candidates(["2:x"])
    assert (cand.url, cand.cluster_id, cand.signature) == (url, "https://herald.test/first", b"\2" * 8)
    assert index.candidates(["0:a"]) == []


def test_sqlite_index_re_add_replaces_a_urls_bands_and_signature(tmp_path):
    _check_re_add_replaces_bands(SqlIndex(sqlite3.connect(tmp_path / "i.sqlite")))


@pytest.mark.postgres
def test_postgres_index_re_add_replaces_a_urls_bands_and_signature(pg_store):
    index = pg_store.near_duplicate_index()
    _check_re_add_replaces_bands(index)
    index.conn.close()


def test_signatures_equal_datasketchs_own_minhash():
    """Shared permutations are only a speed-up: stored signatures must not change."""
    from datasketch import MinHash

    from crawler.processing.near_duplicates import NUM_PERM, SCHEME, shingles

    text = " ".join(WIRE_STORY)
    own = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    own.update_batch(g.encode("utf-8") for g in shingles(text))
    assert list(signature(text).hashvalues) == list(own.hashvalues)
    assert list(signature(" ".join(OTHER_STORY)).hashvalues) != list(own.hashvalues)
