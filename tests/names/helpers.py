"""What the names tests share."""
from __future__ import annotations

from normalise.names import NameUnifier


def unify(*blocks: str) -> tuple[list[str], list, list[dict]]:
    """The blocks through the default names stage (world layer on): their texts, every change made
    and every candidate considered."""
    results, candidates = NameUnifier().unify_blocks(list(blocks), None)
    return [text for text, _ in results], [c for _, changes in results for c in changes], candidates


def unify_in(language: str | None, *blocks: str) -> tuple[list[str], list, list[dict]]:
    """Like `unify`, with every block's text in `language` (an untranslated block; "en" or None:
    English)."""
    results, candidates = NameUnifier().unify_blocks(list(blocks), None, [language] * len(blocks))
    return [text for text, _ in results], [c for _, changes in results for c in changes], candidates


def left_as_written(text: str) -> list[dict]:
    """The candidates of one English block the stage must leave exactly as written."""
    texts, changes, candidates = unify(text)
    assert texts == [text] and changes == []
    return candidates
