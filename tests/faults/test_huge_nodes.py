"""A single node of 10,000,000 bytes or more (libxml2's limit) before the article: shortened before
parsing with a warning, and the article is still found."""
from __future__ import annotations

import random

import pytest

from normalise import InputDocument, NormaliserConfig
from normalise.extract.huge_nodes import shorten_huge_nodes
from normalise.pipeline import Normaliser

LIBXML2_LIMIT = 10_000_000  # bytes
ARTICLE = ("<article><h1>Harbour barrier tested</h1><p>The new harbour barrier in Kelmore was tested on Monday, "
           "officials said, and it held against the spring tide.</p><p>Engineers will publish the full results "
           "of the test next month after a review by the council.</p></article>")


def huge(kind: str, size: int) -> str:
    filler = "x" * size
    return {"text": f"<div>{filler}</div>", "script": f"<script>var a='{filler}';</script>",
            "comment": f"<!--{filler}-->", "data_uri": f'<img src="data:image/png;base64,{filler}">',
            "style": f"<style>.a{{content:'{filler}'}}</style>"}[kind]


@pytest.fixture(scope="module")
def normaliser():
    return Normaliser(NormaliserConfig(translate=False))


@pytest.mark.parametrize("kind", ["text", "script", "comment", "data_uri", "style"])
@pytest.mark.parametrize("size", [LIBXML2_LIMIT, LIBXML2_LIMIT + 1])
def test_the_article_after_a_node_at_the_parser_limit_is_kept(normaliser, kind, size):
    html = f"<html lang='en'><head><title>Harbour</title></head><body>{huge(kind, size)}{ARTICLE}</body></html>"
    record = normaliser.normalise(InputDocument(id=kind, url="http://x.test/a", html=html.encode(),
                                                expected_languages=["en"]))
    assert record.error is None
    assert "The new harbour barrier in Kelmore was tested on Monday" in record.text
    assert any("before parsing" in w for w in record.warnings), record.warnings


def test_shortening_keeps_everything_under_the_limit_and_names_what_it_cut():
    html = "<p>keep</p><!--" + "c" * 50 + "--><script>" + "s" * 50 + "</script><img src='" + "d" * 60 + "'>" \
           + "<p>" + "t" * 70 + "</p><!--short--><p>end</p>"
    out, notes = shorten_huge_nodes(html, limit=40)
    assert out == "<p>keep</p><script></script><img><p>" + "t" * 39 + "</p><!--short--><p>end</p>"
    assert len(notes) == 4 and any("comment of 50" in n for n in notes) and any("<img> tag" in n for n in notes)
    assert shorten_huge_nodes("<p>small</p>", limit=40) == ("<p>small</p>", [])


def _node_sizes(html: str) -> list[int]:
    """Sizes of the pieces libxml2 sees as one node: text between tags, and each tag."""
    first, *rest = html.split("<")
    sizes = [len(first)]
    for piece in rest:
        close = piece.find(">")
        if piece[:1].isalpha() and close >= 0:
            sizes += [close + 1, len(piece) - close - 1]
        else:
            sizes.append(len(piece))
    return sizes


def test_no_node_at_or_over_the_limit_survives_and_pages_without_one_are_untouched():
    rng = random.Random(7)
    for _ in range(300):
        html = "".join(rng.choice((".", "!", " ", "<", ">", "<p", "<p>", "\n")) for _ in range(rng.randint(6, 80)))
        out, notes = shorten_huge_nodes(html, limit=6)
        assert max(_node_sizes(out)) < 6
        assert (out == html) == (not notes) == (max(_node_sizes(html)) < 6)


def test_a_page_opening_with_a_long_text_run_is_truncated_not_taken_for_a_tag():
    out, notes = shorten_huge_nodes("p" * 50 + "<p>end</p>", limit=40)
    assert out == "p" * 39 + "<p>end</p>" and "text node of 50" in notes[0]
