"""Container rules written from dragnet pages (docs/extraction.md, "Where the rules came from"), on
small hand-written pages: each rule's test runs with its tuning field on and off and asserts opposite
outcomes (so it fails without the rule); the other tests guard the layouts the rule must leave alone."""
from __future__ import annotations

import dataclasses

import pytest
from council_story import COUNCIL_STORY, READER_COMMENT

from normalise.boilerplate import passes
from normalise.extract import container, hidden_text, html_blocks, tuning, walker

ARTICLE, COMMENT = COUNCIL_STORY, READER_COMMENT


def _paragraphs(texts) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


def _use(monkeypatch, **values) -> None:
    chosen = dataclasses.replace(tuning.TUNING, **values)
    for module in (walker, container, html_blocks, hidden_text, passes):
        monkeypatch.setattr(module, "TUNING", chosen)
    walker._info_for.cache_clear()
    walker._attribute_hints.cache_clear()


def _in_main(page: str) -> dict[str, bool]:
    """Block text -> inside the chosen container and not marked by a structural hint."""
    out = {}
    for block in html_blocks.html_to_blocks(page):
        hints = html_blocks.get_hints(block)
        out[block.text] = bool(hints and hints.in_main and not hints.hint_reason and not block.removed)
    return out


# -- comment_posts_scored_only ------------------------------------------------------------------
_THREAD_PAGE = (
    '<html><body><div id="content_box"><div id="content" class="hfeed"><div class="post">'
    f'<h2>Cycling lanes approved</h2><div class="entry-content">{_paragraphs(ARTICLE[:2])}</div></div></div>'
    '<div id="comments"><dl id="comment_list">'
    + "".join(f'<dt class="comment">reader{n}</dt><dd class="comment"><div class="format_text" id="comment-body-{n}">'
              f'<p>{COMMENT.format(n=n)}</p></div></dd>' for n in range(40))
    + '</dl></div></div></body></html>')


@pytest.mark.parametrize("rule", [True, False])
def test_a_comment_thread_inside_chrome_is_not_the_content(monkeypatch, rule):
    # the thread is chrome (id "comments", class "comment"): its posts did not score, so their inner
    # "format_text" element (a comment hint, no negative weight) does not make them a forum thread
    _use(monkeypatch, comment_posts_scored_only=rule)
    in_main = _in_main(_THREAD_PAGE)
    assert all(in_main[p] for p in ARTICLE[:2])
    assert in_main[COMMENT.format(n=7)] is (not rule)


def test_a_forum_thread_of_posts_named_comments_stays_the_content(monkeypatch):
    _use(monkeypatch, comment_posts_scored_only=True)
    posts = "".join(f'<div class="forum-comment"><span class="user">member{n}</span><p>{COMMENT.format(n=n)}</p></div>'
                    for n in range(6))
    page = f'<html><body><div class="thread"><h1>Cycling lanes on the embankment?</h1>{posts}</div></body></html>'
    in_main = _in_main(page)
    assert in_main[COMMENT.format(n=0)] and in_main[COMMENT.format(n=5)]


# -- climb_past_low_parents -------------------------------------------------------------------
_OPENING = ("The city will build eleven kilometres of protected cycling lanes over the next two years and the "
            "first of them will run along the river from the old harbour to the railway station. The plan was "
            "drawn up after three years of counting bicycles at every bridge in the centre and it puts the new "
            "lanes where the counts were highest. The council expects the number of people who cycle to work to "
            "double once the network is complete and it will pay for the works from the parking fund.")
_BOXED_PAGE = (
    '<html><body><div id="main"><div class="entry-content">'
    f'<div class="first">{_paragraphs([_OPENING, ARTICLE[0]])}</div>'
    f'<div id="continued"><div id="pr_box"><div id="pr_text">{_paragraphs(ARTICLE[2:])}</div></div>'
    '<p><a href="/share">Share this story</a> <a href="/tags">Tags: cycling, council</a></p></div>'
    '</div></div>'
    '<div id="sidebar"><ul><li><a href="/a">Archive</a></li><li><a href="/b">About</a></li></ul></div>'
    '</body></html>')


@pytest.mark.parametrize("rule", [True, False])
def test_the_climb_passes_a_wrapper_of_the_winner_alone(monkeypatch, rule):
    # the last paragraphs, boxed in a class-named element, outscore the body; the wrappers around
    # the box score little, but the body above them holds twice the prose: the climb reaches it
    _use(monkeypatch, climb_past_low_parents=rule, class_bonus_full_paragraphs=0)
    in_main = _in_main(_BOXED_PAGE)
    assert all(in_main[p] for p in ARTICLE[2:])
    assert in_main[_OPENING] is rule


# -- class_bonus_full_paragraphs ----------------------------------------------------------------
_PROMO = ("Our new issue is out now with an illuminating interview with a ninety-year-old designer and a portfolio "
          "of new photography from the coast and a guide to the season's exhibitions and much more besides "
          "in shops and on tablets from Thursday.")


@pytest.mark.parametrize("rule", [3, 0])
def test_a_box_named_content_with_one_paragraph_does_not_outscore_the_article(monkeypatch, rule):
    # a magazine's "latest issue" box of one paragraph, named "content", beside an article whose
    # paragraphs sit in elements without article-like names
    _use(monkeypatch, class_bonus_full_paragraphs=rule)
    page = ('<html><body><div id="top"><div id="featured"><div class="panel" id="latest-issue"><div class="content">'
            f'<h4>Issue 215</h4><p>{_PROMO}</p></div></div></div></div>'
            '<div id="left"><div class="wrap"><div id="editorial"><h1>Cycling lanes approved</h1>'
            f'{_paragraphs(ARTICLE[:3])}</div></div></div></body></html>')
    in_main = _in_main(page)
    assert all(in_main[p] for p in ARTICLE[:3]) is bool(rule)
    assert in_main[_PROMO] is not bool(rule)


# -- comments_own_prose_chars -------------------------------------------------------------------
def _post_above_comments(post: str) -> str:
    """A one-paragraph post under its headline, then a thread of 60 prose comments."""
    comments = "".join(f'<li class="comment"><p>{COMMENT.format(n=n)}</p></li>' for n in range(60))
    return (f'<html><body><div class="story"><h1>Cycling lanes approved</h1><p>{post}</p></div>'
            f'<div id="comments"><ol class="comment-list">{comments}</ol></div></body></html>')


@pytest.mark.parametrize("rule", [80, 200])
def test_one_paragraph_post_above_a_long_comment_thread_is_the_article(monkeypatch, rule):
    _use(monkeypatch, comments_own_prose_chars=rule)
    in_main = _in_main(_post_above_comments(ARTICLE[0]))
    assert in_main[ARTICLE[0]]
    assert in_main[COMMENT.format(n=7)] is (rule == 200)


_SHORT_POST = "The council approved the new riverside cycling lanes on Monday night after a long debate."


@pytest.mark.parametrize("rule", [80, 100])
def test_a_prose_paragraph_counts_with_its_spaces_beside_a_comment_thread(monkeypatch, rule):
    # the post's one paragraph is a prose block (89 characters, 75 without spaces): the page's own
    # prose is measured as a prose block is, so one such paragraph is enough at 80
    _use(monkeypatch, comments_own_prose_chars=rule)
    in_main = _in_main(_post_above_comments(_SHORT_POST))
    assert in_main[_SHORT_POST]
    assert in_main[COMMENT.format(n=7)] is (rule == 100)


_PHOTO_CAPTION = "Spring colours on the embankment"


def _photo_post(numbered: bool) -> str:
    comments = "".join(f'<li class="comment"{f" id=comment-{4000 + n}" if numbered else ""}>'
                       f'<p>{COMMENT.format(n=n)}</p></li>' for n in range(30))
    return (f'<html><body><div class="story"><h1>Cycling lanes approved</h1><p>{_PHOTO_CAPTION}</p></div>'
            f'<div id="comments"><ol class="comment-list">{comments}</ol></div></body></html>')


@pytest.mark.parametrize("rule", [True, False])
def test_a_numbered_thread_of_readers_comments_is_never_the_content(monkeypatch, rule):
    # a photo post with a one-line caption (no prose paragraph) above its readers' comments, each a
    # permalink numbered in its id: the comments are not the page, however little the post says
    _use(monkeypatch, numbered_comments_never_content=rule)
    in_main = _in_main(_photo_post(numbered=True))
    assert in_main[_PHOTO_CAPTION]
    assert in_main[COMMENT.format(n=7)] is not rule


def test_comment_named_updates_without_numbered_ids_stay_the_content(monkeypatch):
    # a live ticker whose updates carry "comment" classes but no permalink ids
    _use(monkeypatch, numbered_comments_never_content=True)
    assert _in_main(_photo_post(numbered=False))[COMMENT.format(n=7)]


# -- link_roundup_share (normalise/extract/html_blocks.py) -----------------------------------------
_HEADLINES = ["Council approves the riverside cycling lanes", "Ferry timetable changes from Monday",
              "Market square reopens after the repairs", "New library hours for the winter",
              "Harbour bridge design chosen by residents", "School buses to stop at the station"]


def _kept(page: str) -> dict[str, bool]:
    from normalise.boilerplate import BoilerplateRemover
    from normalise.stages import DocumentContext
    blocks = html_blocks.html_to_blocks(page)
    BoilerplateRemover().apply(blocks, DocumentContext(id="t"))
    return {b.text: b.removed is None for b in blocks}


@pytest.mark.parametrize("rule", [0.6, 0.0])
def test_a_post_made_of_link_lists_keeps_its_lists(monkeypatch, rule):
    # a weekly round-up: the post is a heading and two lists of linked headlines, no paragraph
    _use(monkeypatch, link_roundup_share=rule)
    # every other headline has a line of its own after the link (those items score; the rest are links)
    items = "".join(f'<li><a href="/n/{n}">{h}</a>{" – what it means for your commute this week" if n % 2 else ""}'
                    '</li>' for n, h in enumerate(_HEADLINES))
    page = ('<html><body><div id="sidebar"><ul><li><a href="/">Home</a></li><li><a href="/a">Archive</a></li></ul></div>'
            f'<div class="post"><h2>The week in review</h2><div class="entry-body"><ul>{items}</ul>'
            f'<p>Around the region</p><ul>{items.replace("/n/", "/r/")}</ul></div></div></body></html>')
    kept = {text.split(" – ")[0]: k for text, k in _kept(page).items()}
    assert all(kept[h] for h in _HEADLINES) is bool(rule)
    assert not kept["Archive"]


def test_a_related_list_under_a_prose_article_is_still_dropped(monkeypatch):
    _use(monkeypatch, link_roundup_share=0.6)
    items = "".join(f'<li><a href="/n/{n}">{h}</a></li>' for n, h in enumerate(_HEADLINES[:3]))
    page = (f'<html><body><div class="post"><h2>Cycling lanes approved</h2>{_paragraphs(ARTICLE)}'
            f'<ul>{items}</ul></div></body></html>')
    kept = _kept(page)
    assert all(kept[p] for p in ARTICLE)
    assert not any(kept[h] for h in _HEADLINES[:3])


# -- described_link_max_share (normalise/boilerplate/passes.py) --------------------------------------
_DESCRIBED = [(h, " – starts in March, says the mayor")
              for h in _HEADLINES[:3]]


@pytest.mark.parametrize("rule", [0.9, 0.5])
def test_linked_items_with_words_of_their_own_are_the_posts_text(monkeypatch, rule):
    # a post listing stories with a sentence about each: most of every item is its link, but the rest
    # is the author's; a list of bare linked headlines beside it is still a related list
    _use(monkeypatch, described_link_max_share=rule)
    described = "".join(f'<li><a href="/s/{n}">{h}</a>{tail}</li>' for n, (h, tail) in enumerate(_DESCRIBED))
    bare = "".join(f'<li><a href="/b/{n}">{h}</a></li>' for n, h in enumerate(_HEADLINES[3:]))
    page = (f'<html><body><div class="post"><h2>Cycling lanes approved</h2>{_paragraphs(ARTICLE[:2])}'
            f'<ul>{described}</ul>{_paragraphs(ARTICLE[2:])}<ul>{bare}</ul></div></body></html>')
    kept = _kept(page)
    assert all(kept[h + tail] for h, tail in _DESCRIBED) is (rule == 0.9)
    assert not any(kept[h] for h in _HEADLINES[3:])
    assert all(kept[p] for p in ARTICLE)


# -- wrapper_min_paragraphs -----------------------------------------------------------------------
_PROFILE = ("I am a retired engineer who writes about cities, transport and the people who plan them, "
            "and before that I spent thirty years building bridges, tunnels and railway stations in four "
            "countries, from the cold north to the humid south, which taught me that every town believes "
            "its traffic is the worst in the world, that every council thinks its plan is the first good "
            "one, and that the people who walk, cycle and wait for buses are almost never asked first. "
            "When I am not writing here I teach a night class on the history of roads and I grow tomatoes.")


@pytest.mark.parametrize("rule", [2, 0])
def test_one_long_paragraph_in_a_sidebar_does_not_make_it_the_page(monkeypatch, rule):
    # the sidebar's author profile holds more than half the page's prose in one paragraph: the sidebar
    # is not a wrapper of the page (a naming accident), so it stays chrome and the post is the article
    _use(monkeypatch, wrapper_min_paragraphs=rule)
    page = (f'<html><body><div id="left"><div><h2>Cycling lanes approved</h2>'
            f'{_paragraphs(ARTICLE[:2])}</div></div>'
            f'<div id="sidebar"><div class="profile"><h3>About me</h3><p>{_PROFILE}</p></div></div></body></html>')
    in_main = _in_main(page)
    assert all(in_main[p] for p in ARTICLE[:2]) is bool(rule)
    assert in_main[_PROFILE] is not bool(rule)
