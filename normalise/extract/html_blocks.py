"""Walk an HTML document and emit its text blocks in reading order, with a kind for each.

Every piece of visible text becomes a block (nothing is thrown away here); the extractor
also picks the element that most likely holds the article (readability-style scoring of
text, commas, link density and class/id hints) and notes, on each block, whether it lies
inside that container and which structural hint (tag, class, id, role) marks it as chrome.
The boilerplate remover turns those notes into removal reasons (normalise/extract/hints.py).
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import lxml.html
from lxml import etree

from normalise.extract.hints import BlockHints, get_hints, set_hints
from normalise.extract.structure import StructureHints, load_structure_hints
from normalise.langid.scripts import SENTENCE_MARKS, cjk_count, ending_with
from normalise.record import Block

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
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_LIST_TAGS = frozenset(("li", "dt", "dd", "ul", "ol", "dl"))
# Block owners whose score goes to their parent (they are paragraphs, not containers).
_PARAGRAPH_OWNERS = frozenset(("tr", "p", "pre", "td", "blockquote", "dd", "dt", "li", "figcaption", "h1", "h2",
                               "h3", "h4", "h5", "h6", "th", "caption", "address", "summary"))
_TAG_WEIGHT = {"div": 5, "article": 8, "main": 5, "section": 2, "pre": 3, "td": 3, "blockquote": 3,
               "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3,
               "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5, "nav": -25,
               "aside": -25, "footer": -25, "header": -10}
_DATA_CELL_CHARS = 200  # longest cell text of a data-table row
# A class-named caption holding more text than this is a wrapper whose class list merely mentions
# captions (a <body> carrying feature flags like "no-caption"), not a caption.
_CAPTION_MAX_CHARS = 1000
_COMMAS = re.compile(r"[,，、،;；]")
_HIDDEN_XPATH = ("//*[@hidden or contains(translate(@style, ' ', ''), 'display:none')"
                 " or contains(translate(@style, ' ', ''), 'visibility:hidden')]")
_ARTICLE_ITEMPROPS = frozenset(("articleBody", "articlebody", "text"))
_DROP_ATTR = "data-normalise-drop"
_HIDDEN_ATTR = "data-normalise-hidden"


@dataclass
class _ElementInfo:
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
_CHROME_TAGS = frozenset(("nav", "aside", "footer"))
# Hint reasons for short chrome: an element with one of them that is full of prose is misnamed.
_SHORT_CHROME = frozenset(("navigation", "widget", "advert", "login_form", "section_tag"))


@dataclass
class _RawBlock:
    text: str
    chain: tuple  # block-level ancestors, outermost first; chain[-1] owns the text
    chars: int  # non-space characters
    link_chars: int
    length: int  # _effective_length(text), computed once (see _raw_block)
    prose: bool  # _is_prose(self), computed once: both are asked many times per block


def _raw_block(text: str, chain: tuple, chars: int, link_chars: int) -> _RawBlock:
    length = _effective_length(text)
    return _RawBlock(text, chain, chars, link_chars, length, link_chars < 0.25 * chars and length >= 80)


def html_to_blocks(html, drop_selectors: list[str] | None = None) -> list[Block]:
    """Blocks of an HTML page (str, bytes or an already parsed lxml element), in reading order.

    Blocks inside an element matched by one of `drop_selectors` (per-site CSS hints) come back
    already marked removed="site_selector"; every block carries BlockHints for the remover.
    """
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
    infos: dict = {}
    parents: dict = {}
    raws = _walk(body, infos, hints_data, marked, parents)
    return _to_blocks(raws, infos, parents)


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


def _element_info(el, hints: StructureHints) -> _ElementInfo:
    items = el.items()  # one call instead of six attribute look-ups; many elements have none
    if not items:
        return _info_for(el.tag, None, None, None, None, None, False, hints)
    get = dict(items).get
    return _info_for(el.tag, get("class"), get("id"), get("role"), get("itemprop"), get(_DROP_ATTR),
                     get(_HIDDEN_ATTR) is not None, hints)


@lru_cache(maxsize=16384)
def _info_for(tag, cls, id_, role, itemprop, drop_selector, hidden, hints: StructureHints) -> _ElementInfo:
    """One shared (read-only) _ElementInfo per attribute combination: pages repeat a few hundred."""
    hint_reason, hint_detail, weight, is_caption, is_lead, is_media = _attribute_hints(tag, cls, id_, role, hints)
    if itemprop in _ARTICLE_ITEMPROPS:  # schema.org microdata naming the article body
        weight += 50
    chrome = hint_reason not in (None, "paywall") and (tag in _CHROME_TAGS or weight < 0)
    return _ElementInfo(hint_reason, hint_detail, weight, is_caption, drop_selector=drop_selector,
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


def _walk(body, infos: dict, hints: StructureHints, marked: set = frozenset(),
          parents: dict | None = None) -> list[_RawBlock]:
    """Raw blocks in reading order; `infos` gets each block-level element's _ElementInfo and
    `parents` (in push order) its parent among them."""
    if parents is None:
        parents = {}
    raws: list[_RawBlock] = []
    stack: list = []
    buf: list[str] = []
    counts = [0, 0]  # non-space chars, of which inside links
    in_link = 0

    def add(text: str) -> None:
        buf.append(text)
        if in_link:  # (the block's own count is taken once, in flush)
            counts[1] += len(text) - text.count(" ") - text.count("\n") - text.count("\t") - text.count("\r")

    def flush() -> None:
        if buf:
            joined = "".join(buf)
            text = " ".join(joined.split())
            if text and stack:
                raws.append(_raw_block(text, tuple(stack), max(_non_space(joined), 1), counts[1]))
            buf.clear()
            counts[1] = 0

    cells = _data_row_cells(body)
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag
        if tag in ("td", "th") and el in cells:  # a cell of a data row: part of the row's block
            add(" ")
            if event == "start" and el.text:
                add(el.text)
            elif event == "end" and el.tail:
                add(el.tail)
            continue
        if event == "start":
            if tag in _BLOCK_TAGS:
                if buf:  # (most block boundaries have no text pending)
                    flush()
                parents[el] = stack[-1] if stack else None
                stack.append(el)
                if el not in infos:
                    infos[el] = _element_info(el, hints)
            elif tag == "a":
                in_link += 1
            elif el in marked:
                # an inline element marked for dropping: give it a frame of its own
                if buf:
                    flush()
                parents[el] = stack[-1] if stack else None
                stack.append(el)
                infos[el] = _element_info(el, hints)
            if el.text:
                add(el.text)
        else:
            if tag in _BLOCK_TAGS or (stack and stack[-1] is el):
                if buf:
                    flush()
                stack.pop()
            elif tag == "a":
                in_link -= 1
            if el.tail:
                add(el.tail)
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
        if all(len(c.text_content()) <= _DATA_CELL_CHARS and not any(
                d.tag in _BLOCK_TAGS for d in c.iterdescendants()) for c in row_cells):
            cells.update(row_cells)
    return cells


def _effective_length(text: str) -> int:
    """Characters, with each CJK character counted as a short word (about three letters)."""
    return len(text) + 2 * cjk_count(text)


def _choose_container(raws: list[_RawBlock], infos: dict, parents: dict):
    """Readability-style choice of the article container: (elements kept, best-scoring element,
    text and prose sizes, elements whose hint does not count, chrome mode): chrome mode is
    "left_out" (chrome did not score), "none" (the page has no chrome), "is_content" (comment
    chrome holds nearly all the prose: a forum thread or live ticker whose posts are named
    "comment") or "fallback" (other chrome holds nearly all of it).

    Text under chrome (comments, related lists, <aside> live blogs, ...) does not score: a long
    comment thread must not outweigh a short article. When that leaves too little prose (a page
    wrapped in <form>, a forum whose posts are "comments"), everything scores.
    """
    # Hidden text and text the site's own selectors drop cannot be the article.
    gone = {el for el, info in infos.items() if info.hidden or info.drop_selector}
    if gone:
        raws = [raw for raw in raws if gone.isdisjoint(raw.chain)]
    size, links, prose = _sizes(raws, parents)
    exempt = _exempt_hints(raws, size, links, prose, infos)
    chrome = {el for el, info in infos.items() if info.chrome and el not in exempt}
    scoring = [chrome.isdisjoint(raw.chain) for raw in raws]
    if not all(scoring):
        prose_all = sum(raw.chars for raw in raws if _is_prose(raw))
        prose_content = sum(raw.chars for raw, ok in zip(raws, scoring) if ok and _is_prose(raw))
        if prose_content >= 0.05 * prose_all and prose_content >= 200:
            found = _score_container(raws, scoring, size, links, infos, exempt)
            if found is not None:
                _add_lead(found[0], raws, infos)
                _add_intro(found[0], found[1], raws, infos)
                mode = "is_content" if _posts_named_comments(found[0], raws, infos) else "left_out"
                return (*found, size, prose, exempt, mode)
    found = _score_container(raws, [True] * len(raws), size, links, infos, exempt) or (None, None)
    if found[0] is not None:
        _add_lead(found[0], raws, infos)
        _add_intro(found[0], found[1], raws, infos)
    mode = "none"
    if not all(scoring):  # comment chrome holding most of the prose: the posts are the content
        in_comments = sum(raw.chars for raw in raws if _is_prose(raw) and any(
            infos[el].hint_reason == "comments" and el not in exempt for el in raw.chain))
        mode = "is_content" if in_comments >= 0.5 * max(sum(_prose_of(raws)), 1) else "fallback"
    return (*found, size, prose, exempt, mode)


def _posts_named_comments(kept: set, raws: list[_RawBlock], infos: dict) -> bool:
    """A forum thread whose posts carry "comment" in their class names beside article-like ones
    ("MtnComment ContentPlaceHolder"): such posts are not chrome, they scored, and when they hold
    most of the chosen container's prose they are its content, not a comment section under it."""
    total = in_posts = 0
    for raw in raws:
        if not _is_prose(raw) or not any(el in kept for el in raw.chain):
            continue
        total += raw.chars
        if any(infos[el].hint_reason == "comments" and not infos[el].chrome for el in raw.chain):
            in_posts += raw.chars
    return total > 0 and in_posts >= 0.5 * total


def _prose_of(raws: list[_RawBlock]):
    return (raw.chars for raw in raws if _is_prose(raw))


def _add_lead(kept: set, raws: list[_RawBlock], infos: dict, reach: int = 1500) -> None:
    """Keep a lead paragraph (class "lead", "intro", "excerpt", ...) that sits in the article
    header just above the container, within `reach` characters of it."""
    first = next((i for i, raw in enumerate(raws) if any(el in kept for el in raw.chain)), None)
    if first is None:
        return
    distance = 0
    for raw in reversed(raws[:first]):
        distance += raw.chars
        if distance > reach:
            return
        if raw.link_chars > 0.3 * raw.chars or raw.length < 50:
            continue
        if any(infos[el].chrome for el in raw.chain):
            continue
        lead = next((el for el in reversed(raw.chain) if infos[el].is_lead), None)
        if lead is not None:
            kept.add(lead)
            return


_INTRO_REACH = 1500  # characters between the headline and the container the intro may span
_SENTENCE_END = ending_with(SENTENCE_MARKS + ":")  # an intro may end in a colon before a quote


def _set_apart(raw: _RawBlock, core_line: set, infos: dict) -> bool:
    """Inside chrome, a caption or a picture frame (below the article's own ancestors)."""
    for el in raw.chain:
        if el in core_line:
            continue
        info = infos[el]
        if info.chrome or info.hint_reason or info.is_caption or info.is_media or el.tag == "figure":
            return True
    return False


def _add_intro(kept: set, core, raws: list[_RawBlock], infos: dict) -> None:
    """Keep the prose between the article's headline (<h1>) and its body container: a standfirst or
    intro the site set in the article header, apart from the body ("text above the container").

    Only when an <h1> closes the run within _INTRO_REACH characters above the container: prose
    above a page without a headline there is as likely a teaser as an intro. Links-heavy, chrome
    and short label-like blocks in between are passed over (share bars, bylines, dates)."""
    first = next((i for i, raw in enumerate(raws) if any(el in kept for el in raw.chain)), None)
    if not first:
        return
    core_line = {core, *core.iterancestors()}
    found = []
    distance = 0
    for raw in reversed(raws[:first]):
        owner = raw.chain[-1]
        if owner.tag == "h1" and not _set_apart(raw, core_line, infos):
            for el in found:  # (a headline in a print-only or share box is not the article's)
                kept.add(el)
            return
        distance += raw.chars
        if distance > _INTRO_REACH:
            return
        if raw.link_chars > 0.25 * raw.chars or owner in core_line or owner.tag in _HEADINGS \
                or _set_apart(raw, core_line, infos):
            continue  # links, headings, chrome, or the caption of a picture set above the body
        length = raw.length
        if length >= 80 or (length >= 30 and _SENTENCE_END.search(raw.text)):
            found.append(owner)


def _exempt_hints(raws: list[_RawBlock], size: dict, links: dict, prose: dict, infos: dict) -> set:
    """Elements whose chrome hint is a naming accident on this page: a <div> wrapping most of the
    page (class="meter_global"), or a "menu"/"widget"/"ad"/form element full of prose (a product
    description in a tab menu, a test report section named "Ads")."""
    total = sum(raw.chars for raw in raws)
    exempt = set()
    total_prose = max(sum(_prose_of(raws)), 1)
    for el, n in size.items():
        info = infos[el]
        if not info.hint_reason:
            continue
        # a <div> wrapping most of the page's text, or (unless it holds comments) most of its prose;
        # an <aside> stays an aside
        wrapper = el.tag not in _CHROME_TAGS and (
            n >= 0.8 * total or (info.hint_reason != "comments" and prose.get(el, 0) >= 0.5 * total_prose))
        misnamed = (info.hint_reason in _SHORT_CHROME and prose.get(el, 0) >= max(300, 0.6 * n)
                    and links.get(el, 0) <= 0.2 * n)
        if wrapper or misnamed:
            exempt.add(el)
    return exempt


def _is_prose(raw: _RawBlock) -> bool:
    """A long block with few links (computed once per block in _RawBlock)."""
    return raw.prose


def _sizes(raws: list[_RawBlock], parents: dict) -> tuple[dict, dict, dict]:
    """Characters, link characters and prose characters under each element (of the raw blocks'
    chains). Each block counts for its owner, then totals climb once from child to parent, in
    reverse document order (children first): not once per block and ancestor."""
    size: dict = {}
    links: dict = {}
    prose: dict = {}
    for raw in raws:
        owner = raw.chain[-1]
        size[owner] = size.get(owner, 0) + raw.chars
        if raw.link_chars:
            links[owner] = links.get(owner, 0) + raw.link_chars
        if raw.prose:
            prose[owner] = prose.get(owner, 0) + raw.chars
    for el in reversed(parents):  # parents: in push order, so each element after its ancestors
        parent = parents[el]
        if parent is None:
            continue
        n = size.get(el)
        if n is not None:
            size[parent] = size.get(parent, 0) + n
            n = links.get(el)
            if n:
                links[parent] = links.get(parent, 0) + n
            n = prose.get(el)
            if n:
                prose[parent] = prose.get(parent, 0) + n
    return size, links, prose


def _score_container(raws: list[_RawBlock], scoring: list[bool], size: dict, links: dict, infos: dict,
                     exempt: frozenset | set = frozenset()):
    """(kept container elements, best-scoring element), scoring only the blocks flagged in
    `scoring` (text under chrome counts as non-prose when widening); None when nothing scores."""
    good: dict = {}  # characters of prose-like blocks (long, few links) under each element
    depth: dict = {}
    total_good = 0
    for raw, ok in zip(raws, scoring):
        prose = ok and _is_prose(raw)
        total_good += raw.chars if prose else 0
        for index, el in enumerate(raw.chain):
            depth[el] = index
            if prose:
                good[el] = good.get(el, 0) + raw.chars
    scores: dict = {}
    for raw, ok in zip(raws, scoring):
        if not ok or raw.link_chars > raw.chars * 0.5:
            continue
        length = raw.length
        if length < 25:
            continue
        score = 1 + len(_COMMAS.findall(raw.text)) + min(length / 100, 3)
        chain = raw.chain
        start = len(chain) - 2 if chain[-1].tag in _PARAGRAPH_OWNERS else len(chain) - 1
        for level, index in enumerate(range(start, max(start - 3, -1), -1)):
            el = chain[index]
            scores[el] = scores.get(el, 0.0) + score / (1, 2, 3)[level]
    if not scores:
        return None
    final = {}
    for el, score in scores.items():
        info = infos[el]
        density = links.get(el, 0) / max(size.get(el, 1), 1)
        final[el] = (score + _TAG_WEIGHT.get(el.tag, 0) + info.class_weight) * (1 - density)
    top = max(final, key=final.get)
    top_score = final[top]
    # Several strong candidates under one ancestor: the article is split, take the ancestor.
    strong = [el for el, s in final.items() if el is not top and s >= 0.75 * top_score]
    if len(strong) >= 2:
        top_ancestors = list(top.iterancestors())
        for ancestor in top_ancestors:
            if ancestor.tag in ("body", "html"):
                break
            if sum(1 for el in strong if _is_inside(el, ancestor)) >= 2:
                top = ancestor
                break
    # Climb while the parent scores higher (the text continues in a sibling branch), or scores
    # nearly as high while holding twice the prose (an intro paragraph outscoring the body).
    parent = top.getparent()
    last = final.get(top, top_score)
    while parent is not None and parent.tag not in ("body", "html"):
        if parent in final:
            if final[parent] < top_score / 3:
                break
            if final[parent] > last or (final[parent] >= 0.75 * last
                                        and good.get(parent, 0) >= 2 * max(good.get(top, 0), 1)):
                top = parent
                last = max(last, final[parent])
        parent = parent.getparent()
    # A winner holding little of the page's prose lost to class names or markup accidents:
    # take the deepest element that holds most of the prose instead.
    if total_good and good.get(top, 0) < 0.25 * total_good:
        # (never chrome: on a page whose prose is all in a sidebar, the sidebar is not the article)
        candidates = [(el, g) for el, g in good.items() if g >= 0.3 * total_good and el.tag not in ("body", "html")
                      and not any(a in infos and infos[a].chrome and a not in exempt for a in (el, *el.iterancestors()))]
        holders = [el for el, g in candidates if g >= 0.6 * total_good]
        if not holders:  # the prose is split: the deepest element holding a good part of it, 3x the winner's
            holders = [el for el, g in candidates if g >= 3 * good.get(top, 0)]
        if holders:
            top = max(holders, key=depth.get)
    core = top
    # Widen to ancestors that add mostly prose: an article split over sibling sections.
    while True:
        parent = top.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        extra = size.get(parent, 0) - size.get(top, 0)
        extra_good = good.get(parent, 0) - good.get(top, 0)
        extra_links = links.get(parent, 0) - links.get(top, 0)
        if extra and (extra_good < 0.5 * extra or extra_links > 0.3 * extra):
            break
        top = parent
    kept = {top}
    parent = top.getparent()
    if parent is not None and parent.tag != "html":
        threshold = max(10.0, final.get(top, top_score) * 0.2)
        top_class = top.get("class")
        for sibling in parent:
            if sibling is top or not isinstance(sibling.tag, str):
                continue
            bonus = final.get(top, top_score) * 0.2 if top_class and sibling.get("class") == top_class else 0
            if sibling in final and final[sibling] + bonus >= threshold:
                kept.add(sibling)
            elif sibling.tag == "p" and sibling in size:
                density = links.get(sibling, 0) / max(size[sibling], 1)
                if (size[sibling] > 80 and density < 0.25) or (0 < size[sibling] <= 80 and density == 0):
                    kept.add(sibling)
        # Prose paragraphs one level further up belong to the article too (an intro written
        # directly in the post body, above a quoted or embedded block that won the scoring).
        grandparent = parent.getparent()
        if grandparent is not None and grandparent.tag not in ("body", "html"):
            for uncle in grandparent:
                if uncle.tag == "p" and size.get(uncle, 0) > 80 and good.get(uncle, 0) \
                        and links.get(uncle, 0) < 0.25 * size[uncle]:
                    kept.add(uncle)
    return kept, core


def _is_inside(el, ancestor) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _kind(chain: tuple, infos: dict, size: dict) -> str:
    kind = "paragraph"
    for el in reversed(chain):
        tag = el.tag
        if tag in _HEADINGS:
            kind = "heading"
            break
        if tag in ("li", "dt", "dd"):
            kind = "list_item"
            break
        if tag in ("p", "pre", "td", "th"):
            break
    for el in chain:
        tag = el.tag
        if tag in ("figcaption", "caption") or (infos[el].is_caption and tag not in ("body", "html")
                                                  and size.get(el, 0) <= _CAPTION_MAX_CHARS):
            return "caption"
        if tag == "blockquote":
            return "quote"
    return kind


def _to_blocks(raws: list[_RawBlock], infos: dict, parents: dict) -> list[Block]:
    kept_containers, core, size, prose, exempt, chrome_mode = _choose_container(raws, infos, parents)
    core_line = {core, *core.iterancestors()} if core is not None else set()
    repeats = Counter(raw.text for raw in raws)
    list_items = {el for el in parents if el.tag in _LIST_TAGS}
    blocks: list[Block] = []
    seen_prose = False  # article prose already met inside the container
    for raw in raws:
        block = Block(text=raw.text, kind=_kind(raw.chain, infos, size), position=len(blocks))
        hints = BlockHints(link_density=raw.link_chars / raw.chars, repeated_in_page=repeats[raw.text],
                           in_list=not list_items.isdisjoint(raw.chain))
        main_index = -1
        if kept_containers is not None:
            for index, el in enumerate(raw.chain):
                if el in kept_containers:
                    main_index = index
                    break
            if main_index < 0:
                hints.in_main = False
                outer = next((infos[el] for el in raw.chain if infos[el].hint_reason), None)
                hints.outside_detail = (f"outside the article container; {outer.hint_detail}" if outer
                                        else "outside the article container")
        # the hinted element's share of the container: of its prose, or of its text when it has no prose
        main_prose = prose.get(raw.chain[main_index], 0) if main_index >= 0 else 0
        share, main_size = (prose, main_prose) if main_prose else (size, size.get(raw.chain[main_index], 0))
        for el in raw.chain[main_index + 1:] if main_index >= 0 else ():
            info = infos[el]
            # A hint on the best-scoring element or its ancestors, or on one holding most of the article
            # text, is a naming accident (class="widget Blog"), not chrome; chrome left out of the
            # scoring stays chrome.
            if chrome_mode == "is_content" and info.hint_reason == "comments":
                continue
            if info.hint_reason == "paywall" and _is_prose(raw):
                continue  # article text the site marks as paywalled is in the page: it is the article
            if (info.hint_reason == "related_links" and not seen_prose and raw.link_chars < 0.1 * raw.chars
                    and _is_prose(raw)):
                continue  # a "teaser" paragraph opening the article is its lead, not a related link
            if info.hint_reason and el not in core_line and el not in exempt and (
                    share.get(el, 0) <= 0.5 * main_size or (chrome_mode == "left_out" and info.chrome)):
                hints.hint_reason, hints.hint_detail = info.hint_reason, info.hint_detail
                break
        if main_index >= 0 and hints.hint_reason is None and _is_prose(raw):
            seen_prose = True
        for el in raw.chain:
            info = infos[el]
            if info.drop_selector:
                block.removed, block.removed_detail = "site_selector", info.drop_selector
                break
            if info.hidden:
                block.removed, block.removed_detail = "hidden", "hidden element (hidden attribute or display:none)"
                break
        set_hints(block, hints)
        blocks.append(block)
    _captions_as_text(blocks, raws)
    return blocks


def _captions_as_text(blocks: list[Block], raws: list[_RawBlock]) -> None:
    """A slideshow or video page tells its story in the captions: when caption blocks hold more of the
    article's prose than the paragraphs do, they are its text, not captions."""
    caption_prose = other_prose = 0
    for block, raw in zip(blocks, raws):
        hints = get_hints(block)
        if block.removed or not hints.in_main or hints.hint_reason or not _is_prose(raw):
            continue
        if block.kind == "caption":
            caption_prose += raw.chars
        else:
            other_prose += raw.chars
    if caption_prose >= 200 and caption_prose > other_prose:
        for block in blocks:
            if block.kind == "caption" and get_hints(block).in_main:
                block.kind = "paragraph"
