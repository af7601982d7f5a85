"""Which part of an HTML page the extractor treats as the article (normalise/extract/html_blocks.py).

Each page is a small hand-written fixture reproducing one layout that used to fool the container
choice: comments or a live blog outweighing a short article, a lead paragraph above the body, a
results table, a forum thread whose posts are marked as comments.
"""
from __future__ import annotations

import pytest
from council_story import COUNCIL_STORY, READER_COMMENT

from normalise import InputDocument, NormaliserConfig
from normalise.pipeline import Normaliser

ARTICLE = COUNCIL_STORY[:3]
COMMENT = READER_COMMENT


@pytest.fixture(scope="module")
def normaliser():
    return Normaliser(NormaliserConfig(translate=False))


def _run(normaliser, html):
    return normaliser.normalise(InputDocument(id="t", html=html))


def _paragraphs(texts):
    return "".join(f"<p>{t}</p>" for t in texts)


def test_long_comment_thread_does_not_win_over_a_short_article(normaliser):
    comments = "".join(f'<li class="comment"><p class="author">reader{n} says:</p><p>{COMMENT.format(n=n)}</p></li>'
                       for n in range(25))
    html = (f'<html><body><article><h1>Cycling lanes approved</h1><div class="entry-content">'
            f'{_paragraphs(ARTICLE)}</div><div id="comments" class="comments-area"><h2>25 comments</h2>'
            f'<ol class="comment-list">{comments}</ol></div></article></body></html>')
    record = _run(normaliser, html)
    for paragraph in ARTICLE:
        assert paragraph in record.text
    assert "reader3 says" not in record.text and "comment 7." not in record.text
    removed = {b.removed for b in record.blocks if "comment 7." in b.text}
    assert removed and None not in removed


def test_live_blog_in_an_aside_does_not_win_over_the_article(normaliser):
    items = "".join(f"<li><h3>{n}:00</h3><p>{COMMENT.format(n=n)} More updates follow here soon.</p></li>"
                    for n in range(20))
    html = (f'<html><body><div class="page"><div class="story-body">{_paragraphs(ARTICLE)}</div>'
            f'<aside><h2>Live</h2><ul class="live-feed">{items}</ul></aside></div></body></html>')
    record = _run(normaliser, html)
    assert all(p in record.text for p in ARTICLE)
    assert "comment 5." not in record.text


def test_results_table_rows_are_kept_as_one_block_each(normaliser):
    rows = "".join(f'<tr class="oddrow player-{n}"><td>{n}</td><td>Rider {chr(64 + n)}</td><td>{600 - 7 * n}</td></tr>'
                   for n in range(1, 9))
    html = (f'<html><body><div class="article-body">{_paragraphs(ARTICLE[:2])}'
            f'<table><tr><th>Pos.</th><th>Rider</th><th>Points</th></tr>{rows}</table></div></body></html>')
    record = _run(normaliser, html)
    kept = [b.text for b in record.blocks if b.kept]
    assert "Pos. Rider Points" in kept
    assert "1 Rider A 593" in kept and "8 Rider H 544" in kept


def test_lead_paragraph_above_the_body_container_is_kept(normaliser):
    lead = "Council backs a four-kilometre network of protected lanes after months of consultation."
    html = (f'<html><body><main><header class="entry-header"><h1>Cycling lanes approved</h1>'
            f'<p class="article-lead">{lead}</p></header><div class="related"><a href="/x">Other news</a></div>'
            f'<article class="article-body"><div class="entry-content">{_paragraphs(ARTICLE)}</div></article>'
            f'</main></body></html>')
    record = _run(normaliser, html)
    assert lead in record.text
    assert record.text.index(lead) < record.text.index(ARTICLE[0])
    assert "Other news" not in record.text


def test_heading_left_with_nothing_after_it_is_dropped(normaliser):
    links = "".join(f'<li><a href="/story/{n}">Another story headline number {n}</a></li>' for n in range(6))
    html = (f'<html><body><article><h1>Cycling lanes approved</h1>{_paragraphs(ARTICLE)}'
            f'<h3>More on this topic</h3><ul>{links}</ul></article></body></html>')
    record = _run(normaliser, html)
    heading = next(b for b in record.blocks if b.text == "More on this topic")
    assert heading.removed is not None
    assert record.text.endswith(ARTICLE[-1])


def _forum_thread(post_class: str, byline: str) -> str:
    """A thread of six posts, each `<div class=post_class>` with a byline (`{n}`: post number) and a comment."""
    posts = "".join(f'<div class="{post_class}">{byline.format(n=n)}<p>{COMMENT.format(n=n)}</p></div>'
                    for n in range(6))
    return f'<div class="thread"><h1>Cycling lanes on the embankment?</h1>{posts}</div>'


def test_forum_thread_whose_posts_are_marked_as_comments_keeps_the_posts(normaliser):
    thread = _forum_thread("forum-comment", '<span class="user">member{n}</span>')
    html = f'<html><body>{thread}</body></html>'
    record = _run(normaliser, html)
    assert "comment 0." in record.text and "comment 5." in record.text


def test_paywall_class_on_the_rest_of_the_article_does_not_drop_it(normaliser):
    html = (f'<html><body><article><div class="article__body" itemprop="articleBody">{_paragraphs(ARTICLE[:1])}'
            f'<div class="paywall">{_paragraphs(ARTICLE[1:])}</div></div></article>'
            f'<div class="paywall-prompt"><p>Subscribe now</p></div></body></html>')
    record = _run(normaliser, html)
    assert all(p in record.text for p in ARTICLE)


def test_class_list_mentioning_captions_on_the_body_does_not_turn_the_article_into_captions(normaliser):
    html = (f'<html><body class="theme-dark flag-no-caption"><nav><a href="/">Home</a></nav>'
            f'<article><h1>Cycling lanes approved</h1>{_paragraphs(ARTICLE)}</article></body></html>')
    record = _run(normaliser, html)
    kinds = {b.kind for b in record.blocks if b.text in ARTICLE}
    assert kinds == {"paragraph"}


def test_short_caption_class_still_marks_a_caption(normaliser):
    html = (f'<html><body><article><h1>Cycling lanes approved</h1><div class="photo-caption">'
            f'The embankment where the first stretch will be built.</div>{_paragraphs(ARTICLE)}</article>'
            f'</body></html>')
    record = _run(normaliser, html)
    caption = next(b for b in record.blocks if b.text.startswith("The embankment where"))
    assert caption.kind == "caption"


_LINK_LIST = "<ul>" + "".join(f'<li><a href="/s/{n}">Another story from the city desk, number {n}</a></li>'
                              for n in range(10)) + "</ul>"


def test_intro_between_the_headline_and_the_body_container_is_kept(normaliser):
    intro = ("After months of consultation the council voted for a network of protected lanes, "
             "the largest change to the city's streets in a decade.")
    picture = "A cyclist on the embankment, where the first stretch of lane is planned this spring."
    html = (f'<html><body><div class="site"><div class="post"><div class="post-header"><h1>Cycling lanes approved</h1>'
            f'<div class="meta"><span>12 March</span> <a href="/a">Staff reporter</a></div>'
            f'<div class="header-text"><p>{intro}</p></div>'
            f'<div class="hero-image"><p>{picture}</p></div>{_LINK_LIST}</div>'
            f'<div class="post-body">{_paragraphs(ARTICLE)}</div></div>'
            f'<div class="more"><p>Unrelated text far below the article that nobody wrote as an intro here.</p></div>'
            f'</div></body></html>')
    record = _run(normaliser, html)
    assert intro in record.text
    assert record.text.index(intro) < record.text.index(ARTICLE[0])
    assert picture not in [b.text for b in record.blocks if b.kept and b.kind != "caption"]


def test_prose_above_the_container_without_a_headline_above_it_is_not_taken_as_intro(normaliser):
    teaser = ("Our newest podcast episode looks at how small towns finance their roads, with guests "
              "from three regional councils and a transport economist.")
    html = (f'<html><body><div class="site">{_LINK_LIST}<div class="box"><p>{teaser}</p></div>'
            f'<div class="post"><div class="post-body">{_paragraphs(ARTICLE)}</div></div></div></body></html>')
    record = _run(normaliser, html)
    assert teaser not in record.text


def test_comma_heavy_box_does_not_win_over_deeply_nested_article_prose(normaliser):
    # a panel of comma-separated keywords (plus one blurb) scores high on commas but holds a fifth of
    # the page's prose; the article's paragraphs, each wrapped several levels deep, hold the rest
    keywords = "boards, kites, wetsuits, fins, pumps, bags, vests, ropes, bars, wax"
    boxes = "".join(f'<div class="cell"><p>{keywords} {n}</p></div>' for n in range(4))
    blurb = ("Our shop on the harbour front has been selling and repairing equipment for water sports for "
             "thirty years, and the team is happy to advise beginners and experts alike, all year round.")
    steps = "".join(f'<div class="step"><div class="copy"><div><p>{t}</p></div></div></div>' for t in ARTICLE + [
        "Residents who want to comment on the detailed drawings can do so at the town hall until the end "
        "of the month, and the council will publish a summary of the responses before work starts."])
    html = (f'<html><body><div class="top-panel"><div class="grid">{boxes}<div class="cell"><p>{blurb}</p></div>'
            f'</div></div><div class="page"><div class="main-area"><h1>Cycling lanes approved</h1>'
            f'<div class="steps">{steps}</div></div></div></body></html>')
    record = _run(normaliser, html)
    assert all(p in record.text for p in ARTICLE)
    assert "wetsuits" not in record.text


def test_prose_only_in_a_sidebar_does_not_replace_a_data_page(normaliser):
    rows = "".join(f"<tr><td>{n}</td><td>Rider {chr(64 + n)}</td><td>{600 - 7 * n}</td></tr>" for n in range(1, 15))
    side = "".join(f'<p>{t}</p>' for t in ARTICLE)
    html = (f'<html><body><div class="content"><h1>Standings</h1><p>The standings after the final race.</p>'
            f'<table>{rows}</table></div><aside class="sidebar">{side}</aside></body></html>')
    record = _run(normaliser, html)
    assert "1 Rider A 593" in record.text
    assert ARTICLE[0] not in record.text


def test_slideshow_told_in_captions_keeps_them_as_text(normaliser):
    slides = "".join(f'<figure class="slide"><img src="/{n}.jpg"><figcaption>{t}</figcaption></figure>'
                     for n, t in enumerate(ARTICLE))
    html = (f'<html><body><div class="slideshow"><h1>Cycling lanes approved</h1><p>Photo gallery</p>{slides}'
            f'</div></body></html>')
    record = _run(normaliser, html)
    kinds = {b.kind for b in record.blocks if b.text in ARTICLE}
    assert kinds == {"paragraph"}


def test_captions_beside_a_longer_article_stay_captions(normaliser):
    caption = "The river embankment, where the first stretch of the new lanes will be built this spring."
    html = (f'<html><body><article><h1>Cycling lanes approved</h1><figure><img src="/a.jpg">'
            f'<figcaption>{caption}</figcaption></figure>{_paragraphs(ARTICLE)}</article></body></html>')
    record = _run(normaliser, html)
    assert next(b for b in record.blocks if b.text == caption).kind == "caption"


def test_bare_url_written_out_in_the_article_is_kept_but_short_menu_links_are_not(normaliser):
    html = (f'<html><body><article><h1>Cycling lanes approved</h1>{_paragraphs(ARTICLE[:2])}'
            f'<p>The full plan is published here:</p><p><a href="https://example.org/plan">https://example.org/plan</a></p>'
            f'{_paragraphs(ARTICLE[2:])}<p><a href="/more">More city news</a></p></article></body></html>')
    record = _run(normaliser, html)
    kept = [b.text for b in record.blocks if b.kept]
    assert "https://example.org/plan" in kept
    assert "More city news" not in kept


def test_article_paragraph_about_subscription_prices_is_kept_amid_the_article(normaliser):
    prices = ("The two-year subscription costs 2.22 euros per month from November, instead of the usual "
              "2.88 euros, so that the whole plan of twenty-seven months comes to just under sixty euros, "
              "which the provider says makes it the cheapest offer it has ever run for new customers.")
    html = (f'<html><body><article><h1>Cheaper plans for the winter</h1>{_paragraphs(ARTICLE[:2])}'
            f'<p>{prices}</p>{_paragraphs(ARTICLE[2:])}</article></body></html>')
    record = _run(normaliser, html)
    assert prices in record.text


def test_newsletter_prompt_between_article_paragraphs_is_still_dropped(normaliser):
    prompt = ("Start every morning with our briefing, read by thousands of commuters across the region "
              "before their first coffee. Sign up for the free daily newsletter and subscribe in one click "
              "with your email address today.")
    html = (f'<html><body><article><h1>Cycling lanes approved</h1>{_paragraphs(ARTICLE[:2])}'
            f'<p>{prompt}</p>{_paragraphs(ARTICLE[2:])}</article></body></html>')
    record = _run(normaliser, html)
    assert prompt not in record.text


def test_post_body_kept_in_an_html_template_script_is_page_text(normaliser):
    html = (f'<html><body><div class="post"><h2 class="title">Cycling lanes approved</h2><div class="post-body">'
            f'<script type="text/template">{_paragraphs(ARTICLE)}</script></div></div>'
            f'<script type="text/template">{{"type": "Text", "content": "<p>not page text</p>"}}</script>'
            f'</body></html>')
    record = _run(normaliser, html)
    assert all(p in record.text for p in ARTICLE)
    assert "not page text" not in record.text


def test_linked_headline_under_a_colon_label_inside_the_article_is_a_read_also_teaser(normaliser):
    # language-independent: the label is not in any lexicon, the shape gives it away
    html = (f'<html><body><article><h1>Cycling lanes approved</h1>{_paragraphs(ARTICLE[:1])}'
            f'<p>Zie ook:</p><p><a href="/x">Council debates the future of the old harbour bridge after a long winter</a></p>'
            f'{_paragraphs(ARTICLE[1:2])}<p>Ver tambem: <a href="/y">Harbour bridge repairs to start in the spring after '
            f'the vote</a></p>{_paragraphs(ARTICLE[2:])}</article></body></html>')
    record = _run(normaliser, html)
    assert all(p in record.text for p in ARTICLE)
    for gone in ("Zie ook:", "old harbour bridge", "Harbour bridge repairs"):
        assert gone not in record.text


def test_colon_label_before_article_prose_is_left_alone(normaliser):
    html = (f'<html><body><article><h1>Cycling lanes approved</h1>{_paragraphs(ARTICLE[:1])}<p>Key facts:</p>'
            f'{_paragraphs(ARTICLE[1:])}</article></body></html>')
    record = _run(normaliser, html)
    assert all(p in record.text for p in ARTICLE)
    assert next(b for b in record.blocks if b.text == "Key facts:").kept


@pytest.mark.parametrize("stamp", ["03.04.2020", "14.05.2014, 15:40 Uhr", "05:28 Uhr", "NOVEMBER 20, 2019 10:43",
                                   "20 November 2019", "March 3, 2021 | 4:10pm", "Posted on March 3, 2021 at 5:00 pm",
                                   "Ana Ruiz - Nov 19, 2019, 10:31 pm CST", "martes, 3 de mayo de 2022 a las 20:13",
                                   "2022.01.20 16:31 来源：本地日报", "2022年1月20日"])
def test_block_that_is_only_a_date_is_a_dateline_not_article_text(normaliser, stamp):
    html = (f'<html><body><article><h1>Cycling lanes approved</h1><p>{stamp}</p>{_paragraphs(ARTICLE)}'
            f'</article></body></html>')
    record = _run(normaliser, html)
    block = next(b for b in record.blocks if b.text == stamp)
    assert block.removed == "dateline"
    assert all(p in record.text for p in ARTICLE)


def test_sentence_starting_with_a_date_is_kept(normaliser):
    sentence = "20 November 2019 was the day the council first discussed the lanes in public."
    html = (f'<html><body><article><h1>Cycling lanes approved</h1>{_paragraphs(ARTICLE[:1])}<p>{sentence}</p>'
            f'{_paragraphs(ARTICLE[1:])}</article></body></html>')
    assert sentence in _run(normaliser, html).text


def test_forum_posts_named_comment_beside_content_tokens_are_the_thread(normaliser):
    # the posts' class names mix "comment" with an article-like token, so they score; a short
    # chrome aside elsewhere on the page must not turn them back into a comment section
    html = (f'<html><body><aside><p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p></aside>'
            f'{_forum_thread("PostComment ContentHolder", "<span>member{n} 28.09.19</span>")}</body></html>')
    record = _run(normaliser, html)
    assert "comment 0." in record.text and "comment 5." in record.text


def test_noscript_left_open_does_not_swallow_the_page(normaliser):
    html = (f'<html><head><title>t</title></head><body><noscript><div class="nojs"></noscript>'
            f'<div class="page"><article><h1>Cycling lanes approved</h1>{_paragraphs(ARTICLE * 3)}</article></div>'
            f'<noscript><p>Please enable JavaScript to see the map.</p></noscript></body></html>')
    record = _run(normaliser, html)
    assert all(p in record.text for p in ARTICLE)
    assert "enable JavaScript" not in record.text


def test_intro_reaches_past_a_headline_repeated_in_a_print_box(normaliser):
    intro = ("After months of consultation the council voted for a network of protected lanes, "
             "the largest change to the city's streets in a decade.")
    html = (f'<html><body><div class="site"><div class="post"><div class="post-header"><h1>Cycling lanes approved</h1>'
            f'<div class="header-text"><p>{intro}</p></div>{_LINK_LIST}</div>'
            f'<div class="print-only"><h1>Cycling lanes approved</h1></div>'
            f'<div class="post-body">{_paragraphs(ARTICLE)}</div></div></div></body></html>')
    record = _run(normaliser, html)
    assert intro in record.text


def test_site_terms_notice_and_messenger_widget_inside_the_article_are_dropped(normaliser):
    notice = "Use of this site constitutes acceptance of our User Agreement and Privacy Policy."
    html = (f'<html><body><article><h1>Cycling lanes approved</h1><div class="send-to-messenger">'
            f'<p>Talk to our newsroom on your phone and get the latest updates as they come in.</p></div>'
            f'{_paragraphs(ARTICLE)}<p>{notice}</p></article></body></html>')
    record = _run(normaliser, html)
    assert all(p in record.text for p in ARTICLE)
    assert notice not in record.text and "Talk to our newsroom" not in record.text


def test_hundreds_of_comments_do_not_replace_a_short_article(normaliser, monkeypatch):
    # the thread holds 99% of the page's prose (more than the share rule allows for), yet the post
    # above it is the article
    from normalise.extract import container, tuning
    monkeypatch.setattr(container, "TUNING", tuning.ExtractorTuning(comments_never_outweigh=True))
    comments = "".join(f'<li class="comment"><p>{COMMENT.format(n=n)}</p></li>' for n in range(300))
    html = (f'<html><body><div class="story">{_paragraphs(ARTICLE[:2])}</div>'
            f'<div id="comments" class="comments-area"><ol class="comment-list">{comments}</ol></div>'
            f'</body></html>')
    record = _run(normaliser, html)
    assert all(p in record.text for p in ARTICLE[:2])
    assert "comment 7." not in record.text



_POEM = ["I walked along the river at dawn,", "the water grey beneath the bridge,",
         "and counted the boats that were gone", "from the moorings by the ridge.",
         "The gulls were quarrelling over bread,", "a ferry sounded from the bay,",
         "and all the things I should have said", "went drifting out to sea that day."]
_PROFILE = ("I am a retired schoolteacher, a keen sailor and an occasional poet, and I write here about the "
            "sea, the town where I grew up, and the people I meet along the harbour wall.")


def test_one_prose_paragraph_in_a_sidebar_does_not_replace_a_post_told_in_short_lines(normaliser):
    # the post is a poem (no line is long enough to be prose); the page's only prose paragraph is
    # the author's profile in the sidebar, which is not the article
    html = (f'<html><body><div class="main"><div class="post"><h3 class="post-title">Dawn</h3>'
            f'<div class="post-body entry-content">{"<br>".join(_POEM)}</div></div></div>'
            f'<div id="sidebar"><div class="widget Profile"><dl class="profile"><dd>{_PROFILE}</dd></dl></div>'
            f'<ul><li><a href="/2012/10">October (4)</a></li><li><a href="/2012/09">September (7)</a></li></ul>'
            f'</div></body></html>')
    record = _run(normaliser, html)
    assert all(line in record.text for line in _POEM)
    assert _PROFILE not in record.text


def test_a_lone_prose_paragraph_still_replaces_a_winning_list_of_links(normaliser):
    # a forum post of one paragraph above a long list of linked replies: the paragraph is the post
    replies = "".join(f'<li><a href="/t/{n}">The same happened to me, twice</a> (reader{n}, 08-11 16:{n:02d}, '
                      f'{n} words)</li>' for n in range(30))
    html = (f'<html><body><table><tr><td><p>Topic: why do guides take you shopping?</p>'
            f'<table><tr><td class="text">{_PROFILE}</td></tr></table></td></tr>'
            f'<tr><td><ul>{replies}</ul></td></tr></table></body></html>')
    record = _run(normaliser, html)
    assert _PROFILE in record.text
    assert "reader7" not in record.text
