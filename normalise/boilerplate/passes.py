"""The boilerplate passes, one function per signal, applied in order by `run_passes`.

Each pass only marks blocks that are still kept, so the first (most specific) reason wins.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import takewhile

from normalise.boilerplate.lexicon import Lexicon, Match, normalise_key
from normalise.boilerplate.templates import block_fingerprint
from normalise.boilerplate.title import split_site_name
from normalise.extract import text_classifier
from normalise.extract.block_model import BlockModel, apply_block_model
from normalise.extract.hints import get_hints
from normalise.extract.text_title import first_headline
from normalise.extract.tuning import TUNING
from normalise.langid.scripts import SENTENCE_END, cjk_count
from normalise.record import Block
from normalise.stages import DocumentContext

_SENTENCE_END = SENTENCE_END
_COLON_SPLIT = re.compile(r"[:：]")
_PROSE_KINDS = ("paragraph", "standfirst", "quote")
_BARE_URL = re.compile(r"^(https?://|www\.)\S+$")


@lru_cache(maxsize=4096)  # the passes ask about the same block several times
def words(text: str) -> int:
    """Word count, counting each CJK character as a word."""
    cjk = cjk_count(text)
    return len(text.split()) + cjk if cjk else len(text.split())


def is_prose(block: Block) -> bool:
    """A block that reads as article prose: a sentence-like paragraph, not a label or headline."""
    if block.kind not in _PROSE_KINDS:
        return False
    n = words(block.text)
    return n >= 20 or (n >= 8 and bool(_SENTENCE_END.search(block.text)))


def _drop(block: Block, reason: str, detail: str) -> None:
    block.removed, block.removed_detail = reason, detail[:200]


def run_passes(blocks: list[Block], ctx: DocumentContext, lexicon: Lexicon,
               block_model: BlockModel | None = None) -> None:
    html_mode = any(get_hints(b) is not None for b in blocks)
    matches = [lexicon.match(b.text) if b.kept else [] for b in blocks]
    title = strip_title_suffix(blocks, ctx)
    apply_lexicon(blocks, matches, lexicon, ctx, html_mode)
    if html_mode:
        apply_structure(blocks, matches, lexicon)
    cut = cut_after_article_end(blocks, matches, lexicon, html_mode, title)
    drop_repeats(blocks, title, lexicon, html_mode)
    drop_templates(blocks, ctx)
    drop_lead_labels(blocks, html_mode)
    drop_trailing(blocks, matches, lexicon)
    if html_mode:
        drop_trailing_headings(blocks)
    if not html_mode:
        settle_title_and_standfirst(blocks)  # first, so the line model knows the title (and never drops it)
        text_classifier.drop_unlikely_lines(blocks, ctx.template_hashes, revisable=cut)
    elif block_model is not None:
        apply_block_model(blocks, block_model)


# -- 1. title -------------------------------------------------------------------------------
def strip_title_suffix(blocks: list[Block], ctx: DocumentContext) -> Block | None:
    title = next((b for b in blocks if b.kind == "title" and b.kept), None)
    if title is None:
        return None
    others = [b.text for b in blocks[:60] if b is not title]
    split = split_site_name(title.text, ctx.metadata.get("site_name"), ctx.url, others)
    if split:
        title.text, site = split
        ctx.metadata.setdefault("site_name", site)
    return title


# -- 2. lexicons ----------------------------------------------------------------------------
def apply_lexicon(blocks: list[Block], matches: list[list[Match]], lexicon: Lexicon, ctx: DocumentContext,
                  html_mode: bool = False) -> None:
    for index, (block, found) in enumerate(zip(blocks, matches, strict=False)):
        if not block.kept or not found:
            continue
        match = next((m for m in found if not lexicon.settings[m.reason].tail_only), None)
        if match is None:
            continue
        if html_mode and match.rule == "terms" and match.reason != "newsletter" \
                and _amid_article_prose(blocks, matches, index):
            continue  # a paragraph of the article that happens to talk about prices, cookies or logins
        _drop(block, lexicon.code(match.reason), f"{match.rule}: {match.detail}")
        if match.reason == "source_attribution":
            parts = _COLON_SPLIT.split(block.text, 1)
            value = parts[1].strip() if len(parts) == 2 else block.text
            if value:
                ctx.metadata.setdefault("source_attribution", []).append(value)


def _amid_article_prose(blocks: list[Block], matches, index: int, reach: int = 2) -> bool:
    """A long sentence-like block inside the article container with clean article prose right before
    and right after it (within `reach` blocks on each side). Newsletter prompts are left to the lexicon:
    they are the promotion sites most often set between two paragraphs."""
    block = blocks[index]
    hints = get_hints(block)
    if hints is None or not hints.in_main or hints.hint_reason or not is_prose(block) or words(block.text) < 40:
        return False

    def clean_prose(i: int) -> bool:
        other = blocks[i]
        other_hints = get_hints(other)
        return (other.kept and not matches[i] and other_hints is not None and other_hints.in_main
                and not other_hints.hint_reason and is_prose(other))

    before = any(clean_prose(i) for i in range(max(0, index - reach), index))
    after = any(clean_prose(i) for i in range(index + 1, min(len(blocks), index + 1 + reach)))
    return before and after


# -- 3. page structure (HTML only) ----------------------------------------------------------
def apply_structure(blocks: list[Block], matches, lexicon: Lexicon) -> None:
    label = None  # the last kept block, when it is a short label ending in a colon ("Read also:")
    for block, found in zip(blocks, matches, strict=False):
        hints = get_hints(block)
        if not block.kept or hints is None or block.kind == "title":
            continue
        previous_label, label = label, (block if _is_colon_label(block.text) else None)
        if hints.in_main and hints.article_list and not hints.hint_reason:
            continue  # a list of the post's own links (a round-up)
        if hints.in_main and not hints.hint_reason and hints.link_density >= 0.7 and words(block.text) <= 30 \
                and not _BARE_URL.match(block.text):
            labelled = _LABELLED.match(block.text)
            if labelled and words(labelled.group(1)) <= 4:
                _drop(block, "related_links", f"linked headline under the label {labelled.group(1)!r}")
                continue
            if previous_label is not None and previous_label.kept:
                _drop(previous_label, "related_links", "label of the linked headline after it")
                _drop(block, "related_links", f"linked headline under the label {previous_label.text!r}")
                continue
        if not hints.in_main:
            if found:  # a bio or byline out of the article: say what it is, not just where
                _drop(block, lexicon.code(found[0].reason), f"{found[0].rule}: {found[0].detail}")
            else:
                _drop(block, "outside_article", hints.outside_detail or "outside the article container")
        elif hints.hint_reason:
            _drop(block, hints.hint_reason, hints.hint_detail or "structural hint")
        elif hints.link_density >= 0.5 and hints.in_list and not _described_link(block, hints.link_density):
            _drop(block, "related_links", f"list item that is {hints.link_density:.0%} link text")
        elif hints.link_density >= 0.7 and words(block.text) < 12 and not _BARE_URL.match(block.text):
            # (a bare URL in the article is a reference its author wrote out, not a menu entry)
            _drop(block, "navigation", f"short block that is {hints.link_density:.0%} link text")


_LABELLED = re.compile(r"^([^:：]{1,40})[:：]\s*\S")


def _described_link(block: Block, link_density: float) -> bool:
    """A list item of a sentence's length whose link is followed by words of the post's own ("Title –
    why it is worth reading"): the post's text, not a related link (those are mostly link text)."""
    return words(block.text) >= TUNING.described_link_min_words and link_density < TUNING.described_link_max_share


def _is_colon_label(text: str) -> bool:
    """A short label that introduces what follows: "Read also:", "Lue myös:", "相关阅读：" (not a URL)."""
    return len(text) <= 40 and words(text) <= 4 and text.rstrip().endswith((":", "：")) and "//" not in text


# -- 4. end of the article ------------------------------------------------------------------
COMMENT_REPLY = "comment_reply"  # the lexicon group of the button under each reader's comment

def _ends_article(found: list[Match], lexicon: Lexicon) -> Match | None:
    for m in found:
        ends = lexicon.settings[m.reason].ends_article
        if ends is True or (ends == "lines" and m.rule == "lines"):
            return m
    return None


def cut_after_article_end(blocks: list[Block], matches, lexicon: Lexicon, html_mode: bool,
                          title: Block | None = None) -> list[Block]:
    """After a copyright notice or a "Read also" heading, what follows is not the article.

    Text dumps: everything after it. HTML: the run of non-prose blocks after it (a related list
    inside the article container), until article prose or a heading resumes the article. A
    marker that is a link ("Post a comment" in a toolbar) only ends the article in text dumps,
    and a repeat of the title does not count as article prose seen before a marker.
    Returns the blocks dropped after a marker other than a copyright notice with a year or a rights
    phrase: in a text dump such a marker may sit above or inside the story (a "Related" menu entry, a
    photo's "© dpa" credit), so the line model revises them, except inside a comment thread.
    """
    revisable: list[Block] = []
    title_key = normalise_key(title.text) if title is not None else None
    first_prose: int | None = None  # the article's first prose line (a repeat of the title is not)
    index = 0
    while index < len(blocks):
        block = blocks[index]
        marker = _ends_article(matches[index], lexicon) if first_prose is not None else None
        if marker is not None and html_mode:
            hints = get_hints(block)
            if hints is not None and hints.link_density >= 0.5:
                marker = None
        if first_prose is None and block.kept and is_prose(block) and normalise_key(block.text) != title_key:
            first_prose = index
        found = matches[index]
        index += 1
        if marker is None:
            continue
        tail = []
        resumable = html_mode and lexicon.code(marker.reason) != "comments"  # user comments read like prose
        while index < len(blocks):
            nxt = blocks[index]
            if resumable and nxt.kept and (is_prose(nxt) or nxt.kind == "heading"):
                break
            tail.append(nxt)
            index += 1
        kept = [b for b in tail if b.kept]
        reason = lexicon.code(marker.reason)
        if reason in ("related_links", "latest_news", "comments"):
            pass
        else:
            headlines = sum(1 for b in kept if not _SENTENCE_END.search(b.text) and words(b.text) <= 25)
            reason = "related_links" if headlines >= 2 else "outside_article"
        for b in kept:
            _drop(b, reason, f"after the end of the article ({lexicon.code(marker.reason)}: {marker.detail})")
        if marker.reason != "copyright" or _credit_line(block, found):
            revisable.extend(kept)
    if html_mode or not revisable or first_prose is None:
        return revisable  # only a text dump's line model revises lines
    thread = comment_thread(blocks, matches, first_prose)
    return [b for b in revisable if id(b) not in thread]


_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


def _credit_line(block: Block, found: list[Match]) -> bool:
    """A copyright line with no year, found by its "©" or "Copyright" alone ("© dpa", "© Getty Images",
    "Copyright: Accurec"), is a photo's credit inside the story as often as the site's notice under it:
    the lines below it are the line model's to revise, as after a "Related" heading. A notice with a
    year or a rights phrase ("© 2023 X", "All rights reserved") ends the page for good."""
    return not _YEAR.search(block.text) and all(
        m.rule in ("prefixes", "patterns") for m in found if m.reason == "copyright")


def comment_thread(blocks: list[Block], matches, first_prose: int) -> set[int]:
    """The blocks (by id) from the first to the last "Reply" button below the article's first prose
    line (index `first_prose`), when there are two or more: readers' comments, one button under each.
    Comments read like prose, so the line model would keep them; the story never lies between two
    Reply buttons."""
    replies = [i for i in range(first_prose + 1, len(blocks))
               if any(m.reason == COMMENT_REPLY and m.rule == "lines" for m in matches[i])]
    if len(replies) < 2:
        return set()
    return {id(b) for b in blocks[replies[0]:replies[-1] + 1]}


# -- 5. repetition inside the page ----------------------------------------------------------
# A photo caption's copies in a text dump sit beside it (the image's alt text, a lightbox title, at most
# a credit or "Image 1 of 5" line between), each within this many lines of the one before. Prose
# repeated further away is the page's own text: an interview's recurring question, a recipe's
# ingredient line, a refrain. A caption is a sentence or two: a longer paragraph repeated is no caption
# either (the line model judges such repeats).
CAPTION_COPY_LINES = 3
CAPTION_MAX_WORDS = 60


def drop_repeats(blocks: list[Block], title: Block | None, lexicon: Lexicon, html_mode: bool) -> None:
    title_key = normalise_key(title.text) if title is not None else None
    first_by_key: dict[str, Block] = {}
    caption_run_end: dict[str, int] = {}  # key -> index of the last copy in the run of copies beside the first
    for index, block in enumerate(blocks):
        if not block.kept or block is title:
            continue
        key = normalise_key(block.text)
        if title_key and key == title_key:
            _drop(block, "duplicate_title", "repeats the title")
            continue
        first = first_by_key.get(key)
        if first is None:
            first_by_key[key] = block
            caption_run_end[key] = index
            if block.kind == "paragraph" and lexicon.is_caption(block.text):
                block.kind = "caption"
            continue
        if len(key) < 12:
            continue  # short labels repeat for other reasons; the lexicons judge those
        if html_mode and first.kind != "caption":
            continue  # in HTML only marked-up captions count; other repeats are the page's own text
        if first.kind in ("paragraph", "caption", "quote"):
            if not html_mode and (index - caption_run_end[key] > CAPTION_COPY_LINES
                                  or words(block.text) > CAPTION_MAX_WORDS):
                continue
            caption_run_end[key] = index
            first.kind = "caption"
            _drop(block, "duplicate_caption", f"copy of the caption at block {first.position}")
        else:
            _drop(block, "repeated_block", f"copy of block {first.position}")


# -- 6. site templates ----------------------------------------------------------------------
def drop_templates(blocks: list[Block], ctx: DocumentContext) -> None:
    if not ctx.template_hashes:
        return
    for block in blocks:
        if block.kept:
            fp = block_fingerprint(block.text)
            if fp in ctx.template_hashes:
                _drop(block, "site_template", f"template block {fp} learned for this source")


# -- 7. position ----------------------------------------------------------------------------
def drop_lead_labels(blocks: list[Block], html_mode: bool) -> None:
    """One- to three-word labels above the article's first paragraph are section tags
    (in HTML, headings are left alone: their tags say what they are)."""
    labels: list[Block] = []
    for block in blocks:
        if not block.kept:
            continue
        if is_prose(block):
            for label in labels:
                _drop(label, "section_tag", "short label above the article")
            return
        if block.kind != "title" and words(block.text) <= 3 and len(block.text) <= 24 \
                and not _SENTENCE_END.search(block.text) and not (html_mode and block.kind == "heading"):
            labels.append(block)


def drop_trailing(blocks: list[Block], matches, lexicon: Lexicon) -> None:
    """Author bios and bylines count only where no article prose follows them."""
    prose_after = False
    for block, found in zip(reversed(blocks), reversed(matches), strict=False):
        if not block.kept:
            continue
        match = next((m for m in found if lexicon.settings[m.reason].tail_only), None)
        if match is not None and not prose_after:
            _drop(block, lexicon.code(match.reason), f"{match.rule}: {match.detail}")
            continue
        if is_prose(block):
            prose_after = True


def drop_trailing_headings(blocks: list[Block]) -> None:
    """Headings after the article's last text head nothing left on the page: the related list,
    form or promotion they announced was dropped ("More on this topic", "Rate this page")."""
    kept = [b for b in blocks if b.kept and b.kind != "title"]
    if not any(b.kind != "heading" for b in kept):
        return
    last_prose = max((i for i, b in enumerate(kept) if is_prose(b)), default=None)
    if last_prose is not None:
        tail = kept[last_prose + 1:]
        first_heading = next((i for i, b in enumerate(tail) if b.kind == "heading"), None)
        if first_heading is not None and not any(b.kind == "list_item" for b in tail[first_heading:]):
            for block in tail[first_heading:]:
                _drop(block, "trailing_heading" if block.kind == "heading" else "outside_article",
                      "after the article's last prose, under a heading that opens no text")
            return
    for block in reversed(kept):
        if block.kind != "heading":
            return
        _drop(block, "trailing_heading", "heading with no article text after it")


def settle_title_and_standfirst(blocks: list[Block]) -> None:
    """Text dumps: the first headline left above the article is the title; the line under it,
    when it is not a full sentence, is the standfirst."""
    kept = [b for b in blocks if b.kept]
    title = next((b for b in kept if b.kind == "title"), None)
    if title is None:
        lead = list(takewhile(lambda b: not is_prose(b), kept))
        found = first_headline([b.text for b in lead], [b.text for b in kept])  # never a menu line
        if found is not None:
            title = lead[found]
            title.kind = "title"
    if title is None:
        return
    after = kept[kept.index(title) + 1:kept.index(title) + 2]
    if after and after[0].kind in ("paragraph", "heading") and words(after[0].text) >= 8 \
            and not _SENTENCE_END.search(after[0].text):
        after[0].kind = "standfirst"
