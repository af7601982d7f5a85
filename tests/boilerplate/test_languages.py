"""Per-language boilerplate: one fixture page per language (tests/fixtures/pages/<lang>.html).

Each fixture marks what must happen to its elements with data-expect="<reason>" (or "kept",
or "caption" for the one copy of a repeated caption that stays); the attribute is invisible
to the extractor. The page chrome is in the page's own language, so the lexicon of that
language has to recognise it: those removals must come from a lexicon rule, not only from
the page structure.
"""
from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from normalise import InputDocument, NormaliserConfig
from normalise.pipeline import Normaliser

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "zh", "ru", "uk", "el")
# Reasons the language's lexicon must produce on its own (detail names a lexicon rule).
LEXICON_REASONS = {"cookie_wall", "login_form", "newsletter", "widget", "author_bio", "copyright"}


@pytest.fixture(scope="module")
def normaliser():
    return Normaliser(NormaliserConfig(translate=False))


def expectations(html: str) -> list[tuple[str, str]]:
    root = lxml.html.fromstring(html)
    return [(" ".join(el.text_content().split()), el.get("data-expect")) for el in root.xpath("//*[@data-expect]")]


def outcome(block) -> str:
    if block.kept:
        return "caption" if block.kind == "caption" else "kept"
    return block.removed


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_chrome_removed_and_article_kept(lang, normaliser):
    html = (PAGES / f"{lang}.html").read_text(encoding="utf-8")
    record = normaliser.normalise(InputDocument(id=lang, html=html))
    assert record.error is None
    blocks = [b for b in record.blocks if b.kind != "title"]
    wanted = expectations(html)
    # every marked element is one block, in document order, with the expected outcome
    got = [(b.text, outcome(b)) for b in blocks if any(b.text == text for text, _ in wanted)]
    assert got == wanted
    # nothing unmarked survives: the kept text is exactly the marked article text
    marked = {text for text, _ in wanted}
    assert [b.text for b in blocks if b.kept and b.text not in marked] == []
    for block in blocks:
        if block.removed in LEXICON_REASONS:
            assert block.removed_detail.split(":")[0] in ("lines", "prefixes", "terms", "patterns"), block
    for reason in ("cookie_wall", "login_form", "newsletter", "related_links", "duplicate_caption",
                   "author_bio", "copyright", "widget"):
        assert any(b.removed == reason for b in blocks), reason
    assert sum(1 for b in blocks if b.kept and b.kind == "paragraph") == 4
    assert [b.kind for b in blocks if b.kept and b.kind == "caption"] == ["caption"]
    assert record.title and "Harbour Courier" not in record.title  # site suffix split off
    assert record.metadata["site_name"] == "Harbour Courier"
