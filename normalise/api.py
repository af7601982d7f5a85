"""The one-call interface for library users: `normalise.normalise(page)` -> Record.

A page is HTML (bytes are decoded with their declared or detected charset) or a plain-text dump
of a page, one block per line; which one is told from its start, as the CLI does. One
Normaliser per configuration is built on first use and reused: building one loads the
lexicons, the gazetteer and the translation models, which costs far more than a page.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from normalise.config import NormaliserConfig
from normalise.extract.sniff import sniff_non_page
from normalise.inputs import InputDocument, looks_like_html
from normalise.record import Record

if TYPE_CHECKING:
    from normalise.pipeline import Normaliser

Page = str | bytes

_normalisers: dict[str, Normaliser] = {}
_lock = threading.Lock()


def _normaliser(config: NormaliserConfig | None) -> Normaliser:
    from normalise.pipeline import Normaliser

    config = config or NormaliserConfig()
    key = repr(config)  # the config is a mutable dataclass: its repr names every setting
    with _lock:
        normaliser = _normalisers.get(key)
        if normaliser is None:
            normaliser = _normalisers[key] = Normaliser(config)
    return normaliser


def document(page: Page | InputDocument, url: str | None = None, lang: str | None = None,
             id: str | None = None) -> InputDocument:
    """`page` as the normaliser's input: HTML when it looks like HTML, else a text dump. Bytes of
    another format (PDF, an image, ...) go the HTML way, whose checks name the format."""
    if isinstance(page, InputDocument):
        return page
    if not isinstance(page, (str, bytes)):
        raise TypeError(f"a page is HTML or text as str or bytes, not {type(page).__name__}")
    doc_id = id or url or "document"
    head = page[:2048].encode("utf-8", "replace") if isinstance(page, str) else page[:2048]
    if looks_like_html(head) or (isinstance(page, bytes) and sniff_non_page(head)):
        return InputDocument(id=doc_id, html=page, url=url, lang=lang)
    if isinstance(page, str):
        return InputDocument(id=doc_id, text=page, url=url, lang=lang)
    from normalise.extract.decoding import decode_body  # bs4 and charset detection: on first use

    text = decode_body(page)[0]
    return InputDocument(id=doc_id, text=text, url=url, lang=lang)


def normalise(html_or_text: Page, url: str | None = None, lang: str | None = None, *,
              config: NormaliserConfig | None = None) -> Record:
    """Clean article text, its English translation and canonical names of one page.

    `url` is recorded (and resolves relative links); `lang` is a hint, language identification
    still runs per block. A page that cannot be normalised gives a record whose `error` says why
    (never an exception for bad input). `config` defaults to `NormaliserConfig()`."""
    return _normaliser(config).normalise(document(html_or_text, url, lang))


def normalise_many(pages: Iterable[Page | InputDocument], *, config: NormaliserConfig | None = None
                   ) -> Iterator[Record]:
    """`normalise` for many pages, in input order, batched through one normaliser (translation
    batches across pages). Items are pages (str or bytes) or `InputDocument`s for per-page URLs,
    languages and source hints; plain pages get the ids "1", "2", ... in input order."""
    docs = (document(page, id=str(n)) for n, page in enumerate(pages, 1))
    return _normaliser(config).normalise_many(docs)
