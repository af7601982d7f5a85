"""Syndicated copies: link records carrying the same wire story across outlets (MinHash LSH).

Pure module (no Scrapy): the crawl pipeline, `scrapy renormalise` and the tests all use it,
through one linker, `NearDuplicateDetector.assign`.

Each record's text becomes a MinHash signature over word 3-shingles (character shingles for
scripts written without spaces). Signatures are cut into LSH bands; records sharing a band
are candidates, confirmed by the estimated Jaccard similarity. The index is persistent (two
small SQL tables beside the records, same SQL for SQLite and PostgreSQL), so a link is found
across runs and across crawler processes, not only within one process's memory.

What lands in the record's `metadata`:
  cluster_id        canonical URL of the first stored copy of the story (own URL when alone)
  near_duplicate_of canonical URL of the most similar earlier copy, or absent
  near_duplicate_similarity  estimated Jaccard similarity to it

Stability on re-crawls and re-normalisation: a page whose indexed signature is unchanged keeps
its cluster, and the first copy of a story (its cluster's origin) never becomes a near-duplicate
of a later copy.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from datasketch import MinHash, MinHashLSH

from normalise.langid.scripts import NO_SPACE_CHAR

if TYPE_CHECKING:
    from crawler.storage.base import Store

NUM_PERM = 128
THRESHOLD = 0.5  # estimated Jaccard of 3-shingles; copies with a changed lead still pass
SHINGLE_WORDS = 3
SHINGLE_CHARS = 4
MIN_SHINGLES = 12  # shorter texts (teasers, errors) are never linked: too little evidence
# Stored signatures carry no trace of the hash scheme: pin it, so a datasketch upgrade that
# changes the default cannot silently compare incompatible signatures.
SCHEME = "affine32"

_WORD = re.compile(r"\w+", re.UNICODE)
# Scripts written without spaces between words: shingle characters, not words.
_NO_SPACE_SCRIPTS = NO_SPACE_CHAR


def shingles(text: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    if len(_NO_SPACE_SCRIPTS.findall(text)) > len(text) / 4:
        chars = "".join(_WORD.findall(text))
        return {chars[i:i + SHINGLE_CHARS] for i in range(max(len(chars) - SHINGLE_CHARS + 1, 0))}
    words = _WORD.findall(text)
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(max(len(words) - SHINGLE_WORDS + 1, 0))}


def signature(text: str, num_perm: int = NUM_PERM) -> MinHash | None:
    """MinHash of the text, or None when the text is too short to compare."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    mh = MinHash(num_perm=num_perm, scheme=SCHEME, permutations=_permutations(num_perm))
    mh.update_batch(g.encode("utf-8") for g in grams)
    return mh


@functools.cache
def _permutations(num_perm: int):
    """datasketch draws the same permutations (fixed seed) for every MinHash it makes, ~0.2 ms
    each time; drawn once here and shared (datasketch shares an array in its canonical form)."""
    return MinHash(num_perm=num_perm, scheme=SCHEME).permutations


def signature_bytes(mh: MinHash) -> bytes:
    return np.asarray(mh.hashvalues, dtype=np.uint32).tobytes()


def signature_from_bytes(data: bytes) -> MinHash:
    values = np.frombuffer(bytes(data), dtype=np.uint32).astype(np.uint64)
    return MinHash(num_perm=len(values), hashvalues=values, scheme=SCHEME)


def stored_jaccard(mh: MinHash, stored: bytes) -> float:
    """MinHash.jaccard against a stored signature, without rebuilding a MinHash (its permutations
    cost ~0.4 ms each, and a big cluster has many candidates)."""
    other = np.frombuffer(bytes(stored), dtype=np.uint32)
    if len(other) != len(mh.hashvalues):
        return 0.0  # signed with another num_perm: not comparable
    return float(np.count_nonzero(np.asarray(mh.hashvalues, dtype=np.uint32) == other)) / len(other)


@functools.cache
def _band_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) datasketch picks for this threshold; its search takes ~17 ms, so once."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def band_keys(mh: MinHash, threshold: float = THRESHOLD) -> list[str]:
    """LSH band keys: two records sharing one key are candidate duplicates."""
    bands, rows = _band_shape(threshold, len(mh.hashvalues))
    values = np.asarray(mh.hashvalues, dtype=np.uint64)
    keys = []
    for band in range(bands):
        chunk = values[band * rows:(band + 1) * rows].tobytes()
        keys.append(f"{band}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return keys


@dataclass
class Candidate:
    url: str
    cluster_id: str
    signature: bytes


class SignatureIndex(Protocol):
    def candidates(self, keys: list[str]) -> list[Candidate]: ...

    def add(self, url: str, cluster_id: str, keys: list[str], sig: bytes) -> None:
        """Index one record on the index's own connection, committed."""

    def write(self, tx: Any, url: str, cluster_id: str, keys: list[str], sig: bytes) -> None:
        """`add`'s statements inside the caller's transaction `tx` (a page save's)."""

    def close(self) -> None: ...


#: Indexes one linked record: `index_it()` on the index's own connection, once the record is
#: stored; `index_it(tx)` inside the record's save transaction (page and entry commit together).
IndexWrite = Callable[..., None]


def nothing_to_index(tx: Any = None) -> None:
    """The `IndexWrite` of a record the index already describes exactly (or too short to index)."""
    return None


class MemoryIndex:
    """In-process index (unit tests, one-off batches)."""

    def __init__(self):
        self.rows: dict[str, Candidate] = {}
        self.bands: dict[str, set[str]] = {}

    def candidates(self, keys: list[str]) -> list[Candidate]:
        urls = set().union(*(self.bands.get(k, set()) for k in keys)) if keys else set()
        return [self.rows[u] for u in sorted(urls)]

    def add(self, url: str, cluster_id: str, keys: list[str], sig: bytes) -> None:
        for members in self.bands.values():
            members.discard(url)
        self.rows[url] = Candidate(url, cluster_id, sig)
        for key in keys:
            self.bands.setdefault(key, set()).add(url)

    def write(self, tx: Any, url: str, cluster_id: str, keys: list[str], sig: bytes) -> None:
        self.add(url, cluster_id, keys, sig)  # nothing transactional to join

    def close(self) -> None:
        return None


class SqlIndex:
    """The index as two tables on a DB-API connection: sqlite3 ("?") or psycopg ("%s").

    Writes run in the caller's transaction when `autocommit=False`; otherwise each add commits.
    """

    def __init__(self, conn, paramstyle: str = "?", blob_type: str = "BLOB", autocommit: bool = True):
        self.conn = conn
        self.p = paramstyle
        self.autocommit = autocommit
        cur = conn.cursor()
        cur.execute(
            "CREATE TABLE IF NOT EXISTS near_duplicate_signatures ("
            f" url TEXT PRIMARY KEY, cluster_id TEXT NOT NULL, signature {blob_type} NOT NULL)")
        cur.execute(
            "CREATE TABLE IF NOT EXISTS near_duplicate_bands ("
            " band_key TEXT NOT NULL, url TEXT NOT NULL, PRIMARY KEY (band_key, url))")
        cur.execute("CREATE INDEX IF NOT EXISTS near_duplicate_bands_url ON near_duplicate_bands (url)")
        if autocommit:
            conn.commit()

    def candidates(self, keys: list[str]) -> list[Candidate]:
        if not keys:
            return []
        cur = self.conn.cursor()
        cur.execute(self.candidates_sql(len(keys)), self._key_params(keys))
        return [Candidate(url, cluster, bytes(sig)) for url, cluster, sig in cur.fetchall()]

    def candidates_sql(self, n_keys: int) -> str:
        return ("SELECT s.url, s.cluster_id, s.signature FROM near_duplicate_signatures s"
                " WHERE s.url IN (SELECT DISTINCT url FROM near_duplicate_bands"
                f" WHERE band_key {self._keys_match(n_keys)}) ORDER BY s.url")

    def _keys_match(self, n_keys: int) -> str:
        return f"IN ({', '.join([self.p] * n_keys)})"

    @staticmethod
    def _key_params(keys: list[str]):
        return keys

    def add(self, url: str, cluster_id: str, keys: list[str], sig: bytes) -> None:
        self.write(self.conn, url, cluster_id, keys, sig)
        if self.autocommit:
            self.conn.commit()

    def write(self, tx: Any, url: str, cluster_id: str, keys: list[str], sig: bytes) -> None:
        """`add`'s statements on `tx` (a connection or cursor on the same database), inside the
        caller's transaction: the crawl writes a page and its index entry in one commit."""
        p = self.p
        tx.execute(
            f"INSERT INTO near_duplicate_signatures (url, cluster_id, signature) VALUES ({p}, {p}, {p})"
            " ON CONFLICT (url) DO UPDATE SET cluster_id = excluded.cluster_id, signature = excluded.signature",
            (url, cluster_id, sig))
        tx.execute(f"DELETE FROM near_duplicate_bands WHERE url = {p}", (url,))
        tx.executemany(f"INSERT INTO near_duplicate_bands (band_key, url) VALUES ({p}, {p}) ON CONFLICT DO NOTHING",
                       [(k, url) for k in keys])

    def close(self) -> None:
        self.conn.close()


_SCHEMA_LOCK_KEY = int.from_bytes(hashlib.blake2b(b"news-ingest near-duplicate schema", digest_size=8).digest(),
                                  "big", signed=True)


class PostgresSignatureIndex(SqlIndex):
    """SqlIndex on a psycopg connection in autocommit mode, one statement (one round trip) per call:
    the key list travels as one array, and `write` replaces a URL's signature and bands at once."""

    def __init__(self, conn):
        # Workers starting together would race on CREATE TABLE IF NOT EXISTS (PostgreSQL answers the
        # loser with a unique violation on pg_type): the schema is created under an advisory lock.
        conn.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK_KEY,))
        try:
            super().__init__(conn, paramstyle="%s", blob_type="BYTEA", autocommit=True)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK_KEY,))

    def _keys_match(self, n_keys: int) -> str:
        return "= ANY(%s)"  # the whole key list as one array parameter

    @staticmethod
    def _key_params(keys: list[str]):
        return (list(keys),)

    def write(self, tx: Any, url: str, cluster_id: str, keys: list[str], sig: bytes) -> None:
        # Same end state as SqlIndex.write (the URL's bands are exactly `keys`), in one statement.
        tx.execute(
            "WITH sig AS (INSERT INTO near_duplicate_signatures (url, cluster_id, signature)"
            "  VALUES (%(url)s, %(cluster)s, %(sig)s) ON CONFLICT (url) DO UPDATE"
            "  SET cluster_id = excluded.cluster_id, signature = excluded.signature),"
            " gone AS (DELETE FROM near_duplicate_bands WHERE url = %(url)s AND NOT band_key = ANY(%(keys)s))"
            " INSERT INTO near_duplicate_bands (band_key, url) SELECT k, %(url)s FROM unnest(%(keys)s::text[]) AS k"
            " ON CONFLICT DO NOTHING",
            {"url": url, "cluster": cluster_id, "sig": sig, "keys": list(keys)})


class NearDuplicateDetector:
    def __init__(self, index: SignatureIndex, threshold: float = THRESHOLD, num_perm: int = NUM_PERM):
        self.index = index
        self.threshold = threshold
        self.num_perm = num_perm

    def assign(self, record: dict) -> IndexWrite:
        """Link a record dict (`Record.to_dict()`) to earlier copies through its metadata
        (cluster_id, near_duplicate_of, near_duplicate_similarity), without touching the index.

        Returns the `IndexWrite` that indexes it: call it once the record is stored (or pass it to
        `Store.save(..., also=...)` to index it in the same transaction)."""
        url = record.get("canonical_url") or record.get("url") or record["id"]
        meta = record.setdefault("metadata", {})
        for key in ("near_duplicate_of", "near_duplicate_similarity"):
            meta.pop(key, None)
        mh = signature(record.get("text") or "", self.num_perm)
        if mh is None:  # too short to compare: its own cluster, not indexed
            meta["cluster_id"] = url
            return nothing_to_index
        keys = band_keys(mh, self.threshold)
        sig = signature_bytes(mh)
        own, matches = self._candidates(url, mh, keys)
        cluster, matches = _stable_cluster(url, own, sig, matches)
        meta["cluster_id"] = cluster
        if matches:
            sim, best = matches[0]
            meta["near_duplicate_of"] = best.url
            meta["near_duplicate_similarity"] = round(sim, 3)
        if own is not None and own.signature == sig and own.cluster_id == cluster:
            return nothing_to_index  # the index already says exactly this
        index = self.index

        def index_it(tx: Any = None) -> None:
            if tx is None:
                index.add(url, cluster, keys, sig)
            else:
                index.write(tx, url, cluster, keys, sig)
        return index_it

    def _candidates(self, url: str, mh: MinHash, keys: list[str]
                    ) -> tuple[Candidate | None, list[tuple[float, Candidate]]]:
        """The record's own index entry (if any), and the other entries at least `threshold`
        similar to it, most similar first."""
        own: Candidate | None = None
        matches: list[tuple[float, Candidate]] = []
        for cand in self.index.candidates(keys):
            if cand.url == url:
                own = cand
                continue
            sim = stored_jaccard(mh, cand.signature)
            if sim >= self.threshold:
                matches.append((sim, cand))
        matches.sort(key=lambda m: (-m[0], m[1].url))
        return own, matches

    def assign_many(self, records: Iterable[dict]) -> None:
        """Link and index records one after another (a batch with no store transaction to join)."""
        for record in records:
            self.assign(record)()


def _stable_cluster(url: str, own: Candidate | None, sig: bytes, matches: list[tuple[float, Candidate]]
                    ) -> tuple[str, list[tuple[float, Candidate]]]:
    """The record's cluster and the matches it is linked to. An indexed record stays in its
    cluster while its text still matches it (or is unchanged); a cluster's origin links to none."""
    if own is not None:
        same = [m for m in matches if m[1].cluster_id == own.cluster_id]
        if same or own.signature == sig:
            return own.cluster_id, [] if own.cluster_id == url else same
    return (matches[0][1].cluster_id if matches else url), matches


def detector_for_store(store: Store, threshold: float = THRESHOLD) -> NearDuplicateDetector:
    """A detector whose index lives beside the store's records (same database)."""
    return NearDuplicateDetector(store.near_duplicate_index(), threshold)
