"""`python -m normalise`: normalise pages you already have, print JSON Lines records.

    python -m normalise [--format auto|html|text|jsonl] [--url URL] [--lang CODE]
                        [--no-translate] [-o OUT] [PATH ...]

Subcommands with their own --help: `models` (translation models), `learn-names`
(propose gazetteer variants from stored records), `build-gazetteer` (compile the world
gazetteer layer).
"""
from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from pathlib import Path
from typing import IO, Iterator

from normalise.config import DEFAULT_LANGUAGES, NormaliserConfig
from normalise.inputs import InputDocument
from normalise.record import Record

SUBCOMMANDS = {
    "models": "normalise.translate.models_cli",
    "learn-names": "normalise.names.learn_cli",
    "build-gazetteer": "normalise.names.build.cli",
}
_FORMAT_BY_SUFFIX = {".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "text", ".text": "text",
                     ".jsonl": "jsonl", ".ndjson": "jsonl"}
# Inputs larger than this are refused with a record error instead of exhausting memory.
MAX_INPUT_BYTES = 64 * 1024 * 1024


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m normalise", description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs="*", metavar="PATH", help="input files; none or '-' reads stdin")
    p.add_argument("--format", choices=("auto", "html", "text", "jsonl"), default="auto")
    p.add_argument("--url", help="URL of the page (single-document inputs)")
    p.add_argument("--lang", help="language hint (ISO 639-1), e.g. de")
    p.add_argument("--source", help="source id to stamp on records")
    p.add_argument("--no-translate", action="store_true", help="skip translation (text_en is the original)")
    p.add_argument("--gazetteer", action="append", default=[], metavar="FILE",
                   help="extra gazetteer YAML (repeatable), added to the bundled one")
    p.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                   help="extra boilerplate lexicon YAML (repeatable), added to the bundled ones")
    p.add_argument("-o", "--output", help="write JSON Lines here instead of stdout")
    p.add_argument("-v", "--verbose", action="store_true")
    return p


def _sniff_format(data: bytes) -> str:
    head = data.lstrip()[:2048].lower()
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith((b"<!doctype", b"<html", b"<?xml")) or b"<body" in head or b"<p>" in head or b"<div" in head:
        return "html"
    return "text"


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    with open(path, "rb") as fh:
        return fh.read(MAX_INPUT_BYTES + 1)


def _inputs(args) -> Iterator[InputDocument | Record]:
    """Yield documents, or ready failed records for inputs that cannot even be read."""
    for path in args.paths or ["-"]:
        name = "<stdin>" if path == "-" else path
        try:
            data = _read(path)
        except OSError as exc:
            yield Record.failed(name, "unreadable_input", f"cannot read {name}: {exc.strerror or exc}")
            continue
        if len(data) > MAX_INPUT_BYTES:
            yield Record.failed(name, "input_too_large", f"{name} is over {MAX_INPUT_BYTES} bytes")
            continue
        fmt = args.format
        if fmt == "auto":
            fmt = _FORMAT_BY_SUFFIX.get(Path(path).suffix.lower()) if path != "-" else None
            fmt = fmt or _sniff_format(data)
        if fmt == "jsonl":
            yield from _jsonl_documents(name, data, args)
        elif fmt == "html":
            yield InputDocument(id=name, html=data, url=args.url, lang=args.lang, source=args.source)
        else:
            text = _decode_text(name, data)
            if isinstance(text, Record):
                yield text
            else:
                yield InputDocument(id=name, text=text, url=args.url, lang=args.lang, source=args.source)


def _decode_text(name: str, data: bytes) -> str | Record:
    if b"\x00" in data[:8192] and data[:8192].count(b"\x00") > 16:
        return Record.failed(name, "binary_input", f"{name} looks like binary data, not a text dump")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from normalise.extract.decoding import decode_body

        return decode_body(data)[0]


def _jsonl_documents(name: str, data: bytes, args) -> Iterator[InputDocument | Record]:
    for lineno, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield Record.failed(where, "invalid_jsonl", f"line {lineno} is not valid JSON: {exc}")
            continue
        except RecursionError:  # [[[[...]]]] 100k deep: one bad line, not the end of the run
            yield Record.failed(where, "invalid_jsonl", f"line {lineno} is nested too deeply to read")
            continue
        if not isinstance(obj, dict):
            yield Record.failed(where, "invalid_jsonl", f"line {lineno} is not a JSON object")
            continue
        doc_id = str(obj.get("id") or where)
        html, text = obj.get("html"), obj.get("text")
        if not isinstance(html, str) and not isinstance(text, str):
            yield Record.failed(doc_id, "invalid_jsonl", f"line {lineno} has neither a string 'html' nor 'text'")
            continue
        yield InputDocument(id=doc_id, html=html if isinstance(html, str) else None,
                            text=text if isinstance(text, str) and not isinstance(html, str) else None,
                            url=obj.get("url") or args.url, lang=obj.get("lang") or args.lang,
                            source=obj.get("source") or args.source)


def _records(normaliser, items) -> Iterator[Record]:
    """Keep input order while still batching the real documents through the normaliser."""
    pending: list = []

    def flush():
        docs = [x for x in pending if isinstance(x, InputDocument)]
        done = iter(normaliser.normalise_many(docs))
        for x in pending:
            yield next(done) if isinstance(x, InputDocument) else x
        pending.clear()

    for item in items:
        pending.append(item)
        if len(pending) >= 32:
            yield from flush()
    yield from flush()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        return importlib.import_module(SUBCOMMANDS[argv[0]]).main(argv[1:])
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    for path in args.gazetteer + args.lexicon:
        if not Path(path).is_file():
            _parser().error(f"no such file: {path}")
    config = NormaliserConfig(translate=not args.no_translate, gazetteer_paths=tuple(map(Path, args.gazetteer)),
                              lexicon_paths=tuple(map(Path, args.lexicon)))
    if args.lang and args.lang not in config.languages:
        _parser().error(f"unknown --lang {args.lang!r}; configured languages: {', '.join(DEFAULT_LANGUAGES)}")
    from normalise.boilerplate import LexiconError
    from normalise.names.gazetteer import GazetteerError
    from normalise.names.index import get_index
    from normalise.pipeline import Normaliser

    try:
        normaliser = Normaliser(config)
        if config.gazetteer_paths:  # load user files now: a bad one is a usage error, not a warning per record
            get_index(config.gazetteer_paths)
    except (GazetteerError, LexiconError) as exc:
        _parser().error(str(exc))
    out: IO[str] = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    progress = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(unit="doc", file=sys.stderr)
    failed = 0
    try:
        for record in _records(normaliser, _inputs(args)):
            failed += record.error is not None
            out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
            out.flush()
            if progress:
                progress.update()
    finally:
        if progress:
            progress.close()
        if args.output:
            out.close()
    if failed:
        print(f"{failed} input(s) could not be normalised; see the 'error' field", file=sys.stderr)
    return 0
