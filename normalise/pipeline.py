"""The normaliser: page in, normalised record out, through the stages in normalise/stages.py.

`Normaliser.normalise_many` prepares a chunk of documents (extract, boilerplate, language),
then translates all their blocks in one batch, then unifies names and assembles records:
batching across documents is what makes translation fast.
"""
from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import lxml.html

from normalise.boilerplate import BoilerplateRemover
from normalise.config import NormaliserConfig
from normalise.extract.decoding import decode_body
from normalise.extract.ensemble import ExtractionVote
from normalise.extract.html_blocks import html_to_blocks
from normalise.extract.html_depth import (
    DEFAULT_MAX_DEPTH,
    PARSER_DEPTH_LIMIT,
    depth_limit_hit,
    flatten_deep_nesting,
)
from normalise.extract.huge_nodes import shorten_huge_nodes
from normalise.extract.metadata import extract_metadata
from normalise.extract.mojibake import repair_mojibake
from normalise.extract.sniff import sniff_non_page
from normalise.extract.text_blocks import text_to_blocks
from normalise.extract.text_stopwords import languages_by_word
from normalise.inputs import InputDocument
from normalise.langid import LanguageIdentifier
from normalise.names import NameUnifier
from normalise.names.block_languages import unconfirmed
from normalise.names.place_spelling import load_word_frequencies
from normalise.record import Block, Record
from normalise.stages import DocumentContext, TranslationJob
from normalise.translate import NoTranslator, build_translator

log = logging.getLogger(__name__)

BLOCK_SEPARATOR = "\n\n"
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _no_progress(index: int | None) -> None:
    return None


class InputError(Exception):
    """An input that cannot be normalised; `code` goes into the record's error."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class _Draft:
    record: Record
    ctx: DocumentContext
    jobs: list[TranslationJob] = field(default_factory=list)


class Normaliser:
    """Turns InputDocuments into Records: extraction, boilerplate removal, language
    identification, translation and name unification, batched across documents."""

    def __init__(self, config: NormaliserConfig | None = None, *, boilerplate=None, langid=None,
                 translator=None, names=None):
        self.config = config or NormaliserConfig()
        self.boilerplate = boilerplate or BoilerplateRemover(self.config.lexicon_paths)
        self.langid = langid or LanguageIdentifier(self.config.languages, preload=self.config.preload_models)
        if translator is None:
            translator = build_translator(self.config) if self.config.translate else NoTranslator()
        self.translator = translator
        self.names = names or NameUnifier(self.config.gazetteer_paths, world=self.config.names_world)
        # the block vote with other extractors (off by default); PeerUnavailable when a peer is not installed
        self.vote = ExtractionVote(self.config.extraction_vote) if self.config.extraction_vote != "off" else None

    # -- public API -------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load now what the first pages would otherwise load: every language model and the
        compiled gazetteer (once per process; a benchmark or a worker calls this before timing
        or serving pages)."""
        for _, load in self.warm_up_steps():
            load()

    def warm_up_steps(self) -> list[tuple[str, Callable[[], object]]]:
        """`warm_up` as (what, load) steps, most often needed first; each loads one thing once per
        process (a step already done costs nothing)."""
        steps: list[tuple[str, Callable[[], object]]] = []
        if isinstance(self.names, NameUnifier):
            steps.append(("names index", lambda: self.names.index))  # compiled on first use, then cached
            steps.append(("word frequencies (place names)", load_word_frequencies))
        steps += [("stop-word lists (text pages)", languages_by_word),
                  ("numpy (fuzzy name matching)", lambda: importlib.import_module("numpy"))]
        preload_steps, preload = getattr(self.langid, "preload_steps", None), getattr(self.langid, "preload", None)
        if preload_steps is not None:
            steps += preload_steps()
        elif preload is not None:  # a language identifier passed in that loads in one go
            steps.append(("language models", preload))
        if self.config.translate and isinstance(self.names, NameUnifier):
            steps.append(("source-language names", lambda: self.names.index.source))  # for the protector
        return steps

    def normalise(self, doc: InputDocument) -> Record:
        return next(self.normalise_many([doc]))

    def normalise_many(self, docs: Iterable[InputDocument], chunk_size: int = 16,
                       progress: Callable[[int | None], None] | None = None) -> Iterator[Record]:
        """Records in input order, one per input; a bad input yields a record with `error`.

        `progress(i)` is called as the i-th input (counted from 0) starts a stage of its own, and
        `progress(None)` as a stage working on the whole chunk at once (translation) starts: a
        caller with a per-page deadline can tell which page is taking the time."""
        report = progress or _no_progress
        it = iter(docs)
        start = 0
        while chunk := list(islice(it, chunk_size)):
            drafts = []
            for i, doc in enumerate(chunk, start):
                report(i)
                drafts.append(self._prepare_safely(doc))
            report(None)
            self._translate([d for d in drafts if d.record.error is None])
            for i, draft in enumerate(drafts, start):
                report(i)
                yield self._finish_safely(draft)
            start += len(chunk)

    # -- stages -----------------------------------------------------------------------------
    def _prepare_safely(self, doc: InputDocument) -> _Draft:
        ctx = DocumentContext(id=doc.id, url=doc.url, source=doc.source, lang_hint=doc.lang,
                              expected_languages=list(doc.expected_languages),
                              drop_selectors=list(doc.drop_selectors), is_html=doc.html is not None,
                              template_hashes=doc.template_hashes)
        identity: dict[str, Any] = dict(url=doc.url, canonical_url=doc.url, source=doc.source,
                                        fetched_at=doc.fetched_at)
        record = Record(id=doc.id, warnings=list(doc.warnings), **identity)
        jobs: list[TranslationJob] = []
        try:
            self._prepare(doc, record, ctx)
            jobs = self._plan_translation(record)
        except InputError as exc:
            record = Record.failed(doc.id, exc.code, str(exc), **identity)
        except Exception as exc:  # a bug in a stage must cost one record, not the run
            log.exception("normalising %s failed", doc.id)
            record = Record.failed(doc.id, "internal_error", f"{type(exc).__name__}: {exc}", **identity)
        return _Draft(record, ctx, jobs)

    def _prepare(self, doc: InputDocument, record: Record, ctx: DocumentContext) -> None:
        blocks, html = self._extract(doc, record, ctx)
        blocks = self.boilerplate.apply(_within_limits(blocks, self.config, record), ctx)
        if html is not None and self.vote is not None:
            self.vote.apply(blocks, html, ctx)
        record.language = self.langid.assign(blocks, ctx)
        record.blocks = blocks
        record.metadata.update(ctx.metadata)
        record.warnings.extend(ctx.warnings)
        if not any(b.kept and b.kind != "title" for b in blocks):
            record.warnings.append("no article text found")

    def _extract(self, doc: InputDocument, record: Record, ctx: DocumentContext) -> tuple[list[Block], str | None]:
        """The page's blocks, and its decoded HTML (None for a text input) for the extraction vote."""
        if doc.html is not None:
            html = doc.html
            if isinstance(html, bytes):
                if not html.strip():
                    raise InputError("empty_input", "the page body is empty")
                kind = sniff_non_page(html[:8192])
                if kind:
                    raise InputError("not_html", f"the body is {kind}, not an HTML page")
                html, encoding, warnings = decode_body(html, doc.content_type)
                record.warnings.extend(warnings)
            elif sniff_non_page(html[:8192].encode("utf-8", "replace")) == "json":
                raise InputError("not_html", "the body is json, not an HTML page")
            html = _repaired(html, record)
            # lxml refuses a str that still carries its XML declaration (XHTML pages): the bytes are decoded already.
            html = _XML_DECLARATION.sub("", html.replace("\x00", ""), count=1)
            if not html.strip():
                raise InputError("empty_input", "the page body is empty")
            root = _parse_html(html, record)
            meta = extract_metadata(root, doc.url)
            record.canonical_url = meta.canonical_url or doc.url
            record.published_at = meta.published_at
            record.authors = meta.authors
            if meta.site_name:
                ctx.metadata["site_name"] = meta.site_name
            if meta.html_lang and not ctx.lang_hint:
                ctx.metadata["html_lang"] = meta.html_lang
            blocks = html_to_blocks(root, ctx.drop_selectors)  # metadata is read: the walker may now prune the tree
            return _with_title(blocks, meta.title), html
        text = (doc.text or "").replace("\x00", "")
        if not text.strip():
            raise InputError("empty_input", "the input has no text")
        return text_to_blocks(_repaired(text, record)), None

    @staticmethod
    def _plan_translation(record: Record) -> list[TranslationJob]:
        jobs = []
        for block in record.blocks:
            if not block.kept:
                block.translation = "not_applicable"
            elif block.language == "en":
                block.translation, block.text_en = "source_english", block.text
            elif block.language in (None, "unsupported"):
                block.translation = "untranslated"
                block.translation_reason = ("language not identified" if block.language is None
                                            else "language outside the configured set")
            else:
                jobs.append(TranslationJob(record.id, block, block.language))
        return jobs

    def _translate(self, drafts: list[_Draft]) -> None:
        jobs = [job for d in drafts for job in d.jobs]
        if not jobs:
            return
        try:
            stats = self.translator.translate(jobs, self.names.protector()) or {}
        except Exception as exc:  # a broken model leaves text untranslated, never lost
            log.exception("translation failed")
            for job in jobs:
                job.block.translation = "untranslated"
                job.block.translation_reason = f"translation failed: {type(exc).__name__}: {exc}"
            stats = {}
        for d in drafts:
            d.record.translation["models"] = sorted(set(stats.get("models", [])) & {
                b.model for b in d.record.blocks if b.model})
            d.record.translation["cached_sentences"] = stats.get("cached_by_doc", {}).get(d.record.id, 0)

    def _finish_safely(self, draft: _Draft) -> Record:
        record = draft.record
        if record.error is not None:
            return record
        try:
            self._finish(record, draft.ctx)
        except Exception as exc:
            log.exception("finishing %s failed", record.id)
            record.warnings.append(f"name unification failed: {type(exc).__name__}: {exc}")
            _assemble(record)
        return record

    def _finish(self, record: Record, ctx: DocumentContext) -> None:
        kept = record.kept_blocks
        for block in kept:
            if block.text_en is None:  # untranslated: the original stands in, flagged on the block
                block.text_en = block.text
        languages = [_text_language(b, record.language, ctx.lang_hint) for b in kept]
        unified, candidates = self.names.unify_blocks([b.text_en or "" for b in kept], ctx, languages)
        record.name_candidates = candidates
        changes_by_block = {}
        for block, (text_en, changes) in zip(kept, unified, strict=False):
            block.text_en = text_en
            changes_by_block[block.position] = changes
        _assemble(record, changes_by_block)


def _text_language(block: Block, doc_language: str | None, hint: str | None) -> str | None:
    """The language of the text the names stage gets for this block: "en" for English and
    translated text; an untranslated block's own when the document is identified as in it and no
    hint names another. An untranslated block of another language than its page's (a German quote
    on an English page, translation off or its model failed) is langid's verdict on one block,
    often wrong for a short line ("They met in Kiew." reads as German): it goes as unconfirmed, and
    the stage reads it in that language only when the block's stop words agree. An untranslated
    block of a language outside the configured set is "unsupported" in any document: the stage
    reads it in the language its stop words name, or as English when they name none
    (names.block_languages)."""
    if block.translation != "untranslated" or block.language is None:
        return "en"
    if block.language == "unsupported" or (block.language == doc_language and not (hint and hint != block.language)):
        return block.language
    return unconfirmed(block.language)


def _repaired(text: str, record: Record) -> str:
    """The text, or its repair when it arrived as mojibake (extract/mojibake.py), with a warning."""
    repair = repair_mojibake(text)
    if repair is None:
        return text
    record.warnings.append(repair.warning())
    return repair.text


def _parse_html(html: str, record: Record):
    """The parsed root (lxml); a page nested deeper than libxml2 goes is flattened first,
    because the parser would otherwise drop everything after the limit (see html_depth.py).
    Single nodes too large for the parser are shortened first, for the same reason (huge_nodes.py)."""
    html, notes = shorten_huge_nodes(html)
    record.warnings.extend(notes)
    for max_depth in (None, DEFAULT_MAX_DEPTH, 64):
        if max_depth is not None:
            html, removed = flatten_deep_nesting(html, max_depth)
            record.warnings.append(f"HTML nested deeper than {PARSER_DEPTH_LIMIT} levels: {removed} tags below "
                                   f"level {max_depth} removed so their text is kept")
        parser = _html_parser()
        try:
            root = lxml.html.document_fromstring(html, parser=parser)
        except (ValueError, lxml.etree.ParserError) as exc:
            raise InputError("unparseable_html", f"HTML could not be parsed: {exc}") from exc
        if not depth_limit_hit(parser):
            return root
    record.warnings.append("HTML still too deeply nested after flattening; text past the limit may be missing")
    return root


def _html_parser() -> lxml.etree.HTMLParser:
    """lxml.html's parser with its element classes chosen in C: lxml.html's own lookup is a Python
    call for every element the walk touches (about 1% of a page's time). Elements are HtmlElement
    (form controls too: nothing here uses their form API), comments HtmlComment."""
    parser = lxml.etree.HTMLParser()
    parser.set_element_class_lookup(_HTML_CLASSES)
    return parser


_HTML_CLASSES = lxml.etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity)


def _within_limits(blocks: list[Block], config: NormaliserConfig, record: Record) -> list[Block]:
    """The page's first blocks, up to `max_blocks` and `max_text_chars`; what is cut is said in a warning."""
    total = 0
    for count, block in enumerate(blocks):
        total += len(block.text)
        if count >= config.max_blocks or total > config.max_text_chars:
            record.warnings.append(
                f"page truncated: kept the first {count} of {len(blocks)} blocks (limits: "
                f"max_blocks {config.max_blocks}, max_text_chars {config.max_text_chars})")
            return blocks[:count]
    return blocks


def _with_title(blocks: list[Block], title: str | None) -> list[Block]:
    """Make sure the page title is a block of kind "title" at the top (it must be cleaned and translated too)."""
    if not title:
        return blocks
    for block in blocks[:5]:
        if block.kind == "heading" and block.text == title:
            block.kind = "title"
            return blocks
    out = [Block(text=title, kind="title", position=0)]
    for block in blocks:
        block.position += 1
        out.append(block)
    return out


def _assemble(record: Record, changes_by_block: dict | None = None) -> None:
    """Fill title/text/text_en and the name spans (relative to text_en / title_en) from the blocks."""
    changes_by_block = changes_by_block or {}
    record.names = []
    body, body_en = [], []
    offset = 0
    for block in record.kept_blocks:
        changes = changes_by_block.get(block.position, [])
        if block.kind == "title" and record.title is None:
            record.title, record.title_en = block.text, block.text_en
            for ch in changes:
                ch.field, ch.block = "title_en", block.position
                record.names.append(ch)
            continue
        body.append(block.text)
        text_en = block.text_en if block.text_en is not None else block.text
        for ch in changes:
            ch.start += offset
            ch.end += offset
            ch.field, ch.block = "text_en", block.position
            record.names.append(ch)
        body_en.append(text_en)
        offset += len(text_en) + len(BLOCK_SEPARATOR)
    record.text = BLOCK_SEPARATOR.join(body)
    record.text_en = BLOCK_SEPARATOR.join(body_en)
    blocks = record.blocks
    record.translation["translated_blocks"] = sum(b.translation == "translated" for b in blocks)
    record.translation["untranslated_blocks"] = sum(b.translation == "untranslated" for b in blocks)
