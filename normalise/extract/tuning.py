"""Every number the HTML extractor's rules use, named, in one place.

Shares are fractions (0.25 = a quarter); sizes are non-space characters unless said otherwise;
"length" is the effective length (a CJK character counts as three letters). Where a number came
from is recorded in docs/extraction.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType


def _tag_weights() -> MappingProxyType:
    return MappingProxyType({
        "div": 5, "article": 8, "main": 5, "section": 2, "pre": 3, "td": 3, "blockquote": 3,
        "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3,
        "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5, "nav": -25,
        "aside": -25, "footer": -25, "header": -10})


@dataclass(frozen=True)
class ExtractorTuning:
    # -- what a block is
    prose_min_length: int = 80  # a prose block: at least this long ...
    prose_max_link_share: float = 0.25  # ... and less link text than this
    data_cell_chars: int = 200  # longest cell text of a data-table row (the row is one block)
    caption_max_chars: int = 1000  # a class-named caption holding more is a wrapper, not a caption

    # -- readability-style scores of candidate containers
    score_max_link_share: float = 0.5  # blocks with more link text than this do not score
    score_min_length: int = 25  # nor do shorter blocks
    score_length_unit: int = 100  # a block scores 1 + commas + min(length / unit, cap)
    score_length_cap: float = 3.0
    score_levels: tuple[int, ...] = (1, 2, 3)  # a block's score goes to 3 ancestors, divided by these
    tag_weights: MappingProxyType = field(default_factory=_tag_weights)
    article_itemprop_bonus: int = 50  # itemprop="articleBody"
    class_bonus_full_paragraphs: int = 3  # a positive class/id bonus in full from this many prose blocks (0: always)

    # -- from the best-scoring element to the container
    split_strong_share: float = 0.75  # candidates scoring this share of the best: the article is split
    climb_floor_share: float = 1 / 3  # stop climbing at a parent scoring less than this share of the best
    climb_near_share: float = 0.75  # climb to a parent scoring nearly as high ...
    climb_prose_factor: float = 2.0  # ... that holds this many times the prose
    climb_past_low_parents: bool = True  # a low-scoring wrapper between does not stop the climb
    fallback_winner_share: float = 0.25  # a winner holding less of the page's prose lost to accidents
    fallback_candidate_share: float = 0.3  # candidates for the prose holder hold this share of it
    fallback_holder_share: float = 0.6  # a holder of most of the prose
    fallback_split_factor: float = 3.0  # split prose: a holder of this many times the winner's prose
    fallback_min_paragraphs: int = 2  # a winner of few links keeps its place before a holder of fewer prose blocks
    widen_min_prose_share: float = 0.5  # widen to a parent whose extra text is mostly prose ...
    widen_max_link_share: float = 0.3  # ... and not links
    sibling_min_score: float = 10.0  # siblings of the container scoring this (or a share of its score) join
    sibling_score_share: float = 0.2
    sibling_class_bonus_share: float = 0.2  # a sibling of the container's class gets this share as a bonus
    sibling_paragraph_chars: int = 80  # a sibling <p> this long with few links joins (a shorter one: no links)
    sibling_paragraph_link_share: float = 0.25

    # -- chrome (comments, related lists, navigation ...)
    content_min_prose_share: float = 0.05  # prose left when chrome does not score: at least this share ...
    content_min_prose_chars: int = 200  # ... and this many characters, or everything scores
    comments_never_outweigh: bool = True  # ... unless the rest is a comment thread: then ...
    comments_own_prose_chars: int = 80  # ... this much of the page's own prose suffices (effective length)
    numbered_comments_never_content: bool = True  # ... and none when the posts' ids number them (readers' comments)
    comments_are_content_share: float = 0.5  # comment-marked posts holding this share of the prose are content
    comment_posts_scored_only: bool = True  # ... counting only posts that scored (outside chrome)
    wrapper_text_share: float = 0.8  # a chrome-named element wrapping this share of the text is not chrome
    wrapper_prose_share: float = 0.5  # ... or this share of the prose
    wrapper_min_paragraphs: int = 2  # ... in at least this many prose blocks (0, 1: any)
    misnamed_min_prose: int = 300  # a menu/widget/ad element with this much prose ...
    misnamed_prose_share: float = 0.6  # ... making up this share of its text ...
    misnamed_max_link_share: float = 0.2  # ... and few links is misnamed
    hint_container_share: float = 0.5  # a hinted element holding more of the container is a naming accident
    teaser_max_link_share: float = 0.1  # a "teaser" opening the article with fewer links is its lead
    link_roundup_share: float = 0.6  # list items holding this share of a container without prose are its text (0: off)
    described_link_min_words: int = 12  # a list item of this many words inside the container is a related link ...
    described_link_max_share: float = 0.9  # ... only with this share of link text or more (else it says more)

    # -- text above the container
    lead_reach: int = 1500  # a lead-classed paragraph within this many characters above the container
    lead_max_link_share: float = 0.3
    lead_min_length: int = 50
    intro_reach: int = 1500  # an intro between the <h1> and the container within this many characters
    intro_max_link_share: float = 0.25
    intro_min_length: int = 80  # an intro paragraph this long, or ...
    intro_sentence_min_length: int = 30  # ... this long ending like a sentence

    # -- hidden elements (hidden attribute, display:none, visibility:hidden)
    keep_hidden_prose: bool = False  # a hidden element without chrome hints that is mostly prose is page text
    hidden_prose_share: float = 0.5  # ... "mostly": this share of its text is prose ...
    hidden_min_paragraphs: int = 2  # ... in at least this many prose blocks (one is a notice, not a story)
    keep_hidden_story: bool = True  # hidden prose holding most of the page's prose is page text, any class
    hidden_story_share: float = 0.5  # ... "most": this share of the page's prose (hidden copies not counted)

    # -- captions
    captions_as_text_min: int = 200  # caption prose over this, and over the paragraphs': the text


TUNING = ExtractorTuning()
