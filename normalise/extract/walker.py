"""Walk a parsed HTML page and collect its text blocks in reading order (nothing is thrown away).

Each block keeps its chain of block-level ancestors; each of those elements gets the structural
facts its tag, class, id, role and itemprop suggest (ElementInfo, from structure_hints.yaml).
Container choice (container.py) and block hints (html_blocks.py) work from this walk.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

import lxml.html
from lxml import etree

from normalise.extract.structure import StructureHints, load_structure_hints
from normalise.extract.tuning import TUNING

log = logging.getLogger(__name__)

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol p "
    "pre section summary table tbody td tfoot th thead tr ul".split())
# Elements whose text is never page text a reader sees as prose.
_SKIP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas",
              "button", "select", "option", "textarea", "head", "math", "map", "rt", "rp")
# Skipped elements a reader sees as boxes (not scripts/styles): text around them must not be glued.
_VISIBLE_SKIPPED = ("svg", "iframe", "object", "embed", "canvas", "button", "select", "textarea", "math", "map")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
# Hidden elements. Written as a union so that the style tests run only on elements that have a
# style (most have none): the same set, ~40% less time than one predicate over every element.
_HIDDEN_XPATH = ("//*[@hidden] | //*[@style][contains(translate(@style, ' ', ''), 'display:none')"
                 " or contains(translate(@style, ' ', ''), 'visibility:hidden')]")
_CELL_TAGS = frozenset(("td", "th"))
ARTICLE_ITEMPROPS = frozenset(("articleBody", "articlebody", "text"))
_DROP_ATTR = "data-normalise-drop"
_HIDDEN_ATTR = "data-normalise-hidden"


@dataclass
class ElementInfo:
    hint_reason: str | None
    hint_detail: str | None
    class_weight: int
    is_caption: bool
    drop_selector: str | None
    hidden: bool
    chrome: bool = False  # a chrome tag or a class/id/role hint with no article-like token: not a container
    is_lead: bool = False  # class/id of a lead / standfirst paragraph
    is_media: bool = False  # class/id of a picture or video frame ("image", "photo", "media")


# Chrome tags whose whole subtree never scores as the article (a live blog in an <aside>).
CHROME_TAGS = frozenset(("nav", "aside", "footer"))


@dataclass
class RawBlock:
    text: str
    chain: tuple  # block-level ancestors, outermost first; chain[-1] owns the text
    chars: int  # non-space characters
    link_chars: int
    length: int  # effective_length(text), computed once (see _raw_block)
    prose: bool  # long with few links, computed once: both are asked many times per block


@dataclass
class Walk:
    """A walked page: its blocks, the facts of each block-level element, and each element's
    parent among them (in push order: every element after its ancestors)."""

    raws: list[RawBlock] = field(default_factory=list)
    infos: dict = field(default_factory=dict)
    parents: dict = field(default_factory=dict)


def _raw_block(text: str, chain: tuple, chars: int, link_chars: int) -> RawBlock:
    length = effective_length(text)
    return RawBlock(text, chain, chars, link_chars, length,
                    link_chars < TUNING.prose_max_link_share * chars and length >= TUNING.prose_min_length)


def walk_html(html, drop_selectors: list[str] | None = None) -> Walk:
    """Parse (str, bytes or an already parsed lxml element), clean and walk a page. Elements matched
    by one of `drop_selectors` (per-site CSS hints) and hidden elements are marked, not removed."""
    root = _parse(html)
    hints_data = load_structure_hints()
    _prepare(root)
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, *_SKIP_TAGS, with_tail=False)
    marked = set(root.xpath(_HIDDEN_XPATH))  # hidden or dropped elements, for the walk
    for el in marked:
        el.set(_HIDDEN_ATTR, "1")
    for selector in drop_selectors or []:
        try:
            matched = root.cssselect(selector)
        except Exception as exc:  # cssselect raises several error types for bad selectors
            log.warning("ignoring invalid drop selector %r: %s", selector, exc)
            continue
        for el in matched:
            el.set(_DROP_ATTR, selector)
            marked.add(el)
    body = root.find("body")
    if body is None:
        body = root
    walk = Walk()
    walk.raws = _walk(body, walk, hints_data, marked)
    return walk


_TEMPLATE_TYPES = frozenset(("text/template", "text/x-template", "text/html"))


def _prepare(root) -> None:
    """One pass over the tree (each pass costs a few tenths of a millisecond on a news page): HTML
    templates kept in scripts are inlined, a <noscript> that swallowed the page is unwrapped, and
    skipped widgets get a space after them (a removed widget still separates the words around it)."""
    templates, noscripts = [], []
    for el in root.iter("script", "noscript", *_VISIBLE_SKIPPED):
        tag = el.tag
        if tag == "script":
            if (el.get("type") or "").strip().lower() in _TEMPLATE_TYPES:
                templates.append(el)
        elif tag == "noscript":
            if len(el):
                noscripts.append(el)
        else:
            el.tail = " " + el.tail if el.tail else " "
    for script in templates:
        holder = _inline_html_template(script)
        if holder is not None:
            for el in holder.iter(*_VISIBLE_SKIPPED):
                el.tail = " " + el.tail if el.tail else " "
    if noscripts:
        _unwrap_swallowing_noscript(root, noscripts)


def _inline_html_template(script):
    """Markup a page keeps in a <script type="text/template"> and renders with JavaScript (a blog
    whose post body sits in one) is page text: parse it in place of the script (the new element)."""
    markup = script.text or ""
    start = markup.lstrip()[:2]
    if start[:1] != "<" or start == "<!" or ("<p" not in markup and "<br" not in markup):
        return None  # JSON data or widget templates without paragraphs stay scripts (and are skipped)
    try:
        parts = lxml.html.fragments_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None  # unparseable template: it stays a script and is skipped like one
    holder = lxml.html.Element("div")
    if parts and isinstance(parts[0], str):
        holder.text, parts = parts[0], parts[1:]
    holder.extend(parts)
    holder.tail = script.tail
    script.getparent().replace(script, holder)
    return holder


def _unwrap_swallowing_noscript(root, noscripts: list) -> None:
    """A <noscript> left open by a stray tag inside it ("<noscript><div></noscript>") swallows the
    rest of the page when parsed: one holding most of the body's text is the page, so its
    tag is dropped and its content kept (a real fallback notice is a line or a pixel)."""
    big = [el for el in noscripts if len(el.text_content()) > 1000]
    if not big:
        return
    body = root.find("body")
    total = len((body if body is not None else root).text_content())
    for el in big:
        if len(el.text_content()) > 0.5 * total:
            el.drop_tag()


def _parse(html) -> etree._Element:
    if isinstance(html, etree._Element):
        return html
    try:
        return lxml.html.document_fromstring(html)
    except ValueError:  # a str with an XML encoding declaration: lxml wants bytes then
        return lxml.html.document_fromstring(html.encode("utf-8"),
                                             parser=lxml.html.HTMLParser(encoding="utf-8"))


def _element_info(el, hints: StructureHints) -> ElementInfo:
    items = el.items()  # one call instead of six attribute look-ups; many elements have none
    if not items:
        return _info_for(el.tag, None, None, None, None, None, False, hints)
    get = dict(items).get
    return _info_for(el.tag, get("class"), get("id"), get("role"), get("itemprop"), get(_DROP_ATTR),
                     get(_HIDDEN_ATTR) is not None, hints)


@lru_cache(maxsize=16384)
def _info_for(tag, cls, id_, role, itemprop, drop_selector, hidden, hints: StructureHints) -> ElementInfo:
    """One shared (read-only) ElementInfo per attribute combination: pages repeat a few hundred."""
    hint_reason, hint_detail, weight, is_caption, is_lead, is_media = _attribute_hints(tag, cls, id_, role, hints)
    if itemprop in ARTICLE_ITEMPROPS:  # schema.org microdata naming the article body
        weight += TUNING.article_itemprop_bonus
    chrome = hint_reason not in (None, "paywall") and (tag in CHROME_TAGS or weight < 0)
    return ElementInfo(hint_reason, hint_detail, weight, is_caption, drop_selector=drop_selector,
                        hidden=hidden, chrome=chrome, is_lead=is_lead and not hint_reason, is_media=is_media)


@lru_cache(maxsize=8192)
def _attribute_hints(tag: str, cls: str | None, id_: str | None, role: str | None, hints: StructureHints):
    """(reason, detail, class weight, is caption, is lead, is media) for one tag/class/id/role combination (cached:
    pages and sites repeat the same few hundred combinations)."""
    attrs = " ".join(filter(None, (cls, id_)))
    tokens = hints.tokens(attrs)
    if not tokens:
        tag_reason = hints.tags.get(tag)
        if tag_reason:
            return tag_reason, f"<{tag}>", 0, False, False, False
        if role and role in hints.roles:
            return hints.roles[role], f'role="{role}"', 0, False, False, False
        return None, None, 0, False, False, False
    reason = detail = None
    token_reason = hints.reason_for(tokens)
    tag_reason = hints.tags.get(tag)
    if tag_reason:
        reason, detail = tag_reason, f"<{tag}>"
    elif role and role in hints.roles:
        reason, detail = hints.roles[role], f'role="{role}"'
    elif tag != "tr" and token_reason:  # a table row's class names its data ("player-580"), not chrome
        reason, detail = token_reason, f'class/id="{" ".join(attrs.split())[:80]}"'
    return (reason, detail, hints.class_weight(tokens, token_reason or ""), hints.is_caption(tokens),
            hints.is_lead(tokens), hints.is_media(tokens))


def _walk(body, walk: Walk, hints: StructureHints, marked: set) -> list[RawBlock]:
    """Raw blocks in reading order; fills walk.infos (each block-level element's ElementInfo) and
    walk.parents (in push order, its parent among them)."""
    infos, parents = walk.infos, walk.parents
    raws: list[RawBlock] = []
    stack: list = []
    buf: list[str] = []
    link_chars = 0  # non-space characters of the pending text inside links
    in_link = 0

    def flush() -> None:
        nonlocal link_chars
        if buf:
            joined = "".join(buf)
            text = " ".join(joined.split())
            if text and stack:
                raws.append(_raw_block(text, tuple(stack), max(_non_space(joined), 1), link_chars))
            buf.clear()
            link_chars = 0

    cells = _data_row_cells(body)
    # The loop runs once per start and end of every element: text and tail are read once each and
    # appended inline (a helper call per piece of text cost a tenth of the walk).
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag
        if tag in _CELL_TAGS and el in cells:  # a cell of a data row: part of the row's block
            buf.append(" ")
            piece = el.text if event == "start" else el.tail
            if piece:
                buf.append(piece)
                if in_link:
                    link_chars += _non_space(piece)
            continue
        if event == "start":
            # a block element, or an inline one marked for dropping: a frame of its own
            if tag in _BLOCK_TAGS or (tag != "a" and el in marked):
                if buf:  # (most block boundaries have no text pending)
                    flush()
                parents[el] = stack[-1] if stack else None
                stack.append(el)
                if el not in infos:
                    infos[el] = _element_info(el, hints)
            elif tag == "a":
                in_link += 1
            piece = el.text
        else:
            if tag in _BLOCK_TAGS or (stack and stack[-1] is el):
                if buf:
                    flush()
                stack.pop()
            elif tag == "a":
                in_link -= 1
            piece = el.tail
        if piece:
            buf.append(piece)
            if in_link:  # (the block's own count is taken once, in flush)
                link_chars += _non_space(piece)
    flush()
    return raws


def _non_space(text: str) -> int:
    """Characters other than ASCII spaces, tabs and line breaks."""
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t") - text.count("\r")


def _data_row_cells(body) -> set:
    """Cells of table rows that hold data (several short cells without block markup): such a row
    reads as one block ("1 Kyle Busch 5040 5"), not one block per number. Layout tables (cells
    holding paragraphs or long text) keep one block per cell."""
    cells: set = set()
    for row in body.iter("tr"):
        row_cells = [c for c in row if c.tag in ("td", "th")]
        if len(row_cells) < 2:
            continue
        if all(len(c.text_content()) <= TUNING.data_cell_chars and not any(
                d.tag in _BLOCK_TAGS for d in c.iterdescendants()) for c in row_cells):
            cells.update(row_cells)
    return cells


def effective_length(text: str) -> int:
    """Characters, with each CJK character counted as a short word (about three letters)."""
    return len(text) + 2 * len(_CJK.findall(text))

