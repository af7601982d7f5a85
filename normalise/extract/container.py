"""Choose the element that most likely holds the article (readability-style scoring).

Text under chrome (comments, related lists, <aside> live blogs, ...) does not score: a long
comment thread must not outweigh a short article. Blocks score by commas, length and link
density; their scores go to their nearest ancestors, weighted by tag and class/id hints; the
best element is then moved (climbed, replaced by the holder of most prose, widened) and its
siblings of the same kind join. Every number used here is in tuning.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from normalise.extract.hidden_text import shown_hidden
from normalise.extract.tuning import TUNING
from normalise.extract.walker import ARTICLE_ITEMPROPS, CHROME_TAGS, RawBlock, Walk

_COMMAS = re.compile(r"[,，、،;；]")
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
# Block owners whose score goes to their parent (they are paragraphs, not containers).
_PARAGRAPH_OWNERS = frozenset(("tr", "p", "pre", "td", "blockquote", "dd", "dt", "li", "figcaption", "h1", "h2",
                               "h3", "h4", "h5", "h6", "th", "caption", "address", "summary"))
# Hint reasons for short chrome: an element with one of them that is full of prose is misnamed.
_SHORT_CHROME = frozenset(("navigation", "widget", "advert", "login_form", "section_tag"))
_TOP = ("body", "html")
_SENTENCE_END = re.compile(r"[.!?。！？…:]['\"”’»)]*$")
_NUMBERED_COMMENT = re.compile(r"comment\D{0,12}(\d{2,})$", re.IGNORECASE)  # "comment-38211", "dsq-comment-7681"


@dataclass
class Sizes:
    """Characters, link characters and prose characters under each element of the blocks' chains."""

    size: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)
    prose: dict = field(default_factory=dict)

    def link_share(self, el) -> float:
        return self.links.get(el, 0) / max(self.size.get(el, 1), 1)


@dataclass
class ContainerChoice:
    """The chosen container and what the block hints need to judge blocks against it.

    chrome_mode: "left_out" (chrome did not score), "none" (the page has no chrome), "is_content"
    (comment-marked posts hold the prose: a forum thread or live ticker) or "fallback" (other
    chrome holds nearly all the prose, so everything scored)."""

    kept: set | None  # elements whose blocks are the article; None when nothing scored
    core: Any  # the best-scoring element (before widening), None when nothing scored
    sizes: Sizes
    exempt: set  # elements whose chrome hint is a naming accident on this page
    chrome_mode: str
    shown: set = field(default_factory=set)  # hidden elements whose text is page text (hidden_text.py)


@dataclass
class _Scored:
    """Scores of candidate containers for one set of scoring blocks."""

    final: dict  # element -> score, weighted and damped by link density
    good: dict  # element -> characters of prose blocks under it
    paragraphs: dict  # element -> prose blocks under it
    depth: dict  # element -> depth in its blocks' chains
    total_good: int


def choose_container(walk: Walk) -> ContainerChoice:
    infos = walk.infos
    # Hidden text (unless it is prose, see hidden_text.py) and text the site's own selectors drop
    # cannot be the article.
    shown, story = shown_hidden(walk)
    gone = {el for el, info in infos.items() if (info.hidden and el not in shown) or info.drop_selector}
    raws = [raw for raw in walk.raws if gone.isdisjoint(raw.chain)] if gone else walk.raws
    sizes = _sizes(raws, walk.parents)
    exempt = _exempt_hints(raws, sizes, infos) | story
    chrome = {el for el, info in infos.items() if info.chrome and el not in exempt}
    scoring = [chrome.isdisjoint(raw.chain) for raw in raws]
    has_chrome = not all(scoring)
    if has_chrome and (_enough_without_chrome(raws, scoring) or _article_above_comments(raws, scoring, infos, chrome)):
        found = _score_container(raws, scoring, sizes, infos, exempt)
        if found is not None:
            _add_above(found, raws, infos)
            mode = "is_content" if _posts_named_comments(found[0], raws, infos, scoring) else "left_out"
            return ContainerChoice(found[0], found[1], sizes, exempt, mode, shown)
    # Too little prose outside chrome (a page wrapped in <form>, a forum whose posts are
    # "comments"): everything scores.
    found = _score_container(raws, [True] * len(raws), sizes, infos, exempt)
    if found is not None:
        _add_above(found, raws, infos)
    mode = _fallback_mode(raws, infos, exempt) if has_chrome else "none"
    kept, core = found if found is not None else (None, None)
    return ContainerChoice(kept, core, sizes, exempt, mode, shown)


def _enough_without_chrome(raws: list[RawBlock], scoring: list[bool]) -> bool:
    prose_all = _prose_chars(raws)
    prose_content = sum(raw.chars for raw, ok in zip(raws, scoring, strict=False) if ok and raw.prose)
    return prose_content >= TUNING.content_min_prose_share * prose_all \
        and prose_content >= TUNING.content_min_prose_chars


def _article_above_comments(raws: list[RawBlock], scoring: list[bool], infos: dict, chrome: set) -> bool:
    """A short article under a long comment thread (hundreds of reader comments): the thread holds
    nearly all the prose, but comments are never the article when the page has prose of its own."""
    if not TUNING.comments_never_outweigh:
        return False
    own = in_comments = other = 0
    numbered: set = set()  # numbers in the comment posts' ids: permalinks of readers' comments
    for raw, ok in zip(raws, scoring, strict=False):
        if not raw.prose:
            continue
        if ok:  # (in a prose block's own unit: one prose paragraph is enough)
            own += raw.length
        elif any(el in chrome and infos[el].hint_reason == "comments" for el in raw.chain):
            in_comments += raw.chars
            numbered.update(m.group(1) for el in raw.chain if (m := _NUMBERED_COMMENT.search(el.get("id") or "")))
        else:
            other += raw.chars
    # a thread of readers' comments is never the page's content, whatever the page holds besides it
    # (a live ticker's updates, also named "comment", carry no such ids)
    readers = TUNING.numbered_comments_never_content and len(numbered) >= 2  # (two posts: a thread)
    return (readers or own >= TUNING.comments_own_prose_chars) and in_comments > other


def _fallback_mode(raws: list[RawBlock], infos: dict, exempt: set) -> str:
    """Comment chrome holding most of the prose: the posts are the content."""
    in_comments = sum(raw.chars for raw in raws if raw.prose and any(
        infos[el].hint_reason == "comments" and el not in exempt for el in raw.chain))
    return "is_content" if in_comments >= TUNING.comments_are_content_share * max(_prose_chars(raws), 1) \
        else "fallback"


def _add_above(found: tuple[set, Any], raws: list[RawBlock], infos: dict) -> None:
    """Text the site set above the container that is the article's: a lead, an intro."""
    _add_lead(found[0], raws, infos)
    _add_intro(found[0], found[1], raws, infos)


def _prose_chars(raws: list[RawBlock]) -> int:
    return sum(raw.chars for raw in raws if raw.prose)


def _posts_named_comments(kept: set, raws: list[RawBlock], infos: dict, scoring: list[bool]) -> bool:
    """A forum thread whose posts carry "comment" in their class names beside article-like ones
    ("MtnComment ContentPlaceHolder"): such posts are not chrome, they scored, and when they hold
    most of the chosen container's prose they are its content, not a comment section under it.
    (A comment thread inside chrome, whose inner elements say "comment-text", did not score: its
    posts are comments, not the content.)"""
    total = in_posts = 0
    for raw, ok in zip(raws, scoring, strict=False):
        if not raw.prose or not any(el in kept for el in raw.chain):
            continue
        if not ok and TUNING.comment_posts_scored_only:
            continue
        total += raw.chars
        if any(infos[el].hint_reason == "comments" and not infos[el].chrome for el in raw.chain):
            in_posts += raw.chars
    return total > 0 and in_posts >= TUNING.comments_are_content_share * total


def _first_kept(kept: set, raws: list[RawBlock]) -> int | None:
    return next((i for i, raw in enumerate(raws) if any(el in kept for el in raw.chain)), None)


def _add_lead(kept: set, raws: list[RawBlock], infos: dict) -> None:
    """Keep a lead paragraph (class "lead", "intro", "excerpt", ...) that sits in the article
    header just above the container, within TUNING.lead_reach characters of it."""
    first = _first_kept(kept, raws)
    if first is None:
        return
    distance = 0
    for raw in reversed(raws[:first]):
        distance += raw.chars
        if distance > TUNING.lead_reach:
            return
        if raw.link_chars > TUNING.lead_max_link_share * raw.chars or raw.length < TUNING.lead_min_length:
            continue
        if any(infos[el].chrome for el in raw.chain):
            continue
        lead = next((el for el in reversed(raw.chain) if infos[el].is_lead), None)
        if lead is not None:
            kept.add(lead)
            return


def _set_apart(raw: RawBlock, core_line: set, infos: dict) -> bool:
    """Inside chrome, a caption or a picture frame (below the article's own ancestors)."""
    for el in raw.chain:
        if el in core_line:
            continue
        info = infos[el]
        if info.chrome or info.hint_reason or info.is_caption or info.is_media or el.tag == "figure":
            return True
    return False


def _add_intro(kept: set, core, raws: list[RawBlock], infos: dict) -> None:
    """Keep the prose between the article's headline (<h1>) and its body container: a standfirst or
    intro the site set in the article header, apart from the body ("text above the container").

    Only when an <h1> closes the run within TUNING.intro_reach characters above the container: prose
    above a page without a headline there is as likely a teaser as an intro. Links-heavy, chrome
    and short label-like blocks in between are passed over (share bars, bylines, dates)."""
    first = _first_kept(kept, raws)
    if not first:
        return
    core_line = {core, *core.iterancestors()}
    found: list = []
    distance = 0
    for raw in reversed(raws[:first]):
        owner = raw.chain[-1]
        if owner.tag == "h1" and not _set_apart(raw, core_line, infos):
            kept.update(found)  # (a headline in a print-only or share box is not the article's)
            return
        distance += raw.chars
        if distance > TUNING.intro_reach:
            return
        if raw.link_chars > TUNING.intro_max_link_share * raw.chars or owner in core_line \
                or owner.tag in _HEADINGS or _set_apart(raw, core_line, infos):
            continue  # links, headings, chrome, or the caption of a picture set above the body
        if raw.length >= TUNING.intro_min_length or (
                raw.length >= TUNING.intro_sentence_min_length and _SENTENCE_END.search(raw.text)):
            found.append(owner)


def _exempt_hints(raws: list[RawBlock], sizes: Sizes, infos: dict) -> set:
    """Elements whose chrome hint is a naming accident on this page: a <div> wrapping most of the
    page (class="meter_global"), or a "menu"/"widget"/"ad"/form element full of prose (a product
    description in a tab menu, a test report section named "Ads")."""
    total = sum(raw.chars for raw in raws)
    total_prose = max(_prose_chars(raws), 1)
    blocks = _prose_blocks(raws) if TUNING.wrapper_min_paragraphs > 1 else {}
    exempt = set()
    for el, n in sizes.size.items():
        info = infos[el]
        if not info.hint_reason:
            continue
        prose = sizes.prose.get(el, 0)
        # a <div> wrapping most of the page's text, or (unless it holds comments) most of its prose
        # in several paragraphs (one long paragraph in a sidebar is a profile, not the page);
        # an <aside> stays an aside
        wrapper = el.tag not in CHROME_TAGS and (
            n >= TUNING.wrapper_text_share * total
            or (info.hint_reason != "comments" and prose >= TUNING.wrapper_prose_share * total_prose
                and blocks.get(el, 0) >= TUNING.wrapper_min_paragraphs))
        misnamed = (info.hint_reason in _SHORT_CHROME
                    and prose >= max(TUNING.misnamed_min_prose, TUNING.misnamed_prose_share * n)
                    and sizes.links.get(el, 0) <= TUNING.misnamed_max_link_share * n)
        if wrapper or misnamed:
            exempt.add(el)
    return exempt


def _prose_blocks(raws: list[RawBlock]) -> dict:
    """Element -> prose blocks under it."""
    count: dict = {}
    for raw in raws:
        if raw.prose:
            for el in raw.chain:
                count[el] = count.get(el, 0) + 1
    return count


def _sizes(raws: list[RawBlock], parents: dict) -> Sizes:
    """Each block counts for its owner, then totals climb once from child to parent, in reverse
    document order (children first): not once per block and ancestor."""
    sizes = Sizes()
    size, links, prose = sizes.size, sizes.links, sizes.prose
    for raw in raws:
        owner = raw.chain[-1]
        size[owner] = size.get(owner, 0) + raw.chars
        if raw.link_chars:
            links[owner] = links.get(owner, 0) + raw.link_chars
        if raw.prose:
            prose[owner] = prose.get(owner, 0) + raw.chars
    for el in reversed(parents):  # parents: in push order, so each element after its ancestors
        parent = parents[el]
        if parent is None or el not in size:
            continue
        for totals in (size, links, prose):
            n = totals.get(el)
            if n:
                totals[parent] = totals.get(parent, 0) + n
    return sizes


def _score_container(raws: list[RawBlock], scoring: list[bool], sizes: Sizes, infos: dict,
                     exempt: set) -> tuple[set, Any] | None:
    """(kept container elements, best-scoring element), scoring only the blocks flagged in
    `scoring`; None when nothing scores."""
    scored = _candidate_scores(raws, scoring, sizes, infos)
    if scored is None:
        return None
    top = max(scored.final, key=lambda el: scored.final[el])
    top_score = scored.final[top]
    top = _merge_split_candidates(top, top_score, scored.final)
    top = _climb(top, top_score, scored)
    top = _prose_holder(top, scored, sizes, infos, exempt)
    core = top
    top = _widen(top, sizes, scored.good)
    return _with_siblings(top, scored.final.get(top, top_score), scored, sizes), core


def _candidate_scores(raws: list[RawBlock], scoring: list[bool], sizes: Sizes, infos: dict) -> _Scored | None:
    good: dict = {}  # characters of prose-like blocks (long, few links) under each element
    paragraphs: dict = {}
    depth: dict = {}
    total_good = 0
    scores: dict = {}
    levels = TUNING.score_levels
    for raw, ok in zip(raws, scoring, strict=False):
        prose = ok and raw.prose
        if prose:
            total_good += raw.chars
        for index, el in enumerate(raw.chain):
            depth[el] = index
            if prose:
                good[el] = good.get(el, 0) + raw.chars
                paragraphs[el] = paragraphs.get(el, 0) + 1
        if not ok or raw.link_chars > raw.chars * TUNING.score_max_link_share or raw.length < TUNING.score_min_length:
            continue
        score = 1 + len(_COMMAS.findall(raw.text)) + min(raw.length / TUNING.score_length_unit,
                                                         TUNING.score_length_cap)
        chain = raw.chain
        start = len(chain) - 2 if chain[-1].tag in _PARAGRAPH_OWNERS else len(chain) - 1
        for level, index in enumerate(range(start, max(start - len(levels), -1), -1)):
            el = chain[index]
            scores[el] = scores.get(el, 0.0) + score / levels[level]
    if not scores:
        return None
    weights = TUNING.tag_weights
    final = {el: (score + weights.get(el.tag, 0) + _class_weight(el, infos[el], paragraphs.get(el, 0)))
             * (1 - sizes.link_share(el)) for el, score in scores.items()}
    return _Scored(final, good, paragraphs, depth, total_good)


def _class_weight(el, info, paragraphs: int) -> float:
    """The class/id weight; a positive one (class="content") in full only for an element holding
    TUNING.class_bonus_full_paragraphs prose blocks: a box of one paragraph (a promotion, an excerpt
    of another post) named like an article must not outscore the article on its name alone.
    (itemprop="articleBody" is the site's own statement, not a name: it keeps its bonus.)"""
    weight = info.class_weight
    full = TUNING.class_bonus_full_paragraphs
    if weight <= 0 or not full or paragraphs >= full or el.get("itemprop") in ARTICLE_ITEMPROPS:
        return weight
    return weight * max(paragraphs, 1) / full  # (a post told in short lines has no prose block)


def _merge_split_candidates(top, top_score: float, final: dict):
    """Several strong candidates under one ancestor: the article is split, take the ancestor."""
    strong = [el for el, s in final.items() if el is not top and s >= TUNING.split_strong_share * top_score]
    if len(strong) < 2:
        return top
    for ancestor in top.iterancestors():
        if ancestor.tag in _TOP:
            break
        if sum(1 for el in strong if _is_inside(el, ancestor)) >= 2:
            return ancestor
    return top


def _climb(top, top_score: float, scored: _Scored):
    """Climb while the parent scores higher (the text continues in a sibling branch), or scores
    nearly as high while holding twice the prose (an intro paragraph outscoring the body)."""
    final, good = scored.final, scored.good
    parent = top.getparent()
    last = final.get(top, top_score)
    while parent is not None and parent.tag not in _TOP:
        score = final.get(parent)
        if score is not None:
            if score < top_score * TUNING.climb_floor_share:
                if not TUNING.climb_past_low_parents:
                    break
                parent = parent.getparent()  # a wrapper of the winner alone (a box around one section)
                continue
            if score > last or (score >= TUNING.climb_near_share * last
                                and good.get(parent, 0) >= TUNING.climb_prose_factor * max(good.get(top, 0), 1)):
                top = parent
                last = max(last, score)
        parent = parent.getparent()
    return top


def _prose_holder(top, scored: _Scored, sizes: Sizes, infos: dict, exempt: set):
    """A winner holding little of the page's prose lost to class names or markup accidents: take
    the deepest element that holds most of the prose instead (never chrome: on a page whose prose
    is all in a sidebar, the sidebar is not the article)."""
    good, total_good = scored.good, scored.total_good
    if not total_good or good.get(top, 0) >= TUNING.fallback_winner_share * total_good:
        return top

    def in_chrome(el) -> bool:
        return any(a in infos and infos[a].chrome and a not in exempt for a in (el, *el.iterancestors()))

    # A winner of few links told in short lines (a poem, a list of lines, <br>-broken paragraphs) is not
    # replaced by a lone prose paragraph (an author's profile in the sidebar); a winner that is a list
    # of links is (the one paragraph is the post, the links its replies).
    min_paragraphs = TUNING.fallback_min_paragraphs if sizes.link_share(top) < TUNING.prose_max_link_share else 1
    candidates = [(el, g) for el, g in good.items() if g >= TUNING.fallback_candidate_share * total_good
                  and scored.paragraphs[el] >= min_paragraphs
                  and el.tag not in _TOP and not in_chrome(el)]
    holders = [el for el, g in candidates if g >= TUNING.fallback_holder_share * total_good]
    if not holders:  # the prose is split: the deepest element holding a good part of it, 3x the winner's
        holders = [el for el, g in candidates if g >= TUNING.fallback_split_factor * good.get(top, 0)]
    return max(holders, key=lambda el: scored.depth.get(el, 0)) if holders else top


def _widen(top, sizes: Sizes, good: dict):
    """Widen to ancestors that add mostly prose: an article split over sibling sections."""
    size, links = sizes.size, sizes.links
    while True:
        parent = top.getparent()
        if parent is None or parent.tag in _TOP:
            return top
        extra = size.get(parent, 0) - size.get(top, 0)
        extra_good = good.get(parent, 0) - good.get(top, 0)
        extra_links = links.get(parent, 0) - links.get(top, 0)
        if extra and (extra_good < TUNING.widen_min_prose_share * extra
                      or extra_links > TUNING.widen_max_link_share * extra):
            return top
        top = parent


def _with_siblings(top, top_score: float, scored: _Scored, sizes: Sizes) -> set:
    """The container and its siblings that score well (more so when they share its class) or are
    prose paragraphs; and the prose paragraphs one level further up (an intro written directly
    in the post body, above a quoted or embedded block that won the scoring)."""
    kept = {top}
    parent = top.getparent()
    if parent is None or parent.tag == "html":
        return kept
    final = scored.final
    threshold = max(TUNING.sibling_min_score, top_score * TUNING.sibling_score_share)
    top_class = top.get("class")
    for sibling in parent:
        if sibling is top or not isinstance(sibling.tag, str):
            continue
        bonus = top_score * TUNING.sibling_class_bonus_share if top_class and sibling.get("class") == top_class \
            else 0
        scores_well = sibling in final and final[sibling] + bonus >= threshold
        if scores_well or (sibling.tag == "p" and sibling in sizes.size and _is_prose_paragraph(sibling, sizes)):
            kept.add(sibling)
    grandparent = parent.getparent()
    if grandparent is not None and grandparent.tag not in _TOP:
        for uncle in grandparent:
            if uncle.tag == "p" and sizes.size.get(uncle, 0) > TUNING.sibling_paragraph_chars \
                    and scored.good.get(uncle, 0) \
                    and sizes.links.get(uncle, 0) < TUNING.sibling_paragraph_link_share * sizes.size[uncle]:
                kept.add(uncle)
    return kept


def _is_prose_paragraph(p, sizes: Sizes) -> bool:
    """A <p> long enough with few links, or a short one with none."""
    n = sizes.size[p]
    share = sizes.link_share(p)
    return (n > TUNING.sibling_paragraph_chars and share < TUNING.sibling_paragraph_link_share) or (
        0 < n <= TUNING.sibling_paragraph_chars and share == 0)


def _is_inside(el, ancestor) -> bool:
    return any(a is ancestor for a in el.iterancestors())
