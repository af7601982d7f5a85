"""One JSON Lines line -> one InputDocument, or a failed Record that says what is wrong with it.

A line is one page: `{"id"?, "html" | "text", "url"?, "lang"?, "source"?}`. Anything the
normaliser could not take as it is (a value of the wrong type, an unpaired surrogate, NaN) fails
that line alone with `invalid_jsonl`, instead of being stringified or crashing a later stage.
Stray bytes that are not UTF-8 are read as cp1252, as in an HTML page, and the record says so:
the page is kept, not lost for one pasted character.
"""
from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from normalise.config import DEFAULT_LANGUAGES
from normalise.extract.decoding import utf8_with_stray_bytes
from normalise.inputs import InputDocument
from normalise.record import Record


class TooLarge:
    """Marks a line over the size limit (its bytes were skipped, not kept)."""


TOO_LARGE = TooLarge()
_STRING_FIELDS = ("html", "text", "url", "lang", "source")
_SURROGATE = re.compile("[\ud800-\udfff]")


class _BadLine(ValueError):
    """Why a line is not a page; the message follows "line N"."""


def jsonl_documents(name: str, lines: Iterable[bytes | TooLarge], max_page_bytes: int, *,
                    url: str | None = None, lang: str | None = None, source: str | None = None,
                    languages: Sequence[str] = DEFAULT_LANGUAGES) -> Iterator[InputDocument | Record]:
    """One item per non-blank line, in order; `url`, `lang`, `source` fill in what a line lacks.
    A line's own `lang` must be one of `languages` (as --lang must)."""
    for lineno, raw in enumerate(lines, 1):
        where = f"{name}:{lineno}"
        if isinstance(raw, TooLarge):
            yield Record.failed(where, "input_too_large", f"line {lineno} is over {max_page_bytes} bytes")
            continue
        if not raw.removeprefix(codecs.BOM_UTF8).strip():  # blank, or a mark alone (an empty file's)
            continue
        escaped = b"\\u" in raw  # a surrogate can only come from an escape: no search without one
        line, note = _decode(raw)
        try:
            obj = _object(line)
            doc_id = _id(obj, escaped) or where
        except _BadLine as exc:
            yield Record.failed(where, "invalid_jsonl", f"line {lineno} {exc}")
            continue
        try:
            doc = _document(doc_id, obj, escaped, languages, url, lang, source)
            if note:
                doc.warnings.append(f"line {lineno} {note}")
            yield doc
        except _BadLine as exc:
            yield Record.failed(doc_id, "invalid_jsonl", f"line {lineno} {exc}")


def _decode(raw: bytes) -> tuple[str, str | None]:
    """The line as text, and a note when some of its bytes were not UTF-8."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        text, stray, _ = utf8_with_stray_bytes(raw)
        return text, (f"held {stray} byte(s) that are not UTF-8 (the first 0x{raw[exc.start]:02x} at "
                      f"offset {exc.start}), read as cp1252")


def _object(line: str) -> dict[str, Any]:
    try:
        # A mark at the start of a line: files with one each, concatenated (`cat a.jsonl b.jsonl`).
        obj = json.loads(line.removeprefix("\ufeff"), parse_constant=_no_constant)
    except ValueError as exc:
        raise _BadLine(f"is not valid JSON: {exc}") from None
    except RecursionError:  # [[[[...]]]] 100k deep: one bad line, not the end of the run
        raise _BadLine("is nested too deeply to read") from None
    if not isinstance(obj, dict):
        raise _BadLine(f"is not a JSON object but {_json_type(obj)}")
    return obj


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _id(obj: dict[str, Any], escaped: bool) -> str | None:
    """The line's own id: a string or an integer; missing, null or "" means none."""
    value = obj.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if value is None or isinstance(value, str):
        if escaped:
            _check_unicode("id", value)
        return value or None
    raise _BadLine(f"has an 'id' that is {_json_type(value)}, not a string or an integer")


def _document(doc_id: str, obj: dict[str, Any], escaped: bool, languages: Sequence[str],
              url: str | None, lang: str | None, source: str | None) -> InputDocument:
    for key in _STRING_FIELDS:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise _BadLine(f"has a '{key}' that is {_json_type(value)}, not a string")
        if escaped:
            _check_unicode(key, value)
    html, text = obj.get("html"), obj.get("text")
    if html is None and text is None:
        raise _BadLine("has neither 'html' nor 'text'")
    if obj.get("lang") and obj["lang"] not in languages:
        raise _BadLine(f"has an unknown 'lang' {obj['lang']!r}; configured languages: {', '.join(languages)}")
    # html wins when a line has both (the text is then often a copy extracted from it).
    return InputDocument(id=doc_id, html=html, text=text if html is None else None,
                         url=obj.get("url") or url, lang=obj.get("lang") or lang, source=obj.get("source") or source)


def _check_unicode(key: str, value: str | None) -> None:
    # JSON can spell a lone surrogate ("\ud800"); no UTF-8 output or later stage can hold one.
    if value and (found := _SURROGATE.search(value)):
        raise _BadLine(f"has an unpaired surrogate \\u{ord(found.group()):04x} in '{key}' "
                       f"(at character {found.start()}), which is not Unicode text")


def _json_type(value: Any) -> str:
    for kind, name in ((bool, "a boolean"), ((int, float), "a number"), (dict, "an object"), (list, "an array"),
                       (str, "a string")):
        if isinstance(value, kind):
            return name
    return "null"
