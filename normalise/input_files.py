"""Turn the batch CLI's paths (files, folders, stdin) into InputDocuments, streaming.

JSON Lines are read line by line in binary and split on b"\\n" only: U+2028, U+2029 and
U+0085 are legal inside a JSON string and must not end a page. The size limit applies to
each page (one JSONL line, or one HTML/text file), never to a whole batch, so memory stays
bounded whatever the batch size. A UTF-8 byte-order mark at the start of an input is skipped
for sniffing and JSON Lines. An input that cannot be read becomes a failed Record, never a
silent drop.
"""
from __future__ import annotations

import codecs
import contextlib
import errno
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from normalise.download import DownloadError
from normalise.fetch import fetch_document, is_url
from normalise.input_paths import expand_paths, shown
from normalise.inputs import InputDocument, looks_like_html
from normalise.jsonl_pages import TOO_LARGE, TooLarge, jsonl_documents
from normalise.record import Record

# One page larger than this is refused with a record error instead of exhausting memory.
MAX_PAGE_BYTES = 64 * 1024 * 1024
FORMAT_BY_SUFFIX = {".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "text", ".text": "text",
                    ".jsonl": "jsonl", ".ndjson": "jsonl"}
_SNIFF_BYTES = 64 * 1024
_DRAIN_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class InputOptions:
    """What the command line says about every input: its format and hints for single pages."""

    format: str = "auto"  # auto | html | text | jsonl
    url: str | None = None
    lang: str | None = None
    source: str | None = None
    max_page_bytes: int = MAX_PAGE_BYTES


def read_inputs(paths: list[str], opts: InputOptions) -> Iterator[InputDocument | Record]:
    """Yield documents, or ready failed records for inputs that cannot even be read."""
    for path in expand_paths(paths):
        if isinstance(path, Record):
            yield path
        elif is_url(path):  # one page fetched (httpx, under the crawler's address rule)
            try:
                yield fetch_document(path, lang=opts.lang, source=opts.source)
            except DownloadError as exc:
                yield Record.failed(path, "fetch_failed", str(exc), url=path)
        else:
            yield from _read_path(path, opts)


def _read_path(path: str, opts: InputOptions) -> Iterator[InputDocument | Record]:
    name = "<stdin>" if path == "-" else shown(path)
    try:
        if path == "-":
            with _stdin_bytes() as fh:
                yield from _read_stream(name, fh, None, opts)
        else:
            with open(path, "rb") as fh:
                yield from _read_stream(name, fh, Path(path).suffix.lower(), opts)
    except OSError as exc:
        yield Record.failed(name, "unreadable_input", f"cannot read {name}: {exc.strerror or exc}")


def _stdin_bytes() -> contextlib.AbstractContextManager[BinaryIO]:
    """stdin through a reader of its own, not sys.stdin.buffer: it may be read on a thread still
    waiting for input when the CLI exits, and the interpreter aborts at exit when a thread holds
    sys.stdin's buffer."""
    if sys.stdin is None:  # started with stdin closed (`<&-`)
        raise OSError(errno.EBADF, "stdin is closed")
    try:
        return open(sys.stdin.fileno(), "rb", closefd=False)
    except (OSError, ValueError, AttributeError):  # no file descriptor (replaced stdin)
        return contextlib.nullcontext(sys.stdin.buffer)


def read_jsonl_bytes(name: str, data: bytes, opts: InputOptions) -> Iterator[InputDocument | Record]:
    """Documents of JSON Lines already in memory (an HTTP request body), read exactly as a file is."""
    return _jsonl_documents(name, split_lines(io.BytesIO(b""), data, opts.max_page_bytes), opts)


def _jsonl_documents(name: str, lines: Iterator[bytes | TooLarge], opts: InputOptions
                     ) -> Iterator[InputDocument | Record]:
    return jsonl_documents(name, lines, opts.max_page_bytes, url=opts.url, lang=opts.lang, source=opts.source)


def sniff_format(data: bytes) -> str:
    head = data.removeprefix(codecs.BOM_UTF8).lstrip()[:2048].lower()
    if head.startswith(b"{"):
        return "jsonl"
    if looks_like_html(head):
        return "html"
    return "text"


def _read_stream(name: str, fh: BinaryIO, suffix: str | None, opts: InputOptions
                 ) -> Iterator[InputDocument | Record]:
    fmt: str | None = opts.format
    if fmt == "auto":
        fmt = FORMAT_BY_SUFFIX.get(suffix) if suffix else None
    bom, head = _byte_order_mark(fh)
    if fmt is None:
        head = _first_bytes(fh, head, opts.max_page_bytes + 1)
        fmt = "jsonl" if sniff_format(head) == "jsonl" else None  # HTML or text: told from the whole page
    if fmt == "jsonl":  # the mark is not part of the first line
        yield from _jsonl_documents(name, split_lines(fh, head, opts.max_page_bytes), opts)
        return
    # An HTML or text page keeps its mark: it says UTF-8, which the page's decoding goes by.
    data = bom + head + fh.read(opts.max_page_bytes + 1 - len(bom + head))
    if len(data) > opts.max_page_bytes:
        yield Record.failed(name, "input_too_large", f"{name} is over {opts.max_page_bytes} bytes")
        return
    if (fmt or sniff_format(data)) == "html":
        yield InputDocument(id=name, html=data, url=opts.url, lang=opts.lang, source=opts.source)
        return
    text = _decode_text(name, data)
    if isinstance(text, Record):
        yield text
    else:
        yield InputDocument(id=name, text=text, url=opts.url, lang=opts.lang, source=opts.source)


def _byte_order_mark(fh: BinaryIO) -> tuple[bytes, bytes]:
    """(the input's UTF-8 byte-order mark, or b""; the bytes read after it). Reads at most the
    mark's three bytes, as they arrive: a `{` typed first is not held back."""
    read = getattr(fh, "read1", fh.read)
    start = b""
    while len(start) < len(codecs.BOM_UTF8) and codecs.BOM_UTF8.startswith(start):
        more = read(len(codecs.BOM_UTF8) - len(start))
        if not more:
            break
        start += more
    if start.startswith(codecs.BOM_UTF8):
        return codecs.BOM_UTF8, start[len(codecs.BOM_UTF8):]
    return b"", start


def _first_bytes(fh: BinaryIO, head: bytes, limit: int) -> bytes:
    """`head` and the input's bytes after it up to its first non-space one (at most `limit`; fewer
    at its end), taken as they arrive: deciding whether it is JSON Lines never waits for more than
    one page on a pipe or terminal. An HTML or text page is read whole anyway, so sniffing it waits
    for nothing extra."""
    read = getattr(fh, "read1", fh.read)  # read1: what one read of the pipe gives, not a full buffer
    chunks = [head]
    size = len(head)
    chunk = head
    while size < limit and not chunk.strip():
        chunk = read(min(_SNIFF_BYTES, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def split_lines(fh: BinaryIO, head: bytes, limit: int) -> Iterator[bytes | TooLarge]:
    """Lines of `head` followed by the rest of `fh`, split on b"\\n" only, without the newline.

    A line longer than `limit` is read past in bounded chunks and yielded as TOO_LARGE."""
    pending = head
    while True:
        cut = pending.find(b"\n")
        if cut >= 0:
            line, pending = pending[:cut], pending[cut + 1:]
            yield line if len(line) <= limit else TOO_LARGE
            continue
        more = fh.readline(limit + 1 - len(pending)) if len(pending) <= limit else b""
        if more:
            pending += more
            continue
        if len(pending) > limit:
            _drain_line(fh)
            pending = b""
            yield TOO_LARGE
            continue
        if pending:
            yield pending
        return


def _drain_line(fh: BinaryIO) -> None:
    while chunk := fh.readline(_DRAIN_CHUNK):
        if chunk.endswith(b"\n"):
            return


def _decode_text(name: str, data: bytes) -> str | Record:
    if b"\x00" in data[:8192] and data[:8192].count(b"\x00") > 16:
        return Record.failed(name, "binary_input", f"{name} looks like binary data, not a text dump")
    try:
        return data.decode("utf-8-sig")  # a text page's mark is not part of its text
    except UnicodeDecodeError:
        from normalise.extract.decoding import decode_body

        return decode_body(data)[0]
