"""Parse untrusted XML (sitemaps, feeds) safely and in a stream.

No entity expansion, no DTD loading, no network, no huge-tree mode, and gzip bodies are
inflated only up to a limit: a billion-laughs document, an external entity or a gzip bomb
ends as a `FeedError` with a reason code instead of exhausting memory.
"""
from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

from lxml import etree

GZIP_MAGIC = b"\x1f\x8b"


class FeedError(ValueError):
    """An XML document we refuse or cannot read; `code` is the recorded skip reason."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def gunzip_limited(data: bytes, max_size: int) -> bytes:
    """Inflate every member of a gzip stream (a concatenation of gzip files is one valid gzip
    file, and some sitemap generators append), refusing output past `max_size` bytes."""
    out = bytearray()
    rest = data
    while True:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(rest, max_size + 1 - len(out))
        except zlib.error as exc:
            raise FeedError("bad_gzip", f"gzip data is corrupt: {exc}") from None
        if len(out) > max_size or inflater.unconsumed_tail:
            raise FeedError("too_large", f"gzip data expands past {max_size} bytes")
        if not inflater.eof:
            raise FeedError("bad_gzip", "gzip data is truncated")
        rest = inflater.unused_data
        if not rest.startswith(GZIP_MAGIC):  # trailing zero padding after the last member is legal
            return bytes(out)


def prepare(body: bytes, max_size: int) -> bytes:
    """The XML bytes of a possibly gzipped body, refusing entity declarations."""
    if body.startswith(GZIP_MAGIC):
        body = gunzip_limited(body, max_size)
    elif len(body) > max_size:
        raise FeedError("too_large", f"document is over {max_size} bytes")
    if not body.strip():
        raise FeedError("empty_input", "the document is empty")
    # Sitemaps and feeds never need a DTD; entity declarations are how XML bombs start.
    head = body[:65536]
    if b"<!ENTITY" in head or b"<!entity" in head:
        raise FeedError("xml_entities", "document declares XML entities (refused: entity expansion attack)")
    return body


def local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def iter_elements(xml: bytes, tags: set[str]) -> Iterator[tuple[str, etree._Element]]:
    """Yield (root local name, element) for each element whose local name is in `tags`,
    clearing elements as it goes so memory stays flat on 100k-entry sitemaps."""
    events = etree.iterparse(io.BytesIO(xml), events=("start", "end"), resolve_entities=False,
                             no_network=True, huge_tree=False, load_dtd=False, remove_comments=True,
                             remove_pis=True)
    root_name = None
    depth = 0
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                if root_name is None:
                    root_name = local(element.tag)
                    _refuse_entity_declarations(element)
                continue
            depth -= 1
            name = local(element.tag)
            if name in tags:
                yield root_name or "", element
                element.clear(keep_tail=False)
                while element.getprevious() is not None:  # drop finished siblings
                    del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise FeedError("bad_xml", f"not well-formed XML: {exc}") from None


def _refuse_entity_declarations(root) -> None:
    """The byte check in `prepare` misses a DTD pushed past its window or written in UTF-16; the
    parsed DTD does not. Checked at the root's start, before any entity is referenced."""
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and next(dtd.iterentities(), None) is not None:
        raise FeedError("xml_entities", "document declares XML entities (refused: entity expansion attack)")


def text_of(element, name: str) -> str | None:
    """Text of the first descendant with local name `name` (namespace-agnostic)."""
    for child in element.iter():
        if local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None
