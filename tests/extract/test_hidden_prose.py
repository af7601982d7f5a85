"""Hidden prose (a collapsed story body) is page text when keep_hidden_prose is on; hidden chrome
(a modal, a menu) stays removed as hidden."""
import dataclasses

import pytest

from normalise.extract import container, hidden_text, html_blocks, tuning, walker
from normalise.extract.hints import get_hints

_STORY = (
    "<p>The council approved the new bridge across the harbour on Tuesday evening, after three years of "
    "public hearings, two rejected designs and a long argument about the cost of steel.</p>"
    "<p>Engineers expect the foundations to be laid next spring, and the first cars to cross it within four "
    "years, provided that the regional government keeps its promise to pay for half of the works.</p>")
_MORE = (
    "<p>Residents of the old quarter, who had opposed the first design because it would have cast a shadow "
    "over the market square, said they were satisfied with the lower arch that was chosen in the end.</p>"
    "<h2>What comes next</h2>"
    "<p>A public tender for the construction will open in the autumn, and the council said it would publish "
    "every bid on its website so that citizens can compare the offers and their promised deadlines.</p>")
_MODAL = (
    "<p>Subscribe to our newsletter and receive the most important stories of the day in your inbox every "
    "morning, together with exclusive offers from our partners and invitations to our events.</p>")
PAGE = f"""<html><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/city">City</a></li></ul></nav>
<div class="modal" style="display:none">{_MODAL}</div>
<ul style="display:none"><li><a href="/a">Sports</a></li><li><a href="/b">Culture</a></li></ul>
<article><h1>Harbour bridge approved</h1>{_STORY}
<div style="display: none">{_MORE}</div>
<button>Read more</button></article>
</body></html>"""


@pytest.fixture
def keep_hidden_prose(monkeypatch):
    on = dataclasses.replace(tuning.TUNING, keep_hidden_prose=True, keep_hidden_story=False)
    for module in (walker, container, html_blocks, hidden_text):
        monkeypatch.setattr(module, "TUNING", on)
    walker._info_for.cache_clear()


def _removed(page: str) -> dict:
    return {b.text: b.removed for b in html_blocks.html_to_blocks(page)}


def test_collapsed_story_body_is_shown_and_hidden_chrome_stays_removed(keep_hidden_prose):
    removed = _removed(PAGE)
    assert removed["What comes next"] is None  # a short block inside the shown element follows it
    assert all(removed[t] is None for t in removed if t.startswith(("Residents", "A public tender")))
    assert next(r for t, r in removed.items() if t.startswith("Subscribe")) == "hidden"  # hinted modal
    assert removed["Sports"] == "hidden"  # a hidden menu of links is not prose
    assert next(r for t, r in removed.items() if t.startswith("The council")) is None


def test_hidden_prose_without_hints_outside_the_article_is_not_the_article(keep_hidden_prose):
    page = PAGE.replace('<div class="modal" style="display:none">', '<div style="display:none">')
    in_main = {b.text: b.removed is None and get_hints(b).in_main for b in html_blocks.html_to_blocks(page)}
    assert not next(k for t, k in in_main.items() if t.startswith("Subscribe"))  # shown, but not the article
    assert next(k for t, k in in_main.items() if t.startswith("Residents"))


def test_by_default_hidden_prose_beside_a_longer_visible_story_is_removed():
    defaults = tuning.ExtractorTuning()
    assert not defaults.keep_hidden_prose and defaults.keep_hidden_story
    page = (f"<html><body><article><h1>Harbour bridge approved</h1>{_STORY}{_MORE}"
            f"<div style=\"display:none\">{_MODAL}{_MODAL.replace('Subscribe', 'Sign up')}</div></article></body></html>")
    assert next(r for t, r in _removed(page).items() if t.startswith("Subscribe")) == "hidden"



def test_a_hidden_copy_of_visible_text_or_a_single_hidden_paragraph_stays_removed(keep_hidden_prose):
    copy = PAGE.replace(f"<div style=\"display: none\">{_MORE}</div>", f"<div hidden>{_STORY}</div>")
    copies = [b.removed for b in html_blocks.html_to_blocks(copy) if b.text.startswith("The council")]
    assert copies == [None, "hidden"]
    single = PAGE.replace(_MORE, _MORE.split("<h2>")[0])  # one hidden paragraph: a notice, not a story
    assert next(r for t, r in _removed(single).items() if t.startswith("Residents")) == "hidden"


def _story_page(hidden_wrapper: str) -> str:
    paragraphs = "".join(f'<div {hidden_wrapper}>{p}</p></div>' for p in (_STORY + _MORE).split("</p>") if "<p>" in p)
    return (f"<html><body><article><h1>Harbour bridge approved</h1>{paragraphs}</article>"
            f"<div class=\"modal\" style=\"display:none\">{_MODAL}<a href=\"/x\">Sign up now</a></div></body></html>")


@pytest.fixture
def keep_hidden_story(monkeypatch):
    on = dataclasses.replace(tuning.TUNING, keep_hidden_story=True)
    for module in (walker, container, html_blocks, hidden_text):
        monkeypatch.setattr(module, "TUNING", on)
    walker._info_for.cache_clear()


def test_a_story_hidden_paragraph_by_paragraph_is_shown_whatever_its_class(keep_hidden_story):
    blocks = html_blocks.html_to_blocks(_story_page('class="subscriber-only" style="display:none"'))
    kept = {b.text[:12] for b in blocks if b.removed is None and get_hints(b).in_main and not get_hints(b).hint_reason}
    assert {"The council ", "Engineers ex", "Residents of", "A public ten"} <= kept
    assert not any(t.startswith("Subscribe") for t in kept)  # the hidden modal is not in the article


def test_hidden_paragraphs_beside_a_longer_visible_story_stay_removed(keep_hidden_story):
    page = (f"<html><body><article><h1>Harbour bridge approved</h1>{_STORY}{_MORE}"
            f'<div class="subscriber-only" style="display:none">{_MODAL}</div></article></body></html>')
    assert next(r for t, r in _removed(page).items() if t.startswith("Subscribe")) == "hidden"


def test_hidden_gallery_captions_are_not_a_hidden_story(keep_hidden_story):
    """A photo gallery shows one caption at a time and hides the others: however much prose they
    hold, they are captions, not a story hidden behind a class."""
    captions = "".join(
        f'<div class="gallery-photo"><cite style="display:none">{p}</p></cite></div>'
        for p in (_STORY + _MORE + _STORY.replace("council", "mayor")).split("</p>") if "<p>" in p)
    page = (f"<html><body><article><h1>Harbour bridge approved</h1><p>The bridge will be built in steel and "
            f"concrete, the council said, and the works will start in the spring of next year.</p>"
            f'<div class="gallery">{captions}</div></article></body></html>')
    removed = _removed(page)
    assert next(r for t, r in removed.items() if t.startswith("The bridge will")) is None
    assert {r for t, r in removed.items() if t.startswith(("Engineers", "Residents", "A public"))} == {"hidden"}
    story_page = page.replace('class="gallery-photo"', 'class="subscriber-only"').replace('class="gallery"', "")
    assert next(r for t, r in _removed(story_page).items() if t.startswith("Engineers")) is None  # (control)
