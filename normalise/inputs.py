"""What the normaliser accepts: one InputDocument per page, from the crawler or from files."""
from __future__ import annotations

import codecs
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class InputDocument:
    id: str
    html: str | bytes | None = None  # a page; bytes are decoded with the declared/detected charset
    text: str | None = None  # or a plain-text dump of a page, one block per line
    url: str | None = None
    source: str | None = None
    fetched_at: str | None = None
    lang: str | None = None  # a hint; language identification still runs per block
    content_type: str | None = None
    expected_languages: list[str] = field(default_factory=list)
    drop_selectors: list[str] = field(default_factory=list)
    template_hashes: frozenset[str] = frozenset()
    warnings: list[str] = field(default_factory=list)  # what reading the input changed: into its record


def page_bytes(item: object) -> int:
    """The memory a page's content holds (0 for anything that is not an InputDocument, such as a
    failed record): what bounds the pages read ahead and batched together."""
    if not isinstance(item, InputDocument):
        return 0
    return sum(sys.getsizeof(x) for x in (item.html, item.text) if x is not None)


_HTML_STARTS = (b"<!doctype", b"<html", b"<?xml")
_HTML_TAGS = (b"<body", b"<p>", b"<div")


def looks_like_html(head: bytes) -> bool:
    """Is this the start of an HTML page (rather than a plain-text dump)?"""
    head = head.removeprefix(codecs.BOM_UTF8).lstrip()[:2048].lower()
    return head.startswith(_HTML_STARTS) or any(tag in head for tag in _HTML_TAGS)


class SourceHints(Protocol):
    """What the crawler knows of a page's outlet (crawler.discovery.sources.Source has both)."""

    @property
    def languages(self) -> Sequence[str]: ...

    @property
    def drop_selectors(self) -> Sequence[str]: ...


def page_document(url: str, html: str | bytes, *, source: str | None = None, fetched_at: str | None = None,
                  content_type: str | None = None, hints: SourceHints | None = None,
                  template_hashes: frozenset[str] = frozenset()) -> InputDocument:
    """A fetched page as the normaliser takes it: the one construction used by the crawl and by
    re-normalisation, so both give the normaliser the same facts about the same page."""
    return InputDocument(
        id=url, html=html, url=url, source=source, fetched_at=fetched_at, content_type=content_type,
        expected_languages=list(hints.languages) if hints else [],
        drop_selectors=list(hints.drop_selectors) if hints else [],
        template_hashes=template_hashes)
