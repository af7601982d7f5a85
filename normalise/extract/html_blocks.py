"""Walk an HTML document and emit its text blocks in reading order, with a kind for each.

Every piece of visible text becomes a block (nothing is thrown away here); the extractor
also picks the element that most likely holds the article (container.py: readability-style
scoring of text, commas, link density and class/id hints) and notes, on each block, whether it
lies inside that container and which structural hint (tag, class, id, role) marks it as chrome.
The boilerplate remover turns those notes into removal reasons (normalise/extract/hints.py).
"""
from __future__ import annotations

from collections import Counter

from normalise.extract.container import ContainerChoice, choose_container
from normalise.extract.hints import BlockHints, get_hints, set_hints
from normalise.extract.tuning import TUNING
from normalise.extract.walker import RawBlock, Walk, walk_html
from normalise.record import Block

_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_LIST_TAGS = frozenset(("li", "dt", "dd", "ul", "ol", "dl"))


def html_to_blocks(html, drop_selectors: list[str] | None = None) -> list[Block]:
    """Blocks of an HTML page (str, bytes or an already parsed lxml element), in reading order.

    Blocks inside an element matched by one of `drop_selectors` (per-site CSS hints) come back
    already marked removed="site_selector"; every block carries BlockHints for the remover.
    """
    return _to_blocks(walk_html(html, drop_selectors))


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
                                                  and size.get(el, 0) <= TUNING.caption_max_chars):
            return "caption"
        if tag == "blockquote":
            return "quote"
    return kind


class _HintJudge:
    """Decides, block by block in reading order, whether a structural hint inside the container
    makes the block chrome (it remembers whether article prose was already met)."""

    def __init__(self, choice: ContainerChoice, infos: dict):
        self.choice = choice
        self.infos = infos
        core = choice.core
        self.core_line = {core, *core.iterancestors()} if core is not None else set()
        self.seen_prose = False  # article prose already met inside the container

    def main_index(self, raw: RawBlock) -> int:
        """Index in the block's chain of its outermost element in the container, -1 when outside."""
        kept = self.choice.kept
        return next((i for i, el in enumerate(raw.chain) if el in kept), -1) if kept is not None else -1

    def hint(self, raw: RawBlock, main_index: int):
        """The ElementInfo whose hint makes this block (inside the container) chrome, or None."""
        sizes = self.choice.sizes
        main_el = raw.chain[main_index]
        # the hinted element's share of the container: of its prose, or of its text when it has no prose
        main_prose = sizes.prose.get(main_el, 0)
        share, main_size = (sizes.prose, main_prose) if main_prose else (sizes.size, sizes.size.get(main_el, 0))
        for el in raw.chain[main_index + 1:]:
            info = self.infos[el]
            if self._accidental(info, raw):
                continue
            # A hint on the best-scoring element or its ancestors, or on one holding most of the article
            # text, is a naming accident (class="widget Blog"), not chrome; chrome left out of the
            # scoring stays chrome.
            if info.hint_reason and el not in self.core_line and el not in self.choice.exempt and (
                    share.get(el, 0) <= TUNING.hint_container_share * main_size
                    or (self.choice.chrome_mode == "left_out" and info.chrome)):
                return info
        return None

    def _accidental(self, info, raw: RawBlock) -> bool:
        reason = info.hint_reason
        if self.choice.chrome_mode == "is_content" and reason == "comments":
            return True
        if reason == "paywall" and raw.prose:
            return True  # article text the site marks as paywalled is in the page: it is the article
        # a "teaser" paragraph opening the article is its lead, not a related link
        return (reason == "related_links" and not self.seen_prose
                and raw.link_chars < TUNING.teaser_max_link_share * raw.chars and raw.prose)


def _to_blocks(walk: Walk) -> list[Block]:
    infos, raws = walk.infos, walk.raws
    choice = choose_container(walk)
    judge = _HintJudge(choice, infos)
    repeats = Counter(raw.text for raw in raws)
    list_items = {el for el in walk.parents if el.tag in _LIST_TAGS}
    # elements that remove their blocks (most pages have none: no block's chain need be read)
    removing = {el for el, info in infos.items() if info.drop_selector or (info.hidden and el not in choice.shown)}
    blocks: list[Block] = []
    for raw in raws:
        block = Block(text=raw.text, kind=_kind(raw.chain, infos, choice.sizes.size), position=len(blocks))
        hints = BlockHints(link_density=raw.link_chars / raw.chars, repeated_in_page=repeats[raw.text],
                           in_list=not list_items.isdisjoint(raw.chain), depth=len(raw.chain))
        main_index = judge.main_index(raw)
        if choice.kept is not None and main_index < 0:
            hints.in_main = False
            outer = next((infos[el] for el in raw.chain if infos[el].hint_reason), None)
            hints.outside_detail = (f"outside the article container; {outer.hint_detail}" if outer
                                    else "outside the article container")
        if main_index >= 0:
            info = judge.hint(raw, main_index)
            if info is not None:
                hints.hint_reason, hints.hint_detail = info.hint_reason, info.hint_detail
            elif raw.prose:
                judge.seen_prose = True
        if not removing.isdisjoint(raw.chain):
            _mark_removed(block, raw, infos, choice.shown)
        set_hints(block, hints)
        blocks.append(block)
    _captions_as_text(blocks, raws)
    if TUNING.link_roundup_share and choice.kept is not None:
        _mark_round_up(blocks, raws)
    return blocks


def _mark_round_up(blocks: list[Block], raws: list[RawBlock]) -> None:
    """A post made of lists (a link round-up, a reading list): when list items hold
    TUNING.link_roundup_share of the container's text and no prose paragraph stands outside them,
    the lists are the post, however many links they hold, not a related list beside it."""
    in_lists = other = 0
    items = []
    for block, raw in zip(blocks, raws, strict=False):
        hints = get_hints(block)
        if hints is None or not hints.in_main or hints.hint_reason or block.removed:
            continue
        if hints.in_list:
            in_lists += raw.chars
            items.append(hints)
        elif raw.prose:
            return
        else:
            other += raw.chars
    if items and in_lists >= TUNING.link_roundup_share * (in_lists + other):
        for hints in items:
            hints.article_list = True


def _mark_removed(block: Block, raw: RawBlock, infos: dict, shown: set) -> None:
    for el in raw.chain:
        info = infos[el]
        if info.drop_selector:
            block.removed, block.removed_detail = "site_selector", info.drop_selector
            return
        if info.hidden and el not in shown:
            block.removed, block.removed_detail = "hidden", "hidden element (hidden attribute or display:none)"
            return


def _captions_as_text(blocks: list[Block], raws: list[RawBlock]) -> None:
    """A slideshow or video page tells its story in the captions: when caption blocks hold more of the
    article's prose than the paragraphs do, they are its text, not captions."""
    caption_prose = other_prose = 0
    for block, raw in zip(blocks, raws, strict=False):
        hints = get_hints(block)
        if block.removed or hints is None or not hints.in_main or hints.hint_reason or not raw.prose:
            continue
        if block.kind == "caption":
            caption_prose += raw.chars
        else:
            other_prose += raw.chars
    if caption_prose >= TUNING.captions_as_text_min and caption_prose > other_prose:
        for block in blocks:
            hints = get_hints(block)
            if block.kind == "caption" and hints is not None and hints.in_main:
                block.kind = "paragraph"
