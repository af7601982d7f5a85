"""A page past the per-page bounds keeps its first blocks, says so, and stays bounded."""
from __future__ import annotations

from normalise import InputDocument
from normalise.config import NormaliserConfig
from normalise.pipeline import Normaliser

PARAGRAPH = "The harbour committee met again on Tuesday and agreed to publish its figures next week."


def _page(paragraphs: int) -> str:
    body = "".join(f"<p>{i}. {PARAGRAPH}</p>" for i in range(paragraphs))
    return f"<html><head><title>Long page</title></head><body><article>{body}</article></body></html>"


def _normalise(html: str, **limits) -> object:
    config = NormaliserConfig(translate=False, **limits)
    return Normaliser(config).normalise(InputDocument(id="long", html=html, url="https://example.org/long"))


def test_a_page_with_more_blocks_than_the_limit_keeps_the_first_ones_with_a_warning():
    record = _normalise(_page(400), max_blocks=50)
    assert len(record.blocks) == 50
    assert record.blocks[1].text.startswith("0. ")  # the beginning is what is kept
    assert any("page truncated: kept the first 50 of 401 blocks" in w for w in record.warnings)


def test_a_page_with_more_text_than_the_limit_is_cut_at_a_block_boundary():
    record = _normalise(_page(100), max_text_chars=2000)
    kept_text = sum(len(b.text) for b in record.blocks)
    assert 0 < kept_text <= 2000
    assert any("max_text_chars 2000" in w for w in record.warnings)


def test_a_page_within_the_limits_is_untouched():
    record = _normalise(_page(40))
    assert len(record.blocks) == 41 and not any("truncated" in w for w in record.warnings)
