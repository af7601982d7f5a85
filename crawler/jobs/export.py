"""Export stored records for downstream users: JSON Lines, CSV or Parquet, streamed.

Records come from a store as an iterator (a server-side cursor on PostgreSQL, row-by-row
iteration on SQLite) and leave in small batches, so memory stays flat on millions of records.
Filters (source, language, published date range, entity) are pushed down to the store's query
where it can; `RecordFilter.matches` is applied again here so every store gives the same answer.
"""
from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import IO

from crawler.dates import aware_datetime

FORMATS = ("jsonl", "csv", "parquet")
PARQUET_ROW_GROUP = 2000  # records per row group: bounds memory, keeps files scannable


class ExportError(ValueError):
    """A bad export request (unknown format, unparseable date): reported, never a traceback."""


def parse_bound(value: str | None, *, end: bool) -> datetime | None:
    """An ISO date or datetime; a bare date as `--until` means the whole of that day."""
    if not value:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day + timedelta(days=1) if end else day, time(), timezone.utc)
    except ValueError as exc:
        raise ExportError(f"not an ISO date or datetime: {value!r} ({exc})") from None
    instant = aware_datetime(value)
    if instant is None:
        raise ExportError(f"not an ISO date or datetime: {value!r}")
    return instant


def record_moment(record: dict) -> datetime | None:
    """The date a record is filtered by: its published_at (records without one never match a date filter)."""
    return aware_datetime(record.get("published_at"))


def record_entities(record: dict) -> set[str]:
    return {n.get("entity_id") for n in record.get("names") or [] if n.get("entity_id")}


@dataclass
class RecordFilter:
    source: str | None = None
    language: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    entity: str | None = None

    @classmethod
    def from_strings(cls, source=None, language=None, since=None, until=None, entity=None) -> RecordFilter:
        return cls(source or None, language or None, parse_bound(since, end=False),
                   parse_bound(until, end=True), entity or None)

    def matches(self, record: dict) -> bool:
        if self.source and record.get("source") != self.source:
            return False
        if self.language and record.get("language") != self.language:
            return False
        if self.since or self.until:
            moment = record_moment(record)
            if moment is None:
                return False
            if self.since and moment < self.since:
                return False
            if self.until and moment >= self.until:
                return False
        if self.entity and self.entity not in record_entities(record):
            return False
        return True


# Flat columns for CSV and Parquet; nested parts travel as JSON text.
FLAT_COLUMNS = ("id", "url", "canonical_url", "source", "fetched_at", "published_at", "title", "title_en",
                "language", "text", "text_en", "pipeline_version")
LIST_COLUMNS = ("authors", "warnings")
DERIVED_COLUMNS = ("entities", "cluster_id", "near_duplicate_of", "error_code", "error_message")
JSON_COLUMNS = ("blocks", "names", "translation", "metadata")
ALL_COLUMNS = FLAT_COLUMNS + LIST_COLUMNS + DERIVED_COLUMNS + JSON_COLUMNS


def flatten(record: dict) -> dict:
    row = {c: record.get(c) for c in FLAT_COLUMNS}
    for c in LIST_COLUMNS:
        row[c] = list(record.get(c) or [])
    meta = record.get("metadata") or {}
    error = record.get("error") or {}
    row["entities"] = sorted(record_entities(record))
    row["cluster_id"] = meta.get("cluster_id")
    row["near_duplicate_of"] = meta.get("near_duplicate_of")
    row["error_code"] = error.get("code")
    row["error_message"] = error.get("message")
    for c in JSON_COLUMNS:
        row[c] = json.dumps(record.get(c), ensure_ascii=False, sort_keys=True)
    return row


def write_jsonl(records: Iterable[dict], out: IO[str]) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


def write_csv(records: Iterable[dict], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=ALL_COLUMNS)
    writer.writeheader()
    n = 0
    for record in records:
        row = flatten(record)
        for c in LIST_COLUMNS + ("entities",):
            row[c] = "; ".join(row[c])
        writer.writerow(row)
        n += 1
    return n


def _parquet_schema():
    import pyarrow as pa

    fields = [pa.field(c, pa.string()) for c in FLAT_COLUMNS]
    fields += [pa.field(c, pa.list_(pa.string())) for c in LIST_COLUMNS + ("entities",)]
    fields += [pa.field(c, pa.string()) for c in DERIVED_COLUMNS if c != "entities"]
    fields += [pa.field(c, pa.string()) for c in JSON_COLUMNS]
    return pa.schema(fields)


def write_parquet(records: Iterable[dict], path: str | Path, row_group: int = PARQUET_ROW_GROUP) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    n = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        batch: list[dict] = []
        for record in records:
            batch.append(flatten(record))
            if len(batch) >= row_group:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:  # an empty export is still a valid file with the schema
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def stored_records(store, flt: RecordFilter) -> Iterator[dict]:
    """The store's records with the filters pushed down as far as that store can take them.

    PostgreSQL filters everything in SQL (timestamps, entity index). The SQLite store compares
    published_at as text, so it gets the date bounds widened by a day and `RecordFilter.matches`
    (applied by `export`) makes the exact cut.
    """
    if isinstance(store, _postgres_store_class()):
        return store.iter_records(source=flt.source, language=flt.language, since=flt.since, until=flt.until,
                                  entity=flt.entity)
    since = (flt.since - timedelta(days=1)).date().isoformat() if flt.since else None
    until = (flt.until + timedelta(days=1)).date().isoformat() if flt.until else None
    return store.iter_records(source=flt.source, language=flt.language, since=since, until=until)


def _postgres_store_class():
    try:
        from crawler.storage.postgres import PostgresStore
    except ImportError:  # psycopg missing: no PostgreSQL store can exist either
        return ()
    return PostgresStore


def export(records: Iterable[dict], fmt: str, output: str | Path | None,
           record_filter: RecordFilter | None = None,
           progress: Callable[[Iterator[dict]], Iterator[dict]] | None = None) -> int:
    """Write matching records to `output` ("-" or None = stdout; Parquet needs a path). Returns the count."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    flt = record_filter or RecordFilter()
    stream: Iterator[dict] = (r for r in records if flt.matches(r))
    if progress:
        stream = progress(stream)
    if fmt == "parquet":
        if output in (None, "-"):
            raise ExportError("parquet needs an output file: pass -o PATH")
        return write_parquet(stream, output)
    if output in (None, "-"):
        return (write_jsonl if fmt == "jsonl" else write_csv)(stream, sys.stdout)
    with open(output, "w", encoding="utf-8", newline="") as fh:
        return (write_jsonl if fmt == "jsonl" else write_csv)(stream, fh)


def unknown_filter_value(flt: RecordFilter, stored_sources: Iterable[str], seed_sources: Iterable[str],
                         entity_ids: Callable[[], Iterable[str]]) -> str | None:
    """Why a --source or --entity cannot match anything (a typo), or None.

    A source is known when it has stored records or a seeds file; an entity when the gazetteer
    names it. `entity_ids` is only called when an entity filter is given (loading it costs time)."""
    if flt.source:
        stored, seeded = set(stored_sources), set(seed_sources)
        if flt.source not in stored | seeded:
            listed = ", ".join(sorted(stored)) or "none"
            return f"unknown --source {flt.source!r}: no seeds file and no stored records (stored sources: {listed})"
    if flt.entity:
        ids = set(entity_ids())
        if flt.entity not in ids:
            close = sorted(i for i in ids if flt.entity.lower() in i.lower())[:5]
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            return f"unknown --entity {flt.entity!r}: not an entity id in the gazetteer{hint}"
    return None
