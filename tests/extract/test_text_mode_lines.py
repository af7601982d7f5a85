"""Text mode with the shipped line model, end to end: chrome around a story goes, the story stays whole."""
from __future__ import annotations

import pytest

from normalise import InputDocument, NormaliserConfig
from normalise.pipeline import Normaliser

MENU = ["Skip to content", "Home", "World", "Business", "Technology", "Science", "Sport", "Culture", "Subscribe"]
TITLE = "Harbour bridge reopens to cyclists after two years of repairs"
STORY = [
    "The city council voted on Tuesday evening to reopen the old harbour bridge to cyclists and walkers, "
    "ending a closure that began when engineers found cracks in two of its steel supports.",
    "Few expected it.",
    "Residents on both sides of the water had asked for the change for years, and shop owners near the "
    "northern end said the detour had cost them a large share of their passing trade since the closure.",
    "The mayor said the remaining work on the lighting and the railings would be finished before the spring, "
    "and that cars would stay banned from the bridge for good after a vote later this year.",
]
FOOTER = ["Share this article", "Facebook", "Twitter", "Email", "Most read", "About us", "Contact", "Privacy policy"]


@pytest.fixture(scope="module")
def record():
    text = "\n".join([*MENU, TITLE, *STORY, *FOOTER])
    return Normaliser(NormaliserConfig(translate=False)).normalise(InputDocument(id="story", text=text))


def _kept(record) -> set[str]:
    return {b.text for b in record.blocks if b.kept}


def test_the_story_and_its_short_paragraph_stay(record):
    assert record.error is None
    kept = _kept(record)
    assert TITLE in kept
    assert all(paragraph in kept for paragraph in STORY)


def test_the_menu_above_the_title_and_the_footer_go(record):
    kept = _kept(record)
    assert not kept & set(MENU)
    assert not kept & set(FOOTER)
    for block in record.blocks:
        assert block.kept or block.removed_detail
