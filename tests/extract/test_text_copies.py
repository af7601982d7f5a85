"""bench/text_copies.py: browser-like text copies of a page, and the gold labels of their lines."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"

PAGE = """<html><head><title>ignored</title><style>p {color: red}</style></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<div id="cookie">We use cookies to improve your visit.</div>
<article><h1>River levels fall after a week of rain</h1>
<p>The river dropped by half a metre overnight, the water agency said.</p>
<p style="display:none">Hidden teaser</p><div hidden>Also hidden</div>
<script>var tracking = 1;</script><noscript>Enable scripts</noscript>
<p>Farmers near the banks were allowed back to their fields.</p></article>
<footer><p>Contact us</p></footer></body></html>"""


@pytest.fixture(scope="module")
def text_copies():
    pytest.importorskip("inscriptis")
    sys.path.insert(0, str(BENCH))
    try:
        import text_copies
    finally:
        sys.path.remove(str(BENCH))
    return text_copies


def test_copy_has_one_line_per_block_with_all_visible_chrome_and_nothing_hidden(text_copies):
    lines = text_copies.render_copy(PAGE).splitlines()
    assert lines == ["Home", "World", "We use cookies to improve your visit.", "River levels fall after a week of rain",
                     "The river dropped by half a metre overnight, the water agency said.",
                     "Farmers near the banks were allowed back to their fields.", "Contact us"]


def test_unparseable_or_empty_pages_copy_as_nothing(text_copies):
    assert text_copies.render_copy("") == ""
    assert text_copies.render_copy("<?xml version='1.0'?>   ") == ""


def test_lines_are_labelled_by_the_gold_text(text_copies):
    lines = ["Home", "The river dropped by half a metre overnight, the water agency said.",
             "Farmers near the banks were allowed back to their fields.", "Contact us", "half a metre"]
    gold = "The river dropped by half a metre overnight, the water agency said. Farmers near the banks were allowed back."
    assert text_copies.label_lines(lines, {"gold_text": gold}) == [0, 1, 1, 0, 1]


def test_snippet_pages_label_only_lines_holding_a_snippet(text_copies):
    lines = ["Home", "The river dropped by half a metre overnight.", "Contact us"]
    row = {"with": ["half a metre"], "without": ["Contact"]}
    assert text_copies.label_lines(lines, row) == [None, 1, 0]
